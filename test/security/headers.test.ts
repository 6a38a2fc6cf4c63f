import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'

// Issue 11 §5: the security headers on every kind of response, generated from the route table
// (every parameterless GET, as a full page and as an htmx fragment), plus error pages, JSON, static
// files and the login page. test/platform/headers.test.ts pins the exact CSP value; this file checks
// the properties that matter whatever the value: no inline or eval script/style, no plugins, no
// framing by other sites, a fixed <base>, nosniff, a referrer policy, HSTS over https, and no-store on
// anything answered to a signed-in request.

let env: TestEnv
let admin: string
let student: string
const GETS: string[] = []

beforeAll(async () => {
  env = await testEnv()
  // A route that fails, to see the 500 page. The app has no test hook; a route added after build,
  // before the first request compiles the router, is handled by the same onError.
  ;(env.app as unknown as { get(p: string, h: () => never, o: object): void }).get('/__test/boom', () => { throw new Error('boom') }, { open: 'public' })
  admin = await login(env.app, await makeUser(env.sql, { type: 'teacher', isSuperuser: true, groups: ['admin_all'] }))
  student = await login(env.app, await makeUser(env.sql, { username: 'hdrstudent' }))
  for (const r of env.app.routes) if (r.method === 'GET' && !/[:*]/.test(r.path) && !r.path.startsWith('/__test')) GETS.push(r.path)
})
afterAll(async () => { await env.close() })

type Csp = Map<string, string[]>
function parseCsp(value: string | null): Csp {
  const m: Csp = new Map()
  for (const part of (value ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) m.set(name.toLowerCase(), sources)
  }
  return m
}

/** Every problem with one response's headers, as readable strings. */
function problems(label: string, r: Response, o: { signedIn: boolean; https?: boolean; path: string }): string[] {
  const p: string[] = []
  const h = r.headers
  const raw = h.get('content-security-policy')
  if (!raw) return [`${label}: no Content-Security-Policy`]
  const csp = parseCsp(raw)
  const eff = (d: string) => csp.get(d) ?? csp.get('default-src') ?? ['*']
  for (const d of ['script-src', 'style-src']) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
      if (eff(d).includes(bad)) p.push(`${label}: ${d} allows ${bad}`)
    }
  }
  if (eff('object-src').join(' ') !== "'none'") p.push(`${label}: object-src is ${eff('object-src').join(' ')}`)
  const fa = csp.get('frame-ancestors')?.join(' ')
  const framable = o.path === '/schedule/embed' // made to be embedded (DESIGN.md §5)
  if (!framable && fa !== "'self'" && fa !== "'none'") p.push(`${label}: frame-ancestors is ${fa}`)
  if (!framable && !['SAMEORIGIN', 'DENY'].includes(h.get('x-frame-options') ?? '')) p.push(`${label}: X-Frame-Options is ${h.get('x-frame-options')}`)
  const base = csp.get('base-uri')?.join(' ')
  if (base !== "'self'" && base !== "'none'") p.push(`${label}: base-uri is ${base}`)
  if (!csp.get('form-action')) p.push(`${label}: no form-action`)
  if (h.get('x-content-type-options') !== 'nosniff') p.push(`${label}: X-Content-Type-Options is ${h.get('x-content-type-options')}`)
  if (!['same-origin', 'no-referrer', 'strict-origin', 'strict-origin-when-cross-origin'].includes(h.get('referrer-policy') ?? '')) p.push(`${label}: Referrer-Policy is ${h.get('referrer-policy')}`)
  const hsts = h.get('strict-transport-security')
  if (o.https && !/max-age=(\d{8,})/.test(hsts ?? '')) p.push(`${label}: HSTS is ${hsts}`)
  if (!o.https && hsts) p.push(`${label}: HSTS over plain http`)
  const type = h.get('content-type') ?? ''
  const personal = /^(text\/html|application\/json)/.test(type) || r.status === 303
  if (o.signedIn && personal && !/\bno-store\b/.test(h.get('cache-control') ?? '')) p.push(`${label}: Cache-Control is ${h.get('cache-control')} on a signed-in ${type || r.status} response`)
  return p
}

async function check(path: string, init: Parameters<typeof req>[1] = {}, o: { https?: boolean; app?: TestEnv['app'] } = {}) {
  const r = await (o.app ?? env.app).handle(req(path, init))
  await r.arrayBuffer()
  const label = `${init.method ?? 'GET'} ${path}${init.htmx ? ' (htmx)' : ''}${init.cookie ? '' : ' (anonymous)'} → ${r.status}`
  return { r, problems: problems(label, r, { signedIn: !!init.cookie, https: o.https, path }) }
}

describe('every parameterless GET route, signed in as an all-powerful admin', () => {
  test('full pages', async () => {
    expect(GETS.length).toBeGreaterThan(50)
    const found: string[] = []
    const statuses = new Map<number, number>()
    for (const path of GETS) {
      const { r, problems } = await check(path, { cookie: admin, headers: { accept: 'text/html', 'sec-fetch-dest': 'document' } })
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
      found.push(...problems)
    }
    expect(found).toEqual([])
    expect(statuses.get(200)!).toBeGreaterThan(50) // mostly real pages, not a wall of 403s
    expect(statuses.has(500)).toBe(false)
  })

  test('htmx fragments (HX-Request: true, partial)', async () => {
    const found: string[] = []
    for (const path of GETS) found.push(...(await check(path, { cookie: admin, htmx: true })).problems)
    expect(found).toEqual([])
  })

  test('anonymous: the same routes (login page, redirects, public pages)', async () => {
    const found: string[] = []
    for (const path of GETS) found.push(...(await check(path)).problems)
    expect(found).toEqual([])
  })
})

describe('error pages, JSON, static files, the login page', () => {
  test('404, 403, 405, 422 and 500, as pages and as htmx fragments', async () => {
    const cases: [string, Parameters<typeof req>[1], number][] = [
      ['/no/such/page', { cookie: admin }, 404],
      ['/admin/users', { cookie: student }, 403],
      ['/sessions/global-logout', { cookie: admin }, 405],
      ['/sessions/revoke', { cookie: admin, form: {} }, 422],
      ['/__test/boom', {}, 500],
      ['/__test/boom', { cookie: admin }, 500],
    ]
    const found: string[] = []
    for (const [path, init, status] of cases) {
      for (const htmx of [false, true]) {
        const { r, problems } = await check(path, { ...init, htmx })
        expect([path, htmx, r.status]).toEqual([path, htmx, status])
        found.push(...problems)
      }
    }
    expect(found).toEqual([])
    expect(env.log.lines.some((l) => l.msg === 'unhandled' && String(l.error).includes('boom'))).toBe(true)
  })

  test('a CSRF refusal (403 from onRequest)', async () => {
    const { r, problems } = await check('/preferences/theme', { cookie: admin, form: { theme: 'dark' }, headers: { origin: 'https://evil.example' } })
    expect(r.status).toBe(403)
    expect(problems).toEqual([])
  })

  test('JSON API answers: signed in, anonymous 401, 404', async () => {
    const found: string[] = []
    for (const [path, cookie, status] of [['/api/profile', admin, 200], ['/api', admin, 200], ['/api/profile', undefined, 401], ['/api/nope', admin, 404]] as const) {
      const { r, problems } = await check(path, cookie ? { cookie } : {})
      expect([path, r.status, r.headers.get('content-type')]).toEqual([path, status, expect.stringContaining('application/json')])
      found.push(...problems)
    }
    expect(found).toEqual([])
  })

  test('static /public files keep their own caching, with the security headers', async () => {
    for (const cookie of [undefined, admin]) {
      const { r, problems } = await check('/public/app.css', cookie ? { cookie } : {})
      expect(r.status).toBe(200)
      expect(r.headers.get('cache-control')).toStartWith('public')
      expect(problems).toEqual([])
    }
  })

  test('the login page', async () => {
    const { r, problems } = await check('/login')
    expect(r.status).toBe(200)
    expect(problems).toEqual([])
  })
})

describe('over https', () => {
  test('HSTS on pages, fragments, errors, JSON and static files', async () => {
    const https = await testEnv({ config: { BASE_URL: 'https://ion.example.org' } })
    try {
      const found: string[] = []
      for (const [path, init] of [['/login', {}], ['/login', { htmx: true }], ['/no/such/page', {}], ['/api/profile', {}], ['/public/app.css', {}], ['/healthz', {}]] as const) {
        found.push(...(await check(path, init, { https: true, app: https.app })).problems)
      }
      expect(found).toEqual([])
    } finally {
      await https.close()
    }
  })
})

describe('the checks can fail', () => {
  test('a weak policy is reported on every count', () => {
    const weak = new Response('x', { headers: {
      'content-security-policy': "default-src *; script-src 'self' 'unsafe-inline'; style-src 'unsafe-eval'; frame-ancestors https://evil.example",
      'content-type': 'text/html', 'cache-control': 'public, max-age=60', 'strict-transport-security': 'max-age=60',
    } })
    const found = problems('weak', weak, { signedIn: true, https: true, path: '/' }).map((s) => s.replace(/^weak: /, '').split(' ').slice(0, 2).join(' '))
    expect(found).toEqual(expect.arrayContaining([
      'script-src allows', 'style-src allows', 'object-src is', 'frame-ancestors is', 'X-Frame-Options is', 'base-uri is', 'no form-action',
      'X-Content-Type-Options is', 'Referrer-Policy is', 'HSTS is', 'Cache-Control is',
    ]))
    expect(problems('none', new Response('x'), { signedIn: false, path: '/' })).toEqual(['none: no Content-Security-Policy'])
  })
})
