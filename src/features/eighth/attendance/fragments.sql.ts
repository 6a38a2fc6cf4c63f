import type { Db } from '../../../platform/db.ts'

// SQL expressions shared by the attendance pages and the office's reports, each about the
// scheduled activity aliased `sa`. Overrides replace the defaults (ion-eighth.md §1.5): the
// scheduled activity's own sponsors/rooms if it has any, else the activity's.

export type SponsorJson = { firstName: string; lastName: string; showFullName: boolean; userId: number | null }
export type RoomJson = { name: string; capacity: number }

/** The effective sponsors of `sa`, as a JSON array of SponsorJson (ordered by name). */
export const sponsorsOf = (db: Db) => db`
  (SELECT COALESCE(json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name, 'userId', sp.user_id)
                            ORDER BY sp.last_name, sp.first_name), '[]')
   FROM eighth_sponsors sp
   WHERE sp.id IN (SELECT x.sponsor_id FROM eighth_scheduled_activity_sponsors x WHERE x.scheduled_activity_id = sa.id)
      OR (NOT EXISTS (SELECT 1 FROM eighth_scheduled_activity_sponsors x WHERE x.scheduled_activity_id = sa.id)
          AND sp.id IN (SELECT y.sponsor_id FROM eighth_activity_sponsors y WHERE y.activity_id = sa.activity_id)))`

/** The effective rooms of `sa`, as a JSON array of RoomJson (ordered by name). */
export const roomsOf = (db: Db) => db`
  (SELECT COALESCE(json_agg(json_build_object('name', r.name, 'capacity', r.capacity) ORDER BY r.name), '[]')
   FROM eighth_rooms r
   WHERE r.id IN (SELECT x.room_id FROM eighth_scheduled_activity_rooms x WHERE x.scheduled_activity_id = sa.id)
      OR (NOT EXISTS (SELECT 1 FROM eighth_scheduled_activity_rooms x WHERE x.scheduled_activity_id = sa.id)
          AND r.id IN (SELECT y.room_id FROM eighth_activity_rooms y WHERE y.activity_id = sa.activity_id)))`

/**
 * Ion's for_sponsor: `sa` is the user's when they are one of its override sponsors, or it has no
 * override sponsors and they sponsor the activity. A sponsor is a user through eighth_sponsors.user_id.
 */
export const sponsoredBy = (db: Db, userId: number) => db`
  (EXISTS (SELECT 1 FROM eighth_scheduled_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id
           WHERE x.scheduled_activity_id = sa.id AND sp.user_id = ${userId})
   OR (NOT EXISTS (SELECT 1 FROM eighth_scheduled_activity_sponsors x WHERE x.scheduled_activity_id = sa.id)
       AND EXISTS (SELECT 1 FROM eighth_activity_sponsors y JOIN eighth_sponsors sp ON sp.id = y.sponsor_id
                   WHERE y.activity_id = sa.activity_id AND sp.user_id = ${userId})))`

/** An audit row for an eighth-period action; `students` are the affected students' ids. */
export async function auditEighth(db: Db, e: { at: Date; actorId: number | null; action: string; targetType: string; targetId: number | string; students: number[]; details?: Record<string, unknown> }): Promise<void> {
  const details = { ...(e.details ?? {}), students: e.students }
  await db`
    INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details)
    VALUES (${e.at}, ${e.actorId}, ${e.action}, ${e.targetType}, ${String(e.targetId)}, ${db.json(details as never)})`
}
