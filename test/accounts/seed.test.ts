import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login } from '../helpers/factories.ts'
import { runIon } from '../helpers/cli.ts'
import { createTestDb } from '../helpers/db.ts'
import { SEED_STEPS } from '../../src/features/seeds.ts'
import { platformSeed } from '../../src/features/platform/seed.ts'
import { demoAccountsSeed } from '../../src/features/users/demo-seed.ts'
import { demoPeople } from '../../src/features/users/demo-people.ts'
import { gradeNumber } from '../../src/features/users/grade.ts'

// The clock says 2026-11-30 (turnover in July): grades 9–12 are the classes of 2027–2030.
let env: TestEnv
let firstMs = 0
let firstMsg: string | void
beforeAll(async () => {
  env = await testEnv()
  const ctx = { sql: env.sql, config: env.config, clock: env.clock, log: env.log }
  await platformSeed.run(ctx)
  const t = performance.now()
  firstMsg = await demoAccountsSeed.run(ctx)
  firstMs = performance.now() - t
  console.log(`seed demo accounts: ${firstMsg} in ${firstMs.toFixed(0)} ms`)
})
afterAll(async () => { await env.close() })

const n = async (where: string) => (await env.sql.unsafe(`SELECT count(*)::int AS n FROM users WHERE ${where}`))[0]!.n as number

describe('demo accounts seed', () => {
  test('is registered after the school settings', () => {
    expect(SEED_STEPS).toContain(demoAccountsSeed)
    expect(demoAccountsSeed.order).toBeGreaterThan(platformSeed.order)
  })

  test('reports what it made, quickly', () => {
    expect(firstMsg).toBe('2190 new (2000 students, 180 teachers, 6 counselors, 4 fixed accounts)')
    expect(firstMs).toBeLessThan(10_000)
  })

  test('about 2,000 students, 500 a class, all in grades 9–12, each with a counselor and a 7-digit student ID', async () => {
    const classes = await env.sql`SELECT graduation_year AS y, count(*)::int AS n FROM users WHERE user_type = 'student' GROUP BY 1 ORDER BY 1`
    expect(classes.map((c) => [c.y, c.n])).toEqual([[2027, 501], [2028, 500], [2029, 500], [2030, 500]])
    for (const c of classes) expect(gradeNumber(c.y, env.clock.today(), env.config.yearTurnoverMonth)).toBeGreaterThanOrEqual(9)
    expect(gradeNumber(2027, env.clock.today(), env.config.yearTurnoverMonth)).toBe(12)
    expect(await n(`user_type = 'student' AND counselor_id IS NULL`)).toBe(0)
    expect(await n(`user_type = 'student' AND student_id !~ '^[0-9]{7}$'`)).toBe(0)
    expect(await n(`user_type = 'student' AND counselor_id NOT IN (SELECT id FROM users WHERE user_type = 'counselor')`)).toBe(0)
  })

  test('Ion-style usernames; 180 teachers and 6 counselors; everyone has <username>@example.org as primary email', async () => {
    expect(await n(`user_type = 'student' AND username <> 'student' AND username !~ '^20[0-9]{2}[a-z][a-z]{0,7}[0-9]*$'`)).toBe(0)
    const ok = await n(`user_type = 'student' AND username LIKE graduation_year || '%'`)
    expect(ok).toBe(2000)
    expect(await n(`user_type = 'teacher'`)).toBe(183) // 180 + admin, eighth, teacher
    expect(await n(`user_type = 'counselor'`)).toBe(6)
    const [e] = await env.sql`
      SELECT count(*)::int AS users, count(e.id)::int AS emails,
             count(*) FILTER (WHERE e.address = u.username || '@example.org')::int AS matching
      FROM users u LEFT JOIN emails e ON e.user_id = u.id AND e.is_primary`
    expect(e).toEqual({ users: 2190, emails: 2190, matching: 2190 })
  })

  test('names are realistic and deterministic (same clock → same people)', async () => {
    const a = demoPeople(env.clock.today(), 7)
    const b = demoPeople(env.clock.today(), 7)
    expect(a).toEqual(b)
    const [row] = await env.sql`SELECT count(DISTINCT first_name)::int AS firsts, count(DISTINCT last_name)::int AS lasts FROM users WHERE user_type = 'student'`
    expect(row!.firsts).toBeGreaterThan(150)
    expect(row!.lasts).toBeGreaterThan(150)
  })

  test('groups: a class group per class (visible to students), Teachers, and the permission groups of admin and eighth', async () => {
    const groups = await env.sql`
      SELECT g.name, g.student_visible, count(ug.user_id)::int AS n FROM groups g LEFT JOIN user_groups ug ON ug.group_id = g.id
      WHERE g.name LIKE 'Class of %' OR g.name = 'Teachers' GROUP BY 1, 2 ORDER BY 1`
    expect(groups.map((g) => [g.name, g.studentVisible, g.n])).toEqual([
      ['Class of 2027', true, 501], ['Class of 2028', true, 500], ['Class of 2029', true, 500], ['Class of 2030', true, 500], ['Teachers', false, 187],
    ])
    const perms = await env.sql`SELECT u.username, g.name FROM user_groups ug JOIN users u ON u.id = ug.user_id JOIN groups g ON g.id = ug.group_id WHERE g.name LIKE 'admin\\_%' ORDER BY 1`
    expect(perms.map((p) => [p.username, p.name])).toEqual([['admin', 'admin_all'], ['eighth', 'admin_eighth']])
  })

  test('the four fixed accounts log in with the demo password', async () => {
    const pw = env.config.demoPassword
    expect(pw).toBe('demo')
    for (const username of ['admin', 'eighth', 'teacher', 'student']) {
      const cookie = await login(env.app, { username, password: pw })
      expect((await env.app.handle(req('/', { cookie }))).status).toBe(200)
    }
    const fixed = await env.sql`SELECT username, user_type, first_name, last_name, is_superuser, graduation_year FROM users WHERE username IN ('admin', 'eighth', 'teacher', 'student') ORDER BY username`
    expect(fixed.map((f) => [f.username, f.userType, `${f.firstName} ${f.lastName}`, f.isSuperuser, f.graduationYear])).toEqual([
      ['admin', 'teacher', 'Ada Administrator', true, null],
      ['eighth', 'teacher', 'Eighth Office', false, null],
      ['student', 'student', 'Sam Student', false, 2027],
      ['teacher', 'teacher', 'Terry Teacher', false, null],
    ])
    const adminCookie = await login(env.app, { username: 'admin', password: pw })
    expect((await env.app.handle(req('/admin/import', { cookie: adminCookie }))).status).toBe(200)
  })

  test('every demo account shares one hash (hashed once)', async () => {
    const [h] = await env.sql`SELECT count(DISTINCT password_hash)::int AS n FROM users`
    expect(h!.n).toBe(1)
  })

  test('a second run changes nothing', async () => {
    const before = await env.sql`SELECT md5(string_agg(u::text, ',' ORDER BY id)) AS h FROM users u`
    const t = performance.now()
    const msg = await demoAccountsSeed.run({ sql: env.sql, config: env.config, clock: env.clock, log: env.log })
    console.log(`seed demo accounts (second run): ${msg} in ${(performance.now() - t).toFixed(0)} ms`)
    expect(msg).toBe('0 new')
    const after = await env.sql`SELECT md5(string_agg(u::text, ',' ORDER BY id)) AS h FROM users u`
    expect(after[0]!.h).toBe(before[0]!.h)
    expect(await n('true')).toBe(2190)
  })
})

describe('ion seed --demo (CLI)', () => {
  test('loads the demo school on a fresh database, then reports 0 new', async () => {
    const db = await createTestDb()
    try {
      const ENV = { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL }
      const r = await runIon(['seed', '--demo'], ENV, 60_000)
      expect(r.code).toBe(0)
      const line = r.stdout.split('\n').find((l) => l.startsWith('seed demo accounts:'))!
      console.log(`ion seed --demo: ${line} (process ${r.ms.toFixed(0)} ms)`)
      expect(line).toContain('2190 new')
      const again = await runIon(['seed', '--demo'], ENV, 60_000)
      expect(again.stdout).toMatch(/seed demo accounts: 0 new/)
    } finally {
      await db.drop()
    }
  }, 60_000)
})
