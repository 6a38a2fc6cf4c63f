import type postgres from 'postgres'
import type { Db } from '../../platform/db.ts'

// Reads of the bell schedule. Times leave PostgreSQL as 'HH:MM' (24-hour); blocks are in the
// order of their start time.

export type Block = { order: number; name: string; start: string; end: string }
export type DayType = { id: number; name: string; special: boolean; codenames: string[]; blocks: Block[] }
/** A date's schedule. `dayType` null: no Day is stored for that date. */
export type DaySchedule = { date: string; comment: string; dayType: DayType | null }

type DayRow = { date: string; comment: string; id: number; name: string; special: boolean; codenames: string[]; blocks: Block[]; total?: number }

type Fragment = postgres.PendingQuery<postgres.Row[]>

/** The blocks of the day type whose id is `typeId` (a column reference), as a JSON array. */
const blocksJson = (db: Db, typeId: Fragment) => db`
  COALESCE((
    SELECT json_agg(json_build_object(
      'order', b.sort_order, 'name', b.name, 'start', to_char(b.start_time, 'HH24:MI'), 'end', to_char(b.end_time, 'HH24:MI')
    ) ORDER BY b.start_time, b.sort_order)
    FROM schedule_blocks b WHERE b.day_type_id = ${typeId}
  ), '[]'::json)`

const toDay = (r: DayRow): DaySchedule => ({
  date: r.date,
  comment: r.comment,
  dayType: { id: r.id, name: r.name, special: r.special, codenames: r.codenames, blocks: r.blocks },
})

function selectDays(db: Db, where: Fragment, tail?: Fragment, withTotal = false) {
  return db<DayRow[]>`
    SELECT d.date, d.comment, t.id, t.name, t.special, t.codenames, ${blocksJson(db, db`t.id`)} AS blocks
      ${withTotal ? db`, count(*) OVER ()::int AS total` : db``}
    FROM schedule_days d JOIN schedule_day_types t ON t.id = d.day_type_id
    WHERE ${where}
    ORDER BY d.date
    ${tail ?? db``}`
}

/** One date's schedule (one statement). */
export async function dayOn(db: Db, date: string): Promise<DaySchedule> {
  const [row] = await selectDays(db, db`d.date = ${date}`)
  return row ? toDay(row) : { date, comment: '', dayType: null }
}

/** Stored days from `from` to `to`, by date. */
export async function daysBetween(db: Db, from: string, to: string): Promise<DaySchedule[]> {
  return (await selectDays(db, db`d.date BETWEEN ${from} AND ${to}`)).map(toDay)
}

/** Stored days from `today` on, one page, with the total count (the API's list). */
export async function futureDays(db: Db, today: string, limit: number, offset: number): Promise<{ total: number; days: DaySchedule[] }> {
  const rows = await selectDays(db, db`d.date >= ${today}`, db`LIMIT ${limit} OFFSET ${offset}`, true)
  if (rows.length) return { total: rows[0]!.total ?? 0, days: rows.map(toDay) }
  const [c] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM schedule_days WHERE date >= ${today}`
  return { total: c?.n ?? 0, days: [] }
}

export type DayTypeSummary = { id: number; name: string; special: boolean; blockCount: number; dayCount: number }

export async function dayTypeSummaries(db: Db): Promise<DayTypeSummary[]> {
  return db<DayTypeSummary[]>`
    SELECT t.id, t.name, t.special,
      (SELECT count(*)::int FROM schedule_blocks b WHERE b.day_type_id = t.id) AS block_count,
      (SELECT count(*)::int FROM schedule_days d WHERE d.day_type_id = t.id) AS day_count
    FROM schedule_day_types t ORDER BY lower(t.name)`
}

export async function dayTypeById(db: Db, id: number): Promise<DayType | null> {
  const [row] = await db<DayType[]>`
    SELECT t.id, t.name, t.special, t.codenames, ${blocksJson(db, db`t.id`)} AS blocks
    FROM schedule_day_types t WHERE t.id = ${id}`
  return row ?? null
}

/** Ids of the day types with these names (case-insensitive), keyed by the lower-cased name. */
export async function dayTypeIdsByName(db: Db, names: string[]): Promise<Map<string, number>> {
  const lowered = names.map((n) => n.toLowerCase())
  const rows = await db<{ id: number; key: string }[]>`
    SELECT id, lower(name) AS key FROM schedule_day_types WHERE lower(name) IN ${db(lowered)}`
  return new Map(rows.map((r) => [r.key, r.id]))
}
