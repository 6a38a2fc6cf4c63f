import type postgres from 'postgres'
import type { Db, Tx } from '../../platform/db.ts'

// Events and their groups, attendees and approvals (ion-apps.md §9). Visibility is one SQL rule,
// Ion's group rule: an approved event with no groups is for everyone, otherwise for members of one
// of its groups; its creator always sees it (also while it awaits approval); events admins see all.

type Fragment = postgres.PendingQuery<postgres.Row[]>

/** Whose eyes: a member (userId), an events admin (all), or nobody signed in (userId null: public events only). */
export type Scope = { userId: number | null; admin: boolean }

export type EventRow = {
  id: number
  title: string
  description: string
  location: string
  startsAt: Date
  endsAt: Date | null
  userId: number | null
  showAttending: boolean
  showOnDashboard: boolean
  public: boolean
  category: 'school' | 'sports'
  openTo: 'everyone' | 'students' | 'parents'
  approved: boolean
  rejected: boolean
  added: Date
  updated: Date
  groups: { id: number; name: string }[]
  attendeeCount: number
  /** The viewer is attending (false without a viewer). */
  attending: boolean
  /** The viewer collapsed it in the dashboard feed (false without a viewer). */
  hidden: boolean
  creatorFirst: string | null
  creatorLast: string | null
  creatorNickname: string | null
}

const NO_GROUPS = (db: Db) => db`NOT EXISTS (SELECT 1 FROM event_groups eg WHERE eg.event_id = e.id)`

/** The group rule for a signed-in member (approval is checked separately). */
function groupRule(db: Db, userId: number): Fragment {
  return db`(${NO_GROUPS(db)}
    OR EXISTS (SELECT 1 FROM event_groups eg JOIN user_groups ug ON ug.group_id = eg.group_id AND ug.user_id = ${userId} WHERE eg.event_id = e.id)
    OR e.user_id = ${userId})`
}

/** Approved events the scope may see (lists, calendars, feeds). */
export function listable(db: Db, s: Scope): Fragment {
  if (s.admin) return db`e.approved`
  if (s.userId === null) return db`(e.approved AND e.public AND ${NO_GROUPS(db)})`
  return db`(e.approved AND ${groupRule(db, s.userId)})`
}

/** One event's page: also the creator's own request while it waits (or was rejected). */
function openable(db: Db, s: Scope): Fragment {
  if (s.admin) return db`true`
  if (s.userId === null) return listable(db, s)
  return db`(${listable(db, s)} OR e.user_id = ${s.userId})`
}

function selectEvents(db: Db, s: Scope, where: Fragment, tail: Fragment) {
  const viewer = s.userId ?? 0
  return db<EventRow[]>`
    SELECT e.id, e.title, e.description, e.location, e.starts_at, e.ends_at, e.user_id, e.show_attending, e.show_on_dashboard,
           e.public, e.category, e.open_to, e.approved, e.rejected, e.added, e.updated,
           COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY lower(g.name))
                     FROM event_groups eg JOIN groups g ON g.id = eg.group_id WHERE eg.event_id = e.id), '[]') AS groups,
           (SELECT count(*)::int FROM event_attendees a WHERE a.event_id = e.id) AS attendee_count,
           EXISTS (SELECT 1 FROM event_attendees a WHERE a.event_id = e.id AND a.user_id = ${viewer}) AS attending,
           EXISTS (SELECT 1 FROM event_hidden h WHERE h.event_id = e.id AND h.user_id = ${viewer}) AS hidden,
           u.first_name AS creator_first, u.last_name AS creator_last, NULLIF(u.nickname, '') AS creator_nickname
    FROM events e LEFT JOIN users u ON u.id = e.user_id
    WHERE ${where}
    ${tail}`
}

/** Approved, visible events that overlap [from, to), in time order. */
export function eventsBetween(db: Db, s: Scope, from: Date, to: Date, limit = 500): Promise<EventRow[]> {
  return selectEvents(db, s, db`${listable(db, s)} AND e.starts_at < ${to} AND COALESCE(e.ends_at, e.starts_at) >= ${from}`,
    db`ORDER BY e.starts_at, e.id LIMIT ${limit}`)
}

export async function eventById(db: Db, s: Scope, id: number): Promise<EventRow | null> {
  const [row] = await selectEvents(db, s, db`e.id = ${id} AND ${openable(db, s)}`, db``)
  return row ?? null
}

/** Requests waiting for an events admin, oldest first. */
export function pendingEvents(db: Db, limit = 200): Promise<EventRow[]> {
  return selectEvents(db, { userId: null, admin: true }, db`NOT e.approved AND NOT e.rejected`, db`ORDER BY e.added, e.id LIMIT ${limit}`)
}

/** The viewer's own requests that are still waiting or were turned down (upcoming ones). */
export function ownOpenRequests(db: Db, userId: number, now: Date): Promise<EventRow[]> {
  return selectEvents(db, { userId, admin: false }, db`e.user_id = ${userId} AND NOT e.approved AND COALESCE(e.ends_at, e.starts_at) >= ${now}`,
    db`ORDER BY e.starts_at LIMIT 50`)
}

/** Dashboard feed: visible approved events on the dashboard that end today or later, newest added first. */
export function feedEvents(db: Db, s: Scope, since: Date, limit: number): Promise<EventRow[]> {
  return selectEvents(db, s, db`${listable(db, s)} AND e.show_on_dashboard AND COALESCE(e.ends_at, e.starts_at) >= ${since}`,
    db`ORDER BY e.added DESC, e.id DESC LIMIT ${limit}`)
}

/** The login page: approved public events (no groups) of one category starting in [from, to). */
export function publicUpcoming(db: Db, category: 'school' | 'sports', from: Date, to: Date, limit: number): Promise<EventRow[]> {
  return selectEvents(db, { userId: null, admin: false },
    db`${listable(db, { userId: null, admin: false })} AND e.category = ${category} AND e.starts_at >= ${from} AND e.starts_at < ${to}`,
    db`ORDER BY e.starts_at, e.id LIMIT ${limit}`)
}

export type EventFields = {
  title: string
  description: string
  location: string
  startsAt: Date
  endsAt: Date | null
  showAttending: boolean
  showOnDashboard: boolean
  public: boolean
  category: 'school' | 'sports'
  openTo: 'everyone' | 'students' | 'parents'
}

async function setGroups(tx: Tx, id: number, groups: number[]): Promise<void> {
  await tx`DELETE FROM event_groups WHERE event_id = ${id}`
  if (groups.length) await tx`INSERT INTO event_groups (event_id, group_id) SELECT ${id}, unnest(${groups}::int[]) ON CONFLICT DO NOTHING`
}

/** A new event; `approvedBy` set means auto-approved (an events admin added it). */
export async function insertEvent(tx: Tx, f: EventFields, groups: number[], userId: number, approvedBy: number | null, now: Date): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    INSERT INTO events (title, description, location, starts_at, ends_at, user_id, show_attending, show_on_dashboard, public, category, open_to,
                        approved, approved_by, added, updated)
    VALUES (${f.title}, ${f.description}, ${f.location}, ${f.startsAt}, ${f.endsAt}, ${userId}, ${f.showAttending}, ${f.showOnDashboard},
            ${f.public}, ${f.category}, ${f.openTo}, ${approvedBy !== null}, ${approvedBy}, ${now}, ${now})
    RETURNING id`
  await setGroups(tx, row!.id, groups)
  return row!.id
}

export async function updateEvent(tx: Tx, id: number, f: EventFields, groups: number[], now: Date): Promise<boolean> {
  const rows = await tx`
    UPDATE events SET title = ${f.title}, description = ${f.description}, location = ${f.location}, starts_at = ${f.startsAt},
      ends_at = ${f.endsAt}, show_attending = ${f.showAttending}, show_on_dashboard = ${f.showOnDashboard}, public = ${f.public},
      category = ${f.category}, open_to = ${f.openTo}, updated = ${now}
    WHERE id = ${id} RETURNING id`
  if (!rows.length) return false
  await setGroups(tx, id, groups)
  return true
}

export async function deleteEvent(tx: Tx, id: number): Promise<{ title: string } | null> {
  const [row] = await tx<{ title: string }[]>`DELETE FROM events WHERE id = ${id} RETURNING title`
  return row ?? null
}

export type Decided = { id: number; title: string; userId: number | null; startsAt: Date }

/** Approve or reject a waiting request: one guarded statement (null when it was already decided or is gone). */
export async function decideEvent(tx: Tx, id: number, approve: boolean, by: number, now: Date): Promise<Decided | null> {
  const [row] = await tx<Decided[]>`
    UPDATE events SET approved = ${approve}, approved_by = ${approve ? by : null}, rejected = ${!approve}, rejected_by = ${approve ? null : by}, updated = ${now}
    WHERE id = ${id} AND NOT approved AND NOT rejected
    RETURNING id, title, user_id, starts_at`
  return row ?? null
}

/** Hide (collapse) or show an event in this user's feed: true when it changed anything. */
export async function setEventHidden(db: Db, eventId: number, userId: number, hidden: boolean): Promise<boolean> {
  const rows = hidden
    ? await db`INSERT INTO event_hidden (event_id, user_id) VALUES (${eventId}, ${userId}) ON CONFLICT DO NOTHING RETURNING 1`
    : await db`DELETE FROM event_hidden WHERE event_id = ${eventId} AND user_id = ${userId} RETURNING 1`
  return rows.length > 0
}

/** RSVP: true when it changed anything. */
export async function setAttending(db: Db, eventId: number, userId: number, on: boolean, now: Date): Promise<boolean> {
  const rows = on
    ? await db`INSERT INTO event_attendees (event_id, user_id, joined_at) VALUES (${eventId}, ${userId}, ${now}) ON CONFLICT DO NOTHING RETURNING 1`
    : await db`DELETE FROM event_attendees WHERE event_id = ${eventId} AND user_id = ${userId} RETURNING 1`
  return rows.length > 0
}

export type Attendee = {
  id: number
  firstName: string
  lastName: string
  nickname: string
  userType: string
  graduationYear: number | null
  selfShowEighth: boolean
  parentShowEighth: boolean
}

export function attendees(db: Db, eventId: number): Promise<Attendee[]> {
  return db<Attendee[]>`
    SELECT u.id, u.first_name, u.last_name, u.nickname, u.user_type, u.graduation_year, u.self_show_eighth, u.parent_show_eighth
    FROM event_attendees a JOIN users u ON u.id = a.user_id
    WHERE a.event_id = ${eventId}
    ORDER BY lower(u.last_name), lower(u.first_name), u.id`
}

/** Events admins (admin_events or admin_all) with their notification address. */
export function eventAdminAddresses(db: Db): Promise<{ id: number; address: string | null }[]> {
  return db<{ id: number; address: string | null }[]>`
    SELECT DISTINCT u.id, (SELECT e.address FROM emails e WHERE e.user_id = u.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS address
    FROM users u JOIN user_groups ug ON ug.user_id = u.id JOIN groups g ON g.id = ug.group_id
    WHERE g.name IN ('admin_events', 'admin_all') AND u.active AND NOT u.locked
    ORDER BY u.id`
}
