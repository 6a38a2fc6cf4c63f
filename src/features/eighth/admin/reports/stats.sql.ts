import type { Db } from '../../../../platform/db.ts'

// Per-activity statistics over a school year: three set-based statements.

export type StatsActivity = { id: number; name: string; deleted: boolean; defaultCapacity: number | null; roomCaps: number[] }

export async function statsActivity(db: Db, id: number): Promise<StatsActivity | null> {
  const [row] = await db<StatsActivity[]>`
    SELECT a.id, a.name, a.deleted, a.default_capacity,
           ARRAY(SELECT r.capacity FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id) AS room_caps
    FROM eighth_activities a WHERE a.id = ${id}`
  return row ?? null
}

export type BlockStat = {
  scheduledId: number
  date: string
  blockLetter: string
  cancelled: boolean
  attendanceTaken: boolean
  saCapacity: number | null
  saRoomCaps: number[]
  signups: number
  archived: number
  present: number
  absent: number
}

/** One row per scheduling of the activity in [from, to]: signups, and attendance where taken. */
export async function blockStats(db: Db, activityId: number, from: string, to: string): Promise<BlockStat[]> {
  return db<BlockStat[]>`
    SELECT sa.id AS scheduled_id, b.date, b.block_letter, sa.cancelled, sa.attendance_taken, sa.capacity AS sa_capacity,
           ARRAY(SELECT r.capacity FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id) AS sa_room_caps,
           count(s.id)::int AS signups, sa.archived_member_count AS archived,
           (count(s.id) FILTER (WHERE sa.attendance_taken AND NOT s.was_absent))::int AS present,
           (count(s.id) FILTER (WHERE sa.attendance_taken AND s.was_absent))::int AS absent
    FROM eighth_scheduled_activities sa
    JOIN eighth_blocks b ON b.id = sa.block_id
    LEFT JOIN eighth_signups s ON s.scheduled_activity_id = sa.id
    WHERE sa.activity_id = ${activityId} AND b.date BETWEEN ${from} AND ${to}
    GROUP BY sa.id, b.id
    ORDER BY b.date, b.block_letter`
}

export type StudentCount = { userId: number; firstName: string; lastName: string; nickname: string; studentId: string | null; signups: number }

/** Distinct students in [from, to], and the most frequent ones. */
export async function studentCounts(db: Db, activityId: number, from: string, to: string, top: number): Promise<{ unique: number; top: StudentCount[] }> {
  const rows = await db<(StudentCount & { total: number })[]>`
    SELECT u.id AS user_id, u.first_name, u.last_name, u.nickname, u.student_id, x.signups, count(*) OVER ()::int AS total
    FROM (
      SELECT s.user_id, count(*)::int AS signups
      FROM eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id JOIN eighth_blocks b ON b.id = s.block_id
      WHERE sa.activity_id = ${activityId} AND NOT sa.cancelled AND b.date BETWEEN ${from} AND ${to}
      GROUP BY s.user_id
    ) x JOIN users u ON u.id = x.user_id
    ORDER BY x.signups DESC, lower(u.last_name), lower(u.first_name), u.id
    LIMIT ${top}`
  return { unique: rows[0]?.total ?? 0, top: rows }
}

export type ActivityPick = { id: number; name: string; deleted: boolean; scheduled: number }

/** Activities for the picker (matching `q` when given), with their schedulings in [from, to]. */
export async function activitiesForStats(db: Db, q: string, from: string, to: string): Promise<ActivityPick[]> {
  const like = `%${q.replace(/[\\%_]/g, (m) => '\\' + m)}%`
  return db<ActivityPick[]>`
    SELECT a.id, a.name, a.deleted,
           (SELECT count(*) FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id
            WHERE sa.activity_id = a.id AND b.date BETWEEN ${from} AND ${to})::int AS scheduled
    FROM eighth_activities a
    WHERE (${q} = '' OR a.name ILIKE ${like} OR a.id::text = ${q})
    ORDER BY a.deleted, lower(a.name), a.id
    LIMIT 500`
}
