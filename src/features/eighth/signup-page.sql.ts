import type { Db } from '../../platform/db.ts'
import type { FlagColumns, GradeColumns, RoomRef, SponsorName } from './effective.ts'

// The signup page's data in a fixed number of set-based statements, whatever the number of
// activities (issue 5, item 9): the blocks with the student's signups, the student with their
// lists (favorites, allowed, blacklisted), and every scheduled activity of the block with its
// rooms, sponsors and count. Nothing here runs once per activity.

export type BlockRow = {
  id: number
  date: string
  blockLetter: string
  locked: boolean
  comments: string
  signupTime: string
  /** The student's signup in this block (null: none). */
  schactId: number | null
  activityName: string | null
  title: string | null
  cancelled: boolean | null
}

/**
 * Blocks from `today` on, the requested block and the latest block (the fallback default), each
 * with the student's signup. One statement.
 */
export async function blocksWithSignups(db: Db, userId: number, today: string, requested: number | null): Promise<BlockRow[]> {
  return db<BlockRow[]>`
    SELECT b.id, b.date, b.block_letter, b.locked, b.comments, to_char(b.signup_time, 'HH24:MI') AS signup_time,
           s.scheduled_activity_id AS schact_id, a.name AS activity_name, sa.title, sa.cancelled
    FROM eighth_blocks b
    LEFT JOIN eighth_signups s ON s.block_id = b.id AND s.user_id = ${userId}
    LEFT JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    LEFT JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE b.date >= ${today}
       OR b.id = ${requested}::int
       OR b.id = (SELECT id FROM eighth_blocks ORDER BY date DESC, block_letter DESC LIMIT 1)
    ORDER BY b.date, b.block_letter`
}

export type StudentRow = {
  id: number
  username: string
  firstName: string
  lastName: string
  nickname: string
  userType: string
  graduationYear: number | null
  studentId: string | null
  favorites: number[]
  /** Restricted activities this student may join by name or through a group. */
  allowed: number[]
  blacklisted: number[]
}

/** The student the page is for, with their activity lists. One statement. */
export async function studentLists(db: Db, userId: number): Promise<StudentRow | null> {
  const [row] = await db<StudentRow[]>`
    SELECT u.id, u.username, u.first_name, u.last_name, u.nickname, u.user_type, u.graduation_year, u.student_id,
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = u.id AND role = 'favorite') AS favorites,
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = u.id AND role = 'allowed'
            UNION SELECT ga.activity_id FROM eighth_activity_groups_allowed ga JOIN user_groups ug ON ug.group_id = ga.group_id
                  WHERE ug.user_id = u.id) AS allowed,
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = u.id AND role = 'blacklisted') AS blacklisted
    FROM users u WHERE u.id = ${userId}`
  return row ?? null
}

export type ActivityRow = FlagColumns & GradeColumns & {
  id: number
  activityId: number
  name: string
  description: string
  title: string
  comments: string
  cancelled: boolean
  saCapacity: number | null
  activityDefaultCapacity: number | null
  saRooms: RoomRef[]
  actRooms: RoomRef[]
  saSponsors: SponsorName[]
  actSponsors: SponsorName[]
  count: number
  /** The student is individually stickied into this scheduled activity. */
  userStuck: boolean
}

/**
 * Every scheduled activity of a block (deleted activities left out), with override and default
 * rooms and sponsors as arrays and the member counts from one GROUP BY. One statement.
 */
export async function blockActivities(db: Db, blockId: number, userId: number): Promise<ActivityRow[]> {
  return db<ActivityRow[]>`
    WITH sas AS (
      SELECT sa.* FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id
      WHERE sa.block_id = ${blockId} AND NOT a.deleted
    ),
    counts AS (
      SELECT scheduled_activity_id AS id, count(*)::int AS n FROM eighth_signups WHERE block_id = ${blockId} GROUP BY 1
    ),
    sa_rooms AS (
      SELECT x.scheduled_activity_id AS id, json_agg(json_build_object('name', r.name, 'capacity', r.capacity) ORDER BY r.name) AS rooms
      FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
      WHERE x.scheduled_activity_id IN (SELECT id FROM sas) GROUP BY 1
    ),
    act_rooms AS (
      SELECT x.activity_id AS id, json_agg(json_build_object('name', r.name, 'capacity', r.capacity) ORDER BY r.name) AS rooms
      FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
      WHERE x.activity_id IN (SELECT activity_id FROM sas) GROUP BY 1
    ),
    sa_sponsors AS (
      SELECT x.scheduled_activity_id AS id,
             json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name) ORDER BY sp.last_name, sp.first_name) AS sponsors
      FROM eighth_scheduled_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id
      WHERE x.scheduled_activity_id IN (SELECT id FROM sas) GROUP BY 1
    ),
    act_sponsors AS (
      SELECT x.activity_id AS id,
             json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name) ORDER BY sp.last_name, sp.first_name) AS sponsors
      FROM eighth_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id
      WHERE x.activity_id IN (SELECT activity_id FROM sas) GROUP BY 1
    ),
    stuck AS (
      SELECT scheduled_activity_id AS id FROM eighth_sticky_students
      WHERE user_id = ${userId} AND scheduled_activity_id IN (SELECT id FROM sas)
    )
    SELECT sa.id, sa.activity_id, a.name, a.description, sa.title, sa.comments, sa.cancelled,
           sa.capacity AS sa_capacity, a.default_capacity AS activity_default_capacity,
           COALESCE(sr.rooms, '[]') AS sa_rooms, COALESCE(ar.rooms, '[]') AS act_rooms,
           COALESCE(ss.sponsors, '[]') AS sa_sponsors, COALESCE(asp.sponsors, '[]') AS act_sponsors,
           sa.both_blocks AS sa_both_blocks, sa.special AS sa_special, sa.administrative AS sa_administrative,
           sa.restricted AS sa_restricted, sa.sticky AS sa_sticky,
           a.both_blocks AS act_both_blocks, a.special AS act_special, a.administrative AS act_administrative,
           a.restricted AS act_restricted, a.sticky AS act_sticky, a.presign, a.one_a_day,
           a.freshmen_allowed, a.sophomores_allowed, a.juniors_allowed, a.seniors_allowed,
           COALESCE(c.n, 0) AS count,
           st.id IS NOT NULL AS user_stuck
    FROM sas sa
    JOIN eighth_activities a ON a.id = sa.activity_id
    LEFT JOIN counts c ON c.id = sa.id
    LEFT JOIN sa_rooms sr ON sr.id = sa.id
    LEFT JOIN act_rooms ar ON ar.id = sa.activity_id
    LEFT JOIN sa_sponsors ss ON ss.id = sa.id
    LEFT JOIN act_sponsors asp ON asp.id = sa.activity_id
    LEFT JOIN stuck st ON st.id = sa.id
    ORDER BY lower(a.name), sa.id`
}

export type SeatRow = {
  id: number
  count: number
  saCapacity: number | null
  activityDefaultCapacity: number | null
  saRoomCaps: number[]
  activityRoomCaps: number[]
}

/** Live seat counts: every scheduled activity of a block with its count and capacity inputs. One statement. */
export async function blockSeats(db: Db, blockId: number): Promise<SeatRow[]> {
  return db<SeatRow[]>`
    WITH counts AS (
      SELECT scheduled_activity_id AS id, count(*)::int AS n FROM eighth_signups WHERE block_id = ${blockId} GROUP BY 1
    ),
    sa_caps AS (
      SELECT x.scheduled_activity_id AS id, array_agg(r.capacity) AS caps
      FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
      JOIN eighth_scheduled_activities sa ON sa.id = x.scheduled_activity_id WHERE sa.block_id = ${blockId} GROUP BY 1
    ),
    act_caps AS (
      SELECT x.activity_id AS id, array_agg(r.capacity) AS caps
      FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
      WHERE x.activity_id IN (SELECT activity_id FROM eighth_scheduled_activities WHERE block_id = ${blockId}) GROUP BY 1
    )
    SELECT sa.id, COALESCE(c.n, 0) AS count, sa.capacity AS sa_capacity, a.default_capacity AS activity_default_capacity,
           COALESCE(sc.caps, '{}') AS sa_room_caps, COALESCE(ac.caps, '{}') AS activity_room_caps
    FROM eighth_scheduled_activities sa
    JOIN eighth_activities a ON a.id = sa.activity_id
    LEFT JOIN counts c ON c.id = sa.id
    LEFT JOIN sa_caps sc ON sc.id = sa.id
    LEFT JOIN act_caps ac ON ac.id = sa.activity_id
    WHERE sa.block_id = ${blockId} AND NOT a.deleted`
}

export type ContractTarget = { userExists: boolean; schactId: number | null }

/**
 * Ion's HTML signup contract: does the user exist, and is the activity scheduled (and neither
 * cancelled nor deleted) in the block? One statement.
 */
export async function contractTarget(db: Db, userId: number, blockId: number, activityId: number | null): Promise<ContractTarget> {
  const [row] = await db<ContractTarget[]>`
    SELECT EXISTS (SELECT 1 FROM users WHERE id = ${userId}) AS user_exists,
           (SELECT sa.id FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id
            WHERE sa.block_id = ${blockId} AND sa.activity_id = ${activityId}::int AND NOT sa.cancelled AND NOT a.deleted) AS schact_id`
  return row!
}
