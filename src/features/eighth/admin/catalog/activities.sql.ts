import type { Db, Tx } from '../../../../platform/db.ts'
import { lockStudent } from '../../signup.sql.ts'
import type { Person } from './people.ts'

// Activities for the office: every field and flag of ion-eighth.md §1.3, lists, deletion.

export type ActivityValues = {
  name: string
  description: string
  adminComments: string
  finance: string
  defaultCapacity: number | null
  presign: boolean
  oneADay: boolean
  bothBlocks: boolean
  sticky: boolean
  special: boolean
  administrative: boolean
  restricted: boolean
  freshmenAllowed: boolean
  sophomoresAllowed: boolean
  juniorsAllowed: boolean
  seniorsAllowed: boolean
  wedA: boolean
  wedB: boolean
  friA: boolean
  friB: boolean
  subscriptionsEnabled: boolean
}
export const FLAG_KEYS = [
  'presign', 'oneADay', 'bothBlocks', 'sticky', 'special', 'administrative', 'restricted', 'freshmenAllowed', 'sophomoresAllowed',
  'juniorsAllowed', 'seniorsAllowed', 'wedA', 'wedB', 'friA', 'friB', 'subscriptionsEnabled',
] as const satisfies readonly (keyof ActivityValues)[]

export type ActivityRecord = ActivityValues & { id: number; deleted: boolean; roomIds: number[]; sponsorIds: number[]; groupIds: number[] }
export type ActivityListRow = { id: number; name: string; deleted: boolean; restricted: boolean; special: boolean; administrative: boolean; bothBlocks: boolean; sticky: boolean; sponsors: string[]; rooms: string[] }

export async function listActivities(db: Db, q: string, withDeleted: boolean): Promise<ActivityListRow[]> {
  const like = '%' + q.replace(/[\\%_]/g, (ch) => '\\' + ch) + '%'
  const idQ = /^\d{1,9}$/.test(q) ? Number(q) : null
  return db<ActivityListRow[]>`
    SELECT a.id, a.name, a.deleted, a.restricted, a.special, a.administrative, a.both_blocks, a.sticky,
           ARRAY(SELECT sp.last_name FROM eighth_activity_sponsors x JOIN eighth_sponsors sp ON sp.id = x.sponsor_id WHERE x.activity_id = a.id ORDER BY sp.last_name) AS sponsors,
           ARRAY(SELECT r.name FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id ORDER BY r.name) AS rooms
    FROM eighth_activities a
    WHERE (${withDeleted} OR NOT a.deleted) AND (${q} = '' OR a.name ILIKE ${like} OR a.id = ${idQ}::int)
    ORDER BY lower(a.name), a.id LIMIT 1000`
}

export async function activityRecord(db: Db, id: number): Promise<ActivityRecord | null> {
  const [row] = await db<ActivityRecord[]>`
    SELECT a.id, a.name, a.description, a.admin_comments, a.finance, a.default_capacity, a.presign, a.one_a_day, a.both_blocks, a.sticky,
           a.special, a.administrative, a.restricted, a.freshmen_allowed, a.sophomores_allowed, a.juniors_allowed, a.seniors_allowed,
           a.wed_a, a.wed_b, a.fri_a, a.fri_b, a.subscriptions_enabled, a.deleted,
           ARRAY(SELECT room_id FROM eighth_activity_rooms WHERE activity_id = a.id ORDER BY room_id) AS room_ids,
           ARRAY(SELECT sponsor_id FROM eighth_activity_sponsors WHERE activity_id = a.id ORDER BY sponsor_id) AS sponsor_ids,
           ARRAY(SELECT group_id FROM eighth_activity_groups_allowed WHERE activity_id = a.id ORDER BY group_id) AS group_ids
    FROM eighth_activities a WHERE a.id = ${id}`
  return row ?? null
}

/** Serialises edits of one activity (the room-change notice compares before and after). */
export async function lockActivity(tx: Tx, id: number): Promise<boolean> {
  return (await tx`SELECT id FROM eighth_activities WHERE id = ${id} FOR UPDATE`).length > 0
}

export type ActivityRole = 'allowed' | 'blacklisted' | 'subscriber' | 'officer' | 'club_sponsor'

export async function activityPeople(db: Db, id: number, role: ActivityRole): Promise<Person[]> {
  return db<Person[]>`
    SELECT u.id, u.username, u.first_name, u.last_name, u.nickname, u.user_type, u.graduation_year, u.student_id
    FROM eighth_activity_users au JOIN users u ON u.id = au.user_id
    WHERE au.activity_id = ${id} AND au.role = ${role}
    ORDER BY lower(u.last_name), lower(u.first_name), u.id`
}

export async function addActivityUser(db: Db, id: number, role: ActivityRole, userId: number): Promise<boolean> {
  const rows = await db`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES (${id}, ${userId}, ${role}) ON CONFLICT DO NOTHING RETURNING user_id`
  return rows.length > 0
}

export async function removeActivityUser(db: Db, id: number, role: ActivityRole, userId: number): Promise<boolean> {
  const rows = await db`DELETE FROM eighth_activity_users WHERE activity_id = ${id} AND role = ${role} AND user_id = ${userId} RETURNING user_id`
  return rows.length > 0
}

/** Ids 1..3199 nobody uses (Ion offers them when an activity is created). */
export async function freeIds(db: Db, limit: number): Promise<number[]> {
  const rows = await db<{ id: number }[]>`
    SELECT g AS id FROM generate_series(1, 3199) g WHERE NOT EXISTS (SELECT 1 FROM eighth_activities WHERE id = g) ORDER BY g LIMIT ${limit}`
  return rows.map((r) => r.id)
}

export async function idTaken(db: Db, id: number): Promise<boolean> {
  return (await db`SELECT 1 FROM eighth_activities WHERE id = ${id}`).length > 0
}

export async function updateActivity(db: Db, id: number, v: ActivityValues, now: Date): Promise<void> {
  await db`UPDATE eighth_activities SET ${db({ ...v, updatedAt: now })} WHERE id = ${id}`
}

export async function replaceDefaults(tx: Tx, id: number, rooms: number[], sponsors: number[], groups: number[]): Promise<void> {
  await tx`DELETE FROM eighth_activity_rooms WHERE activity_id = ${id}`
  if (rooms.length) await tx`INSERT INTO eighth_activity_rooms ${tx(rooms.map((roomId) => ({ activityId: id, roomId })))}`
  await tx`DELETE FROM eighth_activity_sponsors WHERE activity_id = ${id}`
  if (sponsors.length) await tx`INSERT INTO eighth_activity_sponsors ${tx(sponsors.map((sponsorId) => ({ activityId: id, sponsorId })))}`
  await tx`DELETE FROM eighth_activity_groups_allowed WHERE activity_id = ${id}`
  if (groups.length) await tx`INSERT INTO eighth_activity_groups_allowed ${tx(groups.map((groupId) => ({ activityId: id, groupId })))}`
}

export async function setDeleted(db: Db, id: number, deleted: boolean, now: Date): Promise<void> {
  await db`UPDATE eighth_activities SET deleted = ${deleted}, updated_at = ${now} WHERE id = ${id}`
}

export type ActivityCounts = { scheduled: number; signups: number; future: number }

export async function activityCounts(db: Db, id: number, today: string): Promise<ActivityCounts> {
  const [row] = await db<ActivityCounts[]>`
    SELECT (SELECT count(*) FROM eighth_scheduled_activities WHERE activity_id = ${id})::int AS scheduled,
           (SELECT count(*) FROM eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id WHERE sa.activity_id = ${id})::int AS signups,
           (SELECT count(*) FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id WHERE sa.activity_id = ${id} AND b.date >= ${today})::int AS future`
  return row!
}

/** Hard delete, with the signup service's lock order (students, then scheduled activities). Returns the students who lost signups. */
export async function hardDelete(tx: Tx, id: number): Promise<number[]> {
  const students = await tx<{ userId: number }[]>`
    SELECT DISTINCT s.user_id FROM eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    WHERE sa.activity_id = ${id} ORDER BY s.user_id`
  for (const s of students) await lockStudent(tx, s.userId)
  await tx`SELECT id FROM eighth_scheduled_activities WHERE activity_id = ${id} ORDER BY id FOR UPDATE`
  await tx`DELETE FROM eighth_activities WHERE id = ${id}`
  return students.map((s) => s.userId)
}

/** Upcoming blocks where the activity is scheduled (seat counts to refresh). */
export async function blocksOfActivity(db: Db, id: number, from: string): Promise<number[]> {
  const rows = await db<{ blockId: number }[]>`
    SELECT sa.block_id FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id WHERE sa.activity_id = ${id} AND b.date >= ${from}`
  return rows.map((r) => r.blockId)
}

export type RoomNoticeRow = { userId: number; email: string; blockId: number; date: string; blockLetter: string }

/**
 * Students with signups from `from` on in this activity's scheduled activities that use the
 * default rooms (no override), who want eighth-period email, with their notification address.
 */
export async function roomNoticeRows(db: Db, id: number, from: string): Promise<RoomNoticeRow[]> {
  return db<RoomNoticeRow[]>`
    SELECT s.user_id, e.address AS email, b.id AS block_id, b.date, b.block_letter
    FROM eighth_signups s
    JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    JOIN eighth_blocks b ON b.id = s.block_id
    JOIN users u ON u.id = s.user_id
    JOIN LATERAL (SELECT address FROM emails WHERE user_id = u.id ORDER BY is_primary DESC, id LIMIT 1) e ON true
    WHERE sa.activity_id = ${id} AND b.date >= ${from} AND NOT sa.cancelled AND u.active AND u.receive_eighth_emails
      AND NOT EXISTS (SELECT 1 FROM eighth_scheduled_activity_rooms x WHERE x.scheduled_activity_id = sa.id)
    ORDER BY s.user_id, b.date, b.block_letter`
}

export async function roomNames(db: Db, ids: number[]): Promise<string[]> {
  if (!ids.length) return []
  const rows = await db<{ name: string }[]>`SELECT name FROM eighth_rooms WHERE id = ANY(${ids}::int[]) ORDER BY name`
  return rows.map((r) => r.name)
}
