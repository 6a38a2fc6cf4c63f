// A real `ion serve` process for the fault tests (started with test/load/harness.ts's startIon),
// the demo school in a fault test's own database, and real student sessions straight in Redis.
// Never imported by the test suite.
import { connectDb, type Sql } from '../../src/platform/db.ts'
import { migrate } from '../../src/platform/migrate.ts'
import { Redis } from '../../src/platform/redis.ts'
import { startIon } from '../load/harness.ts'
import { makeSessions, seedDemo } from '../load/signup-rush.ts'

export type IonProcess = {
  url: string
  port: number
  proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>
  kill(signal?: NodeJS.Signals | number): void
  /** Resolves with the exit code. */
  exited: Promise<number>
  /** Every stdout line so far (the JSON log, one object a line). */
  logs(): string[]
  /** Every stderr line so far. */
  errors(): string[]
  /** SIGTERM, then SIGKILL after 6 s; the exit code. */
  stop(): Promise<number | null>
}

const KEEP_LINES = 1_000_000

/**
 * `bun src/main.ts serve` on `port` (else a free loopback port) against the given services;
 * resolves once /readyz answers 200. Request logging is off unless `env` turns it on.
 */
export async function startIonProcess(o: { databaseUrl: string; redisUrl: string; env?: Record<string, string>; port?: number; readyMs?: number }): Promise<IonProcess> {
  const server = await startIon(
    { DATABASE_URL: o.databaseUrl, TEST_DATABASE_URL: o.databaseUrl, REDIS_URL: o.redisUrl, ...o.env },
    { port: o.port, readyMs: o.readyMs, keep: KEEP_LINES },
  )
  return {
    url: server.url,
    port: server.port,
    proc: server.proc,
    kill: (signal = 'SIGTERM') => server.proc.kill(signal),
    exited: server.proc.exited,
    logs: () => server.stdout(),
    errors: () => server.stderr(),
    stop: () => server.stop(),
  }
}

/** Migrates the database and loads the demo school (`ion seed --demo`'s steps). */
export async function loadDemoSchool(databaseUrl: string, redisUrl: string, log: (s: string) => void = () => {}): Promise<void> {
  const sql = openDb(databaseUrl)
  try {
    await migrate(sql)
    await seedDemo(sql, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl }, log)
  } finally {
    await sql.end({ timeout: 2 })
  }
}

/** A small pool on the fault test's database (camelCased, like the app's). */
export const openDb = (databaseUrl: string, max = 4): Sql =>
  connectDb(databaseUrl, { max, tz: process.env.SCHOOL_TZ ?? 'America/New_York', appName: 'fault-test' })

/** One real session per user, written where `ion serve` reads them (same Redis, same prefix): token by user id. */
export async function mintSessions(redisUrl: string, userIds: number[]): Promise<Map<number, string>> {
  const redis = new Redis(redisUrl, { timeoutMs: 5000 })
  try {
    return await makeSessions(redis, userIds)
  } finally {
    redis.close()
  }
}
