import type { Db } from '../../../platform/db.ts'
import { roomsOf, sponsoredBy, sponsorsOf, type RoomJson, type SponsorJson } from './fragments.sql.ts'

// Rosters and attendance: reading a scheduled activity with its members, and the writes that
// record who was there. Each write is one statement over the whole roster.

export type RosterHead = {
  id: number
  blockId: number
  date: string
  blockLetter: string
  blockLocked: boolean
  activityId: number
  name: string
  title: string
  cancelled: boolean
  attendanceTaken: boolean
  deleted: boolean
  special: boolean
  bothBlocks: boolean
  sponsors: SponsorJson[]
  rooms: RoomJson[]
  /** The viewer sponsors it (Ion's for_sponsor). */
  mine: boolean
}

export async function rosterHead(db: Db, scheduledId: number, viewerId: number): Promise<RosterHead | null> {
  const [row] = await db<RosterHead[]>`
    SELECT sa.id, sa.block_id, b.date, b.block_letter, b.locked AS block_locked, sa.activity_id, a.name, sa.title, sa.cancelled,
           sa.attendance_taken, a.deleted, (sa.special OR a.special) AS special, (sa.both_blocks OR a.both_blocks) AS both_blocks,
           ${sponsorsOf(db)} AS sponsors, ${roomsOf(db)} AS rooms, ${sponsoredBy(db, viewerId)} AS mine
    FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE sa.id = ${scheduledId}`
  return row ?? null
}

export type RosterMember = {
  signupId: number
  userId: number
  firstName: string
  lastName: string
  nickname: string
  studentId: string | null
  graduationYear: number | null
  wasAbsent: boolean
  afterDeadline: boolean
  passAccepted: boolean
}

export async function rosterMembers(db: Db, scheduledId: number): Promise<RosterMember[]> {
  return db<RosterMember[]>`
    SELECT s.id AS signup_id, u.id AS user_id, u.first_name, u.last_name, u.nickname, u.student_id, u.graduation_year,
           s.was_absent, s.after_deadline, s.pass_accepted
    FROM eighth_signups s JOIN users u ON u.id = s.user_id
    WHERE s.scheduled_activity_id = ${scheduledId}
    ORDER BY lower(u.last_name), lower(u.first_name), u.id`
}

/** Locks the scheduled activity for an attendance write. */
export async function lockForAttendance(db: Db, scheduledId: number): Promise<{ attendanceTaken: boolean; cancelled: boolean } | null> {
  const [row] = await db<{ attendanceTaken: boolean; cancelled: boolean }[]>`
    SELECT attendance_taken, cancelled FROM eighth_scheduled_activities WHERE id = ${scheduledId} FOR UPDATE`
  return row ?? null
}

export async function memberIds(db: Db, scheduledId: number): Promise<number[]> {
  const rows = await db<{ userId: number }[]>`SELECT user_id FROM eighth_signups WHERE scheduled_activity_id = ${scheduledId} ORDER BY user_id`
  return rows.map((r) => r.userId)
}

/** Members with the names a Google Meet file can match them by (student ID, username). */
export async function memberLogins(db: Db, scheduledId: number): Promise<{ userId: number; studentId: string | null; username: string }[]> {
  return db<{ userId: number; studentId: string | null; username: string }[]>`
    SELECT u.id AS user_id, u.student_id, u.username
    FROM eighth_signups s JOIN users u ON u.id = s.user_id
    WHERE s.scheduled_activity_id = ${scheduledId}
    ORDER BY u.id`
}

/** Accepts every open pass of the scheduled activity (present) if its block is locked; returns the students. */
export async function acceptOpenPasses(db: Db, scheduledId: number): Promise<number[]> {
  const rows = await db<{ userId: number }[]>`
    UPDATE eighth_signups SET pass_accepted = true, was_absent = false
    WHERE scheduled_activity_id = ${scheduledId} AND after_deadline AND NOT pass_accepted
      AND EXISTS (SELECT 1 FROM eighth_blocks b WHERE b.id = eighth_signups.block_id AND b.locked)
    RETURNING user_id`
  return rows.map((r) => r.userId).sort((a, b) => a - b)
}

/**
 * Records the whole roster: the listed students present, everyone else absent, and an
 * unaccepted pass always absent. Marks attendance taken. Returns each member's new state.
 */
export async function recordAttendance(db: Db, scheduledId: number, presentIds: number[], now: Date): Promise<{ userId: number; wasAbsent: boolean }[]> {
  const rows = await db<{ userId: number; wasAbsent: boolean }[]>`
    UPDATE eighth_signups
    SET was_absent = (after_deadline AND NOT pass_accepted) OR NOT (user_id = ANY(${presentIds}::int[]))
    WHERE scheduled_activity_id = ${scheduledId}
    RETURNING user_id, was_absent`
  await markTaken(db, scheduledId, now)
  return rows
}

/** Everyone absent (a cancelled activity: Ion's "take attendance for a cancelled activity"). */
export async function recordAllAbsent(db: Db, scheduledId: number, now: Date): Promise<number[]> {
  const rows = await db<{ userId: number }[]>`
    UPDATE eighth_signups SET was_absent = true WHERE scheduled_activity_id = ${scheduledId} RETURNING user_id`
  await markTaken(db, scheduledId, now)
  return rows.map((r) => r.userId)
}

/** One student's mark; an unaccepted pass is not changed here (decide the pass first). */
export async function recordOne(db: Db, scheduledId: number, userId: number, present: boolean): Promise<boolean> {
  const rows = await db`
    UPDATE eighth_signups SET was_absent = ${!present}
    WHERE scheduled_activity_id = ${scheduledId} AND user_id = ${userId} AND NOT (after_deadline AND NOT pass_accepted)
    RETURNING id`
  return rows.length === 1
}

async function markTaken(db: Db, scheduledId: number, now: Date): Promise<void> {
  await db`UPDATE eighth_scheduled_activities SET attendance_taken = true, updated_at = ${now} WHERE id = ${scheduledId}`
}

/** The scheduled activity and student of a signup (pass decisions). */
export async function signupPlace(db: Db, signupId: number): Promise<{ scheduledActivityId: number; userId: number; afterDeadline: boolean; passAccepted: boolean } | null> {
  const [row] = await db<{ scheduledActivityId: number; userId: number; afterDeadline: boolean; passAccepted: boolean }[]>`
    SELECT scheduled_activity_id, user_id, after_deadline, pass_accepted FROM eighth_signups WHERE id = ${signupId}`
  return row ?? null
}

export type SponsoredRow = {
  id: number
  blockId: number
  date: string
  blockLetter: string
  blockLocked: boolean
  name: string
  title: string
  cancelled: boolean
  attendanceTaken: boolean
  members: number
  openPasses: number
}

/**
 * Scheduled activities in the blocks dated [from, to] — the viewer's (for_sponsor, deleted
 * activities left out), or every one when `all` — with member and open-pass counts. One statement.
 */
export async function scheduledInRange(db: Db, o: { viewerId: number; all: boolean; from: string; to: string; blockId?: number; includeCancelled: boolean; limit: number }): Promise<SponsoredRow[]> {
  return db<SponsoredRow[]>`
    SELECT sa.id, sa.block_id, b.date, b.block_letter, b.locked AS block_locked, a.name, sa.title, sa.cancelled, sa.attendance_taken,
           count(s.id)::int AS members, (count(s.id) FILTER (WHERE s.after_deadline AND NOT s.pass_accepted))::int AS open_passes
    FROM eighth_scheduled_activities sa
    JOIN eighth_blocks b ON b.id = sa.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    LEFT JOIN eighth_signups s ON s.scheduled_activity_id = sa.id
    WHERE b.date BETWEEN ${o.from} AND ${o.to}
      AND (${o.blockId ?? null}::int IS NULL OR sa.block_id = ${o.blockId ?? null}::int)
      AND (${o.includeCancelled} OR NOT sa.cancelled)
      AND (${o.all} OR (NOT a.deleted AND ${sponsoredBy(db, o.viewerId)}))
    GROUP BY sa.id, b.id, a.id
    ORDER BY b.date, b.block_letter, lower(a.name), sa.id
    LIMIT ${o.limit}`
}

export type BlockPick = { id: number; date: string; blockLetter: string; locked: boolean; activities: number; notTaken: number }

/** Blocks dated [from, to] with how many of the viewer's (or all) activities each has. One statement. */
export async function blocksForPicker(db: Db, o: { viewerId: number; all: boolean; from: string; to: string }): Promise<BlockPick[]> {
  return db<BlockPick[]>`
    SELECT b.id, b.date, b.block_letter, b.locked,
           count(sa.id)::int AS activities,
           (count(sa.id) FILTER (WHERE NOT sa.attendance_taken AND NOT sa.cancelled))::int AS not_taken
    FROM eighth_blocks b
    LEFT JOIN eighth_scheduled_activities sa ON sa.block_id = b.id
      AND (${o.all} OR (NOT sa.cancelled AND EXISTS (SELECT 1 FROM eighth_activities a WHERE a.id = sa.activity_id AND NOT a.deleted) AND ${sponsoredBy(db, o.viewerId)}))
    WHERE b.date BETWEEN ${o.from} AND ${o.to}
    GROUP BY b.id
    ORDER BY b.date, b.block_letter`
}

export async function blockById(db: Db, id: number): Promise<BlockPick | null> {
  const [row] = await db<BlockPick[]>`SELECT id, date, block_letter, locked, 0 AS activities, 0 AS not_taken FROM eighth_blocks WHERE id = ${id}`
  return row ?? null
}
