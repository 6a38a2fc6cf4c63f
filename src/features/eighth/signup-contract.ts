import type { ContractInput } from './signup-actions.ts'

// Ion's HTML signup contract, the HTTP side: the form fields and the three kinds of caller.

export type Caller = 'htmx' | 'browser' | 'other'

/**
 * An htmx partial request gets fragments; a browser's own form post (no JavaScript) gets a 303
 * back to the page; anyone else (scripts, Ion's clients) gets Ion's plain answers.
 */
export function callerOf(request: Request): Caller {
  const h = request.headers
  if (h.get('hx-request') === 'true') return h.get('hx-request-type') === 'partial' && h.get('hx-history-restore-request') !== 'true' ? 'htmx' : 'browser'
  if (h.get('sec-fetch-mode') === 'navigate') return 'browser'
  if ((h.get('accept') ?? '').includes('text/html')) return 'browser'
  return 'other'
}

type Fields = Record<string, unknown>

/** A form value as one string (a repeated field counts by its first value). */
export function field(body: Fields | null | undefined, name: string): string | undefined {
  const v = body?.[name]
  if (Array.isArray(v)) return v.length ? String(v[0]) : undefined
  if (v === undefined || v === null) return undefined
  return typeof v === 'string' ? v : String(v)
}

const isInt = (s: string | undefined): s is string => s !== undefined && /^\d{1,9}$/.test(s)

export type Parsed = { ok: true; input: ContractInput } | { ok: false; message: string; bid: number | null }

/**
 * uid, bid and aid must be digits (else 400 "<field> must be an integer"). `unsignup` without
 * `aid` removes the signup. `force` comes from ?force or a `force` field (admins only; the
 * service ignores it for anyone else).
 */
export function parseContract(body: Fields | null | undefined, query: Record<string, unknown>): Parsed {
  const f = (n: string) => field(body, n)
  const force = query.force !== undefined || ['true', 'on', '1'].includes((f('force') ?? '').toLowerCase())
  const unsignup = f('unsignup') !== undefined && f('aid') === undefined
  const names = unsignup ? ['uid', 'bid'] : ['uid', 'bid', 'aid']
  const bidText = f('bid')
  for (const n of names) {
    if (!isInt(f(n))) return { ok: false, message: `${n} must be an integer`, bid: isInt(bidText) ? Number(bidText) : null }
  }
  const uid = Number(f('uid'))
  const bid = Number(bidText)
  return unsignup
    ? { ok: true, input: { kind: 'unsignup', uid, bid, force } }
    : { ok: true, input: { kind: 'signup', uid, bid, aid: Number(f('aid')), force } }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** Ion's answer: 200 with the text; failures with one reason as text/plain, several as a <ul>. */
export function ionAnswer(status: number, messages: string[], headers: Record<string, string> = {}): Response {
  if (messages.length > 1) {
    const body = `<ul>${messages.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>`
    return new Response(body, { status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } })
  }
  return new Response(messages[0] ?? '', { status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } })
}
