import type { Deps } from '../../platform/http.ts'
import { RedisUnavailable, type Redis } from '../../platform/redis.ts'
import { zonedInstant } from '../../platform/zoned.ts'
import { dayOn, type DaySchedule } from './schedule.sql.ts'

// A date's bell schedule, cached in Redis per date for a week (Ion's `bell_schedule:<date>`).
// Every admin edit bumps `bell_schedule:v`, and the version is part of each key, so one INCR
// retires every cached date at once (no SCAN + DEL); old keys expire on their own.
// The cache is an optimisation: with Redis down the schedule is read from PostgreSQL.

export type { DaySchedule } from './schedule.sql.ts'

type ScheduleDeps = Pick<Deps, 'sql' | 'redis' | 'config'>

const WEEK_SECONDS = 7 * 24 * 3600
const VERSION_KEY = 'bell_schedule:v'
const cacheKey = (date: string, version: string) => `bell_schedule:${date}:${version}`

async function quietly<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof RedisUnavailable) return fallback
    throw e
  }
}

/** The schedule of `date` ('YYYY-MM-DD'): the stored Day with its day type and blocks, or none. */
export async function scheduleFor(deps: ScheduleDeps, date: string): Promise<DaySchedule> {
  return (await scheduleWithText(deps, date)).day
}

/**
 * scheduleFor, with the cached text the day was parsed from (null when it was read from
 * PostgreSQL): what is rendered from the same text is the same, so it may be memoised by it.
 */
export async function scheduleWithText(deps: ScheduleDeps, date: string): Promise<{ day: DaySchedule; text: string | null }> {
  const version = await quietly(async () => (await deps.redis.get(VERSION_KEY)) ?? '0', null)
  if (version !== null) {
    const hit = await quietly(() => deps.redis.get(cacheKey(date, version)), null)
    if (hit) return { day: JSON.parse(hit) as DaySchedule, text: hit }
  }
  const day = await dayOn(deps.sql, date)
  if (version !== null) await quietly(() => deps.redis.set(cacheKey(date, version), JSON.stringify(day), { exSeconds: WEEK_SECONDS }), false)
  return { day, text: null }
}

/**
 * Retires every cached date (after any edit, and the admin's "delete cache"). Not quiet: an edit
 * whose cache could not be cleared must say so, or the old schedule would show for a week.
 */
export async function clearScheduleCache(redis: Redis): Promise<void> {
  await redis.incr(VERSION_KEY)
}

/** Start of the first block and end of the last, as instants in the school's zone; null without blocks. */
export function schoolDayBounds(day: DaySchedule, tz: string): { start: Date; end: Date } | null {
  const blocks = day.dayType?.blocks ?? []
  if (!blocks.length) return null
  const end = blocks.reduce((m, b) => (b.end > m ? b.end : m), blocks[0]!.end)
  return { start: zonedInstant(day.date, blocks[0]!.start, tz), end: zonedInstant(day.date, end, tz) }
}

/** When the school day `date` ends (the last block's end in SCHOOL_TZ), or null with no schedule. For bus, eighth, signage. */
export async function endOfSchoolDay(deps: ScheduleDeps, date: string): Promise<Date | null> {
  return schoolDayBounds(await scheduleFor(deps, date), deps.config.schoolTz)?.end ?? null
}
