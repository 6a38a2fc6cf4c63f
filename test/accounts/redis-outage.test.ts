import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

// DESIGN.md §1 "Fail clearly": Redis down → 503 with Retry-After, quickly, never a cleared cookie;
// and the same cookie works again once Redis is back. This file runs its own Redis (with an
// append-only file, so the session survives the restart) on its own port.

let port = 0
let dir = ''
let server: ReturnType<typeof Bun.spawn> | null = null
let env: TestEnv
let user: MadeUser
let cookie = ''

async function freePort(): Promise<number> {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const p = s.port
  s.stop(true)
  return p
}

async function pingable(): Promise<boolean> {
  try {
    const c = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } })
    c.end()
    return true
  } catch {
    return false
  }
}

async function startRedis(): Promise<void> {
  server = Bun.spawn([
    'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--daemonize', 'no',
    '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir,
  ], { stdout: 'ignore', stderr: 'ignore' })
  for (let i = 0; i < 100; i++) {
    if (await pingable()) return
    await Bun.sleep(50)
  }
  throw new Error(`redis-server did not start on ${port}`)
}

async function stopRedis(): Promise<void> {
  server?.kill('SIGKILL')
  await server?.exited
  server = null
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ion-redis-outage-'))
  port = await freePort()
  await startRedis()
  env = await testEnv({ config: { REDIS_URL: `redis://127.0.0.1:${port}` } })
  user = await makeUser(env.sql, { username: 'outage', firstName: 'Olive' })
})

afterAll(async () => {
  if (!server) await startRedis().catch(() => {})
  await env?.close()
  await stopRedis()
  rmSync(dir, { recursive: true, force: true })
})

describe('Redis outage', () => {
  test('logged in, then Redis dies: 503 + Retry-After in under a second, cookie kept; back when Redis is', async () => {
    cookie = await login(env.app, user)
    const ok = await env.app.handle(req('/preferences', { cookie }))
    expect(ok.status).toBe(200)
    expect((await env.app.handle(req('/readyz'))).status).toBe(200)

    await stopRedis()

    for (const path of ['/preferences', '/', '/sessions']) {
      const t0 = performance.now()
      const r = await env.app.handle(req(path, { cookie }))
      const elapsed = performance.now() - t0
      expect(r.status).toBe(503)
      expect(elapsed).toBeLessThan(1000)
      // "A command fails at once instead of hanging" (redis.ts): well under the command timeout.
      expect(elapsed).toBeLessThan(env.redis.timeoutMs / 2)
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(r.headers.get('set-cookie')).toBeNull()
      const body = await r.text()
      expect(body).toContain('Sign-in service is unavailable')
      expect(body).not.toContain('sessionid=')
    }

    // A POST (logout) must not clear the cookie either: the session may be fine once Redis is back.
    const out = await env.app.handle(req('/logout', { method: 'POST', cookie }))
    expect(out.status).toBe(503)
    expect(out.headers.get('set-cookie')).toBeNull()

    // An htmx request gets the 503 too, retargeted at the message area, no cookie change.
    const hx = await env.app.handle(req('/preferences', { cookie, htmx: true }))
    expect(hx.status).toBe(503)
    expect(hx.headers.get('hx-retarget')).toBe('#messages')
    expect(hx.headers.get('set-cookie')).toBeNull()

    // The API answers JSON.
    const api = await env.app.handle(req('/api/profile', { cookie }))
    expect(api.status).toBe(503)
    expect(api.headers.get('content-type')).toContain('application/json')

    // /readyz names Redis (PostgreSQL is fine).
    const t0 = performance.now()
    const ready = await env.app.handle(req('/readyz'))
    expect(performance.now() - t0).toBeLessThan(1500)
    expect(ready.status).toBe(503)
    expect(ready.headers.get('retry-after')).toBe('5')
    expect(await ready.json()).toEqual({ ok: false, down: ['redis'] })

    // The login page itself (no cookie) does not need Redis to render.
    expect((await env.app.handle(req('/login'))).status).toBe(200)

    await startRedis()

    let status = 0
    const deadline = Date.now() + 5000
    while (Date.now() < deadline) {
      status = (await env.app.handle(req('/preferences', { cookie }))).status
      if (status === 200) break
      await Bun.sleep(100)
    }
    expect(status).toBe(200)
    const dash = await env.app.handle(req('/', { cookie }))
    expect(dash.status).toBe(200)
    expect(await dash.text()).toContain('Hello, Olive')
    const ready2 = await env.app.handle(req('/readyz'))
    expect(ready2.status).toBe(200)
    expect(await ready2.json()).toEqual({ ok: true })
  }, 30_000)

  test('a hung Redis (stopped, not dead) answers 503 within a second via the command timeout', async () => {
    const c = await login(env.app, user)
    expect((await env.app.handle(req('/preferences', { cookie: c }))).status).toBe(200)
    server!.kill('SIGSTOP')
    try {
      const t0 = performance.now()
      const r = await env.app.handle(req('/preferences', { cookie: c }))
      const elapsed = performance.now() - t0
      expect(r.status).toBe(503)
      expect(elapsed).toBeLessThan(1000)
      expect(r.headers.get('retry-after')).toBe('5')
      expect(r.headers.get('set-cookie')).toBeNull()
    } finally {
      server!.kill('SIGCONT')
    }
    let status = 0
    const deadline = Date.now() + 5000
    while (Date.now() < deadline) {
      status = (await env.app.handle(req('/preferences', { cookie: c }))).status
      if (status === 200) break
      await Bun.sleep(100)
    }
    expect(status).toBe(200)
  }, 30_000)
})
