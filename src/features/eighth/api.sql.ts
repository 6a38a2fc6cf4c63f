import type { Db } from '../../platform/db.ts'
import type { RoomRef } from './effective.ts'
import { blockLiveJson, type BlockLive } from './block-list.sql.ts'
export type { RoomRef }

// Reads behind Ion's REST API for blocks and activities (ion-eighth.md §4.2–§4.3). Each function
// is one statement, whatever the number of rows. The block detail's activities come from
// block-list.sql.ts (shared with the signup page) through the versioned cache.

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

export type ViewerOverlay = { favorites: number[]; subscribed: number[]; allowed: number[]; stuck: number[] }

/**
 * The block's live side (block-list.sql.ts; null: no such block) and the viewer's side of it:
 * favourites, subscriptions, restricted activities open to them, individual stickies. One statement.
 */
export async function blockAndOverlay(db: Db, userId: number, blockId: number): Promise<{ live: BlockLive | null; overlay: ViewerOverlay }> {
  const [row] = await db<(ViewerOverlay & { live: BlockLive | null })[]>`
    SELECT
      ${blockLiveJson(db, blockId, userId)} AS live,
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = ${userId} AND role = 'favorite') AS favorites,
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = ${userId} AND role = 'subscriber') AS subscribed,
      ARRAY(SELECT activity_id FROM eighth_activity_users WHERE user_id = ${userId} AND role = 'allowed'
            UNION
            SELECT ga.activity_id FROM eighth_activity_groups_allowed ga JOIN user_groups ug ON ug.group_id = ga.group_id
            WHERE ug.user_id = ${userId}) AS allowed,
      ARRAY(SELECT st.scheduled_activity_id FROM eighth_sticky_students st
            JOIN eighth_scheduled_activities sa ON sa.id = st.scheduled_activity_id
            WHERE st.user_id = ${userId} AND sa.block_id = ${blockId}) AS stuck`
  const { live, ...overlay } = row!
  return { live, overlay }
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
