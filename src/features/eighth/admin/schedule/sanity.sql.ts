import type { Db } from '../../../../platform/db.ts'
import type { SponsorName } from '../../effective.ts'

// The sanity check's data: every live scheduled activity of a block with its rooms and sponsors
// (override and default) and its count. One statement.

export type SanityRoom = { id: number; name: string; capacity: number }
export type SanityRow = {
  id: number
  activityId: number
  name: string
  count: number
  saRooms: SanityRoom[]
  actRooms: SanityRoom[]
  saSponsors: (SponsorName & { id: number })[]
  actSponsors: (SponsorName & { id: number })[]
}

export async function sanityRows(db: Db, blockId: number): Promise<SanityRow[]> {
  return db<SanityRow[]>`
    SELECT sa.id, a.id AS activity_id, a.name,
           (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id)::int AS count,
           COALESCE((SELECT json_agg(json_build_object('id', r.id, 'name', r.name, 'capacity', r.capacity) ORDER BY r.name)
                     FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id), '[]') AS sa_rooms,
           COALESCE((SELECT json_agg(json_build_object('id', r.id, 'name', r.name, 'capacity', r.capacity) ORDER BY r.name)
                     FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id), '[]') AS act_rooms,
           COALESCE((SELECT json_agg(json_build_object('id', sp.id, 'firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name))
                     FROM eighth_scheduled_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.scheduled_activity_id = sa.id), '[]') AS sa_sponsors,
           COALESCE((SELECT json_agg(json_build_object('id', sp.id, 'firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name))
                     FROM eighth_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.activity_id = a.id), '[]') AS act_sponsors
    FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE sa.block_id = ${blockId} AND NOT sa.cancelled AND NOT a.deleted
    ORDER BY lower(a.name)`
}
