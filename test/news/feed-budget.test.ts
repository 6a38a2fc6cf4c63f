import { afterAll, beforeAll, expect, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { req, testConfig } from '../helpers/app.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addAnnouncement, groupId, NOW } from './announcements-fixture.ts'

// Statement budget (DESIGN §7): the dashboard feed, /announcements and a "load more" page send
// the same statements whether there are 3 posts or 80 (groups, club posts, hidden ones).

let statements = 0
let db: TestDb
let redis: Redis
let app: ReturnType<typeof buildApp>
let cookie = ''
let userId = 0

beforeAll(async () => {
  db = await createTestDb({ debug: () => { statements++ } })
  const config = testConfig()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  app = buildApp({ sql: db.sql, redis, clock: fixedClock(NOW, config.schoolTz), config, log: memoryLogger() })
  const u = await makeUser(db.sql, { graduationYear: 2028, lastName: 'Budget' })
  userId = u.id
  cookie = await login(app, u)
  for (let i = 0; i < 3; i++) await addAnnouncement(db.sql, { title: `Few ${i}` })
}, 60_000)
afterAll(async () => {
  redis?.close()
  await db?.drop()
})

async function count(path: string, htmx = false): Promise<number> {
  statements = 0
  const r = await app.handle(req(path, { cookie, htmx }))
  expect(r.status).toBe(200)
  await r.text()
  return statements
}

test('/, /announcements and /announcements/feed?page=2 do not grow with the number of posts', async () => {
  const paths: [string, boolean][] = [['/', false], ['/announcements', false], ['/announcements/feed?page=2&feed=dashboard', true], ['/announcements/club', false]]
  for (const [p, h] of paths) await count(p, h) // warm-up
  // a few of each kind first (a club post makes the page ask which clubs the viewer may edit)
  const g = await groupId(db.sql, 'Budget Group', [userId])
  const [club] = await db.sql<{ id: number }[]>`INSERT INTO eighth_activities (name, subscriptions_enabled) VALUES ('Budget Club', true) RETURNING id`
  await db.sql`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES (${club!.id}, ${userId}, 'subscriber')`
  await addAnnouncement(db.sql, { title: 'One club post', activityId: club!.id })
  await addAnnouncement(db.sql, { title: 'One group post', groups: [g] })
  const before: Record<string, number> = {}
  for (const [p, h] of paths) before[p] = await count(p, h)
  for (let i = 0; i < 80; i++) {
    const id = await addAnnouncement(db.sql, { title: `Many ${i}`, groups: i % 3 === 0 ? [g] : [], activityId: i % 5 === 0 ? club!.id : null, pinned: i % 5 !== 0 && i % 17 === 1 })
    if (i % 4 === 0) await db.sql`INSERT INTO announcement_hidden (announcement_id, user_id) VALUES (${id}, ${userId})`
  }
  const after: Record<string, number> = {}
  for (const [p, h] of paths) after[p] = await count(p, h)
  expect(after).toEqual(before)
})
