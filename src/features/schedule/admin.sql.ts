import type { Db } from '../../platform/db.ts'

// Writes of the bell schedule (the schedule admin's edits and the demo seed). Callers run them
// in a transaction with the audit row.

export type BlockInput = { order: number; name: string; start: string; end: string }
export type DayTypeInput = { name: string; special: boolean; codenames: string[] }

/** Another day type already has this name (ignoring case)? */
export async function nameTaken(db: Db, name: string, exceptId: number | null = null): Promise<boolean> {
  const rows = await db`
    SELECT 1 FROM schedule_day_types WHERE lower(name) = lower(${name}) AND (${exceptId}::int IS NULL OR id <> ${exceptId}::int)`
  return rows.length > 0
}

export async function insertDayType(db: Db, t: DayTypeInput, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO schedule_day_types (name, special, codenames, created_at, updated_at)
    VALUES (${t.name}, ${t.special}, ${t.codenames}, ${now}, ${now}) RETURNING id`
  return row!.id
}

export async function updateDayType(db: Db, id: number, t: DayTypeInput, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE schedule_day_types SET name = ${t.name}, special = ${t.special}, codenames = ${t.codenames}, updated_at = ${now}
    WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

/** The day type's blocks become exactly `blocks`. */
export async function replaceBlocks(db: Db, dayTypeId: number, blocks: BlockInput[]): Promise<void> {
  await db`DELETE FROM schedule_blocks WHERE day_type_id = ${dayTypeId}`
  if (!blocks.length) return
  await db`INSERT INTO schedule_blocks ${db(blocks.map((b) => ({
    dayTypeId, sortOrder: b.order, name: b.name, startTime: b.start, endTime: b.end,
  })))}`
}

/** A copy of day type `id` (blocks included) named `name`; null when `id` does not exist. */
export async function copyDayType(db: Db, id: number, name: string, now: Date): Promise<number | null> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO schedule_day_types (name, special, codenames, created_at, updated_at)
    SELECT ${name}, special, codenames, ${now}, ${now} FROM schedule_day_types WHERE id = ${id} RETURNING id`
  if (!row) return null
  await db`
    INSERT INTO schedule_blocks (day_type_id, sort_order, name, start_time, end_time)
    SELECT ${row.id}, sort_order, name, start_time, end_time FROM schedule_blocks WHERE day_type_id = ${id}`
  return row.id
}

/** Deletes a day type (its blocks and the days using it go with it). */
export async function deleteDayType(db: Db, id: number): Promise<{ name: string; days: number } | null> {
  const [row] = await db<{ name: string; days: number }[]>`
    WITH gone AS (DELETE FROM schedule_day_types WHERE id = ${id} RETURNING id, name)
    SELECT name, (SELECT count(*)::int FROM schedule_days WHERE day_type_id = ${id}) AS days FROM gone`
  return row ?? null
}

export async function dayTypeName(db: Db, id: number): Promise<string | null> {
  const [row] = await db<{ name: string }[]>`SELECT name FROM schedule_day_types WHERE id = ${id}`
  return row?.name ?? null
}

/** Names for copies: every existing name that starts like `prefix` (ignoring case). */
export async function namesLike(db: Db, prefix: string): Promise<string[]> {
  const pattern = prefix.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%'
  const rows = await db<{ name: string }[]>`SELECT name FROM schedule_day_types WHERE lower(name) LIKE ${pattern}`
  return rows.map((r) => r.name)
}

/** Sets a date's day type; `comment` null keeps the date's comment. */
export async function upsertDay(db: Db, date: string, dayTypeId: number, comment: string | null, now: Date): Promise<void> {
  await db`
    INSERT INTO schedule_days (date, day_type_id, comment, updated_at) VALUES (${date}, ${dayTypeId}, ${comment ?? ''}, ${now})
    ON CONFLICT (date) DO UPDATE SET day_type_id = EXCLUDED.day_type_id,
      comment = CASE WHEN ${comment}::text IS NULL THEN schedule_days.comment ELSE EXCLUDED.comment END, updated_at = EXCLUDED.updated_at`
}

export async function deleteDay(db: Db, date: string): Promise<boolean> {
  return (await db`DELETE FROM schedule_days WHERE date = ${date} RETURNING date`).length > 0
}

/** Inserts the days that have no schedule yet; returns the dates that were filled. */
export async function fillDays(db: Db, rows: { date: string; dayTypeId: number }[], now: Date): Promise<string[]> {
  if (!rows.length) return []
  const out = await db<{ date: string }[]>`
    INSERT INTO schedule_days ${db(rows.map((r) => ({ date: r.date, dayTypeId: r.dayTypeId, comment: '', updatedAt: now })))}
    ON CONFLICT (date) DO NOTHING RETURNING date`
  return out.map((r) => r.date).sort()
}

/** The seed's "already there?" check. */
export async function dayTypeCount(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM schedule_day_types`
  return row?.n ?? 0
}
