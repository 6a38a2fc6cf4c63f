import { Parser } from 'htmlparser2'

// What the fuzzer knows about each route, learnt from the app itself: the route table (method,
// path, :params, body/query schema keys) and the pages it serves (every form, link and hx-* URL
// the admin and a student see: which fields a route takes, and real values for its params).

export type RouteInfo = {
  method: string
  path: string
  params: string[]
  re: RegExp
  /** Field names seen for this route (schemas, forms, hx-* elements, links' query strings). */
  fields: Set<string>
  /** File inputs seen in its forms. */
  files: Set<string>
  /** Real values seen per :param in links and form actions. */
  paramValues: Map<string, Set<string>>
}

export type Harvest = {
  routes: RouteInfo[]
  /** Every field name seen anywhere (used sparingly for any route). */
  allFields: Set<string>
  /** Real values per field name (option values, hidden inputs, link query values). */
  fieldValues: Map<string, Set<string>>
  /** The control a field name was seen as: an input's type, 'textarea' or 'select'. */
  fieldTypes: Map<string, string>
}

type RawRoute = { method: string; path: string; hooks?: { body?: unknown; query?: unknown } }

const schemaKeys = (s: unknown): string[] => {
  const p = (s as { properties?: Record<string, unknown> } | undefined)?.properties
  return p ? Object.keys(p) : []
}

export function routeInfos(routes: RawRoute[]): Harvest {
  const infos = routes.map((r): RouteInfo => {
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]!)
    const re = new RegExp('^' + r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '([^/]+)') + '/?$')
    return {
      method: r.method, path: r.path, params, re,
      fields: new Set([...schemaKeys(r.hooks?.body), ...schemaKeys(r.hooks?.query)]),
      files: new Set(), paramValues: new Map(params.map((p) => [p, new Set<string>()])),
    }
  })
  const allFields = new Set(infos.flatMap((i) => [...i.fields]))
  return { routes: infos, allFields, fieldValues: new Map(), fieldTypes: new Map() }
}

const add = <K, V>(m: Map<K, Set<V>>, k: K, v: V) => {
  let s = m.get(k)
  if (!s) m.set(k, (s = new Set()))
  if (s.size < 200) s.add(v)
}

/** Records a URL the page points at (a link, a form action, an hx-* attribute) and its fields. */
function record(h: Harvest, method: string, url: string, fields: { name: string; value?: string; file?: boolean }[]): void {
  if (!url.startsWith('/') || url.startsWith('//')) return
  let u: URL
  try {
    u = new URL(url, 'http://localhost')
  } catch {
    return
  }
  const query = [...u.searchParams].map(([name, value]) => ({ name, value }))
  const all: { name: string; value?: string; file?: boolean }[] = [...fields, ...query]
  const ms = method === 'GET' ? ['GET', 'WS'] : [method]
  for (const r of h.routes) {
    if (!ms.includes(r.method)) continue
    const m = r.re.exec(decodeURIComponentSafe(u.pathname))
    if (!m) continue
    r.params.forEach((p, i) => add(r.paramValues, p, m[i + 1]!))
    for (const f of all) {
      r.fields.add(f.name)
      if (f.file) r.files.add(f.name)
    }
  }
  for (const f of all) {
    h.allFields.add(f.name)
    if (f.value !== undefined) add(h.fieldValues, f.name, f.value)
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

const HX = ['hx-get', 'hx-post', 'hx-put', 'hx-patch', 'hx-delete'] as const

/** Reads one page: forms (action + method + named controls), links, hx-* URLs. */
export function harvestPage(h: Harvest, html: string): void {
  type Field = { name: string; value?: string; file?: boolean }
  type Form = { targets: [string, string][]; fields: Field[] }
  const forms: Form[] = []
  let select: string | null = null
  const parser = new Parser({
    onopentag(tag, a) {
      const form = forms.at(-1)
      const own: [string, string][] = HX.filter((x) => a[x]).map((x) => [x.slice(3).toUpperCase(), a[x]!])
      if (tag === 'form') {
        const targets: [string, string][] = [...own]
        if (a.action !== undefined) targets.push([(a.method ?? 'get').toUpperCase(), a.action || '/'])
        forms.push({ targets, fields: [] })
        return
      }
      if (tag === 'a' && a.href) record(h, 'GET', a.href, [])
      const name = a.name
      let field: Field | null = null
      if (name && (tag === 'input' || tag === 'select' || tag === 'textarea' || tag === 'button')) {
        field = { name, value: a.value, file: a.type === 'file' }
        if (!h.fieldTypes.has(name)) h.fieldTypes.set(name, tag === 'input' ? (a.type ?? 'text') : tag)
        form?.fields.push(field)
        if (tag === 'select') select = name
      }
      if (tag === 'option' && select && a.value !== undefined) form?.fields.push({ name: select, value: a.value })
      if (a['hx-vals']) {
        try {
          for (const [k, v] of Object.entries(JSON.parse(a['hx-vals']) as Record<string, unknown>)) form?.fields.push({ name: k, value: String(v) })
        } catch {}
      }
      for (const [m, url] of own) record(h, m, url, field ? [field, ...(form?.fields ?? [])] : (form?.fields ?? []))
      if (a.formaction) record(h, (a.formmethod ?? 'post').toUpperCase(), a.formaction, form?.fields ?? [])
    },
    onclosetag(tag) {
      if (tag === 'select') select = null
      if (tag === 'form') {
        const f = forms.pop()
        for (const [m, url] of f?.targets ?? []) record(h, m, url, f!.fields)
      }
    },
  }, { decodeEntities: true })
  parser.write(html)
  parser.end()
}

/**
 * URLs for a route, each :param filled by a value seen for it: values in `prefer` first (up to
 * `max` URLs), else the first seen, else the first of `fallback`.
 */
export function exampleUrls(r: RouteInfo, fallback: readonly string[], prefer: ReadonlySet<string> = new Set(), max = 1): string[] {
  const choices = r.params.map((p) => {
    const seen = [...(r.paramValues.get(p) ?? [])]
    const preferred = seen.filter((v) => prefer.has(v))
    return preferred.length ? preferred : seen.length ? seen.slice(0, 1) : fallback.slice(0, 1)
  })
  if (choices.some((c) => !c.length)) return []
  const out = new Set<string>()
  for (let k = 0; k < max; k++) {
    let i = 0
    out.add(r.path.replace(/:(\w+)/g, () => {
      const c = choices[i++]!
      return encodeURIComponent(c[Math.min(k, c.length - 1)]!)
    }))
  }
  return [...out]
}
