import type { Db } from '../../../../platform/db.ts'
import { USER_LOCK_CLASS } from '../../signup.sql.ts'

// The statements behind the office's moves (group signup, distribute, transfer, clear, sticky,
// force signup). Locks follow the signup service's order: students (advisory, by id) first, then
// scheduled activities by id — see locking.ts.

export type BlockOption = { id: number; date: string; blockLetter: string; locked: boolean; signupTime: string }

/** Blocks from `from` on (the office's pickers), plus one requested block wherever it is. */
export async function blockOptions(db: Db, from: string, include: number | null = null): Promise<BlockOption[]> {
  return db<BlockOption[]>`
    SELECT id, date, block_letter, locked, to_char(signup_time, 'HH24:MI') AS signup_time FROM eighth_blocks
    WHERE date >= ${from} OR id = ${include}::int
    ORDER BY date, block_letter LIMIT 200`
}

export async function blockById(db: Db, id: number): Promise<BlockOption | null> {
  const [row] = await db<BlockOption[]>`
    SELECT id, date, block_letter, locked, to_char(signup_time, 'HH24:MI') AS signup_time FROM eighth_blocks WHERE id = ${id}`
  return row ?? null
}

export type SchactOption = {
  id: number
  blockId: number
  activityId: number
  name: string
  title: string
  cancelled: boolean
  deleted: boolean
  sticky: boolean
  bothBlocks: boolean
  count: number
  saCapacity: number | null
  saRoomCaps: number[]
  activityDefaultCapacity: number | null
  activityRoomCaps: number[]
  date: string
  blockLetter: string
}

const SCHACT_COLUMNS = (db: Db) => db`
  sa.id, sa.block_id, sa.activity_id, a.name, sa.title, sa.cancelled, a.deleted,
  (sa.sticky OR a.sticky) AS sticky, (sa.both_blocks OR a.both_blocks) AS both_blocks,
  (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id)::int AS count,
  sa.capacity AS sa_capacity,
  ARRAY(SELECT r.capacity FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id) AS sa_room_caps,
  a.default_capacity AS activity_default_capacity,
  ARRAY(SELECT r.capacity FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id) AS activity_room_caps,
  b.date, b.block_letter`

/** Every scheduled activity of a block (deleted activities left out), by name. */
export async function schactOptions(db: Db, blockId: number): Promise<SchactOption[]> {
  return db<SchactOption[]>`
    SELECT ${SCHACT_COLUMNS(db)}
    FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id JOIN eighth_blocks b ON b.id = sa.block_id
    WHERE sa.block_id = ${blockId} AND NOT a.deleted
    ORDER BY lower(a.name), sa.id`
}

export async function schactById(db: Db, id: number): Promise<SchactOption | null> {
  const [row] = await db<SchactOption[]>`
    SELECT ${SCHACT_COLUMNS(db)}
    FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id JOIN eighth_blocks b ON b.id = sa.block_id
    WHERE sa.id = ${id}`
  return row ?? null
}

/**
 * A student's lock (lockStudent's key) without waiting: false when someone holds it. Taking a
 * lock out of the usual order is safe only this way, since it never waits.
 */
export async function tryLockStudent(db: Db, userId: number): Promise<boolean> {
  const [row] = await db<{ ok: boolean }[]>`SELECT pg_try_advisory_xact_lock(${USER_LOCK_CLASS}, ${userId}) AS ok`
  return row!.ok
}

/** Locks scheduled activities and their both-blocks siblings (A↔B, same date), all in id order. */
export async function lockScheduledSet(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return []
  const rows = await db<{ id: number }[]>`
    WITH t AS (
      SELECT sa.id, sa.activity_id, b.date, b.block_letter, (sa.both_blocks OR a.both_blocks) AS bb
      FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id JOIN eighth_activities a ON a.id = sa.activity_id
      WHERE sa.id = ANY(${ids}::int[])
    ), sib AS (
      SELECT s2.id FROM t
      JOIN eighth_blocks b2 ON b2.date = t.date AND b2.block_letter = CASE t.block_letter WHEN 'A' THEN 'B' WHEN 'B' THEN 'A' END
      JOIN eighth_scheduled_activities s2 ON s2.block_id = b2.id AND s2.activity_id = t.activity_id
      WHERE t.bb
    )
    SELECT sa.id FROM eighth_scheduled_activities sa
    WHERE sa.id IN (SELECT id FROM t UNION SELECT id FROM sib)
    ORDER BY sa.id
    FOR UPDATE`
  return rows.map((r) => r.id)
}

export type Placement = {
  userId: number
  username: string
  firstName: string
  lastName: string
  nickname: string
  studentId: string | null
  userType: string
  active: boolean
  graduationYear: number | null
  /** The student's signup in the block (null: none). */
  schactId: number | null
  activityName: string | null
  /** Scheduled activities of the block (not cancelled) that hold the student: a sticky signup or an individual sticky. */
  holds: number[]
}

/** Where each of these users is in a block, and what sticky activities hold them there. One statement. */
export async function placements(db: Db, userIds: number[], blockId: number): Promise<Placement[]> {
  if (!userIds.length) return []
  return db<Placement[]>`
    SELECT u.id AS user_id, u.username, u.first_name, u.last_name, u.nickname, u.student_id, u.user_type, u.active, u.graduation_year,
           s.scheduled_activity_id AS schact_id, a.name AS activity_name,
           ARRAY(SELECT s.scheduled_activity_id WHERE s.id IS NOT NULL AND (sa.sticky OR a.sticky) AND NOT sa.cancelled
                 UNION
                 SELECT st.scheduled_activity_id FROM eighth_sticky_students st JOIN eighth_scheduled_activities x ON x.id = st.scheduled_activity_id
                 WHERE st.user_id = u.id AND x.block_id = ${blockId} AND NOT x.cancelled) AS holds
    FROM users u
    LEFT JOIN eighth_signups s ON s.user_id = u.id AND s.block_id = ${blockId}
    LEFT JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    LEFT JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE u.id = ANY(${userIds}::int[])
    ORDER BY lower(u.last_name), lower(u.first_name), u.id`
}

/** "Remove from sticky": the students' individual stickies elsewhere in the block are dropped. */
export async function releaseSticky(db: Db, userIds: number[], blockId: number, keepId: number): Promise<void> {
  if (!userIds.length) return
  await db`
    DELETE FROM eighth_sticky_students st USING eighth_scheduled_activities sa
    WHERE sa.id = st.scheduled_activity_id AND sa.block_id = ${blockId} AND sa.id <> ${keepId}
      AND st.user_id = ANY(${userIds}::int[])`
}

export async function memberIds(db: Db, schactId: number): Promise<number[]> {
  const rows = await db<{ userId: number }[]>`SELECT user_id FROM eighth_signups WHERE scheduled_activity_id = ${schactId} ORDER BY user_id`
  return rows.map((r) => r.userId)
}

/** The movers' signups in the destination block (other than the destination itself) are removed. */
export async function deleteSignupsInBlock(db: Db, userIds: number[], blockId: number): Promise<{ userId: number; scheduledActivityId: number }[]> {
  if (!userIds.length) return []
  return db<{ userId: number; scheduledActivityId: number }[]>`
    DELETE FROM eighth_signups WHERE block_id = ${blockId} AND user_id = ANY(${userIds}::int[])
    RETURNING user_id, scheduled_activity_id`
}

/** Re-points the movers' signups from one scheduled activity to another (perhaps in another block). */
export async function repoint(db: Db, fromId: number, toId: number, toBlockId: number, userIds: number[]): Promise<number[]> {
  if (!userIds.length) return []
  const rows = await db<{ userId: number }[]>`
    UPDATE eighth_signups SET scheduled_activity_id = ${toId}, block_id = ${toBlockId}
    WHERE scheduled_activity_id = ${fromId} AND user_id = ANY(${userIds}::int[])
    RETURNING user_id`
  return rows.map((r) => r.userId).sort((a, b) => a - b)
}

export async function deleteSignupsOf(db: Db, schactId: number, userIds: number[]): Promise<number[]> {
  if (!userIds.length) return []
  const rows = await db<{ userId: number }[]>`
    DELETE FROM eighth_signups WHERE scheduled_activity_id = ${schactId} AND user_id = ANY(${userIds}::int[]) RETURNING user_id`
  return rows.map((r) => r.userId).sort((a, b) => a - b)
}

export type Addressee = { userId: number; address: string | null; optedOut: boolean }

/** Notification addresses (primary, else first on file) with the eighth-period email preference. */
export async function addressees(db: Db, userIds: number[]): Promise<Addressee[]> {
  if (!userIds.length) return []
  return db<Addressee[]>`
    SELECT u.id AS user_id, e.address, NOT u.receive_eighth_emails AS opted_out FROM users u
    LEFT JOIN LATERAL (SELECT address FROM emails WHERE user_id = u.id ORDER BY is_primary DESC, id LIMIT 1) e ON true
    WHERE u.id = ANY(${userIds}::int[]) AND u.active`
}

export type PersonRef = { id: number; username: string; firstName: string; lastName: string; nickname: string; studentId: string | null; userType: string; graduationYear: number | null }

/** Accounts by username or student ID (case-insensitive username). */
export async function usersByLogin(db: Db, logins: string[]): Promise<(PersonRef & { login: string })[]> {
  if (!logins.length) return []
  return db<(PersonRef & { login: string })[]>`
    SELECT l.login, u.id, u.username, u.first_name, u.last_name, u.nickname, u.student_id, u.user_type, u.graduation_year
    FROM unnest(${logins}::text[]) AS l(login)
    JOIN users u ON lower(u.username) = lower(l.login) OR u.student_id = l.login`
}

export async function peopleByIds(db: Db, ids: number[]): Promise<PersonRef[]> {
  if (!ids.length) return []
  return db<PersonRef[]>`
    SELECT id, username, first_name, last_name, nickname, student_id, user_type, graduation_year FROM users
    WHERE id = ANY(${ids}::int[]) ORDER BY lower(last_name), lower(first_name), id`
}

export async function stickyIds(db: Db, schactId: number): Promise<number[]> {
  const rows = await db<{ userId: number }[]>`SELECT user_id FROM eighth_sticky_students WHERE scheduled_activity_id = ${schactId} ORDER BY user_id`
  return rows.map((r) => r.userId)
}
