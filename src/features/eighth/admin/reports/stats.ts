import type { Deps } from '../../../../platform/http.ts'
import { trueCapacity } from '../../effective.ts'
import { schoolYear } from '../../profile.ts'
import { blockStats, statsActivity, studentCounts, type BlockStat, type StatsActivity, type StudentCount } from './stats.sql.ts'

// Ion's activity statistics (/eighth/activity/statistics/<aid>): per block signups and
// attendance, totals and averages over one school year.

export type BlockPoint = BlockStat & { capacity: number; total: number }
export type Totals = {
  blocks: number
  scheduled: number
  cancelled: number
  empty: number
  signups: number
  perBlock: number
  perStudent: number
  attendanceTaken: number
  present: number
  absent: number
}
export type StatsModel = {
  activity: StatsActivity
  year: number
  range: { start: string; end: string }
  points: BlockPoint[]
  totals: Totals
  unique: number
  top: StudentCount[]
}

/** The school year that starts in August of `year`. */
export const yearRange = (year: number) => ({ start: `${year}-08-01`, end: `${year + 1}-07-31` })
export const currentYear = (deps: Deps) => Number(schoolYear(deps.clock.today(), deps.config.yearTurnoverMonth).start.slice(0, 4))

const round1 = (n: number) => Math.round(n * 10) / 10

export function totalsOf(points: BlockPoint[], unique: number): Totals {
  const live = points.filter((p) => !p.cancelled)
  const signups = live.reduce((a, p) => a + p.total, 0)
  const taken = live.filter((p) => p.attendanceTaken)
  return {
    blocks: points.length,
    scheduled: live.length,
    cancelled: points.length - live.length,
    empty: live.filter((p) => p.total === 0).length,
    signups,
    perBlock: live.length ? round1(signups / live.length) : 0,
    perStudent: unique ? round1(signups / unique) : 0,
    attendanceTaken: taken.length,
    present: taken.reduce((a, p) => a + p.present, 0),
    absent: taken.reduce((a, p) => a + p.absent, 0),
  }
}

export async function loadStats(deps: Deps, activityId: number, year: number): Promise<StatsModel | null> {
  const activity = await statsActivity(deps.sql, activityId)
  if (!activity) return null
  const range = yearRange(year)
  const [rows, students] = await Promise.all([
    blockStats(deps.sql, activityId, range.start, range.end),
    studentCounts(deps.sql, activityId, range.start, range.end, 20),
  ])
  const points = rows.map((r) => ({
    ...r,
    // Students who left since keep counting (Ion's archived_member_count).
    total: r.signups + r.archived,
    capacity: trueCapacity({ saCapacity: r.saCapacity, saRoomCaps: r.saRoomCaps, activityDefaultCapacity: activity.defaultCapacity, activityRoomCaps: activity.roomCaps }),
  }))
  return { activity, year, range, points, totals: totalsOf(points, students.unique), unique: students.unique, top: students.top }
}
