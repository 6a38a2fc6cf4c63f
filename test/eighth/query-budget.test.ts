import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { setActivityUsers } from '../../src/features/eighth/catalog.sql.ts'
import { req, testConfig } from '../helpers/app.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { addActivity, addBlock, addRoom, addSponsor, asStudent, bulkStudents, schedule, signup } from '../helpers/eighth.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { statementCounter } from '../helpers/statements.ts'

// Query budget (issue 5, item 9): the signup page runs the same, small number of SQL statements
// whatever the number of activities. Every statement postgres.js sends is counted through its
// `debug` hook (test/helpers/statements.ts). Each request also runs ONE statement to load the
// signed-in viewer (the session itself is a Redis read); the budget below is for the page and
// excludes that one.
setDefaultTimeout(60_000)

const BUDGET = 6
const VIEWER_STATEMENTS = 1
const counter = statementCounter()
let db: TestDb
let redis: Redis
let app: ReturnType<typeof buildApp>
let cookie = '', adminCookie = ''
let studentId = 0
const blocks: Record<number, number> = {}

async function fill(blockId: number, n: number, tag: string, sql: TestDb['sql']) {
  const rooms = await Promise.all([1, 2, 3].map((i) => addRoom(sql, `${tag}-R${i}`, 25)))
  const sponsors = await Promise.all([1, 2, 3].map((i) => addSponsor(sql, `${tag}Sponsor${i}`, 'Pat')))
  const students = await bulkStudents(sql, Math.min(n, 40))
  for (let i = 0; i < n; i++) {
    const a = await addActivity(sql, `${tag} activity ${i}`, {
      description: `About ${i}`, rooms: [rooms[i % 3]!], sponsors: [sponsors[i % 3]!],
      restricted: i % 7 === 0, sticky: i % 11 === 0, special: i % 13 === 0, presign: i % 17 === 0, bothBlocks: i % 19 === 0,
    })
    const sa = await schedule(sql, blockId, a, i % 5 === 0 ? { rooms: [rooms[(i + 1) % 3]!], sponsors: [sponsors[(i + 1) % 3]!], capacity: 30 } : {})
    if (i % 3 === 0) await setActivityUsers(sql, a, 'favorite', [studentId])
    if (i % 7 === 0) await setActivityUsers(sql, a, 'allowed', [studentId])
    if (i < students.length) await signup(sql, fixedClock('2026-11-30T14:00:00Z'), { userId: students[i]!, scheduledId: sa, requester: asStudent(students[i]!) })
  }
}

beforeAll(async () => {
  db = await createTestDb({ debug: counter.debug })
  const config = testConfig()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  app = buildApp({ sql: db.sql, redis, clock: fixedClock('2026-11-30T14:00:00Z', config.schoolTz), config, log: memoryLogger() })
  const s = await makeUser(db.sql, { type: 'student' })
  studentId = s.id
  const admin = await makeUser(db.sql, { type: 'teacher', groups: ['admin_eighth'] })
  ;[cookie, adminCookie] = await Promise.all([login(app, s), login(app, admin)])
  blocks[10] = await addBlock(db.sql, '2026-12-02', 'A')
  blocks[160] = await addBlock(db.sql, '2026-12-02', 'B')
  await fill(blocks[10]!, 10, 'Small', db.sql)
  await fill(blocks[160]!, 160, 'Large', db.sql)
})
afterAll(async () => {
  redis.close()
  await db.drop()
})

async function count(path: string, c: string, htmx = false): Promise<{ page: number; html: string }> {
  const r = await counter.request(app, req(path, { cookie: c, htmx }))
  expect(r.status).toBe(200)
  return { page: r.n - VIEWER_STATEMENTS, html: r.body }
}

test('the signup page: the same statement count for 10 and 160 activities, within the budget', async () => {
  const small = await count(`/eighth/signup/${blocks[10]}`, cookie)
  const large = await count(`/eighth/signup/${blocks[160]}`, cookie)
  expect(small.html).toContain('Small activity 9')
  expect(large.html).toContain('Large activity 159')
  expect(large.page).toBe(small.page)
  expect(large.page).toBeLessThanOrEqual(BUDGET)
  console.log(`signup page: ${large.page} statements (+${VIEWER_STATEMENTS} for the viewer) for 10 and for 160 activities`)
})

test('the default block, an admin acting for a student, and the search partial stay within it too', async () => {
  const dflt = await count('/eighth/signup', cookie)
  const forStudent = await count(`/eighth/signup/${blocks[160]}?user=${studentId}`, adminCookie)
  const search = await count(`/eighth/signup/${blocks[160]}?q=activity`, cookie, true)
  expect(forStudent.html).toContain('Large activity 1')
  for (const x of [dflt, forStudent, search]) expect(x.page).toBeLessThanOrEqual(BUDGET)
  expect(search.page).toBe(dflt.page)
  console.log(`default block: ${dflt.page}, admin ?user=: ${forStudent.page}, search partial: ${search.page}`)
})
