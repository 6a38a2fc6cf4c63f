import type { Db } from '../../platform/db.ts'

// What a profile shows from eighth period: the next blocks with the person's signups, and the
// upcoming activities they sponsor. Read straight from the eighth tables, one statement each.

export type NextBlockRow = {
  blockId: number
  date: string
  blockLetter: string
  activityName: string | null
  title: string | null
  cancelled: boolean | null
  saRooms: string[]
  actRooms: string[]
}

/** Blocks from `today` on (`limit` of them), each with the user's signup if any. */
export async function nextBlocksOf(db: Db, userId: number, today: string, limit: number): Promise<NextBlockRow[]> {
  return db<NextBlockRow[]>`
    SELECT b.id AS block_id, b.date, b.block_letter, a.name AS activity_name, sa.title, sa.cancelled,
           ARRAY(SELECT r.name FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.scheduled_activity_id = sa.id ORDER BY r.name) AS sa_rooms,
           ARRAY(SELECT r.name FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.activity_id = a.id ORDER BY r.name) AS act_rooms
    FROM eighth_blocks b
    LEFT JOIN eighth_signups s ON s.block_id = b.id AND s.user_id = ${userId}
    LEFT JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    LEFT JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE b.date >= ${today}
    ORDER BY b.date, b.block_letter LIMIT ${limit}`
}

export type SponsoredRow = {
  scheduledId: number
  date: string
  blockLetter: string
  name: string
  title: string
  cancelled: boolean
  saRooms: string[]
  actRooms: string[]
}

/**
 * The scheduled activities the user sponsors from `today` on: their sponsor is on the scheduled
 * activity's own list, or that list is empty and the sponsor is on the activity's (Ion's
 * for_sponsor). Null when the user is not an eighth sponsor at all.
 */
export async function sponsoredBy(db: Db, userId: number, today: string, limit: number): Promise<SponsoredRow[] | null> {
  const [sponsor] = await db<{ id: number }[]>`SELECT id FROM eighth_sponsors WHERE user_id = ${userId}`
  if (!sponsor) return null
  return db<SponsoredRow[]>`
    SELECT sa.id AS scheduled_id, b.date, b.block_letter, a.name, sa.title, sa.cancelled,
           ARRAY(SELECT r.name FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.scheduled_activity_id = sa.id ORDER BY r.name) AS sa_rooms,
           ARRAY(SELECT r.name FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.activity_id = a.id ORDER BY r.name) AS act_rooms
    FROM eighth_scheduled_activities sa
    JOIN eighth_blocks b ON b.id = sa.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE b.date >= ${today} AND NOT a.deleted
      AND (EXISTS (SELECT 1 FROM eighth_scheduled_activity_sponsors x WHERE x.scheduled_activity_id = sa.id AND x.sponsor_id = ${sponsor.id})
           OR (NOT EXISTS (SELECT 1 FROM eighth_scheduled_activity_sponsors x WHERE x.scheduled_activity_id = sa.id)
               AND EXISTS (SELECT 1 FROM eighth_activity_sponsors y WHERE y.activity_id = a.id AND y.sponsor_id = ${sponsor.id})))
    ORDER BY b.date, b.block_letter, a.name LIMIT ${limit}`
}
