import type { Db } from '../../platform/db.ts'

// Creating the catalogue: rooms, sponsors, activities, blocks and their schedule.

export async function createRoom(db: Db, r: { name: string; capacity?: number }): Promise<number> {
  const [row] = await db<{ id: number }[]>`INSERT INTO eighth_rooms (name, capacity) VALUES (${r.name}, ${r.capacity ?? 28}) RETURNING id`
  return row!.id
}

export async function createSponsor(db: Db, s: { firstName?: string; lastName: string; userId?: number | null; showFullName?: boolean }): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO eighth_sponsors (first_name, last_name, user_id, show_full_name)
    VALUES (${s.firstName ?? ''}, ${s.lastName}, ${s.userId ?? null}, ${s.showFullName ?? false}) RETURNING id`
  return row!.id
}

export type ActivityFields = {
  name: string
  description?: string
  defaultCapacity?: number | null
  presign?: boolean
  oneADay?: boolean
  bothBlocks?: boolean
  sticky?: boolean
  special?: boolean
  administrative?: boolean
  restricted?: boolean
  freshmenAllowed?: boolean
  sophomoresAllowed?: boolean
  juniorsAllowed?: boolean
  seniorsAllowed?: boolean
  wedA?: boolean
  wedB?: boolean
  friA?: boolean
  friB?: boolean
  subscriptionsEnabled?: boolean
  deleted?: boolean
}

export async function createActivity(db: Db, a: ActivityFields & { id?: number; rooms?: number[]; sponsors?: number[] }): Promise<number> {
  const f = {
    name: a.name, description: a.description ?? '', defaultCapacity: a.defaultCapacity ?? null,
    presign: a.presign ?? false, oneADay: a.oneADay ?? false, bothBlocks: a.bothBlocks ?? false, sticky: a.sticky ?? false,
    special: a.special ?? false, administrative: a.administrative ?? false, restricted: a.restricted ?? false,
    freshmenAllowed: a.freshmenAllowed ?? false, sophomoresAllowed: a.sophomoresAllowed ?? false,
    juniorsAllowed: a.juniorsAllowed ?? false, seniorsAllowed: a.seniorsAllowed ?? false,
    wedA: a.wedA ?? false, wedB: a.wedB ?? false, friA: a.friA ?? false, friB: a.friB ?? false,
    subscriptionsEnabled: a.subscriptionsEnabled ?? false, deleted: a.deleted ?? false,
    ...(a.id ? { id: a.id } : {}),
  }
  const [row] = await db<{ id: number }[]>`INSERT INTO eighth_activities ${db(f)} RETURNING id`
  const id = row!.id
  if (a.id) await db`SELECT setval(pg_get_serial_sequence('eighth_activities', 'id'), GREATEST((SELECT max(id) FROM eighth_activities), 1))`
  if (a.rooms?.length) await db`INSERT INTO eighth_activity_rooms ${db(a.rooms.map((roomId) => ({ activityId: id, roomId })))}`
  if (a.sponsors?.length) await db`INSERT INTO eighth_activity_sponsors ${db(a.sponsors.map((sponsorId) => ({ activityId: id, sponsorId })))}`
  return id
}

export async function createBlock(db: Db, b: { date: string; letter: string; locked?: boolean; signupTime?: string; comments?: string }): Promise<number> {
  const letter = b.letter.charAt(0).toUpperCase() + b.letter.slice(1)
  const [row] = await db<{ id: number }[]>`
    INSERT INTO eighth_blocks (date, block_letter, locked, signup_time, comments)
    VALUES (${b.date}, ${letter}, ${b.locked ?? false}, ${b.signupTime ?? '12:40'}, ${b.comments ?? ''}) RETURNING id`
  return row!.id
}

export type ScheduleFields = {
  title?: string
  comments?: string
  capacity?: number | null
  bothBlocks?: boolean
  special?: boolean
  administrative?: boolean
  restricted?: boolean
  sticky?: boolean
  cancelled?: boolean
}

export async function scheduleActivity(db: Db, blockId: number, activityId: number, s: ScheduleFields & { rooms?: number[]; sponsors?: number[] } = {}): Promise<number> {
  const f = {
    blockId, activityId, title: s.title ?? '', comments: s.comments ?? '', capacity: s.capacity ?? null,
    bothBlocks: s.bothBlocks ?? false, special: s.special ?? false, administrative: s.administrative ?? false,
    restricted: s.restricted ?? false, sticky: s.sticky ?? false, cancelled: s.cancelled ?? false,
  }
  const [row] = await db<{ id: number }[]>`INSERT INTO eighth_scheduled_activities ${db(f)} RETURNING id`
  const id = row!.id
  if (s.rooms?.length) await db`INSERT INTO eighth_scheduled_activity_rooms ${db(s.rooms.map((roomId) => ({ scheduledActivityId: id, roomId })))}`
  if (s.sponsors?.length) await db`INSERT INTO eighth_scheduled_activity_sponsors ${db(s.sponsors.map((sponsorId) => ({ scheduledActivityId: id, sponsorId })))}`
  return id
}

export async function setActivityUsers(db: Db, activityId: number, role: 'allowed' | 'blacklisted' | 'favorite' | 'subscriber' | 'officer' | 'club_sponsor', userIds: number[]): Promise<void> {
  await db`DELETE FROM eighth_activity_users WHERE activity_id = ${activityId} AND role = ${role}`
  if (userIds.length) await db`INSERT INTO eighth_activity_users ${db(userIds.map((userId) => ({ activityId, userId, role })))}`
}

export async function setGroupsAllowed(db: Db, activityId: number, groupIds: number[]): Promise<void> {
  await db`DELETE FROM eighth_activity_groups_allowed WHERE activity_id = ${activityId}`
  if (groupIds.length) await db`INSERT INTO eighth_activity_groups_allowed ${db(groupIds.map((groupId) => ({ activityId, groupId })))}`
}

export async function setBlockLocked(db: Db, blockId: number, locked: boolean): Promise<void> {
  await db`UPDATE eighth_blocks SET locked = ${locked} WHERE id = ${blockId}`
}

export async function setActivityDeleted(db: Db, activityId: number, deleted: boolean): Promise<void> {
  await db`UPDATE eighth_activities SET deleted = ${deleted} WHERE id = ${activityId}`
}
