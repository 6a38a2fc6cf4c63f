// The demo seed (Ion's three day types and the default fill for the school year, idempotent) and
// the functions other features use: scheduleFor and endOfSchoolDay.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { endOfSchoolDay, scheduleFor } from '../../src/features/schedule/index.ts'
import { scheduleDemoSeed } from '../../src/features/schedule/seed.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { weekdayOf } from '../../src/platform/zoned.ts'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { addDayType, setDate } from './fixture.ts'

let env: TestEnv
beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z' })
})
afterAll(() => env.close())

const run = () => scheduleDemoSeed.run({ sql: env.sql, config: env.config, clock: env.clock, log: memoryLogger() })

test('the seed creates the three day types and fills every weekday of the school year, once', async () => {
  const snow = await addDayType(env.sql, 'Snow Day', [], { special: true })
  await setDate(env.sql, '2026-12-16', snow, 'Closed')
  expect(await run()).toBe('3 day types, 259 days new (2026-08-01 – 2027-07-31)')
  const types = await env.sql<{ name: string; n: number; last: string | null }[]>`
    SELECT t.name, count(b.id)::int AS n, to_char(max(b.end_time), 'HH24:MI') AS last
    FROM schedule_day_types t LEFT JOIN schedule_blocks b ON b.day_type_id = t.id GROUP BY t.name ORDER BY t.name`
  expect([...types]).toEqual([
    { name: 'Anchor Day', n: 9, last: '16:00' }, // eight periods and lunch
    { name: 'Blue Day', n: 7, last: '16:00' }, // four long blocks, lunch, 8A, 8B
    { name: 'Red Day', n: 7, last: '16:00' },
    { name: 'Snow Day', n: 0, last: null },
  ])
  const eighth = await env.sql`SELECT t.name, b.name AS block FROM schedule_blocks b JOIN schedule_day_types t ON t.id = b.day_type_id WHERE b.name IN ('8A', '8B') ORDER BY 1, 2`
  expect(eighth.map((r) => `${r.name} ${r.block}`)).toEqual(['Blue Day 8A', 'Blue Day 8B', 'Red Day 8A', 'Red Day 8B'])

  const days = await env.sql<{ date: string; name: string }[]>`
    SELECT d.date, t.name FROM schedule_days d JOIN schedule_day_types t ON t.id = d.day_type_id ORDER BY d.date`
  expect(days).toHaveLength(260) // every weekday; the snow day kept its type
  expect(days[0]!.date).toBe('2026-08-03')
  expect(days[days.length - 1]!.date).toBe('2027-07-30')
  expect(days.every((d) => weekdayOf(d.date) >= 1 && weekdayOf(d.date) <= 5)).toBe(true)
  expect(days.find((d) => d.date === '2026-12-16')!.name).toBe('Snow Day')
  expect(days.find((d) => d.date === '2026-11-30')!.name).toBe('Anchor Day')
  expect(days.find((d) => d.date === '2026-12-01')!.name).toBe('Blue Day')
  expect(days.find((d) => d.date === '2026-12-04')!.name).toBe('Red Day')

  expect(await run()).toBe('0 day types, 0 days new (2026-08-01 – 2027-07-31)')
})

test('scheduleFor and endOfSchoolDay (an instant in the school\'s zone, or null)', async () => {
  const day = await scheduleFor(env, '2026-11-30')
  expect(day.dayType?.name).toBe('Anchor Day')
  expect(day.dayType?.blocks[0]).toEqual({ order: 1, name: 'Period 1', start: '08:40', end: '09:20' })
  expect((await endOfSchoolDay(env, '2026-11-30'))?.toISOString()).toBe('2026-11-30T21:00:00.000Z') // 16:00 EST
  expect((await endOfSchoolDay(env, '2027-03-15'))?.toISOString()).toBe('2027-03-15T20:00:00.000Z') // 16:00 EDT
  expect(await endOfSchoolDay(env, '2026-12-05')).toBeNull() // Saturday
  expect(await endOfSchoolDay(env, '2026-12-16')).toBeNull() // snow day: no blocks
  expect((await scheduleFor(env, '2026-12-05')).dayType).toBeNull()
})

test('with Redis down the schedule is read from PostgreSQL', async () => {
  const { Redis } = await import('../../src/platform/redis.ts')
  const down = new Redis('redis://127.0.0.1:1', { prefix: 'x:', timeoutMs: 100 })
  try {
    const deps = { sql: env.sql, redis: down, config: env.config }
    expect((await scheduleFor(deps, '2026-12-01')).dayType?.name).toBe('Blue Day')
  } finally {
    down.close()
  }
})
