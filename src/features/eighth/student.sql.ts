import type { Db } from '../../platform/db.ts'
import type { SponsorName } from './effective.ts'

// A student's eighth period outside the signup page: the dashboard widget and the profile.

export type WidgetBlock = {
  id: number
  date: string
  blockLetter: string
  locked: boolean
  activityName: string | null
  title: string | null
  cancelled: boolean | null
  saRooms: string[]
  actRooms: string[]
}

/** The blocks of the next three dates from today, with the student's signup and its rooms. One statement. */
export async function nextBlocks(db: Db, userId: number, today: string): Promise<WidgetBlock[]> {
  return db<WidgetBlock[]>`
    SELECT b.id, b.date, b.block_letter, b.locked, a.name AS activity_name, sa.title, sa.cancelled,
           ARRAY(SELECT r.name FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.scheduled_activity_id = sa.id ORDER BY r.name) AS sa_rooms,
           ARRAY(SELECT r.name FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.activity_id = a.id ORDER BY r.name) AS act_rooms
    FROM eighth_blocks b
    LEFT JOIN eighth_signups s ON s.block_id = b.id AND s.user_id = ${userId}
    LEFT JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    LEFT JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE b.date IN (SELECT DISTINCT date FROM eighth_blocks WHERE date >= ${today} ORDER BY date LIMIT 3)
    ORDER BY b.date, b.block_letter`
}

export type ProfileUser = { id: number; username: string; firstName: string; lastName: string; nickname: string; userType: string; studentId: string | null }

export async function profileUser(db: Db, userId: number): Promise<ProfileUser | null> {
  const [row] = await db<ProfileUser[]>`
    SELECT id, username, first_name, last_name, nickname, user_type, student_id FROM users WHERE id = ${userId}`
  return row ?? null
}

export type ProfileRow = {
  blockId: number
  date: string
  blockLetter: string
  locked: boolean
  schactId: number | null
  activityName: string | null
  title: string | null
  cancelled: boolean | null
  attendanceTaken: boolean | null
  wasAbsent: boolean | null
  afterDeadline: boolean | null
  saRooms: string[]
  actRooms: string[]
  saSponsors: SponsorName[]
  actSponsors: SponsorName[]
}

/**
 * The school year's blocks [start, end] that the student signed up for, and every block from
 * `today` on (signed up or not), with rooms and sponsors. One statement.
 */
export async function profileBlocks(db: Db, userId: number, start: string, end: string, today: string): Promise<ProfileRow[]> {
  return db<ProfileRow[]>`
    SELECT b.id AS block_id, b.date, b.block_letter, b.locked, sa.id AS schact_id, a.name AS activity_name, sa.title, sa.cancelled,
           sa.attendance_taken, s.was_absent, s.after_deadline,
           ARRAY(SELECT r.name FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.scheduled_activity_id = sa.id ORDER BY r.name) AS sa_rooms,
           ARRAY(SELECT r.name FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.activity_id = a.id ORDER BY r.name) AS act_rooms,
           COALESCE((SELECT json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name) ORDER BY sp.last_name)
                     FROM eighth_scheduled_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.scheduled_activity_id = sa.id), '[]') AS sa_sponsors,
           COALESCE((SELECT json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name) ORDER BY sp.last_name)
                     FROM eighth_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.activity_id = a.id), '[]') AS act_sponsors
    FROM eighth_blocks b
    LEFT JOIN eighth_signups s ON s.block_id = b.id AND s.user_id = ${userId}
    LEFT JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    LEFT JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE b.date BETWEEN ${start} AND ${end} AND (s.id IS NOT NULL OR b.date >= ${today})
    ORDER BY b.date, b.block_letter`
}
