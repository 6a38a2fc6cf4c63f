import type { Deps } from '../../platform/http.ts'
import { localParts } from '../../platform/clock.ts'
import { zonedInstant } from '../../platform/zoned.ts'
import { endOfSchoolDay } from '../schedule/index.ts'

/**
 * When "on time" becomes "has not arrived yet": five minutes before the end of the school day —
 * the bell schedule's last block when today has one, else BUS_DAY_END on a weekday; null on a
 * weekend without a schedule. The schedule being unreadable is not worth failing the board for.
 */
export async function lateAt(deps: Pick<Deps, 'sql' | 'redis' | 'config' | 'log'>, now: Date): Promise<Date | null> {
  const tz = deps.config.schoolTz
  const { date, weekday } = localParts(now, tz)
  let end: Date | null = null
  try {
    end = await endOfSchoolDay(deps, date)
  } catch (e) {
    deps.log.warn('bus: bell schedule unavailable; using BUS_DAY_END', { error: String((e as Error)?.message ?? e) })
  }
  if (!end) {
    if (weekday === 0 || weekday === 6) return null
    end = zonedInstant(date, deps.config.busDayEnd, tz)
  }
  return new Date(end.getTime() - 5 * 60_000)
}
