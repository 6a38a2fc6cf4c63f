import type { Db } from '../../../../platform/db.ts'
import type { SponsorName } from '../../effective.ts'

// An activity's public page and its club settings: who may manage it, who may subscribe.

export type ClubRow = {
  id: number
  name: string
  description: string
  deleted: boolean
  restricted: boolean
  special: boolean
  bothBlocks: boolean
  administrative: boolean
  sticky: boolean
  subscriptionsEnabled: boolean
  sponsors: SponsorName[]
  rooms: string[]
  subscribers: number
}

export async function clubRow(db: Db, id: number): Promise<ClubRow | null> {
  const [row] = await db<ClubRow[]>`
    SELECT a.id, a.name, a.description, a.deleted, a.restricted, a.special, a.both_blocks, a.administrative, a.sticky, a.subscriptions_enabled,
           COALESCE((SELECT json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name) ORDER BY sp.last_name)
                     FROM eighth_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.activity_id = a.id), '[]') AS sponsors,
           ARRAY(SELECT r.name FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id ORDER BY r.name) AS rooms,
           (SELECT count(*) FROM eighth_activity_users WHERE activity_id = a.id AND role = 'subscriber')::int AS subscribers
    FROM eighth_activities a WHERE a.id = ${id}`
  return row ?? null
}

export type ViewerStanding = { sponsor: boolean; clubSponsor: boolean; officer: boolean; subscribed: boolean; allowedByList: boolean }

/**
 * The viewer's standing with the activity: sponsor (their sponsor record is a default sponsor or
 * an override sponsor of one of its scheduled activities), club sponsor, officer, subscriber, and
 * whether the allow list names them or a group of theirs.
 */
export async function standing(db: Db, activityId: number, userId: number): Promise<ViewerStanding> {
  const [row] = await db<ViewerStanding[]>`
    SELECT
      EXISTS (SELECT 1 FROM eighth_sponsors sp WHERE sp.user_id = ${userId} AND (
        EXISTS (SELECT 1 FROM eighth_activity_sponsors x WHERE x.activity_id = ${activityId} AND x.sponsor_id = sp.id)
        OR EXISTS (SELECT 1 FROM eighth_scheduled_activity_sponsors x JOIN eighth_scheduled_activities sa ON sa.id = x.scheduled_activity_id
                   WHERE sa.activity_id = ${activityId} AND x.sponsor_id = sp.id))) AS sponsor,
      EXISTS (SELECT 1 FROM eighth_activity_users WHERE activity_id = ${activityId} AND user_id = ${userId} AND role = 'club_sponsor') AS club_sponsor,
      EXISTS (SELECT 1 FROM eighth_activity_users WHERE activity_id = ${activityId} AND user_id = ${userId} AND role = 'officer') AS officer,
      EXISTS (SELECT 1 FROM eighth_activity_users WHERE activity_id = ${activityId} AND user_id = ${userId} AND role = 'subscriber') AS subscribed,
      (EXISTS (SELECT 1 FROM eighth_activity_users WHERE activity_id = ${activityId} AND user_id = ${userId} AND role = 'allowed')
       OR EXISTS (SELECT 1 FROM eighth_activity_groups_allowed ga JOIN user_groups ug ON ug.group_id = ga.group_id
                  WHERE ga.activity_id = ${activityId} AND ug.user_id = ${userId})) AS allowed_by_list`
  return row!
}

export async function setSubscriptions(db: Db, id: number, on: boolean, now: Date): Promise<void> {
  await db`UPDATE eighth_activities SET subscriptions_enabled = ${on}, updated_at = ${now} WHERE id = ${id}`
}

export type Scheduling = {
  id: number
  blockId: number
  date: string
  blockLetter: string
  title: string
  comments: string
  cancelled: boolean
  count: number
  saCapacity: number | null
  activityDefaultCapacity: number | null
  saRoomCaps: number[]
  activityRoomCaps: number[]
  saRooms: string[]
  actRooms: string[]
  saSponsors: SponsorName[]
  actSponsors: SponsorName[]
}

/** The activity's schedulings in [from, to] (to null: every one from `from`, or all when from is null too). */
export async function schedulings(db: Db, id: number, from: string | null, to: string | null, limit: number): Promise<Scheduling[]> {
  return db<Scheduling[]>`
    SELECT sa.id, b.id AS block_id, b.date, b.block_letter, sa.title, sa.comments, sa.cancelled,
           (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id)::int AS count,
           sa.capacity AS sa_capacity, a.default_capacity AS activity_default_capacity,
           ARRAY(SELECT r.capacity FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id) AS sa_room_caps,
           ARRAY(SELECT r.capacity FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id) AS activity_room_caps,
           ARRAY(SELECT r.name FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id ORDER BY r.name) AS sa_rooms,
           ARRAY(SELECT r.name FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id ORDER BY r.name) AS act_rooms,
           COALESCE((SELECT json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name) ORDER BY sp.last_name)
                     FROM eighth_scheduled_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.scheduled_activity_id = sa.id), '[]') AS sa_sponsors,
           COALESCE((SELECT json_agg(json_build_object('firstName', sp.first_name, 'lastName', sp.last_name, 'showFullName', sp.show_full_name) ORDER BY sp.last_name)
                     FROM eighth_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.activity_id = a.id), '[]') AS act_sponsors
    FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE sa.activity_id = ${id} AND (${from}::date IS NULL OR b.date >= ${from}::date) AND (${to}::date IS NULL OR b.date <= ${to}::date)
    ORDER BY b.date, b.block_letter LIMIT ${limit}`
}
