import { parse, type DefaultTreeAdapterMap } from 'parse5'

// The fuzzer's properties for one response. Nonces look like `fz12q345z`; an XSS marker is
// matched for any nonce, so a payload stored by one case and shown unescaped by a later one
// (stored XSS) is caught on the page that shows it.

export const nonceOf = (route: number, i: number) => `fz${route}q${i}z`
const N = 'fz\\d+q\\d+z'

const PAYLOAD = new RegExp(`alert\\((${N})\\)`)
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'srcdoc', 'data', 'hx-get', 'hx-post', 'hx-put', 'hx-patch', 'hx-delete', 'xlink:href'])

type Node = DefaultTreeAdapterMap['node']
type Element = DefaultTreeAdapterMap['element']

/**
 * A payload that became markup, as a browser parses the page (parse5): a script element, an
 * event-handler attribute or a javascript: URL carrying a nonce. An escaped payload is only text
 * or an attribute's value, which is harmless wherever it lands.
 */
export function executablePayload(html: string): string | null {
  if (!PAYLOAD.test(html)) return null
  let found: string | null = null
  const walk = (n: Node) => {
    if (found) return
    const el = n as Element
    if (el.tagName) {
      if (el.tagName === 'script') {
        const text = el.childNodes.map((c) => (c as { value?: string }).value ?? '').join('')
        const m = PAYLOAD.exec(text)
        if (m) found = `<script> containing alert(${m[1]})`
      }
      for (const a of el.attrs) {
        const m = PAYLOAD.exec(a.value)
        if (!m) continue
        if (a.name.startsWith('on')) found = `<${el.tagName} ${a.name}="${a.value.slice(0, 80)}">`
        if (URL_ATTRS.has(a.name) && /^\s*javascript:/i.test(a.value)) found = `<${el.tagName} ${a.name}="${a.value.slice(0, 80)}">`
      }
    }
    const content = (n as { content?: Node }).content
    if (content) walk(content)
    for (const c of (n as { childNodes?: Node[] }).childNodes ?? []) walk(c)
  }
  walk(parse(html))
  return found
}

export type Outcome = { status: number; problems: string[]; body: string }

const excerpt = (s: string, at: number) => JSON.stringify(s.slice(Math.max(0, at - 80), at + 120))

/** Reads the response and lists every property it breaks. */
export async function checkResponse(res: Response): Promise<Outcome> {
  const problems: string[] = []
  const type = res.headers.get('content-type') ?? ''
  const text = await res.text()
  if (res.status >= 500) problems.push(`status ${res.status}: ${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, 300))}`)
  if (type.includes('json')) {
    try {
      JSON.parse(text)
    } catch {
      problems.push(`${type} body does not parse: ${JSON.stringify(text.slice(0, 200))}`)
    }
  }
  if (type.includes('html')) {
    const found = executablePayload(text)
    if (found) problems.push(`payload reflected unescaped: ${found} near ${excerpt(text, text.indexOf(PAYLOAD.exec(found)?.[1] ?? ''))}`)
  }
  for (const h of ['location', 'hx-redirect', 'hx-location']) {
    const loc = res.headers.get(h)
    if (loc === null) continue
    let origin = ''
    try {
      origin = new URL(loc, 'http://localhost/x/').origin
    } catch {}
    if (/^\s*javascript:/i.test(loc) || origin !== 'http://localhost') problems.push(`${h} leaves the site: ${JSON.stringify(loc.slice(0, 200))}`)
  }
  return { status: res.status, problems, body: text }
}

/** The server's error log lines for one request id (`unhandled` and any other error). */
export function errorLines(lines: Record<string, unknown>[], from: number, id: string): string[] {
  const out: string[] = []
  for (let i = from; i < lines.length; i++) {
    const l = lines[i]!
    if (l.level === 'error' && (l.id === id || l.id === undefined)) out.push(`log ${String(l.msg)}: ${String(l.error ?? JSON.stringify(l)).slice(0, 600)}`)
  }
  return out
}
