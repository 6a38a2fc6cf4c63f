import type { Db } from '../../../../platform/db.ts'

// Rooms: the office's CRUD, and where a room is used.

export type RoomRow = { id: number; name: string; capacity: number; availableForEighth: boolean; activities: number; scheduled: number }
export type RoomFields = { name: string; capacity: number; availableForEighth: boolean }

export async function listRooms(db: Db): Promise<RoomRow[]> {
  return db<RoomRow[]>`
    SELECT r.id, r.name, r.capacity, r.available_for_eighth,
           (SELECT count(*) FROM eighth_activity_rooms x WHERE x.room_id = r.id)::int AS activities,
           (SELECT count(*) FROM eighth_scheduled_activity_rooms x WHERE x.room_id = r.id)::int AS scheduled
    FROM eighth_rooms r ORDER BY lower(r.name), r.id`
}

export async function roomRow(db: Db, id: number): Promise<RoomRow | null> {
  const [row] = await db<RoomRow[]>`
    SELECT r.id, r.name, r.capacity, r.available_for_eighth,
           (SELECT count(*) FROM eighth_activity_rooms x WHERE x.room_id = r.id)::int AS activities,
           (SELECT count(*) FROM eighth_scheduled_activity_rooms x WHERE x.room_id = r.id)::int AS scheduled
    FROM eighth_rooms r WHERE r.id = ${id}`
  return row ?? null
}

export async function insertRoom(db: Db, r: RoomFields, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO eighth_rooms (name, capacity, available_for_eighth, created_at, updated_at)
    VALUES (${r.name}, ${r.capacity}, ${r.availableForEighth}, ${now}, ${now}) RETURNING id`
  return row!.id
}

export async function updateRoom(db: Db, id: number, r: RoomFields, now: Date): Promise<boolean> {
  const rows = await db`
    UPDATE eighth_rooms SET name = ${r.name}, capacity = ${r.capacity}, available_for_eighth = ${r.availableForEighth}, updated_at = ${now}
    WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

export async function deleteRoom(db: Db, id: number): Promise<boolean> {
  const rows = await db`DELETE FROM eighth_rooms WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

/** Blocks from `from` on where the room counts toward a scheduled activity's seats (override, or default without override). */
export async function blocksUsingRoom(db: Db, roomId: number, from: string): Promise<number[]> {
  const rows = await db<{ id: number }[]>`
    SELECT DISTINCT b.id FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id
    WHERE b.date >= ${from} AND (
      EXISTS (SELECT 1 FROM eighth_scheduled_activity_rooms x WHERE x.scheduled_activity_id = sa.id AND x.room_id = ${roomId})
      OR (NOT EXISTS (SELECT 1 FROM eighth_scheduled_activity_rooms x WHERE x.scheduled_activity_id = sa.id)
          AND EXISTS (SELECT 1 FROM eighth_activity_rooms x WHERE x.activity_id = sa.activity_id AND x.room_id = ${roomId})))`
  return rows.map((r) => r.id)
}

export type Option = { id: number; label: string }

/** Every room, for pickers. */
export async function roomOptions(db: Db): Promise<(Option & { capacity: number })[]> {
  return db<(Option & { capacity: number })[]>`SELECT id, name AS label, capacity FROM eighth_rooms ORDER BY lower(name), id`
}

export async function existingRoomIds(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return []
  const rows = await db<{ id: number }[]>`SELECT id FROM eighth_rooms WHERE id = ANY(${ids}::int[])`
  return rows.map((r) => r.id)
}
