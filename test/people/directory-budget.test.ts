import { afterAll, beforeAll, expect, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { req, testConfig } from '../helpers/app.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { addActivity, addBlock, schedule } from '../helpers/eighth.ts'
import { login, makeUser } from '../helpers/factories.ts'

// Statement budget (DESIGN §7): /search and /profile send the same few statements whether they
// find 3 people or 300, one block or twenty. Counted through postgres.js's `debug` hook; one more
// per request loads the signed-in viewer.

let statements = 0
let db: TestDb
let redis: Redis
let app: ReturnType<typeof buildApp>
let teacherCookie = ''
let staffId = 0
let studentId = 0

beforeAll(async () => {
  db = await createTestDb({ debug: () => { statements++ } })
  const config = testConfig()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  app = buildApp({ sql: db.sql, redis, clock: fixedClock('2026-11-30T14:00:00Z', config.schoolTz), config, log: memoryLogger() })
  const teacher = await makeUser(db.sql, { type: 'teacher', firstName: 'Tess', lastName: 'Budget', groups: ['admin_groups'] })
  staffId = teacher.id
  teacherCookie = await login(app, teacher)
  studentId = (await makeUser(db.sql, { firstName: 'Few', lastName: 'Budget' })).id
}, 60_000)
afterAll(async () => {
  redis?.close()
  await db?.drop()
})

async function count(path: string): Promise<number> {
  statements = 0
  const r = await app.handle(req(path, { cookie: teacherCookie }))
  expect(r.status).toBe(200)
  await r.text()
  return statements
}

test('/search: people + activity sections, whatever the number of hits', async () => {
  await count('/search?q=budget') // warm-up: a first statement of each shape is also described
  const few = await count('/search?q=budget')
  const rows = Array.from({ length: 300 }, (_, i) => ({ username: `many${i}`, userType: 'student', firstName: 'Many', lastName: `Budget${i}`, graduationYear: 2028 }))
  await db.sql`INSERT INTO users ${db.sql(rows)}`
  for (let i = 0; i < 10; i++) await addActivity(db.sql, `Budget club ${i}`)
  const many = await count('/search?q=budget')
  expect(many).toBe(few)
  // the viewer, people, activities, and one statement per search section other features registered
  expect(many).toBeLessThanOrEqual(1 + 2 + app.deps.registries.search.length)
})

test('/profile: the same statements for one block or twenty', async () => {
  const a = await addActivity(db.sql, 'Budget activity')
  await schedule(db.sql, await addBlock(db.sql, '2026-12-01', 'A'), a)
  await count(`/profile/${studentId}`) // warm-up
  const one = await count(`/profile/${studentId}`)
  for (let d = 2; d <= 21; d++) await schedule(db.sql, await addBlock(db.sql, `2026-12-${String(d).padStart(2, '0')}`, 'A'), a)
  expect(await count(`/profile/${studentId}`)).toBe(one)
  expect(one).toBeLessThanOrEqual(1 + 5)
  // A sponsor's page: the sponsor lookup and its activities, however many.
  await count(`/profile/${staffId}`)
  expect(await count(`/profile/${staffId}`)).toBeLessThanOrEqual(1 + 5)
})
