import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { ORIGIN, req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { csrfRefusal } from '../../src/platform/csrf.ts'
import { assertPolicies, basePlugin } from '../../src/platform/http.ts'

// DESIGN.md §4 "CSRF" through the whole app, and "registering a route without a policy fails at
// startup".

let env: TestEnv
let user: MadeUser
let cookie: string

beforeAll(async () => {
  env = await testEnv()
  user = await makeUser(env.sql, { username: 'csrfuser' })
  cookie = await login(env.app, user)
})
afterAll(async () => { await env.close() })

async function prefs(): Promise<{ news: boolean; eighth: boolean }> {
  const [row] = await env.sql<{ news: boolean; eighth: boolean }[]>`
    SELECT receive_news_emails AS news, receive_eighth_emails AS eighth FROM users WHERE id = ${user.id}`
  return row!
}

/** A form POST with exactly these headers (no Origin added for us). */
function raw(path: string, headers: Record<string, string>, form: Record<string, string> = {}): Request {
  return new Request(ORIGIN + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  })
}

// Both boxes off: a successful post would turn both preferences off.
const TURN_OFF = {}

describe('CSRF through the app (non-API)', () => {
  test('a foreign Origin is refused with 403 and nothing changes', async () => {
    expect(await prefs()).toEqual({ news: true, eighth: true })
    const r = await env.app.handle(raw('/preferences/notifications', { cookie, origin: 'https://evil.example' }, TURN_OFF))
    expect(r.status).toBe(403)
    expect(await r.text()).toContain('The request came from another site.')
    expect(await prefs()).toEqual({ news: true, eighth: true })
  })

  test('Sec-Fetch-Site: cross-site without Origin is refused', async () => {
    const r = await env.app.handle(raw('/preferences/notifications', { cookie, 'sec-fetch-site': 'cross-site' }, TURN_OFF))
    expect(r.status).toBe(403)
    expect(await prefs()).toEqual({ news: true, eighth: true })
  })

  test('cross-site wins even with a same Origin', async () => {
    const r = await env.app.handle(raw('/preferences/notifications', { cookie, origin: ORIGIN, 'sec-fetch-site': 'cross-site' }, TURN_OFF))
    expect(r.status).toBe(403)
    expect(await prefs()).toEqual({ news: true, eighth: true })
  })

  test('Origin: null (sandboxed frame, data: URL) is refused', async () => {
    const r = await env.app.handle(raw('/preferences/notifications', { cookie, origin: 'null' }, TURN_OFF))
    expect(r.status).toBe(403)
    expect(await prefs()).toEqual({ news: true, eighth: true })
  })

  test('neither Origin nor Sec-Fetch-Site outside /api is refused', async () => {
    const r = await env.app.handle(raw('/preferences/notifications', { cookie }, TURN_OFF))
    expect(r.status).toBe(403)
    expect(await r.text()).toContain('Origin header missing')
    expect(await prefs()).toEqual({ news: true, eighth: true })
  })

  test('an htmx request refused by CSRF gets the message retargeted', async () => {
    const r = await env.app.handle(raw('/preferences/notifications', { cookie, origin: 'https://evil.example', 'hx-request': 'true' }, TURN_OFF))
    expect(r.status).toBe(403)
    expect(r.headers.get('hx-retarget')).toBe('#messages')
    expect(await prefs()).toEqual({ news: true, eighth: true })
  })

  test('the same Origin succeeds and the change is saved', async () => {
    const r = await env.app.handle(raw('/preferences/notifications', { cookie, origin: ORIGIN }, { receive_eighth_emails: 'on' }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/preferences?saved=1')
    expect(await prefs()).toEqual({ news: false, eighth: true })
  })

  test('Sec-Fetch-Site: same-origin without Origin succeeds', async () => {
    const r = await env.app.handle(raw('/preferences/notifications', { cookie, 'sec-fetch-site': 'same-origin' }, { receive_news_emails: 'on', receive_eighth_emails: 'on' }))
    expect(r.status).toBe(303)
    expect(await prefs()).toEqual({ news: true, eighth: true })
  })

  test('look-alike origins are foreign', async () => {
    for (const origin of ['http://localhost.evil.example', 'https://localhost', 'http://localhost:8080']) {
      const r = await env.app.handle(raw('/preferences/notifications', { cookie, origin }, TURN_OFF))
      expect(r.status).toBe(403)
    }
    expect(await prefs()).toEqual({ news: true, eighth: true })
  })

  test('login from a foreign origin is refused: no session is created (login CSRF)', async () => {
    const before = (await env.redis.send('KEYS', [env.redis.prefix + 'session:*'])) as string[]
    const r = await env.app.handle(raw('/login', { origin: 'https://evil.example' }, { username: user.username, password: user.password }))
    expect(r.status).toBe(403)
    expect(r.headers.get('set-cookie')).toBeNull()
    const after = (await env.redis.send('KEYS', [env.redis.prefix + 'session:*'])) as string[]
    expect(after.sort()).toEqual(before.sort())
    // And without any header either.
    const bare = await env.app.handle(raw('/login', {}, { username: user.username, password: user.password }))
    expect(bare.status).toBe(403)
    expect(bare.headers.get('set-cookie')).toBeNull()
  })

  test('logout from a foreign origin is refused: the session lives', async () => {
    const r = await env.app.handle(raw('/logout', { cookie, origin: 'https://evil.example' }))
    expect(r.status).toBe(403)
    expect((await env.app.handle(req('/preferences', { cookie }))).status).toBe(200)
  })

  test('GET is never refused, whatever the headers', async () => {
    const r = await env.app.handle(new Request(ORIGIN + '/preferences', { headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }))
    expect(r.status).toBe(200)
  })
})

describe('CSRF under /api', () => {
  test('a cookie-authenticated POST with a foreign Origin is refused', async () => {
    const r = await env.app.handle(new Request(ORIGIN + '/api/profile', { method: 'POST', headers: { cookie, origin: 'https://evil.example' } }))
    expect(r.status).toBe(403)
    expect(r.headers.get('content-type')).toContain('application/json')
    expect((await r.json()).detail).toBe('The request came from another site.')
  })

  test('a cookie-authenticated POST with cross-site Sec-Fetch-Site is refused', async () => {
    const r = await env.app.handle(new Request(ORIGIN + '/api/profile', { method: 'POST', headers: { cookie, 'sec-fetch-site': 'cross-site' } }))
    expect(r.status).toBe(403)
  })

  test('a header-less POST with a bearer token is not refused by CSRF', async () => {
    const bearer = new Request(ORIGIN + '/api/profile', { method: 'POST', headers: { authorization: 'Bearer ion_abc' } })
    expect(csrfRefusal(bearer, '/api/profile', env.config)).toBeNull()
    // Through the app it reaches routing (no POST route there yet): not a CSRF 403.
    const r = await env.app.handle(bearer.clone())
    expect(r.status).not.toBe(403)
    expect([401, 404, 405]).toContain(r.status)
  })

  test('a token request is not refused even with a foreign Origin (a page cannot attach a bearer token)', () => {
    const r = new Request(ORIGIN + '/api/profile', { method: 'POST', headers: { authorization: 'Bearer ion_abc', origin: 'https://evil.example' } })
    expect(csrfRefusal(r, '/api/profile', env.config)).toBeNull()
  })

  test('a header-less cookie POST under /api is a non-browser client: allowed', () => {
    const r = new Request(ORIGIN + '/api/profile', { method: 'POST', headers: { cookie } })
    expect(csrfRefusal(r, '/api/profile', env.config)).toBeNull()
    // …but the same outside /api is refused.
    const p = new Request(ORIGIN + '/preferences/theme', { method: 'POST', headers: { cookie } })
    expect(csrfRefusal(p, '/preferences/theme', env.config)).toBeString()
  })
})

describe('route policies', () => {
  test('assertPolicies throws for a route without a policy, naming it', () => {
    const bare = new Elysia().get('/naked', () => 'hi')
    expect(() => assertPolicies(bare)).toThrow('routes without an access policy: GET /naked')
  })

  test('a route among declared ones is still caught', () => {
    const base = basePlugin(env.app.deps)
    const mixed = new Elysia()
      .use(base)
      .get('/a', () => 'a', { policy: 'user' })
      .get('/b', () => 'b', { open: 'public' })
      .post('/c', () => 'c')
    expect(() => assertPolicies(mixed)).toThrow(/without an access policy: POST \/c$/)
    const fine = new Elysia().use(base).get('/a', () => 'a', { policy: 'member' }).get('/b', () => 'b', { open: 'anonymous' })
    expect(() => assertPolicies(fine)).not.toThrow()
  })

  test('the real app: every route declares a policy', () => {
    expect(env.app.routes.length).toBeGreaterThan(20)
    expect(() => assertPolicies(env.app)).not.toThrow()
    const paths = env.app.routes.map((r) => `${r.method} ${r.path}`)
    for (const p of ['POST /login', 'GET /sessions', 'POST /preferences/notifications', 'GET /api/profile']) expect(paths).toContain(p)
  })
})
