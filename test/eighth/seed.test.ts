import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { createTestDb } from '../helpers/db.ts'
import { runIon } from '../helpers/cli.ts'
import { SEED_STEPS } from '../../src/features/seeds.ts'
import { demoAccountsSeed } from '../../src/features/users/demo-seed.ts'
import { eighthDemoSeed } from '../../src/features/eighth/seed.ts'
import { trueCapacity } from '../../src/features/eighth/effective.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import type { Sql } from '../../src/platform/db.ts'

// Eighth-period demo data (issue 5, item 8). The clock says Monday 2026-11-30: Wednesdays and
// Fridays of the next 8 weeks are 16 days, so 32 blocks; the first is Wednesday 2026-12-02 A.

let env: TestEnv
let ms = 0
let msg: string | void
beforeAll(async () => {
  env = await testEnv()
  const ctx = { sql: env.sql, config: env.config, clock: env.clock, log: env.log }
  await demoAccountsSeed.run(ctx)
  const t = performance.now()
  msg = await eighthDemoSeed.run(ctx)
  ms = performance.now() - t
  console.log(`seed eighth period (after the accounts): ${msg} in ${ms.toFixed(0)} ms`)
}, 60_000)
afterAll(async () => { await env.close() })

const one = async (sql: Sql, q: string) => (await sql.unsafe(q))[0]!.n as number

describe('eighth demo seed', () => {
  test('runs after the accounts seed', () => {
    expect(SEED_STEPS).toContain(eighthDemoSeed)
    expect(eighthDemoSeed.order).toBeGreaterThan(demoAccountsSeed.order)
  })

  test('is fast and says what it made', () => {
    expect(ms).toBeLessThan(5_000)
    expect(msg).toMatch(/^160 activities, 125 rooms, 160 sponsors \(teachers\), 32 blocks, \d+ scheduled, \d+ signups$/)
  })

  test('160 activities with descriptions, rooms (some unlimited, some closed) and sponsors from the teachers', async () => {
    const sql = env.sql
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_activities WHERE description <> '' AND NOT deleted`)).toBe(160)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_rooms WHERE capacity = -1`)).toBeGreaterThanOrEqual(3)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_rooms WHERE capacity = 0`)).toBeGreaterThanOrEqual(3)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_activities a WHERE NOT EXISTS (SELECT 1 FROM eighth_activity_rooms r WHERE r.activity_id = a.id)`)).toBe(0)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_activities a WHERE NOT EXISTS (SELECT 1 FROM eighth_activity_sponsors s WHERE s.activity_id = a.id)`)).toBe(0)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_sponsors s JOIN users u ON u.id = s.user_id WHERE u.user_type = 'teacher'`)).toBe(160)
  })

  test('a mix of every kind of activity, restricted ones with allowed users or grades', async () => {
    const sql = env.sql
    for (const flag of ['restricted', 'sticky', 'both_blocks', 'one_a_day', 'presign', 'special', 'administrative', 'seniors_allowed', 'default_capacity IS NOT NULL'])
      expect([flag, await one(sql, `SELECT count(*)::int AS n FROM eighth_activities WHERE ${flag}`)]).not.toEqual([flag, 0])
    expect(await one(sql, `SELECT count(DISTINCT activity_id)::int AS n FROM eighth_activity_users WHERE role = 'allowed'`)).toBeGreaterThanOrEqual(10)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_scheduled_activities WHERE cancelled`)).toBeGreaterThan(0)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_scheduled_activities WHERE cancelled`)).toBeLessThan(60)
  })

  test('A and B blocks on Wednesdays and Fridays for 8 weeks; nearly every activity in every block', async () => {
    const blocks = await env.sql<{ date: string; blockLetter: string; dow: number }[]>`
      SELECT date, block_letter, extract(isodow FROM date)::int AS dow FROM eighth_blocks ORDER BY date, block_letter`
    expect(blocks.length).toBe(32)
    expect(blocks[0]).toEqual({ date: '2026-12-02', blockLetter: 'A', dow: 3 })
    expect(blocks.at(-1)!.date).toBe('2027-01-22')
    expect(new Set(blocks.map((b) => b.dow))).toEqual(new Set([3, 5]))
    const scheduled = await one(env.sql, `SELECT count(*)::int AS n FROM eighth_scheduled_activities`)
    expect(scheduled).toBeGreaterThan(160 * 32 * 0.8)
    // Both-blocks activities always meet in both halves of a day.
    expect(await one(env.sql, `
      SELECT count(*)::int AS n FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id
      JOIN eighth_activities a ON a.id = sa.activity_id
      WHERE a.both_blocks AND NOT EXISTS (
        SELECT 1 FROM eighth_scheduled_activities s2 JOIN eighth_blocks b2 ON b2.id = s2.block_id
        WHERE s2.activity_id = a.id AND b2.date = b.date AND b2.block_letter <> b.block_letter)`)).toBe(0)
  })

  test('about half the students have a signup in the first block, within every capacity', async () => {
    const sql = env.sql
    const students = await one(sql, `SELECT count(*)::int AS n FROM users WHERE user_type = 'student'`)
    const signed = await one(sql, `SELECT count(*)::int AS n FROM eighth_signups s JOIN eighth_blocks b ON b.id = s.block_id WHERE b.date = '2026-12-02' AND b.block_letter = 'A'`)
    expect(signed / students).toBeGreaterThan(0.45)
    expect(signed / students).toBeLessThan(0.56)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_signups s JOIN eighth_blocks b ON b.id = s.block_id WHERE b.date <> '2026-12-02' OR b.block_letter <> 'A'`)).toBe(0)
    expect(await one(sql, `SELECT count(*)::int AS n FROM eighth_sticky_students`)).toBeGreaterThan(0)
    const rows = await sql<{ n: number; saCapacity: number | null; defaultCapacity: number | null; saRoomCaps: number[]; actRoomCaps: number[]; cancelled: boolean }[]>`
      SELECT (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id)::int AS n, sa.capacity AS sa_capacity, sa.cancelled,
             a.default_capacity,
             ARRAY(SELECT r.capacity FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id) AS sa_room_caps,
             ARRAY(SELECT r.capacity FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id) AS act_room_caps
      FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id`
    for (const r of rows) {
      const cap = trueCapacity({ saCapacity: r.saCapacity, saRoomCaps: r.saRoomCaps, activityDefaultCapacity: r.defaultCapacity, activityRoomCaps: r.actRoomCaps })
      if (cap !== -1) expect(r.n).toBeLessThanOrEqual(cap)
      if (r.cancelled) expect(r.n).toBe(0)
    }
  })

  test('a second run adds nothing', async () => {
    const count = () => env.sql<{ n: number }[]>`
      SELECT (SELECT count(*) FROM eighth_activities) + (SELECT count(*) FROM eighth_rooms) + (SELECT count(*) FROM eighth_sponsors)
           + (SELECT count(*) FROM eighth_blocks) + (SELECT count(*) FROM eighth_scheduled_activities) + (SELECT count(*) FROM eighth_signups)
           + (SELECT count(*) FROM eighth_activity_users) AS n`
    const before = (await count())[0]!.n
    const t = performance.now()
    const again = await eighthDemoSeed.run({ sql: env.sql, config: env.config, clock: env.clock, log: env.log })
    console.log(`seed eighth period, second run: ${again} in ${(performance.now() - t).toFixed(0)} ms`)
    expect(again).toBe('0 new (activities exist)')
    expect((await count())[0]!.n).toBe(before)
  })

  test('works without the accounts seed: name-only sponsors, no signups', async () => {
    const db = await createTestDb()
    try {
      const t = performance.now()
      const m = await eighthDemoSeed.run({ sql: db.sql, config: env.config, clock: env.clock, log: memoryLogger() })
      console.log(`seed eighth period (no accounts): ${m} in ${(performance.now() - t).toFixed(0)} ms`)
      expect(m).toMatch(/^160 activities, 125 rooms, 60 sponsors \(name only\), 32 blocks, \d+ scheduled, 0 signups$/)
      expect(await one(db.sql, `SELECT count(*)::int AS n FROM eighth_sponsors WHERE user_id IS NULL`)).toBe(60)
    } finally {
      await db.drop()
    }
  })

  test('`ion seed --demo` runs it after the accounts, then adds nothing', async () => {
    const db = await createTestDb()
    try {
      const ENV = { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL }
      const r = await runIon(['seed', '--demo'], ENV, 60_000)
      expect(r.code).toBe(0)
      const line = r.stdout.split('\n').find((l) => l.startsWith('seed eighth period demo:'))
      console.log(`ion seed --demo: ${line} (process ${r.ms.toFixed(0)} ms)`)
      expect(line).toMatch(/160 activities, 125 rooms, 160 sponsors \(teachers\), 32 blocks, \d+ scheduled, \d+ signups/)
      const again = await runIon(['seed', '--demo'], ENV, 60_000)
      expect(again.stdout).toMatch(/seed eighth period demo: 0 new/)
    } finally {
      await db.drop()
    }
  }, 60_000)
})
