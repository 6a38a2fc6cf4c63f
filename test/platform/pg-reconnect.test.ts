import { afterAll, beforeAll, expect, test } from 'bun:test'
import postgres from 'postgres'
import { isDbUnavailable } from '../../src/platform/db.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'

// A transaction whose connection is cut (PostgreSQL restarting: 57P01 admin_shutdown) ends in
// sql.begin's catch, which sends ROLLBACK to the dead connection. Unpatched postgres.js 3.4.9
// scheduled that write for a socket that no longer existed and the process died with
// "null is not an object (evaluating 'socket.write')" (found by test/faults/pg-restart.fault.ts).
let db: TestDb
beforeAll(async () => { db = await createTestDb({ max: 1 }) })
afterAll(async () => { await db.drop() })

const cut = (pid: number) => db.sql`SELECT pg_terminate_backend(${pid})`

test('a transaction whose connection is cut fails as "database unavailable", and the pool recovers', async () => {
  const sql = postgres(db.url, { max: 1, onnotice: () => {} })
  try {
    const failure = await sql.begin(async (tx) => {
      const { pid } = (await tx<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!
      await Promise.all([tx`SELECT pg_sleep(2)`, Bun.sleep(50).then(() => cut(pid))])
    }).then(() => null, (e: unknown) => e)
    expect(failure).not.toBeNull()
    expect(isDbUnavailable(failure)).toBe(true)
    // The ROLLBACK from sql.begin's catch goes nowhere (no crash, no stray write on the next socket).
    await Bun.sleep(100)
    const { ok } = (await sql<{ ok: number }[]>`SELECT 1 AS ok`)[0]!
    expect(ok).toBe(1)
    // The next transaction on the reconnected connection commits for real.
    await sql`CREATE TEMP TABLE IF NOT EXISTS t (x int)`
    await sql.begin((tx) => tx`INSERT INTO t VALUES (1)`)
    const { n } = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM t`)[0]!
    expect(n).toBe(1)
  } finally {
    await sql.end({ timeout: 2 })
  }
})
