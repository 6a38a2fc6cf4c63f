import type { Db } from '../../../../platform/db.ts'
import { roomsOf, sponsorsOf, type RoomJson, type SponsorJson } from '../../attendance/fragments.sql.ts'

// Rosters: a block's scheduled activities and their members, two set-based statements whatever
// the number of activities.

export type RosterActivity = {
  id: number
  activityId: number
  blockId: number
  date: string
  blockLetter: string
  blockLocked: boolean
  name: string
  title: string
  cancelled: boolean
  attendanceTaken: boolean
  sponsors: SponsorJson[]
  rooms: RoomJson[]
  members: number
}

/** The scheduled activities of a block, or one scheduled activity, ordered by name. */
export async function rosterActivities(db: Db, scope: { blockId: number } | { scheduledId: number }): Promise<RosterActivity[]> {
  const blockId = 'blockId' in scope ? scope.blockId : null
  const scheduledId = 'scheduledId' in scope ? scope.scheduledId : null
  return db<RosterActivity[]>`
    SELECT sa.id, sa.activity_id, sa.block_id, b.date, b.block_letter, b.locked AS block_locked, a.name, sa.title, sa.cancelled,
           sa.attendance_taken, ${sponsorsOf(db)} AS sponsors, ${roomsOf(db)} AS rooms,
           (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id)::int AS members
    FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE (${blockId}::int IS NULL OR sa.block_id = ${blockId}::int) AND (${scheduledId}::int IS NULL OR sa.id = ${scheduledId}::int)
    ORDER BY lower(a.name), sa.id`
}

export type RosterLine = {
  scheduledActivityId: number
  userId: number
  firstName: string
  lastName: string
  nickname: string
  studentId: string | null
  graduationYear: number | null
  email: string | null
  wasAbsent: boolean
  afterDeadline: boolean
  passAccepted: boolean
}

/** Every member of a block's (or one scheduled activity's) rosters. One statement. */
export async function rosterLines(db: Db, scope: { blockId: number } | { scheduledId: number }): Promise<RosterLine[]> {
  const blockId = 'blockId' in scope ? scope.blockId : null
  const scheduledId = 'scheduledId' in scope ? scope.scheduledId : null
  return db<RosterLine[]>`
    SELECT s.scheduled_activity_id, u.id AS user_id, u.first_name, u.last_name, u.nickname, u.student_id, u.graduation_year,
           (SELECT e.address FROM emails e WHERE e.user_id = u.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS email,
           s.was_absent, s.after_deadline, s.pass_accepted
    FROM eighth_signups s JOIN users u ON u.id = s.user_id
    WHERE (${blockId}::int IS NULL OR s.block_id = ${blockId}::int) AND (${scheduledId}::int IS NULL OR s.scheduled_activity_id = ${scheduledId}::int)
    ORDER BY lower(u.last_name), lower(u.first_name), u.id`
}

export type BlockBrief = { id: number; date: string; blockLetter: string; locked: boolean; activities: number; signups: number }

/** Blocks dated [from, to] with their activity and signup counts. One statement. */
export async function blocksBetween(db: Db, from: string, to: string): Promise<BlockBrief[]> {
  return db<BlockBrief[]>`
    SELECT b.id, b.date, b.block_letter, b.locked,
           (SELECT count(*) FROM eighth_scheduled_activities sa WHERE sa.block_id = b.id AND NOT sa.cancelled)::int AS activities,
           (SELECT count(*) FROM eighth_signups s WHERE s.block_id = b.id)::int AS signups
    FROM eighth_blocks b WHERE b.date BETWEEN ${from} AND ${to} ORDER BY b.date, b.block_letter`
}

export async function blockBrief(db: Db, id: number): Promise<BlockBrief | null> {
  const [row] = await db<BlockBrief[]>`SELECT id, date, block_letter, locked, 0 AS activities, 0 AS signups FROM eighth_blocks WHERE id = ${id}`
  return row ?? null
}
