import fc from 'fast-check'
import type { RouteInfo, Harvest } from './fuzz-harvest.ts'
import type { ActorKind } from './fuzz-school.ts'
import { encodeQuery, encodeSegment, hostileJson, hostileString, xssPayloads } from './fuzz-values.ts'

// One fuzz case for one route, and the Request it becomes. Values are generated with the
// placeholder NONCE; `toRequest` swaps in the case's own nonce so a reflected payload names its case.

export const NONCE = 'NONCE'

type Pair = [string, string | null]
export type Body =
  | { kind: 'none' }
  | { kind: 'form'; pairs: Pair[] }
  | { kind: 'multipart'; pairs: Pair[]; files: { field: string; name: string; type: string; bytes: number; text: string }[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; text: string }

export type FuzzCase = {
  actor: ActorKind
  params: string[]
  /** Leave '.', '/' and '%' unencoded in path params ('../', '%zz'). */
  rawPath: boolean
  query: Pair[]
  body: Body
  origin: 'same' | 'none' | 'foreign' | 'fetch-site'
  hx: 'none' | 'partial' | 'full' | 'false' | 'restore'
  accept: string | null
  /** A Content-Type that does not match the body. */
  contentType: string | null
  auth: string | null
  upgrade: boolean
}

/** A value a person might type into an empty control of this type. */
const PLAUSIBLE: Record<string, string> = {
  date: '2026-12-01', 'datetime-local': '2026-12-01T10:00', time: '10:00', month: '2026-12', week: '2026-W49', number: '1', range: '1',
  email: 'fuzz@example.org', url: 'https://example.org/', tel: '555-0100', password: 'correct horse battery', checkbox: 'on', radio: 'on',
  text: 'Fuzz text', search: 'fuzz', textarea: 'Fuzz text', select: '1',
}

const EXTRA_NAMES = ['__proto__', 'constructor', 'prototype', 'a[b]', 'a.b', 'id[]', '', ' ', '%00', 'x'.repeat(300), '<script>alert(NONCE)</script>', 'format', 'page', 'next']

/** The arbitrary for one route: params, query, body and headers, each hostile in its own way. */
export function caseArb(route: RouteInfo, h: Harvest, real: readonly string[]): fc.Arbitrary<FuzzCase> {
  const routeFields = [...route.fields]
  const fieldReal = [...new Set([...routeFields.flatMap((f) => [...(h.fieldValues.get(f) ?? [])]), ...real])]
  const value = hostileString(NONCE, fieldReal)
  const name = fc.oneof(
    ...(routeFields.length ? [{ arbitrary: fc.constantFrom(...routeFields), weight: 8 }] : []),
    { arbitrary: fc.constantFrom(...(h.allFields.size ? h.allFields : ['q'])), weight: 2 },
    { arbitrary: fc.constantFrom(...EXTRA_NAMES), weight: 1 },
  )
  // Some of the route's own fields (missing ones are a test too) plus a few strangers; a field
  // may repeat (Elysia then hands the handler an array) and may have no '=' at all.
  const pairs: fc.Arbitrary<Pair[]> = fc.tuple(
    fc.shuffledSubarray(routeFields),
    fc.array(name, { maxLength: 3 }),
  ).chain(([own, extra]) => fc.tuple(...[...own, ...extra].map((n) => fc.tuple(fc.constant(n), fc.option(value, { freq: 12 })))))
    .map((ps) => ps as Pair[])
  // Or a form that looks filled in: every field from the page with a value the page offered,
  // except one hostile field. This is what passes validation and gets stored (then shown).
  const offered = (n: string) => {
    const vs = [...(h.fieldValues.get(n) ?? [])].filter((v) => v !== '')
    return vs.length ? fc.constantFrom(...vs) : fc.constant(PLAUSIBLE[h.fieldTypes.get(n) ?? 'text'] ?? 'Fuzz text')
  }
  const bad = fc.oneof({ arbitrary: fc.constantFrom(...xssPayloads(NONCE)), weight: 3 }, { arbitrary: hostileString(NONCE, []), weight: 1 })
  const filledIn: fc.Arbitrary<Pair[]> = routeFields.length
    ? fc.tuple(fc.tuple(...routeFields.map((n) => offered(n))), fc.nat(routeFields.length - 1), bad)
      .map(([vs, i, bad]) => routeFields.map((n, j): Pair => [n, j === i ? bad : vs[j]!]))
    : pairs
  const fields = fc.oneof(
    { arbitrary: fc.tuple(pairs, fc.array(fc.tuple(name, value), { maxLength: 2 })).map(([ps, more]) => [...ps, ...more] as Pair[]), weight: 3 },
    { arbitrary: filledIn, weight: 2 },
  )

  const paramArb = (p: string) => hostileString(NONCE, [...(route.paramValues.get(p) ?? []), ...real])
  const files = fc.array(fc.record({
    field: fc.constantFrom(...(route.files.size ? route.files : ['file', 'photo', 'csv'])),
    name: fc.oneof(fc.constantFrom('a.csv', 'photo.png', '../../etc/passwd', 'x.jpg\u0000.exe', '<script>alert(NONCE)</script>.png', ''), value),
    type: fc.constantFrom('text/csv', 'image/png', 'image/jpeg', 'application/octet-stream', 'text/html', ''),
    bytes: fc.oneof(fc.constant(0), fc.nat(2_000), fc.integer({ min: 100_000, max: 3_000_000 })),
    text: value,
  }), { maxLength: 2 })
  const jsonBody = fc.oneof(
    { arbitrary: fc.tuple(fc.shuffledSubarray(routeFields), fc.array(name, { maxLength: 2 }))
      .chain(([own, extra]) => fc.tuple(...[...own, ...extra].map((n) => fc.tuple(fc.constant(n), hostileJson(NONCE, fieldReal)))))
      .map((kv) => Object.fromEntries(kv)), weight: 6 },
    { arbitrary: hostileJson(NONCE, fieldReal), weight: 2 },
  )
  const body: fc.Arbitrary<Body> = route.method === 'GET' || route.method === 'WS'
    ? fc.constant({ kind: 'none' })
    : fc.oneof(
      { arbitrary: fields.map((p): Body => ({ kind: 'form', pairs: p })), weight: 6 },
      { arbitrary: fc.tuple(fields, files).map(([p, f]): Body => ({ kind: 'multipart', pairs: p, files: f })), weight: 3 },
      { arbitrary: jsonBody.map((v): Body => ({ kind: 'json', value: v })), weight: 3 },
      { arbitrary: fc.oneof(value, fc.constantFrom('{', '{"a":', 'a=%zz&b', '--x\r\n', '\u0000')).map((t): Body => ({ kind: 'raw', text: t })), weight: 1 },
      { arbitrary: fc.constant<Body>({ kind: 'none' }), weight: 1 },
    )
  return fc.record({
    actor: fc.constantFrom<ActorKind>('anonymous', 'student', 'admin', 'admin'),
    params: fc.tuple(...route.params.map(paramArb)),
    rawPath: fc.nat(9).map((n) => n === 0),
    query: fc.oneof({ arbitrary: fc.constant([] as Pair[]), weight: 1 }, { arbitrary: fields, weight: 2 }),
    body,
    origin: fc.constantFrom<FuzzCase['origin']>('same', 'same', 'same', 'same', 'same', 'same', 'fetch-site', 'none', 'foreign'),
    hx: fc.constantFrom<FuzzCase['hx']>('none', 'none', 'partial', 'partial', 'full', 'false', 'restore'),
    accept: fc.constantFrom(null, 'text/html', 'application/json', '*/*', 'text/html, application/json;q=0.9'),
    // fc.option's freq is the odds of *null*: a mismatched type or an Authorization header is the exception.
    contentType: fc.oneof(
      { arbitrary: fc.constant(null), weight: 8 },
      { arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/xml', 'garbage/;;', 'application/x-www-form-urlencoded; charset=utf-16'), weight: 1 },
    ),
    auth: fc.oneof(
      { arbitrary: fc.constant(null), weight: route.path.startsWith('/api') ? 3 : 20 },
      { arbitrary: fc.oneof(
        value.map((v) => 'Bearer ' + v), value.map((v) => 'Basic ' + v),
        fc.constantFrom('Basic !!!', 'Basic Og==', 'Basic ' + btoa('nobody:wrong'), 'Bearer ion_0000', 'Token x', 'Bearer'),
      ), weight: 1 },
    ),
    upgrade: fc.boolean(),
  })
}

const withNonce = (s: string, n: string) => s.replaceAll(NONCE, n)
function deepNonce(v: unknown, n: string): unknown {
  if (typeof v === 'string') return withNonce(v, n)
  if (Array.isArray(v)) return v.map((x) => deepNonce(x, n))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [withNonce(k, n), deepNonce(x, n)]))
  return v
}

export const ORIGIN = 'http://localhost'

/** The Request for a case, with `cookie` (or none) and a request id the server logs errors under. */
export async function toRequest(route: RouteInfo, c: FuzzCase, nonce: string, cookie: string | null, requestId: string): Promise<Request> {
  let i = 0
  const path = route.path.replace(/:(\w+)/g, () => encodeSegment(withNonce(c.params[i++] ?? '', nonce), c.rawPath))
  const q = c.query.map(([k, v]) => encodeQuery(withNonce(k, nonce)) + (v === null ? '' : '=' + encodeQuery(withNonce(v, nonce)))).join('&')
  const method = route.method === 'WS' ? 'GET' : route.method
  const headers = new Headers({ 'x-request-id': requestId })
  if (cookie) headers.set('cookie', cookie)
  if (c.origin === 'same') headers.set('origin', ORIGIN)
  if (c.origin === 'foreign') headers.set('origin', 'https://evil.example')
  if (c.origin === 'fetch-site') headers.set('sec-fetch-site', 'same-origin')
  if (c.hx !== 'none') headers.set('hx-request', c.hx === 'false' ? 'false' : 'true')
  if (c.hx === 'partial' || c.hx === 'restore') headers.set('hx-request-type', 'partial')
  if (c.hx === 'full') headers.set('hx-request-type', 'full')
  if (c.hx === 'restore') headers.set('hx-history-restore-request', 'true')
  if (c.accept) headers.set('accept', c.accept)
  if (c.auth) headers.set('authorization', withNonce(c.auth, nonce).replace(/[\r\n\u0000]/g, '').replace(/[^\x20-\xff]/g, '?'))
  if (route.method === 'WS' && c.upgrade) {
    headers.set('upgrade', 'websocket')
    headers.set('connection', 'Upgrade')
    headers.set('sec-websocket-key', 'dGhlIHNhbXBsZSBub25jZQ==')
    headers.set('sec-websocket-version', '13')
  }
  let body: BodyInit | undefined
  const b = c.body
  const pairs = (ps: Pair[]) => ps.map(([k, v]) => [withNonce(k, nonce), withNonce(v ?? '', nonce)] as [string, string])
  if (b.kind === 'form') {
    headers.set('content-type', 'application/x-www-form-urlencoded')
    body = b.pairs.map(([k, v]) => encodeQuery(withNonce(k, nonce)) + (v === null ? '' : '=' + encodeQuery(withNonce(v, nonce)))).join('&')
  } else if (b.kind === 'multipart') {
    const fd = new FormData()
    for (const [k, v] of pairs(b.pairs)) fd.append(k, v)
    for (const f of b.files) {
      const content = f.bytes > 0 ? new Uint8Array(f.bytes).fill(0x41) : new TextEncoder().encode(withNonce(f.text, nonce))
      fd.append(withNonce(f.field, nonce), new File([content], withNonce(f.name, nonce), { type: f.type }))
    }
    body = fd
  } else if (b.kind === 'json') {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(deepNonce(b.value, nonce)) ?? 'null'
  } else if (b.kind === 'raw') {
    headers.set('content-type', c.contentType ?? 'text/plain')
    body = withNonce(b.text, nonce)
  }
  if (c.contentType && body !== undefined) {
    // Multipart's boundary comes from the FormData; a mismatched type replaces it.
    if (b.kind === 'multipart') body = await new Response(body as FormData).arrayBuffer()
    headers.set('content-type', c.contentType)
  }
  const url = ORIGIN + path + (q ? '?' + q : '')
  return new Request(url, { method, headers, body })
}
