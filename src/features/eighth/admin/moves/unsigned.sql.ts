import type { Db } from '../../../../platform/db.ts'

// Unsigned students and the signup-status emails. "Current students": user_type student, active,
// and in grades 9–12 — graduation year from this year's seniors' to three years later.

export type UnsignedRow = {
  id: number
  username: string
  firstName: string
  lastName: string
  nickname: string
  studentId: string | null
  graduationYear: number
  counselor: string | null
  /** Primary address first. */
  emails: string[]
}

/** Current students with no signup in the block, by last and first name. One statement. */
export async function unsignedRows(db: Db, blockId: number, seniorYear: number): Promise<UnsignedRow[]> {
  return db<UnsignedRow[]>`
    SELECT u.id, u.username, u.first_name, u.last_name, u.nickname, u.student_id, u.graduation_year,
           NULLIF(trim(c.last_name || ', ' || c.first_name), ',') AS counselor,
           ARRAY(SELECT address FROM emails e WHERE e.user_id = u.id ORDER BY e.is_primary DESC, e.id) AS emails
    FROM users u LEFT JOIN users c ON c.id = u.counselor_id
    WHERE u.user_type = 'student' AND u.active AND u.graduation_year BETWEEN ${seniorYear} AND ${seniorYear + 3}
      AND NOT EXISTS (SELECT 1 FROM eighth_signups s WHERE s.user_id = u.id AND s.block_id = ${blockId})
    ORDER BY lower(u.last_name), lower(u.first_name), u.id`
}

/** The ids alone, optionally only the first `limit` (by name), for a distribution or a placement. */
export async function unsignedIds(db: Db, blockId: number, seniorYear: number, limit: number | null): Promise<number[]> {
  const rows = await db<{ id: number }[]>`
    SELECT u.id FROM users u
    WHERE u.user_type = 'student' AND u.active AND u.graduation_year BETWEEN ${seniorYear} AND ${seniorYear + 3}
      AND NOT EXISTS (SELECT 1 FROM eighth_signups s WHERE s.user_id = u.id AND s.block_id = ${blockId})
    ORDER BY lower(u.last_name), lower(u.first_name), u.id
    LIMIT ${limit ?? 1_000_000}`
  return rows.map((r) => r.id)
}

/** How many current students there are, and how many of them have a signup in the block. */
export async function blockCounts(db: Db, blockId: number, seniorYear: number): Promise<{ current: number; signed: number }> {
  const [row] = await db<{ current: number; signed: number }[]>`
    SELECT count(*)::int AS current,
           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM eighth_signups s WHERE s.user_id = u.id AND s.block_id = ${blockId}))::int AS signed
    FROM users u
    WHERE u.user_type = 'student' AND u.active AND u.graduation_year BETWEEN ${seniorYear} AND ${seniorYear + 3}`
  return row!
}

/** The date of the first block on or after `from` (exclusive when `after`). */
export async function nextBlockDate(db: Db, from: string, after: boolean): Promise<string | null> {
  const [row] = await db<{ date: string | null }[]>`
    SELECT min(date) AS date FROM eighth_blocks WHERE CASE WHEN ${after} THEN date > ${from} ELSE date >= ${from} END`
  return row?.date ?? null
}

export type DayBlock = { id: number; blockLetter: string; signupTime: string; date: string }

export async function blocksOn(db: Db, date: string): Promise<DayBlock[]> {
  return db<DayBlock[]>`
    SELECT id, block_letter, to_char(signup_time, 'HH24:MI') AS signup_time, date FROM eighth_blocks WHERE date = ${date} ORDER BY block_letter`
}

export type StatusSignup = { blockId: number; name: string; title: string; cancelled: boolean }
export type StatusRecipient = { id: number; address: string; signups: StatusSignup[] }

/**
 * Current students who want eighth-period email and, on that day, have fewer signups than blocks
 * or a signup in a cancelled activity; with their notification address and that day's signups.
 */
export async function statusRecipients(db: Db, date: string, seniorYear: number): Promise<StatusRecipient[]> {
  return db<StatusRecipient[]>`
    WITH day AS (SELECT id FROM eighth_blocks WHERE date = ${date}),
    mine AS (
      SELECT s.user_id, json_agg(json_build_object('blockId', s.block_id, 'name', a.name, 'title', sa.title, 'cancelled', sa.cancelled)) AS signups,
             count(*) AS n, bool_or(sa.cancelled) AS any_cancelled
      FROM eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id JOIN eighth_activities a ON a.id = sa.activity_id
      WHERE s.block_id IN (SELECT id FROM day)
      GROUP BY s.user_id
    )
    SELECT u.id, e.address, COALESCE(m.signups, '[]') AS signups
    FROM users u
    JOIN LATERAL (SELECT address FROM emails WHERE user_id = u.id ORDER BY is_primary DESC, id LIMIT 1) e ON true
    LEFT JOIN mine m ON m.user_id = u.id
    WHERE u.user_type = 'student' AND u.active AND u.receive_eighth_emails
      AND u.graduation_year BETWEEN ${seniorYear} AND ${seniorYear + 3}
      AND (COALESCE(m.n, 0) < (SELECT count(*) FROM day) OR COALESCE(m.any_cancelled, false))
    ORDER BY u.id`
}

export type ActivityBrief = { id: number; name: string; deleted: boolean }

export async function activityBrief(db: Db, id: number): Promise<ActivityBrief | null> {
  const [row] = await db<ActivityBrief[]>`SELECT id, name, deleted FROM eighth_activities WHERE id = ${id}`
  return row ?? null
}

/** The activity's scheduling in the block, created (not cancelled) when it is missing. */
export async function ensureScheduled(db: Db, blockId: number, activityId: number): Promise<number> {
  await db`
    INSERT INTO eighth_scheduled_activities (block_id, activity_id) VALUES (${blockId}, ${activityId})
    ON CONFLICT (block_id, activity_id) DO NOTHING`
  const [row] = await db<{ id: number }[]>`SELECT id FROM eighth_scheduled_activities WHERE block_id = ${blockId} AND activity_id = ${activityId}`
  return row!.id
}
