import type { Db, Tx } from '../../../../platform/db.ts'

// The scheduling grids: cells (block × activity) with the scheduled activity if there is one,
// and the statements that save them. Cells are read in one statement however many there are.

export type Pair = { blockId: number; activityId: number }

export type Cell = Pair & {
  date: string
  blockLetter: string
  blockLocked: boolean
  name: string
  deleted: boolean
  actBothBlocks: boolean
  actSpecial: boolean
  actAdministrative: boolean
  actRestricted: boolean
  actSticky: boolean
  activityDefaultCapacity: number | null
  actRoomIds: number[]
  activityRoomCaps: number[]
  saId: number | null
  cancelled: boolean
  title: string
  comments: string
  saCapacity: number | null
  saBothBlocks: boolean
  saSpecial: boolean
  saAdministrative: boolean
  saRestricted: boolean
  saSticky: boolean
  roomIds: number[]
  sponsorIds: number[]
  saRoomCaps: number[]
  count: number
}

export async function gridCells(db: Db, pairs: Pair[]): Promise<Cell[]> {
  if (!pairs.length) return []
  return db<Cell[]>`
    SELECT p.block_id, p.activity_id, b.date, b.block_letter, b.locked AS block_locked, a.name, a.deleted,
           a.both_blocks AS act_both_blocks, a.special AS act_special, a.administrative AS act_administrative,
           a.restricted AS act_restricted, a.sticky AS act_sticky, a.default_capacity AS activity_default_capacity,
           ARRAY(SELECT room_id FROM eighth_activity_rooms WHERE activity_id = a.id ORDER BY room_id) AS act_room_ids,
           ARRAY(SELECT r.capacity FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id) AS activity_room_caps,
           sa.id AS sa_id, COALESCE(sa.cancelled, false) AS cancelled, COALESCE(sa.title, '') AS title, COALESCE(sa.comments, '') AS comments,
           sa.capacity AS sa_capacity, COALESCE(sa.both_blocks, false) AS sa_both_blocks, COALESCE(sa.special, false) AS sa_special,
           COALESCE(sa.administrative, false) AS sa_administrative, COALESCE(sa.restricted, false) AS sa_restricted, COALESCE(sa.sticky, false) AS sa_sticky,
           ARRAY(SELECT room_id FROM eighth_scheduled_activity_rooms WHERE scheduled_activity_id = sa.id ORDER BY room_id) AS room_ids,
           ARRAY(SELECT sponsor_id FROM eighth_scheduled_activity_sponsors WHERE scheduled_activity_id = sa.id ORDER BY sponsor_id) AS sponsor_ids,
           ARRAY(SELECT r.capacity FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id) AS sa_room_caps,
           (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id)::int AS count
    FROM unnest(${pairs.map((p) => p.blockId)}::int[], ${pairs.map((p) => p.activityId)}::int[]) WITH ORDINALITY AS p(block_id, activity_id, ord)
    JOIN eighth_blocks b ON b.id = p.block_id
    JOIN eighth_activities a ON a.id = p.activity_id
    LEFT JOIN eighth_scheduled_activities sa ON sa.block_id = p.block_id AND sa.activity_id = p.activity_id
    ORDER BY p.ord`
}

/**
 * Locks the cells' scheduled activities and their both-blocks siblings (same activity, the other
 * of A/B on the same date), by id: the order a signup takes them in.
 */
export async function lockCells(tx: Tx, pairs: Pair[]): Promise<void> {
  await tx`
    WITH p AS (SELECT * FROM unnest(${pairs.map((p) => p.blockId)}::int[], ${pairs.map((p) => p.activityId)}::int[]) AS p(block_id, activity_id)),
    pb AS (
      SELECT block_id, activity_id FROM p
      UNION
      SELECT b2.id, p.activity_id FROM p JOIN eighth_blocks b1 ON b1.id = p.block_id
      JOIN eighth_blocks b2 ON b2.date = b1.date AND b2.block_letter = CASE b1.block_letter WHEN 'A' THEN 'B' WHEN 'B' THEN 'A' END
    )
    SELECT sa.id FROM eighth_scheduled_activities sa JOIN pb ON pb.block_id = sa.block_id AND pb.activity_id = sa.activity_id
    ORDER BY sa.id FOR UPDATE OF sa`
}

export type Sibling = { id: number; blockId: number; cancelled: boolean; count: number; date: string; blockLetter: string }

/** The both-blocks sibling: the same activity on the same date in the other of A and B. */
export async function siblingOf(db: Db, saId: number): Promise<Sibling | null> {
  const [row] = await db<Sibling[]>`
    SELECT s2.id, s2.block_id, s2.cancelled, b2.date, b2.block_letter,
           (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = s2.id)::int AS count
    FROM eighth_scheduled_activities s1 JOIN eighth_blocks b1 ON b1.id = s1.block_id
    JOIN eighth_blocks b2 ON b2.date = b1.date AND b2.block_letter = CASE b1.block_letter WHEN 'A' THEN 'B' WHEN 'B' THEN 'A' END
    JOIN eighth_scheduled_activities s2 ON s2.block_id = b2.id AND s2.activity_id = s1.activity_id
    WHERE s1.id = ${saId}`
  return row ?? null
}

export type Overrides = {
  title: string
  comments: string
  capacity: number | null
  bothBlocks: boolean
  special: boolean
  administrative: boolean
  restricted: boolean
  sticky: boolean
}

/** Creates the scheduled activity (or finds the one a concurrent save made); returns its id. */
export async function insertScheduled(tx: Tx, p: Pair, o: Overrides, now: Date): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    INSERT INTO eighth_scheduled_activities ${tx({ blockId: p.blockId, activityId: p.activityId, ...o, createdAt: now, updatedAt: now })}
    ON CONFLICT (block_id, activity_id) DO UPDATE SET updated_at = EXCLUDED.updated_at
    RETURNING id`
  return row!.id
}

export async function updateOverrides(tx: Tx, id: number, o: Overrides, now: Date): Promise<void> {
  await tx`UPDATE eighth_scheduled_activities SET ${tx({ ...o, updatedAt: now })} WHERE id = ${id}`
}

export async function replaceLists(tx: Tx, id: number, rooms: number[], sponsors: number[]): Promise<void> {
  await tx`DELETE FROM eighth_scheduled_activity_rooms WHERE scheduled_activity_id = ${id}`
  if (rooms.length) await tx`INSERT INTO eighth_scheduled_activity_rooms ${tx(rooms.map((roomId) => ({ scheduledActivityId: id, roomId })))}`
  await tx`DELETE FROM eighth_scheduled_activity_sponsors WHERE scheduled_activity_id = ${id}`
  if (sponsors.length) await tx`INSERT INTO eighth_scheduled_activity_sponsors ${tx(sponsors.map((sponsorId) => ({ scheduledActivityId: id, sponsorId })))}`
}

export async function isCancelled(db: Db, id: number): Promise<boolean | null> {
  const [row] = await db<{ cancelled: boolean }[]>`SELECT cancelled FROM eighth_scheduled_activities WHERE id = ${id}`
  return row ? row.cancelled : null
}

export async function signupCount(db: Db, id: number): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE scheduled_activity_id = ${id}`
  return row!.n
}

export async function deleteScheduled(tx: Tx, ids: number[]): Promise<void> {
  await tx`DELETE FROM eighth_scheduled_activities WHERE id = ANY(${ids}::int[])`
}

export async function roomNamesOf(db: Db, ids: number[]): Promise<string[]> {
  if (!ids.length) return []
  const rows = await db<{ name: string }[]>`SELECT name FROM eighth_rooms WHERE id = ANY(${ids}::int[]) ORDER BY name`
  return rows.map((r) => r.name)
}

export async function blocksFrom(db: Db, from: string, limit: number): Promise<{ id: number; date: string; blockLetter: string }[]> {
  return db`SELECT id, date, block_letter FROM eighth_blocks WHERE date >= ${from} ORDER BY date, block_letter LIMIT ${limit}`
}

/** The block grid's rows: every activity scheduled in the block, then non-deleted matches of `q` that are not. */
export async function blockRowActivities(db: Db, blockId: number, q: string, limit: number): Promise<number[]> {
  const like = '%' + q.replace(/[\\%_]/g, (ch) => '\\' + ch) + '%'
  const rows = await db<{ id: number }[]>`
    (SELECT a.id, 0 AS k, lower(a.name) AS n FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id WHERE sa.block_id = ${blockId})
    UNION ALL
    (SELECT a.id, 1, lower(a.name) FROM eighth_activities a
     WHERE ${q} <> '' AND NOT a.deleted AND (a.name ILIKE ${like} OR a.id::text = ${q})
       AND NOT EXISTS (SELECT 1 FROM eighth_scheduled_activities sa WHERE sa.block_id = ${blockId} AND sa.activity_id = a.id)
     ORDER BY lower(a.name) LIMIT ${limit})
    ORDER BY 2, 3`
  return rows.map((r) => r.id)
}
