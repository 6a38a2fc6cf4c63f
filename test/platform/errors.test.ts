import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { t } from 'elysia'
import { buildApp } from '../../src/app.tsx'
import { HttpError } from '../../src/platform/errors.ts'
import { jsonLogger, memoryLogger } from '../../src/platform/log.ts'
import { Redis, RedisUnavailable } from '../../src/platform/redis.ts'
import { createSession, SESSION_COOKIE } from '../../src/platform/session.ts'
import type { AuthHooks } from '../../src/platform/http.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'

let env: TestEnv
beforeAll(async () => { env = await testEnv({ config: { ION_LOG_REQUESTS: 'on' } }) })
afterAll(async () => { await env.close() })

const STACK = /\n\s+at |\.tsx?:\d+|node_modules|Error:/

/** The test env's app with a few extra routes, built with other auth hooks when given. */
function appWith(auth?: AuthHooks, log = memoryLogger()) {
  const app = buildApp({ sql: env.sql, redis: env.redis, clock: env.clock, config: env.config, log, ...(auth ? { auth } : {}) })
  return Object.assign(
    app
      .post('/t/form', ({ body }) => `Hello ${body.name}`, { open: 'anonymous', body: t.Object({ name: t.String({ minLength: 1 }), age: t.Numeric() }) })
      .post('/api/t/form', ({ body }) => ({ name: body.name }), { open: 'anonymous', body: t.Object({ name: t.String({ minLength: 1 }) }) })
      .get('/t/anon', ({ viewer }) => (viewer ? 'signed in' : 'anonymous'), { open: 'anonymous' })
      .get('/api/t/anon', ({ viewer }) => ({ signedIn: Boolean(viewer) }), { open: 'anonymous' })
      .get('/t/teapot', () => { throw new HttpError(418, 'I am a teapot.') }, { open: 'public' }),
    { log },
  )
}

async function sessionCookie(redis = env.redis): Promise<string> {
  const { token } = await createSession(redis, 1, env.clock.now().getTime(), { trusted: false, ua: 'test', ip: '127.0.0.1' })
  return `${SESSION_COOKIE}=${token}`
}

describe('404', () => {
  test('a full HTML page with the shell', async () => {
    const r = await env.app.handle(req('/no/such/page'))
    expect(r.status).toBe(404)
    expect(r.headers.get('content-type')).toStartWith('text/html')
    const body = await r.text()
    expect(body).toStartWith('<!doctype html>')
    expect(body).toContain('<html lang="en"')
    expect(body).toContain('<header')
    expect(body).toContain('<main id="main"')
    expect(body).toContain('href="#main"')
    expect(body).toContain('id="messages"')
    expect(body).toContain('Test High School')
    expect(body).toContain('That page does not exist.')
    expect(body).toMatch(/<title>Not found · Test High School<\/title>/)
  })

  test('the requested path is not echoed unescaped', async () => {
    const r = await env.app.handle(req('/%3Cscript%3Ealert(1)%3C/script%3E'))
    expect(r.status).toBe(404)
    expect(await r.text()).not.toContain('<script>alert')
  })

  test('an unknown /public file is a 404', async () => {
    const r = await env.app.handle(req('/public/..%2Fpackage.json'))
    expect(r.status).toBe(404)
  })
})

describe('405', () => {
  test('POST to a GET-only route', async () => {
    const r = await env.app.handle(req('/healthz', { method: 'POST' }))
    expect(r.status).toBe(405)
    expect(await r.text()).toContain('Method not allowed')
  })

  test('GET to a POST-only route', async () => {
    const r = await appWith().handle(req('/t/form'))
    expect(r.status).toBe(405)
  })
})

describe('bad input', () => {
  test('a bad form body is a 422 page naming the field', async () => {
    const app = appWith()
    const ok = await app.handle(req('/t/form', { form: { name: 'Ada', age: '12' } }))
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('Hello Ada')

    const r = await app.handle(req('/t/form', { form: { name: '', age: '12' } }))
    expect(r.status).toBe(422)
    const body = await r.text()
    expect(body).toStartWith('<!doctype html>')
    expect(body).toContain('The field &quot;name&quot; is missing or invalid.')
    expect(body).not.toMatch(STACK)

    const r2 = await app.handle(req('/t/form', { form: { name: 'Ada', age: 'old' } }))
    expect(r2.status).toBe(422)
    expect(await r2.text()).toContain('&quot;age&quot;')
  })

  test('the same error for htmx is a fragment for the message area', async () => {
    const r = await appWith().handle(req('/t/form', { form: { age: '1' }, htmx: true }))
    expect(r.status).toBe(422)
    expect(r.headers.get('hx-retarget')).toBe('#messages')
    const body = await r.text()
    expect(body).not.toContain('<html')
    expect(body).toContain('role="alert"')
  })

  test('under /api a bad body is a 400 in Ion\'s JSON shape', async () => {
    const r = await appWith().handle(req('/api/t/form', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 7 }) }))
    expect(r.status).toBe(400)
    expect(r.headers.get('content-type')).toStartWith('application/json')
    const j = (await r.json()) as { detail: string; details: string[] }
    expect(j.detail).toContain('name')
    expect(j.details).toEqual([j.detail])
  })

  test('an unreadable JSON body is a 400, not a 500', async () => {
    const r = await appWith().handle(req('/api/t/form', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' }))
    expect(r.status).toBe(400)
    const j = (await r.json()) as { details: string[] }
    expect(Array.isArray(j.details)).toBe(true)
  })
})

describe('JSON errors under /api', () => {
  test('404: {detail, details: [...]}', async () => {
    const r = await env.app.handle(req('/api/no/such/thing'))
    expect(r.status).toBe(404)
    expect(r.headers.get('content-type')).toStartWith('application/json')
    const j = (await r.json()) as { detail: unknown; details: unknown }
    expect(typeof j.detail).toBe('string')
    expect(Array.isArray(j.details)).toBe(true)
    expect((j.details as string[]).length).toBeGreaterThan(0)
  })

  test('an HttpError keeps its status and message', async () => {
    const r = await appWith().handle(req('/t/teapot'))
    expect(r.status).toBe(418)
    expect(await r.text()).toContain('I am a teapot.')
  })
})

describe('htmx requests', () => {
  test('a 404 for htmx is a fragment retargeted to #messages', async () => {
    const r = await env.app.handle(req('/no/such/page', { htmx: true }))
    expect(r.status).toBe(404)
    expect(r.headers.get('hx-retarget')).toBe('#messages')
    expect(r.headers.get('hx-reswap')).toBe('innerHTML')
    expect(r.headers.get('vary')).toContain('HX-Request')
    const body = await r.text()
    expect(body).not.toContain('<html')
    expect(body).not.toContain('<!doctype')
    expect(body).toContain('role="alert"')
    expect(body).toContain('That page does not exist.')
  })
})

describe('500: logged, never shown', () => {
  const boom: AuthHooks = {
    loadViewer: async () => { throw new Error('boom: secret-internal-detail') },
    authenticateApi: async () => { throw new Error('api boom: secret-internal-detail') },
  }

  test('an auth hook that throws gives a 500 page without a stack trace', async () => {
    const app = appWith(boom)
    const cookie = await sessionCookie()
    for (const htmx of [false, true]) {
      const r = await app.handle(req('/t/anon', { cookie, htmx }))
      expect(r.status).toBe(500)
      const body = await r.text()
      expect(body).toContain('Something went wrong')
      expect(body).not.toContain('secret-internal-detail')
      expect(body).not.toMatch(STACK)
      if (htmx) expect(r.headers.get('hx-retarget')).toBe('#messages')
    }
    const logged = app.log.lines.filter((l) => l.msg === 'unhandled')
    expect(logged).toHaveLength(2)
    expect(String(logged[0]!.error)).toContain('secret-internal-detail')
    expect(logged[0]!.path).toBe('/t/anon')
  })

  test('under /api the 500 is JSON without a stack trace', async () => {
    const r = await appWith(boom).handle(req('/api/t/anon'))
    expect(r.status).toBe(500)
    const text = await r.text()
    expect(text).not.toContain('secret-internal-detail')
    expect(text).not.toMatch(STACK)
    const j = JSON.parse(text) as { detail: string; details: string[] }
    expect(j.details).toHaveLength(1)
  })
})

describe('503 when Redis is unavailable', () => {
  test('an auth hook throwing RedisUnavailable: 503 with Retry-After, the cookie kept', async () => {
    const app = appWith({ loadViewer: async () => { throw new RedisUnavailable('test') }, authenticateApi: async () => null })
    const r = await app.handle(req('/t/anon', { cookie: await sessionCookie() }))
    expect(r.status).toBe(503)
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(r.headers.get('set-cookie')).toBeNull()
    expect(await r.text()).toContain('unavailable')
  })

  test('Redis itself unreachable: a signed-in request answers 503 quickly, an anonymous one still works', async () => {
    const down = new Redis('redis://127.0.0.1:1', { prefix: 'down:', timeoutMs: 300 })
    try {
      const app = buildApp({ sql: env.sql, redis: down, clock: env.clock, config: env.config, log: memoryLogger() })
        .get('/t/anon', ({ viewer }) => (viewer ? 'signed in' : 'anonymous'), { open: 'anonymous' })
      const t0 = performance.now()
      const r = await app.handle(req('/t/anon', { cookie: `${SESSION_COOKIE}=${'a'.repeat(32)}` }))
      expect(r.status).toBe(503)
      expect(r.headers.get('retry-after')).toBeTruthy()
      expect(r.headers.get('set-cookie')).toBeNull()
      expect(performance.now() - t0).toBeLessThan(3000)

      const anon = await app.handle(req('/t/anon'))
      expect(anon.status).toBe(200)
      expect(await anon.text()).toBe('anonymous')
      expect((await app.handle(req('/healthz'))).status).toBe(200)
    } finally {
      down.close()
    }
  })
})

describe('request log', () => {
  test('one JSON line per request with id, method, path, status and ms', async () => {
    env.log.lines.length = 0
    const cases: [Request, number][] = [
      [req('/healthz?x=1'), 200],
      [req('/no/such/page'), 404],
      [req('/healthz', { method: 'POST' }), 405],
      [req('/healthz', { method: 'POST', headers: { origin: 'https://evil.example' } }), 403],
      [req('/api/nope'), 404],
    ]
    const ids: (string | null)[] = []
    for (const [request, status] of cases) {
      const r = await env.app.handle(request)
      expect(r.status).toBe(status)
      ids.push(r.headers.get('x-request-id'))
    }
    await env.app.handle(req('/public/app.css')) // static files are not logged
    await Bun.sleep(20) // onAfterResponse runs after the response is handed over
    const lines = env.log.lines.filter((l) => l.msg === 'request')
    expect(lines).toHaveLength(cases.length)
    cases.forEach(([request, status], i) => {
      // Matched by id: lines are written when each response is done, not in request order.
      expect(ids[i]).toMatch(/^[\w.-]+$/)
      const mine = lines.filter((l) => l.id === ids[i])
      expect(mine).toHaveLength(1)
      const l = mine[0]!
      expect(l.level).toBe('info')
      expect(l.method).toBe(request.method)
      expect(l.path).toBe(new URL(request.url).pathname)
      expect(l.status).toBe(status)
      expect(typeof l.ms).toBe('number')
      expect(l.ms as number).toBeGreaterThanOrEqual(0)
    })
  })

  test('an incoming X-Request-Id is kept (sanitized)', async () => {
    const r = await env.app.handle(req('/healthz', { headers: { 'x-request-id': 'abc-123<script>' } }))
    expect(r.headers.get('x-request-id')).toBe('abc-123script')
  })

  test('off by default in tests: ION_LOG_REQUESTS=off writes nothing', async () => {
    const quiet = await testEnv()
    try {
      await quiet.app.handle(req('/healthz'))
      await Bun.sleep(20)
      expect(quiet.log.lines.filter((l) => l.msg === 'request')).toHaveLength(0)
    } finally {
      await quiet.close()
    }
  })

  test('jsonLogger writes exactly one parseable line per event', () => {
    const out: string[] = []
    const log = jsonLogger((l) => out.push(l))
    log.info('request', { path: '/a\nb', status: 200 })
    expect(out).toHaveLength(1)
    expect(out[0]!).not.toContain('\n')
    const j = JSON.parse(out[0]!)
    expect(j).toMatchObject({ level: 'info', msg: 'request', path: '/a\nb', status: 200 })
    expect(typeof j.t).toBe('string')
  })
})
