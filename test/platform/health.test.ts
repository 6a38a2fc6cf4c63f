import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { connectDb } from '../../src/platform/db.ts'
import { silentLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'

let env: TestEnv
beforeAll(async () => { env = await testEnv() })
afterAll(async () => { await env.close() })

// Nothing listens on port 1.
const DEAD_REDIS = 'redis://127.0.0.1:1'
const DEAD_PG = 'postgres://postgres@127.0.0.1:1/nothing'

function appWith(over: { redis?: Redis; sql?: TestEnv['sql'] }) {
  return buildApp({ sql: over.sql ?? env.sql, redis: over.redis ?? env.redis, clock: env.clock, config: env.config, log: silentLogger })
}

describe('/healthz (liveness)', () => {
  test('200 {ok:true}', async () => {
    const r = await env.app.handle(req('/healthz'))
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ ok: true })
  })

  test('200 even when PostgreSQL and Redis are down: the process is alive', async () => {
    const redis = new Redis(DEAD_REDIS, { timeoutMs: 300 })
    const sql = connectDb(DEAD_PG, { max: 1, tz: 'America/New_York' })
    try {
      const r = await appWith({ redis, sql }).handle(req('/healthz'))
      expect(r.status).toBe(200)
    } finally {
      redis.close()
      await sql.end({ timeout: 1 })
    }
  })
})

describe('/readyz (readiness)', () => {
  test('200 when PostgreSQL and Redis answer', async () => {
    const r = await env.app.handle(req('/readyz'))
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ ok: true })
  })

  test('503 naming redis when Redis is unreachable', async () => {
    const redis = new Redis(DEAD_REDIS, { timeoutMs: 300 })
    try {
      const t0 = performance.now()
      const r = await appWith({ redis }).handle(req('/readyz'))
      expect(r.status).toBe(503)
      expect(r.headers.get('retry-after')).toBeTruthy()
      expect(await r.json()).toEqual({ ok: false, down: ['redis'] })
      expect(performance.now() - t0).toBeLessThan(2000)
    } finally {
      redis.close()
    }
  })

  test('503 naming postgresql when the database is unreachable', async () => {
    const sql = connectDb(DEAD_PG, { max: 1, tz: 'America/New_York' })
    try {
      const t0 = performance.now()
      const r = await appWith({ sql }).handle(req('/readyz'))
      expect(r.status).toBe(503)
      expect(r.headers.get('retry-after')).toBeTruthy()
      expect(await r.json()).toEqual({ ok: false, down: ['postgresql'] })
      expect(performance.now() - t0).toBeLessThan(2000)
    } finally {
      await sql.end({ timeout: 1 })
    }
  })

  test('503 naming both when both are down', async () => {
    const redis = new Redis(DEAD_REDIS, { timeoutMs: 300 })
    const sql = connectDb(DEAD_PG, { max: 1, tz: 'America/New_York' })
    try {
      const r = await appWith({ redis, sql }).handle(req('/readyz'))
      expect(r.status).toBe(503)
      expect(await r.json()).toEqual({ ok: false, down: ['postgresql', 'redis'] })
    } finally {
      redis.close()
      await sql.end({ timeout: 1 })
    }
  })

  test('recovers: the same app is ready again once Redis answers', async () => {
    // A client that failed (nothing listening) reconnects on a later request.
    const port = 40000 + Math.floor(Math.random() * 20000)
    const redis = new Redis(`redis://127.0.0.1:${port}`, { timeoutMs: 300 })
    const app = appWith({ redis })
    let server: ReturnType<typeof Bun.spawn> | null = null
    try {
      expect((await app.handle(req('/readyz'))).status).toBe(503)
      server = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdout: 'ignore', stderr: 'ignore' })
      let status = 0
      for (let i = 0; i < 50 && status !== 200; i++) {
        await Bun.sleep(100)
        status = (await app.handle(req('/readyz'))).status
      }
      expect(status).toBe(200)
    } finally {
      redis.close()
      server?.kill()
      await server?.exited
    }
  })
})
