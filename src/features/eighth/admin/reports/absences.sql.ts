import type { Db } from '../../../../platform/db.ts'
import { sponsorsOf, type SponsorJson } from '../../attendance/fragments.sql.ts'

// The office's absence reports: per student (delinquents) and per absence, and the passes
// (after-deadline signups). Each is one statement.

export type DelinquentRow = {
  userId: number
  username: string
  firstName: string
  lastName: string
  nickname: string
  studentId: string | null
  graduationYear: number | null
  email: string | null
  absences: number
}

/** Students with between min and max absences on blocks dated [from, to]; gradYears empty = all. */
export async function delinquents(db: Db, o: { from: string; to: string; min: number; max: number | null; gradYears: number[] }): Promise<DelinquentRow[]> {
  return db<DelinquentRow[]>`
    SELECT u.id AS user_id, u.username, u.first_name, u.last_name, u.nickname, u.student_id, u.graduation_year,
           (SELECT e.address FROM emails e WHERE e.user_id = u.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS email,
           x.absences
    FROM (
      SELECT s.user_id, count(*)::int AS absences
      FROM eighth_signups s
      JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
      JOIN eighth_blocks b ON b.id = s.block_id
      WHERE s.was_absent AND sa.attendance_taken AND b.date BETWEEN ${o.from} AND ${o.to}
      GROUP BY s.user_id
      HAVING count(*) >= ${o.min} AND (${o.max}::int IS NULL OR count(*) <= ${o.max}::int)
    ) x JOIN users u ON u.id = x.user_id
    WHERE u.user_type = 'student' AND (cardinality(${o.gradYears}::int[]) = 0 OR u.graduation_year = ANY(${o.gradYears}::int[]))
    ORDER BY x.absences DESC, lower(u.last_name), lower(u.first_name), u.id`
}

export type AbsenceLine = {
  signupId: number
  scheduledActivityId: number
  date: string
  blockLetter: string
  name: string
  title: string
  sponsors: SponsorJson[]
  userId: number
  firstName: string
  lastName: string
  nickname: string
  studentId: string | null
  graduationYear: number | null
}

/** Every absence on blocks dated [from, to], by block then student. */
export async function absenceLines(db: Db, o: { from: string; to: string; limit: number }): Promise<AbsenceLine[]> {
  return db<AbsenceLine[]>`
    SELECT s.id AS signup_id, sa.id AS scheduled_activity_id, b.date, b.block_letter, a.name, sa.title, ${sponsorsOf(db)} AS sponsors,
           u.id AS user_id, u.first_name, u.last_name, u.nickname, u.student_id, u.graduation_year
    FROM eighth_signups s
    JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    JOIN eighth_blocks b ON b.id = s.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    JOIN users u ON u.id = s.user_id
    WHERE s.was_absent AND sa.attendance_taken AND b.date BETWEEN ${o.from} AND ${o.to}
    ORDER BY b.date, b.block_letter, lower(u.last_name), lower(u.first_name), s.id
    LIMIT ${o.limit}`
}

export type PassLine = {
  signupId: number
  scheduledActivityId: number
  date: string
  blockLetter: string
  blockLocked: boolean
  name: string
  title: string
  time: Date
  passAccepted: boolean
  wasAbsent: boolean
  userId: number
  firstName: string
  lastName: string
  nickname: string
  studentId: string | null
  graduationYear: number | null
}

/** After-deadline signups (passes) on blocks dated [from, to]; `open` keeps only undecided ones. */
export async function passLines(db: Db, o: { from: string; to: string; open: boolean; limit: number }): Promise<PassLine[]> {
  return db<PassLine[]>`
    SELECT s.id AS signup_id, sa.id AS scheduled_activity_id, b.date, b.block_letter, b.locked AS block_locked, a.name, sa.title,
           s.time, s.pass_accepted, s.was_absent,
           u.id AS user_id, u.first_name, u.last_name, u.nickname, u.student_id, u.graduation_year
    FROM eighth_signups s
    JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    JOIN eighth_blocks b ON b.id = s.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    JOIN users u ON u.id = s.user_id
    WHERE s.after_deadline AND b.date BETWEEN ${o.from} AND ${o.to} AND (NOT ${o.open} OR NOT s.pass_accepted)
    ORDER BY b.date DESC, b.block_letter, lower(a.name), lower(u.last_name), s.id
    LIMIT ${o.limit}`
}
