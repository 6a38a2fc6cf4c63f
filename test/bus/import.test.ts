import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { planRoutes } from '../../src/features/bus/import.ts'
import { busDemoSeed } from '../../src/features/bus/seed.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { runIon } from '../helpers/cli.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { makeUser } from '../helpers/factories.ts'

// `ion import routes <file>` (CSV: route_name, bus_number) through `bun src/main.ts`, and the
// demo seed step.
setDefaultTimeout(60_000)

let db: TestDb
let dir: string
let ENV: Record<string, string | undefined>
beforeAll(async () => {
  db = await createTestDb()
  dir = mkdtempSync(join(tmpdir(), 'ion-routes-'))
  ENV = { DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL }
})
afterAll(async () => { await db?.drop() })

const file = (name: string, text: string) => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const routes = async () => (await db.sql<{ routeName: string; busNumber: string }[]>`SELECT route_name, bus_number FROM bus_routes ORDER BY id`)
  .map((r) => `${r.routeName}/${r.busNumber}`)

test('the plan: header optional, bus number optional, every bad line named', () => {
  expect(planRoutes('route_name,bus_number\nJT-1,1234\nJT-2,\n').rows.map((r) => [r.line, r.routeName, r.busNumber]))
    .toEqual([[2, 'JT-1', '1234'], [3, 'JT-2', '']])
  expect(planRoutes('JT-1\n  JT-2  \n').rows.map((r) => r.routeName)).toEqual(['JT-1', 'JT-2']) // Ion's one name per line
  const bad = planRoutes('JT-1,1\n,2\njt-1,3\nJT-3,123456\nJT-4,1,extra\n' + 'X'.repeat(31) + ',1\n"JT-5\n')
  expect(bad.errors.map((e) => e.line)).toEqual([7])
  const bad2 = planRoutes('JT-1,1\n,2\njt-1,3\nJT-3,123456\nJT-4,1,extra\n' + 'X'.repeat(31) + ',1\n')
  expect(bad2.errors).toEqual([
    { line: 2, message: 'the route name is empty' },
    { line: 3, message: 'route "jt-1" is already on line 1' },
    { line: 4, message: 'bus number "123456" is longer than 5 characters' },
    { line: 5, message: 'expected two columns: route_name, bus_number' },
    { line: 6, message: `route name "${'X'.repeat(31)}" is longer than 30 characters or has control characters` },
  ])
})

test('ion import routes: adds, then updates bus numbers (matching names in any case); errors write nothing', async () => {
  let r = await runIon(['import', 'routes', file('a.csv', 'route_name,bus_number\nJT-1,1001\nJT-2,1002\nAC-1,\n')], ENV)
  expect(r.stderr).toBe('')
  expect(r.stdout).toContain('imported routes from')
  expect(r.stdout).toContain('3 new, 0 updated, 0 unchanged')
  expect(r.code).toBe(0)
  expect(await routes()).toEqual(['JT-1/1001', 'JT-2/1002', 'AC-1/'])

  r = await runIon(['import', 'routes', file('b.csv', 'jt-1,2001\nJT-2,1002\nPW-9,9\n')], ENV)
  expect(r.stdout).toContain('1 new, 1 updated, 1 unchanged')
  expect(await routes()).toEqual(['JT-1/2001', 'JT-2/1002', 'AC-1/', 'PW-9/9'])

  r = await runIon(['import', 'routes', file('c.csv', 'LC-1,1\n,2\n')], ENV)
  expect(r.code).toBe(1)
  expect(r.stderr).toContain('c.csv:2: the route name is empty')
  expect(r.stderr).toContain('nothing imported')
  expect(await routes()).toHaveLength(4)

  r = await runIon(['import', 'routes', file('d.csv', 'LC-1,1\n'), '--dry-run'], ENV)
  expect(r.code).toBe(0)
  expect(r.stdout).toContain('route  line 1  LC-1  bus 1')
  expect(await routes()).toHaveLength(4)

  expect((await runIon(['import', 'routes', join(dir, 'nope.csv')], ENV)).code).toBe(1)
  expect((await runIon(['import'], ENV)).stderr).toContain('ion import routes <file.csv>')
})

test('the demo seed: 60 routes and riders; a second run adds nothing', async () => {
  const fresh = await createTestDb()
  try {
    const students = await Promise.all(Array.from({ length: 20 }, () => makeUser(fresh.sql, { type: 'student' })))
    await makeUser(fresh.sql, { type: 'teacher' })
    const ctx = { sql: fresh.sql, config: testConfig(), clock: fixedClock('2026-11-30T14:00:00Z'), log: memoryLogger() }
    const first = await busDemoSeed.run(ctx)
    expect(first).toMatch(/^60 routes, \d+ riders$/)
    const [c] = await fresh.sql`SELECT count(*)::int AS routes, (SELECT count(*)::int FROM users WHERE bus_route_id IS NOT NULL) AS riders,
      (SELECT count(*)::int FROM users WHERE bus_route_id IS NOT NULL AND user_type <> 'student') AS staff FROM bus_routes`
    expect(c!.routes).toBe(60)
    expect(c!.riders).toBeGreaterThanOrEqual(students.length * 0.6)
    expect(c!.staff).toBe(0)
    expect(await busDemoSeed.run(ctx)).toBe('0 new (routes exist)')
  } finally {
    await fresh.drop()
  }
})
