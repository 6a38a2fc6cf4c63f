import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login } from '../helpers/factories.ts'
import { SEED_STEPS } from '../../src/features/seeds.ts'
import { platformSeed } from '../../src/features/platform/seed.ts'
import { demoAccountsSeed } from '../../src/features/users/demo-seed.ts'
import { DEMO_PHOTOS_PER_CLASS, demoPhotosSeed } from '../../src/features/photos/demo-seed.ts'
import { DEMO_GROUPS, demoGroupsSeed } from '../../src/features/groups/demo-seed.ts'

// The demo school's photos and groups: after the accounts, idempotent, fast.

let env: TestEnv
let first: { photos: string | void; groups: string | void; ms: number }
beforeAll(async () => {
  env = await testEnv()
  const ctx = { sql: env.sql, config: env.config, clock: env.clock, log: env.log }
  await platformSeed.run(ctx)
  await demoAccountsSeed.run(ctx)
  const t = performance.now()
  first = { photos: await demoPhotosSeed.run(ctx), groups: await demoGroupsSeed.run(ctx), ms: 0 }
  first.ms = performance.now() - t
})
afterAll(async () => { await env.close() })

describe('demo photos and groups', () => {
  test('run after the accounts seed', () => {
    for (const s of [demoPhotosSeed, demoGroupsSeed]) {
      expect(SEED_STEPS).toContain(s)
      expect(s.order).toBeGreaterThan(demoAccountsSeed.order)
    }
  })

  test('a few hundred students get SVG photos; every third also last year’s; quickly', async () => {
    const [p] = await env.sql`
      SELECT count(DISTINCT user_id)::int AS people, count(*)::int AS photos,
             count(*) FILTER (WHERE content_type <> 'image/svg+xml')::int AS other FROM photos`
    expect(p!.people).toBe(4 * DEMO_PHOTOS_PER_CLASS)
    expect(p!.photos).toBeGreaterThan(p!.people)
    expect(p!.other).toBe(0)
    expect(first.photos).toBe(`${p!.photos} new`)
    expect(first.ms).toBeLessThan(5000)
  })

  test('clubs and teams with members, visible to students', async () => {
    const rows = await env.sql<{ name: string; n: number; studentVisible: boolean }[]>`
      SELECT g.name, g.student_visible, count(ug.user_id)::int AS n
      FROM groups g LEFT JOIN user_groups ug ON ug.group_id = g.id
      WHERE g.name = ANY(${DEMO_GROUPS}::text[]) GROUP BY g.id`
    expect(rows.length).toBe(DEMO_GROUPS.length)
    for (const r of rows) {
      expect(r.studentVisible).toBe(true)
      expect(r.n).toBeGreaterThanOrEqual(15)
    }
    expect(first.groups).toMatch(new RegExp(`^${DEMO_GROUPS.length} new groups, \\d+ memberships$`))
  })

  test('a second run adds nothing, and keeps an admin’s changes', async () => {
    const ctx = { sql: env.sql, config: env.config, clock: env.clock, log: env.log }
    await env.sql`DELETE FROM user_groups WHERE group_id = (SELECT id FROM groups WHERE name = 'Chess Club')`
    expect(await demoPhotosSeed.run(ctx)).toBe('0 new')
    expect(await demoGroupsSeed.run(ctx)).toBe('0 new')
    const [g] = await env.sql`SELECT count(*)::int AS n FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE g.name = 'Chess Club'`
    expect(g!.n).toBe(0)
  })

  test('the demo student has two photos to choose from, and they are served', async () => {
    const cookie = await login(env.app, { username: 'student', password: env.config.demoPassword })
    const html = await (await env.app.handle(req('/preferences', { cookie }))).text()
    expect(html.match(/name="photo"/g)?.length).toBe(3) // auto + senior + junior
    const [me] = await env.sql`SELECT id FROM users WHERE username = 'student'`
    const r = await env.app.handle(req(`/profile/picture/${me!.id}`, { cookie }))
    expect(r.headers.get('content-type')).toBe('image/svg+xml')
    expect(await r.text()).toContain('>SS</text>')
  })
})
