import { afterAll, beforeAll, beforeEach, expect, setDefaultTimeout, test } from 'bun:test'
import { createScheduler, findJob, runNow, runSlot, type JobEnv } from '../../src/platform/jobs/index.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import '../../src/features/bus/jobs.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { addRoutes } from './helpers.ts'

// The route resets at 00:00 and one minute after the changeover hour, with the injected clock:
// what each run does, catch-up after a restart, and "run now".

setDefaultTimeout(30_000)
let db: TestDb
let env: JobEnv
let redis: Redis
const clock = fixedClock('2026-11-30T15:01:00Z') // 10:01 in New York
const config = testConfig()
const midnight = findJob('bus.reset-midnight')!
const changeover = findJob('bus.reset-changeover')!

beforeAll(async () => {
  db = await createTestDb()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  env = { sql: db.sql, redis, clock, config, log: memoryLogger() }
  await addRoutes(db.sql)
})
afterAll(async () => {
  redis?.close()
  await db?.drop()
})
beforeEach(async () => {
  await db.sql`DELETE FROM job_runs`
})

/** The morning's board: some buses arrived, one parked, one delayed. */
async function fill(): Promise<void> {
  await db.sql`UPDATE bus_routes SET status = 'a', space = '_1' WHERE route_name = 'JT-1'`
  await db.sql`UPDATE bus_routes SET status = 'a' WHERE route_name IN ('JT-2', 'JT-3')`
  await db.sql`UPDATE bus_routes SET status = 'd' WHERE route_name = 'JT-4'`
}
const board = async () => (await db.sql<{ routeName: string; status: string; space: string }[]>`
  SELECT route_name, status, space FROM bus_routes WHERE status <> 'o' OR space <> '' ORDER BY route_name`).map((r) => `${r.routeName}:${r.status}${r.space}`)
const at = (iso: string) => clock.set(iso)

test('both jobs are registered with their schedules and run-once catch-up', () => {
  expect(midnight).toMatchObject({ schedule: '0 0 * * *', catchUp: 'run-once' })
  expect(changeover).toMatchObject({ schedule: '1 * * * *', catchUp: 'run-once' })
})

test('a day: reset at 10:01, not again at 11:01 (the afternoon board stays), again at midnight', async () => {
  await db.sql`UPDATE bus_board SET reset_at = '2026-11-30T05:00:00Z'` // reset at midnight today
  at('2026-11-30T14:30:00Z') // 09:30
  await fill()
  expect(await runSlot(env, changeover, '2026-11-30T14:01:00.000Z')).toMatchObject({ status: 'ok', detail: 'not due yet' })
  expect(await board()).toEqual(['JT-1:a_1', 'JT-2:a', 'JT-3:a', 'JT-4:d'])

  at('2026-11-30T15:01:00.020Z') // 10:01
  expect(await runSlot(env, changeover, '2026-11-30T15:01:00.000Z')).toMatchObject({ status: 'ok', detail: 'reset 4 route(s)' })
  expect(await board()).toEqual([])

  at('2026-11-30T20:40:00Z') // the afternoon's arrivals
  await fill()
  at('2026-11-30T21:01:00Z') // 16:01
  expect(await runSlot(env, changeover, '2026-11-30T21:01:00.000Z')).toMatchObject({ status: 'ok', detail: 'already reset' })
  expect(await board()).toEqual(['JT-1:a_1', 'JT-2:a', 'JT-3:a', 'JT-4:d'])

  at('2026-12-01T05:00:00.010Z') // 00:00 the next day
  expect(await runSlot(env, midnight, '2026-12-01T05:00:00.000Z')).toMatchObject({ status: 'ok', detail: 'reset 4 route(s)' })
  expect(await board()).toEqual([])
  at('2026-12-01T05:01:00Z') // 00:01: the changeover job's hourly run has nothing to do
  expect(await runSlot(env, changeover, '2026-12-01T05:01:00.000Z')).toMatchObject({ status: 'ok', detail: 'not due yet' })
})

test('catch-up after a restart at 12:30 that missed 10:01: one reset; a later restart: none', async () => {
  await db.sql`UPDATE bus_board SET reset_at = '2026-11-30T05:00:00Z'`
  await fill()
  const old = new Date('2026-11-30T13:01:00Z')
  await db.sql`INSERT INTO job_runs (job, slot, instance, started_at, finished_at, outcome) VALUES
    (${changeover.name}, '2026-11-30T13:01:00.000Z', 'gone', ${old}, ${old}, 'ok'),
    (${midnight.name}, '2026-11-30T05:00:00.000Z', 'gone', ${new Date('2026-11-30T05:00:00Z')}, ${new Date('2026-11-30T05:00:01Z')}, 'ok')`
  at('2026-11-30T17:30:00Z') // 12:30
  const a = createScheduler(env, [midnight, changeover], { instance: 'a' })
  const b = createScheduler(env, [midnight, changeover], { instance: 'b' })
  a.start()
  b.start()
  const results = [...(await a.caughtUp), ...(await b.caughtUp)]
  await a.stop()
  await b.stop()
  expect(results.filter((r) => r.status === 'ok').map((r) => (r as { detail: string }).detail)).toEqual(['reset 4 route(s)'])
  expect(await board()).toEqual([])

  // Admins fill the afternoon board; the server restarts at 16:10 with the midnight job's last
  // run long ago: its catch-up must not wipe the board (the routes were reset after midnight).
  at('2026-11-30T21:05:00Z')
  await fill()
  await db.sql`DELETE FROM job_runs`
  await db.sql`INSERT INTO job_runs (job, slot, instance, started_at, finished_at, outcome) VALUES
    (${midnight.name}, 'old', 'gone', ${new Date('2026-11-28T05:00:00Z')}, ${new Date('2026-11-28T05:00:01Z')}, 'ok')`
  at('2026-11-30T21:10:00Z')
  const c = createScheduler(env, [midnight, changeover], { instance: 'c' })
  c.start()
  const again = await c.caughtUp
  await c.stop()
  expect(again.filter((r) => r.status === 'ok').map((r) => (r as { detail: string }).detail).sort()).toEqual(['already reset', 'already reset'])
  expect(await board()).toEqual(['JT-1:a_1', 'JT-2:a', 'JT-3:a', 'JT-4:d'])
})

test('"run now" resets whatever the time', async () => {
  at('2026-11-30T21:20:00Z')
  await fill()
  const started = await runNow(env, changeover)
  expect(await started!.done).toMatchObject({ status: 'ok', detail: 'reset 4 route(s)' })
  expect(await board()).toEqual([])
})

test('a changeover hour from the configuration (BUS_CHANGEOVER_HOUR=9 → 09:01)', async () => {
  const nine = { ...env, config: testConfig({ BUS_CHANGEOVER_HOUR: '9' }) }
  await db.sql`UPDATE bus_board SET reset_at = '2026-12-02T05:00:00Z'`
  await fill()
  at('2026-12-02T14:01:00Z') // 09:01
  expect(await runSlot(nine, changeover, '2026-12-02T14:01:00.000Z')).toMatchObject({ status: 'ok', detail: 'reset 4 route(s)' })
})

test('across the change to daylight saving time the reset is still at 10:01 local', async () => {
  await db.sql`UPDATE bus_board SET reset_at = '2027-03-14T05:00:00Z'` // midnight EST, the day clocks spring forward
  await fill()
  at('2027-03-14T14:01:00Z') // 10:01 EDT
  expect(await runSlot(env, changeover, '2027-03-14T14:01:00.000Z')).toMatchObject({ status: 'ok', detail: 'reset 4 route(s)' })
  at('2027-03-14T13:30:00Z') // 09:30 EDT
  expect(await runSlot(env, changeover, '2027-03-14T13:01:00.000Z')).toMatchObject({ detail: 'not due yet' })
})
