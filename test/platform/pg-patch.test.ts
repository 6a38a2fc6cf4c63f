import { afterAll, beforeAll, expect, test } from 'bun:test'
import postgres from 'postgres'
import { createTestDb, type TestDb } from '../helpers/db.ts'

// postgres.js 3.4.9 could send BEGIN without reserving the connection (porsager/postgres#1189,
// #823): the transaction stayed open while the connection served other queries. patches/ fixes it.
let db: TestDb
beforeAll(async () => { db = await createTestDb({ max: 1 }) })
afterAll(async () => { await db.drop() })

test('sql.begin works when BEGIN fills the pipeline (max_pipeline: 0)', async () => {
  const sql = postgres(db.url, { max: 2, max_pipeline: 0, onnotice: () => {} } as postgres.Options<{}>)
  try {
    const r = await sql.begin((tx) => tx`SELECT 1 AS ok`)
    expect(r[0]!.ok).toBe(1)
  } finally {
    await sql.end({ timeout: 2 })
  }
})

test('concurrent transactions and queries on a busy small pool never share a transaction', async () => {
  const sql = postgres(db.url, { max: 3, max_pipeline: 2, onnotice: () => {} } as postgres.Options<{}>)
  const errors: unknown[] = []
  try {
    for (let round = 0; round < 8; round++) {
      const busy = [0, 1, 2].map(() => sql`SELECT pg_sleep(0.05)`)
      const plain = Array.from({ length: 6 }, () => sql`SELECT txid_current_if_assigned() AS x`.then((r) => r[0]!.x))
      const txs = Array.from({ length: 5 }, () => sql.begin(async (tx) => (await tx`SELECT txid_current() AS x`)[0]!.x).catch((e) => errors.push(e)))
      const results = await Promise.all([...busy, ...plain, ...txs])
      // A plain query outside any transaction has no transaction id.
      expect(results.slice(3, 9).every((x) => x === null)).toBe(true)
    }
    expect(errors).toEqual([])
  } finally {
    await sql.end({ timeout: 2 })
  }
})
