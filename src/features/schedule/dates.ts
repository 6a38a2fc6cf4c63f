import { localParts } from '../../platform/clock.ts'
import { addDays, weekdayOf } from '../../platform/zoned.ts'

// Calendar arithmetic for the bell schedule. Dates are 'YYYY-MM-DD' strings; "now" is always an
// instant from the injected clock, read in the school's time zone.

/** From 17:00 (school time) on a weekday, "today" means the next school day. */
export const ROLL_HOUR = 17

export const isWeekend = (date: string) => {
  const w = weekdayOf(date)
  return w === 0 || w === 6
}

/** A real calendar date written YYYY-MM-DD (2026-02-30 is not one), or null. */
export function parseIsoDate(s: string | undefined | null): string | null {
  if (typeof s !== 'string') return null
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (y < 1900 || y > 2999 || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null
  return s
}

/** 'YYYY-MM' → its first day, or null. */
export function parseMonth(s: string | undefined | null): string | null {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}$/.test(s)) return null
  return parseIsoDate(`${s}-01`)
}

/** The next weekday after `date` (Friday → Monday). */
export function nextSchoolDay(date: string): string {
  let d = addDays(date, 1)
  while (isWeekend(d)) d = addDays(d, 1)
  return d
}

/** The weekday before `date` (Monday → Friday). */
export function prevSchoolDay(date: string): string {
  let d = addDays(date, -1)
  while (isWeekend(d)) d = addDays(d, -1)
  return d
}

/**
 * Ion's schedule_context: with no date asked for, today; but on a weekday from 17:00 the next
 * school day, and on a weekend the Monday after. (Ion's code tests `hour > 17`; ion-apps.md §11
 * says "after 17:00", which is what we do: 16:59 is still today, 17:00 is tomorrow.)
 */
export function defaultDate(now: Date, tz: string): string {
  const p = localParts(now, tz)
  if (p.weekday >= 1 && p.weekday <= 5) return p.hour >= ROLL_HOUR ? nextSchoolDay(p.date) : p.date
  return nextSchoolDay(p.date)
}

export type Resolved = { date: string; prev: string; next: string; today: string }

/**
 * The date a schedule page shows: `?date=` exactly as given (weekends included), else
 * defaultDate. `prev`/`next` are the arrows' dates and skip weekends. A malformed date → null.
 */
export function resolveDate(asked: string | undefined, now: Date, tz: string): Resolved | null {
  const today = defaultDate(now, tz)
  const date = asked === undefined || asked === '' ? today : parseIsoDate(asked)
  if (!date) return null
  return { date, prev: prevSchoolDay(date), next: nextSchoolDay(date), today }
}

export const badDateMessage = (raw: string) =>
  `"${raw.slice(0, 40)}" is not a date. Use the form YYYY-MM-DD, for example 2026-09-08.`

/** Monday of the week `date` is in (Sunday belongs to the week before it ends: the next Monday). */
export function mondayOf(date: string): string {
  const w = weekdayOf(date)
  return addDays(date, w === 0 ? 1 : 1 - w)
}

/** The five weekdays of `date`'s week. */
export const weekDates = (date: string) => [0, 1, 2, 3, 4].map((i) => addDays(mondayOf(date), i))

/** Mon–Fri weeks that touch `first`'s month (4 or 5 of them). Days outside it are still listed. */
export function monthWeeks(first: string): string[][] {
  const month = first.slice(0, 7)
  const weeks: string[][] = []
  for (let mon = mondayOf(first); ; mon = addDays(mon, 7)) {
    const days = weekDates(mon)
    if (!days.some((d) => d.startsWith(month))) {
      if (mon > first) break
      continue
    }
    weeks.push(days)
  }
  return weeks
}

/** Every date of the month starting at `first`. */
export function monthDates(first: string): string[] {
  const out: string[] = []
  for (let d = first; d.slice(0, 7) === first.slice(0, 7); d = addDays(d, 1)) out.push(d)
  return out
}

export function addMonths(first: string, n: number): string {
  const [y, m] = first.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 10)
}

/** The school year around `today`: Aug 1 – Jul 31 when the year turns over in July. */
export function schoolYear(today: string, turnoverMonth: number): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number) as [number, number]
  const startMonth = (turnoverMonth % 12) + 1
  const startYear = m >= startMonth ? y : y - 1
  const from = `${startYear}-${String(startMonth).padStart(2, '0')}-01`
  return { from, to: addDays(addMonths(from, 12), -1) }
}

/** Ion's default fill: Monday "Anchor Day", Tuesday/Thursday "Blue Day", Wednesday/Friday "Red Day". */
export const DEFAULT_FILL: Record<number, string> = { 1: 'Anchor Day', 2: 'Blue Day', 3: 'Red Day', 4: 'Blue Day', 5: 'Red Day' }
export const DEFAULT_FILL_NAMES = ['Anchor Day', 'Blue Day', 'Red Day']
