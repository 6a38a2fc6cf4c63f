import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { setActivityUsers } from '../../src/features/eighth/catalog.sql.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { req, testConfig } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, addRoom, addSponsor, bulkStudents, schedule } from '../helpers/eighth.ts'
import { bearer } from './api-fixture.ts'
import { statementCounter } from '../helpers/statements.ts'

// Query budget (issue 5, item 9): GET /api/blocks/<id> runs a fixed number of SQL statements,
// at most 6 including the viewer's, whatever the number of activities. postgres.js's `debug`
// hook sees every statement sent (test/helpers/statements.ts).

let db: TestDb
const counter = statementCounter()
let redis: Redis
let app: ReturnType<typeof buildApp>
const clock = fixedClock('2026-11-30T14:00:00Z')

beforeAll(async () => {
  db = await createTestDb({ debug: counter.debug })
  const config = testConfig()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  app = buildApp({ sql: db.sql, redis, clock, config, log: memoryLogger() })
})
afterAll(async () => {
  redis.close()
  await db.drop()
})

/** A block with n activities, each with two rooms, two sponsors, overrides on every third, and signups. */
async function blockWith(n: number, date: string): Promise<number> {
  const sql = db.sql
  const block = await addBlock(sql, date, 'A')
  const students = await bulkStudents(sql, 3)
  for (let i = 0; i < n; i++) {
    const rooms = [await addRoom(sql, `${100 + i}`, 20), await addRoom(sql, `Lab ${i}`, i % 10 === 0 ? -1 : 15)]
    const sponsors = [await addSponsor(sql, `Sponsor${i}`, 'A'), await addSponsor(sql, `Helper${i}`, 'B')]
    const act = await addActivity(sql, `Activity ${String(i).padStart(3, '0')}`, { rooms, sponsors, restricted: i % 7 === 0, sticky: i % 11 === 0 })
    const sa = await schedule(sql, block, act, i % 3 === 0 ? { rooms: [rooms[0]!], sponsors: [sponsors[1]!], capacity: i % 2 ? 12 : null } : {})
    if (i < students.length) await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${students[i]!}, ${block}, ${sa}, now())`
    if (i % 5 === 0) await setActivityUsers(sql, act, 'allowed', students)
  }
  return block
}

async function count(path: string, headers: Record<string, string>): Promise<{ n: number; status: number; activities: number }> {
  const r = await counter.request(app, req(path, { headers }))
  const body = JSON.parse(r.body)
  return { n: r.n, status: r.status, activities: Object.keys(body.activities ?? {}).length }
}

describe('GET /api/blocks/<id> statement budget', () => {
  test('at most 6 statements, the same for 10 and 160 activities, by cookie and by token', async () => {
    const small = await blockWith(10, '2026-12-02')
    const big = await blockWith(160, '2026-12-04')
    const u = await makeUser(db.sql, {})
    const cookie = await login(app, u)
    const token = await bearer({ sql: db.sql, clock }, u.id)

    // Warm the pool first: a new connection fetches array types once (pg_catalog), which is
    // connection setup, not the route's work. Each block's first request also loads its static
    // list into the versioned cache (one statement more, within the budget; block-list.ts):
    // warm both, so the counts below compare like with like.
    for (let i = 0; i < 2; i++) await app.handle(req(`/api/blocks/${small}`, { headers: { cookie } }))
    expect((await count(`/api/blocks/${big}`, { cookie })).n).toBeLessThanOrEqual(6)
    const results: Record<string, { n: number; status: number; activities: number }> = {}
    for (const [via, headers] of [['cookie', { cookie }], ['token', token]] as const) {
      results[`${via} 10`] = await count(`/api/blocks/${small}`, headers)
      results[`${via} 160`] = await count(`/api/blocks/${big}`, headers)
    }
    console.log('GET /api/blocks/<id> statements:', Object.entries(results).map(([k, v]) => `${k} activities: ${v.n}`).join(', '))
    for (const v of Object.values(results)) {
      expect(v.status).toBe(200)
      expect(v.n).toBeLessThanOrEqual(6)
    }
    expect(results['cookie 160']!.activities).toBe(160)
    expect(results['cookie 160']!.n).toBe(results['cookie 10']!.n)
    expect(results['token 160']!.n).toBe(results['token 10']!.n)
  }, 60_000)
})
