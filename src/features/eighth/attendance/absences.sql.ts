import type { Db } from '../../../platform/db.ts'
import { sponsorsOf, type SponsorJson } from './fragments.sql.ts'

// Absences: a signup marked absent on a scheduled activity whose attendance was taken.

export type AbsenceRow = {
  signupId: number
  scheduledActivityId: number
  blockId: number
  date: string
  blockLetter: string
  name: string
  title: string
  sponsors: SponsorJson[]
}

/** A student's absences, ordered by block. One statement. */
export async function absencesOf(db: Db, userId: number): Promise<AbsenceRow[]> {
  return db<AbsenceRow[]>`
    SELECT s.id AS signup_id, sa.id AS scheduled_activity_id, b.id AS block_id, b.date, b.block_letter, a.name, sa.title,
           ${sponsorsOf(db)} AS sponsors
    FROM eighth_signups s
    JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    JOIN eighth_blocks b ON b.id = s.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE s.user_id = ${userId} AND s.was_absent AND sa.attendance_taken
    ORDER BY b.date, b.block_letter`
}

export type AbsenceUser = { id: number; username: string; firstName: string; lastName: string; nickname: string; userType: string; studentId: string | null }

export async function absenceUser(db: Db, userId: number): Promise<AbsenceUser | null> {
  const [row] = await db<AbsenceUser[]>`SELECT id, username, first_name, last_name, nickname, user_type, student_id FROM users WHERE id = ${userId}`
  return row ?? null
}

/** Clears one absence (the office); null when it was not an absence. */
export async function clearAbsenceRow(db: Db, signupId: number): Promise<{ userId: number; scheduledActivityId: number } | null> {
  const [row] = await db<{ userId: number; scheduledActivityId: number }[]>`
    UPDATE eighth_signups s SET was_absent = false
    FROM eighth_scheduled_activities sa
    WHERE s.id = ${signupId} AND sa.id = s.scheduled_activity_id AND s.was_absent AND sa.attendance_taken
    RETURNING s.user_id, s.scheduled_activity_id`
  return row ?? null
}

export type UnsentAbsence = {
  signupId: number
  userId: number
  wantsEmail: boolean
  email: string | null
  date: string
  blockLetter: string
  name: string
  title: string
  sponsors: SponsorJson[]
}

/**
 * Absences on blocks dated [from, to] not yet handled by the absence email, locked for this run
 * (SKIP LOCKED: two instances never handle one absence twice). One statement.
 */
export async function claimUnsentAbsences(db: Db, from: string, to: string, limit: number): Promise<UnsentAbsence[]> {
  return db<UnsentAbsence[]>`
    SELECT s.id AS signup_id, u.id AS user_id, (u.receive_eighth_emails AND u.active) AS wants_email,
           (SELECT e.address FROM emails e WHERE e.user_id = u.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS email,
           b.date, b.block_letter, a.name, sa.title, ${sponsorsOf(db)} AS sponsors
    FROM eighth_signups s
    JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    JOIN eighth_blocks b ON b.id = s.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    JOIN users u ON u.id = s.user_id
    WHERE s.was_absent AND NOT s.absence_emailed AND sa.attendance_taken AND b.date BETWEEN ${from} AND ${to}
    ORDER BY s.id
    LIMIT ${limit}
    FOR UPDATE OF s SKIP LOCKED`
}

export async function markAbsencesEmailed(db: Db, signupIds: number[]): Promise<void> {
  if (signupIds.length) await db`UPDATE eighth_signups SET absence_emailed = true WHERE id = ANY(${signupIds}::int[])`
}
