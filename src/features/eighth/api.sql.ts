import type { Db } from '../../platform/db.ts'
import type { FlagColumns, GradeColumns, RoomRef, SponsorName } from './effective.ts'
export type { RoomRef }

// Reads behind Ion's REST API for blocks and activities (ion-eighth.md §4.2–§4.3). Each function
// is one statement, whatever the number of rows: the block detail is three statements in all.

export type DateRange = { from: string; to: string | null }

export type BlockListRow = { id: number; date: string; blockLetter: string; locked: boolean; total: number }

/** One page of blocks in a date range, ordered by (date, letter), with the total count. */
export async function blocksPage(db: Db, range: DateRange, limit: number, offset: number): Promise<BlockListRow[]> {
  return db<BlockListRow[]>`
    SELECT id, date, block_letter, locked, count(*) OVER ()::int AS total
    FROM eighth_blocks
    WHERE date >= ${range.from}::date AND (${range.to}::date IS NULL OR date <= ${range.to}::date)
    ORDER BY date, block_letter, id
    LIMIT ${limit} OFFSET ${offset}`
}

export type BlockHead = { id: number; date: string; blockLetter: string; comments: string }

export async function blockHead(db: Db, id: number): Promise<BlockHead | null> {
  const [row] = await db<BlockHead[]>`SELECT id, date, block_letter, comments FROM eighth_blocks WHERE id = ${id}`
  return row ?? null
}

export type BlockActivityRow = FlagColumns & GradeColumns & {
  scheduledId: number
  activityId: number
  name: string
  description: string
  cancelled: boolean
  title: string
  comments: string
  subscriptionsEnabled: boolean
  saCapacity: number | null
  defaultCapacity: number | null
  saRooms: RoomRef[]
  actRooms: RoomRef[]
  saSponsors: SponsorName[]
  actSponsors: SponsorName[]
  signupCount: number
}

/**
 * Every scheduled activity of a block except those of deleted activities, in Ion's order
 * (administrative activities last), with rooms, sponsors and one GROUP BY of the signups.
 */
export async function blockActivities(db: Db, blockId: number): Promise<BlockActivityRow[]> {
  return db<BlockActivityRow[]>`
    SELECT sa.id AS scheduled_id, a.id AS activity_id, a.name, a.description, sa.cancelled, sa.title, sa.comments,
           a.subscriptions_enabled, sa.capacity AS sa_capacity, a.default_capacity,
           COALESCE(sr.rooms, '[]') AS sa_rooms, COALESCE(ar.rooms, '[]') AS act_rooms,
           COALESCE(ss.sponsors, '[]') AS sa_sponsors, COALESCE(asp.sponsors, '[]') AS act_sponsors,
           sa.both_blocks AS sa_both_blocks, sa.special AS sa_special, sa.administrative AS sa_administrative,
           sa.restricted AS sa_restricted, sa.sticky AS sa_sticky,
           a.both_blocks AS act_both_blocks, a.special AS act_special, a.administrative AS act_administrative,
           a.restricted AS act_restricted, a.sticky AS act_sticky, a.presign, a.one_a_day,
           a.freshmen_allowed, a.sophomores_allowed, a.juniors_allowed, a.seniors_allowed,
           COALESCE(c.n, 0)::int AS signup_count
    FROM eighth_scheduled_activities sa
    JOIN eighth_activities a ON a.id = sa.activity_id AND NOT a.deleted
    LEFT JOIN (SELECT scheduled_activity_id, count(*) AS n FROM eighth_signups WHERE block_id = ${blockId} GROUP BY 1) c
      ON c.scheduled_activity_id = sa.id
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('name', r.name, 'capacity', r.capacity) ORDER BY r.name, r.id) AS rooms
      FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id) sr ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('name', r.name, 'capacity', r.capacity) ORDER BY r.name, r.id) AS rooms
      FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id) ar ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name)
                      ORDER BY sp.last_name, sp.first_name, sp.id) AS sponsors
      FROM eighth_scheduled_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.scheduled_activity_id = sa.id) ss ON true
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name)
                      ORDER BY sp.last_name, sp.first_name, sp.id) AS sponsors
      FROM eighth_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.activity_id = a.id) asp ON true
    WHERE sa.block_id = ${blockId}
    ORDER BY a.administrative, sa.administrative, a.name, a.id`
}

export type ViewerOverlay = { favorites: number[]; subscribed: number[]; allowed: number[]; stuck: number[] }

/** The viewer's side of a block: favourites, subscriptions, restricted activities open to them, individual stickies. */
export async function viewerOverlay(db: Db, userId: number, blockId: number): Promise<ViewerOverlay> {
  const [row] = await db<ViewerOverlay[]>`
    SELECT
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = ${userId} AND role = 'favorite') AS favorites,
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = ${userId} AND role = 'subscriber') AS subscribed,
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = ${userId} AND role = 'allowed'
            UNION
            SELECT ga.activity_id FROM eighth_activity_groups_allowed ga JOIN user_groups ug ON ug.group_id = ga.group_id
            WHERE ug.user_id = ${userId}) AS allowed,
      ARRAY(SELECT st.scheduled_activity_id FROM eighth_sticky_students st
            JOIN eighth_scheduled_activities sa ON sa.id = st.scheduled_activity_id
            WHERE st.user_id = ${userId} AND sa.block_id = ${blockId}) AS stuck`
  return row!
}

export type ActivityListRow = { id: number; name: string; total: number }

/** One page of non-deleted activities by id, with the total count. */
export async function activitiesPage(db: Db, limit: number, offset: number): Promise<ActivityListRow[]> {
  return db<ActivityListRow[]>`
    SELECT id, name, count(*) OVER ()::int AS total FROM eighth_activities WHERE NOT deleted
    ORDER BY id LIMIT ${limit} OFFSET ${offset}`
}

export type Scheduling = { blockId: number; date: string; blockLetter: string; scheduledId: number }
export type ActivityDetailRow = {
  id: number
  name: string
  description: string
  administrative: boolean
  restricted: boolean
  presign: boolean
  oneADay: boolean
  bothBlocks: boolean
  sticky: boolean
  special: boolean
  deleted: boolean
  scheduled: Scheduling[]
}

/** An activity with every scheduling (all years) ordered by date. */
export async function activityDetail(db: Db, id: number): Promise<ActivityDetailRow | null> {
  const [row] = await db<ActivityDetailRow[]>`
    SELECT a.id, a.name, a.description, a.administrative, a.restricted, a.presign, a.one_a_day, a.both_blocks, a.sticky,
           a.special, a.deleted,
           COALESCE((SELECT json_agg(json_build_object('blockId', b.id, 'date', b.date, 'blockLetter', b.block_letter, 'scheduledId', sa.id)
                                     ORDER BY b.date, b.block_letter, b.id)
                     FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id
                     WHERE sa.activity_id = a.id), '[]') AS scheduled
    FROM eighth_activities a WHERE a.id = ${id}`
  return row ?? null
}
