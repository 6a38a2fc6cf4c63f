import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { addActivity, addBlock, asStudent, bulkStudents, schedule, signup } from '../helpers/eighth.ts'

// Capacity and one-signup-per-block under real concurrency on PostgreSQL (issue 5, item 3).
let db: TestDb
const clock = fixedClock('2026-12-01T15:00:00Z')
beforeAll(async () => { db = await createTestDb({ max: 40 }) })
afterAll(async () => { await db.drop() })

describe('signup races', () => {
  test('300 students racing for 10 seats end with exactly 10 signups', async () => {
    const { sql } = db
    const block = await addBlock(sql, '2026-12-02', 'A')
    const act = await addActivity(sql, 'Ten Seats', { defaultCapacity: 10 })
    const sa = await schedule(sql, block, act)
    const students = await bulkStudents(sql, 300)
    const results = await Promise.all(students.map((u) => signup(sql, clock, { userId: u, scheduledId: sa, requester: asStudent(u) })))
    const ok = results.filter((r) => r.ok).length
    const full = results.filter((r) => !r.ok && r.errors.some((e) => e.code === 'ActivityFull')).length
    const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE scheduled_activity_id = ${sa}`
    expect(row!.n).toBe(10)
    expect(ok).toBe(10)
    expect(full).toBe(290)
  })

  test('50 double-clicks and 50 two-tab pairs end with one signup per student per block', async () => {
    const { sql } = db
    const block = await addBlock(sql, '2026-12-04', 'A')
    const acts = await Promise.all(['Chess', 'Robotics', 'Debate'].map((n) => addActivity(sql, n, { defaultCapacity: -1 })))
    const sas = await Promise.all(acts.map((a) => schedule(sql, block, a)))
    const students = await bulkStudents(sql, 100)
    const jobs: Promise<unknown>[] = []
    students.forEach((u, i) => {
      if (i < 50) {
        // double click: the same activity twice at once
        for (let k = 0; k < 2; k++) jobs.push(signup(sql, clock, { userId: u, scheduledId: sas[0]!, requester: asStudent(u) }))
      } else {
        // two tabs: two different activities at once
        jobs.push(signup(sql, clock, { userId: u, scheduledId: sas[1]!, requester: asStudent(u) }))
        jobs.push(signup(sql, clock, { userId: u, scheduledId: sas[2]!, requester: asStudent(u) }))
      }
    })
    const results = await Promise.all(jobs) as { ok: boolean }[]
    expect(results.every((r) => r.ok)).toBe(true)
    const rows = await sql<{ userId: number; n: number }[]>`
      SELECT user_id, count(*)::int AS n FROM eighth_signups WHERE block_id = ${block} GROUP BY user_id`
    expect(rows.length).toBe(100)
    expect(rows.every((r) => r.n === 1)).toBe(true)
  })

  test('both-blocks pairs never overfill the sibling', async () => {
    const { sql } = db
    const a = await addBlock(sql, '2026-12-09', 'A')
    const b = await addBlock(sql, '2026-12-09', 'B')
    const bb = await addActivity(sql, 'Field Trip', { bothBlocks: true })
    const saA = await schedule(sql, a, bb, { capacity: 20 })
    const saB = await schedule(sql, b, bb, { capacity: 5 }) // the B half is smaller
    const students = await bulkStudents(sql, 60)
    // half sign up through the A half, half through the B half
    const results = await Promise.all(students.map((u, i) => signup(sql, clock, { userId: u, scheduledId: i % 2 ? saA : saB, requester: asStudent(u) })))
    const [ra] = await sql<{ na: number }[]>`SELECT count(*)::int AS na FROM eighth_signups WHERE scheduled_activity_id = ${saA}`
    const [rb] = await sql<{ nb: number }[]>`SELECT count(*)::int AS nb FROM eighth_signups WHERE scheduled_activity_id = ${saB}`
    expect(rb!.nb).toBe(5)
    expect(ra!.na).toBe(5) // every member is in both halves
    expect(results.filter((r) => r.ok).length).toBe(5)
  })

  test('the database refuses a second signup in a block even without the service', async () => {
    const { sql } = db
    const block = await addBlock(sql, '2026-12-11', 'A')
    const [x, y] = await Promise.all([addActivity(sql, 'X1'), addActivity(sql, 'Y1')])
    const sx = await schedule(sql, block, x!)
    const sy = await schedule(sql, block, y!)
    const [u] = await bulkStudents(sql, 1)
    await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${u!}, ${block}, ${sx}, now())`
    expect(sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${u!}, ${block}, ${sy}, now())`).rejects.toThrow(/unique/i)
    const other = await addBlock(sql, '2026-12-11', 'B')
    // a signup's block must be its scheduled activity's block
    expect(sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${u!}, ${other}, ${sy}, now())`).rejects.toThrow(/foreign key/i)
  })
})
