import { buildApp, type BuildDeps } from '../../src/app.tsx'
import { loadConfig, type Config } from '../../src/config.ts'
import { fixedClock, type FixedClock } from '../../src/platform/clock.ts'
import { Redis } from '../../src/platform/redis.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { createTestDb, type TestDb } from './db.ts'

/** postgres.js's statement hook (test/helpers/statements.ts counts with it). */
type DbDebug = (connection: number, query: string, parameters: unknown[]) => void

export type TestEnv = {
  db: TestDb
  sql: TestDb['sql']
  redis: Redis
  clock: FixedClock
  config: Config
  log: ReturnType<typeof memoryLogger>
  app: ReturnType<typeof buildApp>
  close(): Promise<void>
}

export function testConfig(over: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    NODE_ENV: 'test',
    SCHOOL_NAME: 'Test High School',
    ION_LOG_REQUESTS: 'off',
    ...over,
  })
}

/** One database, one Redis key prefix, one app: per test file. */
export async function testEnv(opts: { config?: Record<string, string>; clock?: string; build?: Partial<BuildDeps>; debug?: DbDebug } = {}): Promise<TestEnv> {
  const db = await createTestDb({ debug: opts.debug })
  const config = testConfig(opts.config)
  const redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  const clock = fixedClock(opts.clock ?? '2026-11-30T14:00:00Z', config.schoolTz)
  const log = memoryLogger()
  const app = buildApp({ sql: db.sql, redis, clock, config, log, ...opts.build })
  return {
    db, sql: db.sql, redis, clock, config, log, app,
    async close() {
      try {
        const keys = (await redis.send('KEYS', [redis.prefix + '*'])) as string[]
        if (keys.length) await redis.send('DEL', keys)
      } catch {}
      redis.close()
      await db.drop()
    },
  }
}

export const ORIGIN = 'http://localhost'

/** A request through app.handle with a same-origin Origin header on state changes. */
export function req(path: string, init: RequestInit & { form?: Record<string, string>; cookie?: string; htmx?: boolean } = {}): Request {
  const headers = new Headers(init.headers)
  const method = init.method ?? (init.form ? 'POST' : 'GET')
  if (method !== 'GET' && !headers.has('origin')) headers.set('origin', ORIGIN)
  if (init.cookie) headers.set('cookie', init.cookie)
  if (init.htmx) {
    headers.set('hx-request', 'true')
    headers.set('hx-request-type', 'partial')
  }
  let body = init.body
  if (init.form) {
    headers.set('content-type', 'application/x-www-form-urlencoded')
    body = new URLSearchParams(init.form).toString()
  }
  return new Request(ORIGIN + path, { ...init, method, headers, body })
}
