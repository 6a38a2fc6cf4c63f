import type { Db } from '../../platform/db.ts'
import { blockLiveJson, type BlockLive } from './block-list.sql.ts'

// The signup page's data in a fixed number of set-based statements, whatever the number of
// activities (issue 5, item 9): one for the blocks, the student and the block's live side
// (pageData); the block's static list comes from block-list.sql.ts through the versioned cache
// (shared with the block API). Nothing here runs once per activity.

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

export type PageData = { blocks: BlockRow[]; student: StudentRow | null; live: BlockLive | null }

/**
 * Everything the signup page reads besides the block's static list, in ONE statement (each round
 * trip costs the server and PostgreSQL more than the rows): the blocks from `today` on, the
 * requested block and the latest one (the fallback default), each with the student's signup; the
 * student with their lists (favorites, allowed, blacklisted); and the page's block's live side
 * (block-list.sql.ts). The three come back as JSON text with camelCased keys, parsed here:
 * postgres.js's camelCasing of json values rebuilt every object key by key (8% of the page).
 */
export async function pageData(db: Db, userId: number, today: string, requested: number | null, todayUpcoming: boolean): Promise<PageData> {
  // The page's block: the requested one, else the first upcoming (see effective.ts isUpcoming:
  // a block of today is upcoming until 17:00), else the latest.
  const target = requested !== null ? db`${requested}::int` : db`COALESCE(
    (SELECT id FROM eighth_blocks WHERE date > ${today} OR (date = ${today} AND ${todayUpcoming}) ORDER BY date, block_letter LIMIT 1),
    (SELECT id FROM eighth_blocks ORDER BY date DESC, block_letter DESC LIMIT 1))`
  const [row] = await db<{ blocks: string; student: string | null; live: string | null }[]>`
    SELECT
      COALESCE((
        SELECT json_agg(x ORDER BY x.date, x."blockLetter") FROM (
          SELECT b.id, b.date, b.block_letter AS "blockLetter", b.locked, b.comments, to_char(b.signup_time, 'HH24:MI') AS "signupTime",
                 s.scheduled_activity_id AS "schactId", a.name AS "activityName", sa.title, sa.cancelled
          FROM eighth_blocks b
          LEFT JOIN eighth_signups s ON s.block_id = b.id AND s.user_id = ${userId}
          LEFT JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
          LEFT JOIN eighth_activities a ON a.id = sa.activity_id
          WHERE b.date >= ${today}
             OR b.id = ${requested}::int
             OR b.id = (SELECT id FROM eighth_blocks ORDER BY date DESC, block_letter DESC LIMIT 1)
        ) x), '[]')::text AS blocks,
      (SELECT row_to_json(st) FROM (
        SELECT u.id, u.username, u.first_name AS "firstName", u.last_name AS "lastName", u.nickname, u.user_type AS "userType",
          u.graduation_year AS "graduationYear", u.student_id AS "studentId",
          ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = u.id AND role = 'favorite') AS favorites,
          ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = u.id AND role = 'allowed'
                UNION SELECT ga.activity_id FROM eighth_activity_groups_allowed ga JOIN user_groups ug ON ug.group_id = ga.group_id
                      WHERE ug.user_id = u.id) AS allowed,
          ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = u.id AND role = 'blacklisted') AS blacklisted
        FROM users u WHERE u.id = ${userId}) st)::text AS student,
      ${blockLiveJson(db, target, userId)}::text AS live`
  const r = row!
  return { blocks: JSON.parse(r.blocks) as BlockRow[], student: r.student ? (JSON.parse(r.student) as StudentRow) : null, live: r.live ? (JSON.parse(r.live) as BlockLive) : null }
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
