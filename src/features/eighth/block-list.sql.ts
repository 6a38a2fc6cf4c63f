import type postgres from 'postgres'
import type { Db } from '../../platform/db.ts'
import type { FlagColumns, GradeColumns, RoomRef, SponsorName } from './effective.ts'

// A block's activity list in two parts (issue 10): the static list every viewer shares — read
// once per (block, list_version) and cached by block-list.ts — and the live part read on every
// request: the version, the seat counts and the viewer's individual stickies. One statement each,
// whatever the number of activities. The signup page and GET /api/blocks/<id> both use them.

/** One scheduled activity as everyone sees it (deleted activities left out). */
export type StaticRow = FlagColumns & GradeColumns & {
  scheduledId: number
  activityId: number
  name: string
  description: string
  title: string
  comments: string
  cancelled: boolean
  subscriptionsEnabled: boolean
  saCapacity: number | null
  defaultCapacity: number | null
  /** Override rooms and sponsors (sa*) and the activity's defaults (act*), each ordered by name. */
  saRooms: RoomRef[]
  actRooms: RoomRef[]
  saSponsors: SponsorName[]
  actSponsors: SponsorName[]
  /** Place in Ion's API order (administrative activities last, then by name). */
  apiRank: number
}

export type StaticList = { version: number; rows: StaticRow[] }

/**
 * The block's static list in the signup page's order (by name, case-insensitive), with the
 * block's list_version read in the same snapshot; null when the block does not exist.
 */
export async function blockStaticList(db: Db, blockId: number): Promise<StaticList | null> {
  const rows = await db<(StaticRow & { version: number })[]>`
    WITH sas AS (
      SELECT sa.* FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id
      WHERE sa.block_id = ${blockId} AND NOT a.deleted
    ),
    sa_rooms AS (
      SELECT x.scheduled_activity_id AS id, json_agg(json_build_object('name', r.name, 'capacity', r.capacity) ORDER BY r.name, r.id) AS rooms
      FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
      WHERE x.scheduled_activity_id IN (SELECT id FROM sas) GROUP BY 1
    ),
    act_rooms AS (
      SELECT x.activity_id AS id, json_agg(json_build_object('name', r.name, 'capacity', r.capacity) ORDER BY r.name, r.id) AS rooms
      FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
      WHERE x.activity_id IN (SELECT activity_id FROM sas) GROUP BY 1
    ),
    sa_sponsors AS (
      SELECT x.scheduled_activity_id AS id,
             json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name)
                      ORDER BY sp.last_name, sp.first_name, sp.id) AS sponsors
      FROM eighth_scheduled_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id
      WHERE x.scheduled_activity_id IN (SELECT id FROM sas) GROUP BY 1
    ),
    act_sponsors AS (
      SELECT x.activity_id AS id,
             json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name)
                      ORDER BY sp.last_name, sp.first_name, sp.id) AS sponsors
      FROM eighth_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id
      WHERE x.activity_id IN (SELECT activity_id FROM sas) GROUP BY 1
    )
    SELECT b.list_version::int AS version, sa.id AS scheduled_id, sa.activity_id, a.name, a.description, sa.title, sa.comments, sa.cancelled,
           a.subscriptions_enabled, sa.capacity AS sa_capacity, a.default_capacity,
           COALESCE(sr.rooms, '[]') AS sa_rooms, COALESCE(ar.rooms, '[]') AS act_rooms,
           COALESCE(ss.sponsors, '[]') AS sa_sponsors, COALESCE(asp.sponsors, '[]') AS act_sponsors,
           sa.both_blocks AS sa_both_blocks, sa.special AS sa_special, sa.administrative AS sa_administrative,
           sa.restricted AS sa_restricted, sa.sticky AS sa_sticky,
           a.both_blocks AS act_both_blocks, a.special AS act_special, a.administrative AS act_administrative,
           a.restricted AS act_restricted, a.sticky AS act_sticky, a.presign, a.one_a_day,
           a.freshmen_allowed, a.sophomores_allowed, a.juniors_allowed, a.seniors_allowed,
           (row_number() OVER (ORDER BY a.administrative, sa.administrative, a.name, a.id))::int AS api_rank
    FROM eighth_blocks b
    LEFT JOIN sas sa ON true
    LEFT JOIN eighth_activities a ON a.id = sa.activity_id
    LEFT JOIN sa_rooms sr ON sr.id = sa.id
    LEFT JOIN act_rooms ar ON ar.id = sa.activity_id
    LEFT JOIN sa_sponsors ss ON ss.id = sa.id
    LEFT JOIN act_sponsors asp ON asp.id = sa.activity_id
    WHERE b.id = ${blockId}
    ORDER BY lower(a.name), sa.id`
  if (!rows.length) return null
  const version = rows[0]!.version
  // A block without activities is one row of NULLs (the LEFT JOIN keeps its version).
  return { version, rows: rows[0]!.scheduledId === null ? [] : rows }
}

export type BlockLive = {
  id: number
  date: string
  blockLetter: string
  comments: string
  version: number
  /** Seat counts: countIds[i] has countNs[i] members (activities with none are left out). */
  countIds: number[]
  countNs: number[]
  /** The scheduled activities of this block the user is individually stickied into. */
  stuck: number[]
}

/**
 * The live side of a block for one user as one JSON value (null: no such block). A fragment, so
 * the signup page can read it in the same statement as its other data (signup-page.sql.ts);
 * `blockId` may itself be a fragment (an SQL expression choosing the block). Keys are written
 * camelCased, so it can be read as text and parsed natively (see pageData).
 */
export function blockLiveJson(db: Db, blockId: number | postgres.PendingQuery<postgres.Row[]>, userId: number) {
  return db`(
    SELECT row_to_json(l) FROM (
      SELECT b.id, b.date, b.block_letter AS "blockLetter", b.comments, b.list_version::int AS version,
             COALESCE(c.ids, '{}') AS "countIds", COALESCE(c.ns, '{}') AS "countNs",
             ARRAY(SELECT st.scheduled_activity_id FROM eighth_sticky_students st
                   JOIN eighth_scheduled_activities sa ON sa.id = st.scheduled_activity_id
                   WHERE st.user_id = ${userId} AND sa.block_id = b.id) AS stuck
      FROM eighth_blocks b
      LEFT JOIN LATERAL (
        SELECT array_agg(id) AS ids, array_agg(n) AS ns
        FROM (SELECT scheduled_activity_id AS id, count(*)::int AS n FROM eighth_signups WHERE block_id = b.id GROUP BY 1) x
      ) c ON true
      WHERE b.id = ${blockId}
    ) l)`
}

/** The live side of a block for one user, or null when the block does not exist. One statement. */
export async function blockLive(db: Db, blockId: number, userId: number): Promise<BlockLive | null> {
  const [row] = await db<{ live: BlockLive | null }[]>`SELECT ${blockLiveJson(db, blockId, userId)} AS live`
  return row?.live ?? null
}
