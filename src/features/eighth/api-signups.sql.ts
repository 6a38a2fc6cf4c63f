import type { Db } from '../../platform/db.ts'
import type { DateRange } from './api.sql.ts'

// Reads and writes behind Ion's REST API for signups, favourites and rosters (ion-eighth.md §4.2).

/** What a "title with flags" needs: the effective flags of a scheduled activity. */
export type TitleParts = {
  name: string
  title: string
  cancelled: boolean
  deleted: boolean
  special: boolean
  restricted: boolean
  bothBlocks: boolean
  administrative: boolean
  sticky: boolean
}

export type UserSignupRow = TitleParts & {
  id: number
  userId: number
  scheduledActivityId: number
  blockId: number
  date: string
  blockLetter: string
  activityId: number
}

/** A user's signups in a date range, ordered by (date, letter). */
export async function userSignups(db: Db, userId: number, range: DateRange): Promise<UserSignupRow[]> {
  return db<UserSignupRow[]>`
    SELECT s.id, s.user_id, s.scheduled_activity_id, b.id AS block_id, b.date, b.block_letter, a.id AS activity_id,
           a.name, sa.title, sa.cancelled, a.deleted,
           (sa.special OR a.special) AS special, (sa.restricted OR a.restricted) AS restricted,
           (sa.both_blocks OR a.both_blocks) AS both_blocks, (sa.administrative OR a.administrative) AS administrative,
           (sa.sticky OR a.sticky) AS sticky
    FROM eighth_signups s
    JOIN eighth_blocks b ON b.id = s.block_id
    JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE s.user_id = ${userId} AND b.date >= ${range.from}::date AND (${range.to}::date IS NULL OR b.date <= ${range.to}::date)
    ORDER BY b.date, b.block_letter, s.id`
}

/** Whether the user exists and shows their eighth-period schedule (parent AND self). */
export async function eighthVisibility(db: Db, userId: number): Promise<{ isPublic: boolean } | null> {
  const [row] = await db<{ isPublic: boolean }[]>`
    SELECT (parent_show_eighth AND self_show_eighth) AS is_public FROM users WHERE id = ${userId}`
  return row ?? null
}

export type SignupTarget = {
  blockExists: boolean
  activityExists: boolean
  scheduledExists: boolean
  /** The scheduled activity of (block, activity), if any. */
  pairScheduledId: number | null
  /** The activity of the given scheduled activity. */
  scheduledActivityId: number | null
  pairActivityId: number | null
}

/** Resolves the ids of a signup POST in one statement. */
export async function signupTarget(db: Db, t: { block: number | null; activity: number | null; scheduled: number | null }): Promise<SignupTarget> {
  const [row] = await db<SignupTarget[]>`
    SELECT EXISTS (SELECT 1 FROM eighth_blocks WHERE id = ${t.block}::int) AS block_exists,
           EXISTS (SELECT 1 FROM eighth_activities WHERE id = ${t.activity}::int) AS activity_exists,
           EXISTS (SELECT 1 FROM eighth_scheduled_activities WHERE id = ${t.scheduled}::int) AS scheduled_exists,
           (SELECT id FROM eighth_scheduled_activities WHERE block_id = ${t.block}::int AND activity_id = ${t.activity}::int) AS pair_scheduled_id,
           (SELECT activity_id FROM eighth_scheduled_activities WHERE id = ${t.scheduled}::int) AS scheduled_activity_id,
           ${t.activity}::int AS pair_activity_id`
  return row!
}

/** The user's favourite activities (not deleted), by name. */
export async function favoritesOf(db: Db, userId: number): Promise<{ id: number; name: string }[]> {
  return db<{ id: number; name: string }[]>`
    SELECT a.id, a.name FROM eighth_activity_users au JOIN eighth_activities a ON a.id = au.activity_id
    WHERE au.user_id = ${userId} AND au.role = 'favorite' AND NOT a.deleted
    ORDER BY a.name, a.id`
}

export type RosterMember = { id: number; firstName: string; lastName: string; username: string; isPublic: boolean }
export type RosterRow = TitleParts & {
  id: number
  blockId: number
  date: string
  activityId: number
  saCapacity: number | null
  saRoomCaps: number[]
  defaultCapacity: number | null
  actRoomCaps: number[]
  members: RosterMember[]
}

/** A scheduled activity with every member and whether each shows their schedule. */
export async function rosterOf(db: Db, scheduledId: number): Promise<RosterRow | null> {
  const [row] = await db<RosterRow[]>`
    SELECT sa.id, b.id AS block_id, b.date, a.id AS activity_id, a.name, sa.title, sa.cancelled, a.deleted,
           (sa.special OR a.special) AS special, (sa.restricted OR a.restricted) AS restricted,
           (sa.both_blocks OR a.both_blocks) AS both_blocks, (sa.administrative OR a.administrative) AS administrative,
           (sa.sticky OR a.sticky) AS sticky,
           sa.capacity AS sa_capacity, a.default_capacity,
           ARRAY(SELECT r.capacity FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.scheduled_activity_id = sa.id) AS sa_room_caps,
           ARRAY(SELECT r.capacity FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.activity_id = a.id) AS act_room_caps,
           COALESCE((SELECT json_agg(json_build_object('id', u.id, 'firstName', u.first_name, 'lastName', u.last_name,
                                                       'username', u.username, 'isPublic', u.parent_show_eighth AND u.self_show_eighth)
                                     ORDER BY u.last_name, u.first_name, u.id)
                     FROM eighth_signups s JOIN users u ON u.id = s.user_id WHERE s.scheduled_activity_id = sa.id), '[]') AS members
    FROM eighth_scheduled_activities sa
    JOIN eighth_blocks b ON b.id = sa.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE sa.id = ${scheduledId}`
  return row ?? null
}
