import type { Db } from '../../../../platform/db.ts'
import { sponsorsOf, type SponsorJson } from '../../attendance/fragments.sql.ts'

// The office dashboard: today's blocks and the next date's, with signup counts, and the
// activities whose attendance is still not taken. Two statements.

export type DashBlock = {
  id: number
  date: string
  blockLetter: string
  locked: boolean
  students: number
  signed: number
  inCancelled: number
  activities: number
  openPasses: number
}

/**
 * Blocks dated today and on the next date after today. "Current students" are active students
 * of this school year's classes (graduation year ≥ the seniors'); signed = those with a signup.
 */
export async function dashboardBlocks(db: Db, today: string, seniorYear: number): Promise<DashBlock[]> {
  return db<DashBlock[]>`
    WITH cur AS (SELECT id FROM users WHERE user_type = 'student' AND active AND graduation_year >= ${seniorYear}),
    blocks AS (
      SELECT * FROM eighth_blocks
      WHERE date = ${today} OR date = (SELECT min(date) FROM eighth_blocks WHERE date > ${today})
    )
    SELECT b.id, b.date, b.block_letter, b.locked,
           (SELECT count(*) FROM cur)::int AS students,
           (SELECT count(*) FROM eighth_signups s JOIN cur ON cur.id = s.user_id WHERE s.block_id = b.id)::int AS signed,
           (SELECT count(*) FROM eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
            WHERE s.block_id = b.id AND sa.cancelled)::int AS in_cancelled,
           (SELECT count(*) FROM eighth_scheduled_activities sa WHERE sa.block_id = b.id AND NOT sa.cancelled)::int AS activities,
           (SELECT count(*) FROM eighth_signups s WHERE s.block_id = b.id AND s.after_deadline AND NOT s.pass_accepted)::int AS open_passes
    FROM blocks b
    ORDER BY b.date, b.block_letter`
}

export type NotTaken = {
  id: number
  date: string
  blockLetter: string
  name: string
  title: string
  members: number
  sponsors: SponsorJson[]
}

/** Held activities with signups on blocks dated [from, to] whose attendance is not taken. */
export async function attendanceNotTaken(db: Db, from: string, to: string, limit: number): Promise<NotTaken[]> {
  return db<NotTaken[]>`
    SELECT sa.id, b.date, b.block_letter, a.name, sa.title, m.members, ${sponsorsOf(db)} AS sponsors
    FROM eighth_scheduled_activities sa
    JOIN eighth_blocks b ON b.id = sa.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    JOIN LATERAL (SELECT count(*)::int AS members FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id) m ON m.members > 0
    WHERE b.date BETWEEN ${from} AND ${to} AND NOT sa.cancelled AND NOT sa.attendance_taken
    ORDER BY b.date DESC, b.block_letter, lower(a.name)
    LIMIT ${limit}`
}

export async function openPassCount(db: Db, from: string): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM eighth_signups s JOIN eighth_blocks b ON b.id = s.block_id
    WHERE s.after_deadline AND NOT s.pass_accepted AND b.date >= ${from}`
  return row!.n
}
