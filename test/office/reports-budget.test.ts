import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { createSponsor } from '../../src/features/eighth/catalog.sql.ts'
import { req, testConfig } from '../helpers/app.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { addActivity, addBlock, addRoom, bulkStudents, schedule } from '../helpers/eighth.ts'
import { login, makeUser } from '../helpers/factories.ts'

// The office's reports and the attendance page stay set-based: the number of SQL statements a
// page runs does not grow with the number of activities, students, absences or passes. Every
// statement postgres.js sends is counted through its `debug` hook.
setDefaultTimeout(60_000)

let statements = 0
let db: TestDb
let redis: Redis
let app: ReturnType<typeof buildApp>
let office = '', sponsor = ''
const blocks: Record<'small' | 'large', number> = { small: 0, large: 0 }
const firstSa: Record<'small' | 'large', number> = { small: 0, large: 0 }
let sponsorId = 0
let activityId = 0

/** n activities (one sponsored by our teacher) with `per` students each, some absent, some passes. */
async function fill(key: 'small' | 'large', date: string, n: number, per: number) {
  const sql = db.sql
  const block = (blocks[key] = await addBlock(sql, date, 'A'))
  const room = await addRoom(sql, `${key}-room`, 40)
  const students = await bulkStudents(sql, n * per)
  for (let i = 0; i < n; i++) {
    const a = i === 0 && key === 'small' ? (activityId = await addActivity(sql, 'Tracked', { rooms: [room], sponsors: [sponsorId] })) : await addActivity(sql, `${key} ${i}`, { rooms: [room] })
    const sa = await schedule(sql, block, i === 0 ? activityId : a, i === 0 ? { sponsors: [sponsorId] } : {})
    if (i === 0) firstSa[key] = sa
    const rows = students.slice(i * per, (i + 1) * per).map((userId, j) => ({
      userId, blockId: block, scheduledActivityId: sa, time: new Date('2026-11-20T12:00:00Z'), wasAbsent: j % 3 === 0, afterDeadline: j % 4 === 0,
    }))
    await sql`INSERT INTO eighth_signups ${sql(rows)}`
    await sql`UPDATE eighth_scheduled_activities SET attendance_taken = true WHERE id = ${sa}`
    await sql`INSERT INTO audit_log (actor_id, action, target_type, target_id, details) VALUES (null, 'eighth.attendance', 'scheduled_activity', ${String(sa)}, ${sql.json({ students: rows.map((r) => r.userId) })})`
  }
}

beforeAll(async () => {
  db = await createTestDb({ debug: () => { statements++ } })
  const config = testConfig()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  app = buildApp({ sql: db.sql, redis, clock: fixedClock('2026-11-30T14:00:00Z', config.schoolTz), config, log: memoryLogger() })
  const admin = await makeUser(db.sql, { type: 'teacher', groups: ['admin_eighth'] })
  const teacher = await makeUser(db.sql, { type: 'teacher' })
  sponsorId = await createSponsor(db.sql, { lastName: 'Tracker', userId: teacher.id })
  ;[office, sponsor] = await Promise.all([login(app, admin), login(app, teacher)])
  await fill('small', '2026-11-20', 2, 3)
})
afterAll(async () => {
  redis.close()
  await db.drop()
})

async function count(path: string, cookie = office): Promise<number> {
  statements = 0
  const r = await app.handle(req(path, { cookie }))
  await r.text()
  expect([path, r.status]).toEqual([path, 200])
  return statements
}

const FIXED = () => [
  '/eighth/admin', '/eighth/admin/delinquents', '/eighth/admin/delinquents/csv', '/eighth/admin/absences', '/eighth/admin/absences/csv',
  '/eighth/admin/passes?status=all', '/eighth/admin/passes/csv?status=all', '/eighth/admin/statistics', `/eighth/admin/statistics/${activityId}`,
  '/eighth/admin/history', '/eighth/attendance', '/',
]

test('the same statement count for 2 activities × 3 students and 30 × 12', async () => {
  // Warm-up: a session's first request may do one-time work.
  await count('/eighth/admin')
  await count('/', sponsor)
  const before = new Map<string, number>()
  for (const p of FIXED()) before.set(p, await count(p, p === '/' || p === '/eighth/attendance' ? sponsor : office))
  const smallRosters = await count(`/eighth/admin/rosters/${blocks.small}`)
  const smallCsv = await count(`/eighth/admin/rosters/${blocks.small}/csv`)
  const smallPage = await count(`/eighth/attendance/${firstSa.small}`)
  await fill('large', '2026-11-25', 30, 12)
  for (const p of FIXED()) expect([p, await count(p, p === '/' || p === '/eighth/attendance' ? sponsor : office)]).toEqual([p, before.get(p)!])
  expect(await count(`/eighth/admin/rosters/${blocks.large}`)).toBe(smallRosters)
  expect(await count(`/eighth/admin/rosters/${blocks.large}/csv`)).toBe(smallCsv)
  expect(await count(`/eighth/attendance/${firstSa.large}`)).toBe(smallPage)
  console.log(`statements per page: ${[...before].map(([p, n]) => `${p} ${n}`).join(', ')}; rosters ${smallRosters}, roster CSV ${smallCsv}, attendance ${smallPage}`)
})

test('saving attendance: the same statement count for 3 and for 12 students', async () => {
  const save = async (sa: number) => {
    const ids = await db.sql<{ userId: number }[]>`SELECT user_id FROM eighth_signups WHERE scheduled_activity_id = ${sa}`
    statements = 0
    const body = new URLSearchParams(ids.map((r) => ['present', String(r.userId)])).toString()
    const r = await app.handle(req(`/eighth/attendance/${sa}`, { method: 'POST', body, cookie: office, headers: { 'content-type': 'application/x-www-form-urlencoded' } }))
    expect(r.status).toBe(200)
    return statements
  }
  expect(await save(firstSa.large)).toBe(await save(firstSa.small))
})
