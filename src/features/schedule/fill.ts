import type { Db } from '../../platform/db.ts'
import { addDays, weekdayOf } from '../../platform/zoned.ts'
import { fillDays } from './admin.sql.ts'
import { dayTypeIdsByName } from './schedule.sql.ts'
import { DEFAULT_FILL, DEFAULT_FILL_NAMES } from './dates.ts'

// Ion's default fill (the month admin's button, and the demo seed for a whole school year):
// every weekday from `from` to `to` that has no schedule gets Monday "Anchor Day", Tuesday and
// Thursday "Blue Day", Wednesday and Friday "Red Day". Days that have one keep it.

export type FillResult = { ok: true; filled: string[] } | { ok: false; missing: string[] }

export const missingTypesMessage = (missing: string[]) =>
  `Make sure you have day types defined for Anchor Days, Blue Days, and Red Days: ${missing.map((n) => `"${n}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing.`

export async function defaultFill(db: Db, from: string, to: string, now: Date): Promise<FillResult> {
  const ids = await dayTypeIdsByName(db, DEFAULT_FILL_NAMES)
  const missing = DEFAULT_FILL_NAMES.filter((n) => !ids.has(n.toLowerCase()))
  if (missing.length) return { ok: false, missing }
  const rows: { date: string; dayTypeId: number }[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const name = DEFAULT_FILL[weekdayOf(d)]
    if (name) rows.push({ date: d, dayTypeId: ids.get(name.toLowerCase())! })
  }
  return { ok: true, filled: await fillDays(db, rows, now) }
}
