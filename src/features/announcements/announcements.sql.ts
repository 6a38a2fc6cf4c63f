import type { Db, Tx } from '../../platform/db.ts'
import { pendingColumns, type Pending } from './requests.sql.ts'

// Announcements' SQL: the visibility rule (ion-apps.md §8), the feed pages, one post, writes, and
// hiding. Club posts read the eighth activity's flags, allow lists and subscriptions.

/** Who is looking: the user, their grade (9–12, else null), and an admin's "show everything". */
export type Scope = { userId: number; grade: number | null; all: boolean }

export type GroupRef = { id: number; name: string }

export type AnnouncementRow = {
  id: number
  title: string
  content: string
  author: string
  userId: number | null
  activityId: number | null
  activityName: string | null
  public: boolean
  expirationDate: Date
  notifyPost: boolean
  notifyEmailAll: boolean
  pinned: boolean
  added: Date
  updated: Date
  posterFirst: string | null
  posterLast: string | null
  posterNickname: string | null
  groups: GroupRef[]
  /** Set when the row was read for a viewer. */
  hidden: boolean
  requestId: number | null
  submitted: boolean
  approved: boolean
  /** Club posts: the club takes subscriptions, and whether the viewer is subscribed. */
  clubSubscriptions: boolean
  subscribed: boolean
}

/**
 * Ion's visible_to_user (restricted users are refused before any query): the poster; no groups and
 * no activity; a member of a target group; the submitter or a requested teacher of the originating
 * request; a club post of an unrestricted activity; a club post that is public, or whose activity
 * allows the user by list, group or grade.
 */
function visible(db: Db, s: Scope) {
  if (s.all) return db`true`
  const u = s.userId
  const g = s.grade
  return db`(
    a.user_id = ${u}
    OR (a.activity_id IS NULL AND NOT EXISTS (SELECT 1 FROM announcement_groups ag WHERE ag.announcement_id = a.id))
    OR EXISTS (SELECT 1 FROM announcement_groups ag JOIN user_groups ug ON ug.group_id = ag.group_id WHERE ag.announcement_id = a.id AND ug.user_id = ${u})
    OR EXISTS (SELECT 1 FROM announcement_requests r WHERE r.posted_id = a.id AND (r.user_id = ${u}
               OR EXISTS (SELECT 1 FROM announcement_request_teachers rt WHERE rt.request_id = r.id AND rt.user_id = ${u})))
    OR (a.activity_id IS NOT NULL AND (
      NOT act.restricted OR a.public
      OR EXISTS (SELECT 1 FROM eighth_activity_users eu WHERE eu.activity_id = a.activity_id AND eu.user_id = ${u} AND eu.role = 'allowed')
      OR EXISTS (SELECT 1 FROM eighth_activity_groups_allowed ga JOIN user_groups ug ON ug.group_id = ga.group_id
                 WHERE ga.activity_id = a.activity_id AND ug.user_id = ${u})
      OR (${g}::int = 9 AND act.freshmen_allowed) OR (${g}::int = 10 AND act.sophomores_allowed)
      OR (${g}::int = 11 AND act.juniors_allowed) OR (${g}::int = 12 AND act.seniors_allowed))))`
}

function columns(db: Db, viewerId: number) {
  return db`
    a.id, a.title, a.content, a.author, a.user_id, a.activity_id, act.name AS activity_name, a.public, a.expiration_date,
    a.notify_post, a.notify_email_all, a.pinned, a.added, a.updated,
    u.first_name AS poster_first, u.last_name AS poster_last, NULLIF(u.nickname, '') AS poster_nickname,
    COALESCE((SELECT json_agg(json_build_object('id', g.id, 'name', g.name) ORDER BY lower(g.name))
              FROM announcement_groups ag JOIN groups g ON g.id = ag.group_id WHERE ag.announcement_id = a.id), '[]') AS groups,
    EXISTS (SELECT 1 FROM announcement_hidden h WHERE h.announcement_id = a.id AND h.user_id = ${viewerId}) AS hidden,
    r.id AS request_id, COALESCE(r.user_id = ${viewerId}, false) AS submitted,
    EXISTS (SELECT 1 FROM announcement_request_teachers rt WHERE rt.request_id = r.id AND rt.user_id = ${viewerId} AND rt.state = 'approved') AS approved,
    COALESCE(act.subscriptions_enabled, false) AS club_subscriptions,
    EXISTS (SELECT 1 FROM eighth_activity_users eu WHERE eu.activity_id = a.activity_id AND eu.user_id = ${viewerId} AND eu.role = 'subscriber') AS subscribed`
}

const FROM = (db: Db) => db`
  announcements a
  LEFT JOIN eighth_activities act ON act.id = a.activity_id
  LEFT JOIN users u ON u.id = a.user_id
  LEFT JOIN announcement_requests r ON r.posted_id = a.id`

/** Which club posts a list holds. */
export type ClubFilter = 'none' | 'subscribed' | 'unsubscribed' | 'any'

export type PageQuery = { now: Date; showExpired: boolean; club: ClubFilter; byAddedOnly: boolean; limit: number; offset: number }

function clubWhere(db: Db, club: ClubFilter, userId: number) {
  if (club === 'any') return db`true`
  if (club === 'none') return db`a.activity_id IS NULL`
  const subscribed = db`(act.subscriptions_enabled AND EXISTS (SELECT 1 FROM eighth_activity_users eu
      WHERE eu.activity_id = a.activity_id AND eu.user_id = ${userId} AND eu.role = 'subscriber'))`
  return club === 'subscribed' ? db`a.activity_id IS NOT NULL AND ${subscribed}` : db`a.activity_id IS NOT NULL AND NOT ${subscribed}`
}

/** One page of posts visible in scope: pinned first then newest (or newest only), most recent id breaking ties. */
export async function feedRows(db: Db, s: Scope, q: PageQuery): Promise<AnnouncementRow[]> {
  const order = q.byAddedOnly ? db`a.added DESC, a.id DESC` : db`a.pinned DESC, a.added DESC, a.id DESC`
  return db<AnnouncementRow[]>`
    SELECT ${columns(db, s.userId)} FROM ${FROM(db)}
    WHERE ${visible(db, s)} AND ${clubWhere(db, q.club, s.userId)}
      AND (${q.showExpired}::boolean OR a.expiration_date > ${q.now})
    ORDER BY ${order} LIMIT ${q.limit} OFFSET ${q.offset}`
}

export type DashboardRow = AnnouncementRow & { part: 'feed' | 'club'; clubModifiable: boolean }
export type DashboardRows = { feed: DashboardRow[]; club: DashboardRow[]; pending: Pending }

/**
 * The dashboard's announcements in one statement (feedRows twice, modifiableClubs and
 * pendingCounts before): the feed's current non-club posts (pinned first, `feedLimit` of them),
 * the club box (subscribed clubs' current posts, `clubLimit`), whether the viewer may modify each
 * club post (Ion's can_modify for a non-admin), and the approval counts. The counts' one row is
 * left-joined to the posts, so it comes back even when there are none.
 */
export async function dashboardRows(db: Db, s: Scope, q: { now: Date; feedLimit: number; clubLimit: number; admin: boolean }): Promise<DashboardRows> {
  const u = s.userId
  const part = (club: ClubFilter, limit: number) => db`
    SELECT ${club === 'none' ? 'feed' : 'club'}::text AS part, row_number() OVER (ORDER BY a.pinned DESC, a.added DESC, a.id DESC) AS ord,
      ${columns(db, u)},
      (a.activity_id IS NOT NULL AND (
        EXISTS (SELECT 1 FROM eighth_activity_users eu WHERE eu.activity_id = a.activity_id AND eu.user_id = ${u} AND eu.role IN ('officer', 'club_sponsor'))
        OR EXISTS (SELECT 1 FROM eighth_sponsors sp JOIN eighth_activity_sponsors x ON x.sponsor_id = sp.id
                   WHERE sp.user_id = ${u} AND x.activity_id = a.activity_id))) AS club_modifiable
    FROM ${FROM(db)}
    WHERE ${visible(db, s)} AND ${clubWhere(db, club, u)} AND a.expiration_date > ${q.now}
    ORDER BY a.pinned DESC, a.added DESC, a.id DESC LIMIT ${limit}`
  const rows = await db<(DashboardRow & Pending)[]>`
    SELECT x.*, p.* FROM (SELECT ${pendingColumns(db, u, q.admin)}) p
    LEFT JOIN ((${part('none', q.feedLimit)}) UNION ALL (${part('subscribed', q.clubLimit)})) x ON true
    ORDER BY x.part DESC, x.ord`
  const first = rows[0]!
  const out: DashboardRows = { feed: [], club: [], pending: { forMe: first.forMe, awaitingAdmin: first.awaitingAdmin, awaitingTeacher: first.awaitingTeacher } }
  for (const r of rows) if (r.id !== null) out[r.part].push(r)
  return out
}

/** One post; with a scope, only when visible in it. */
export async function announcementRow(db: Db, id: number, viewerId: number, s: Scope | null): Promise<AnnouncementRow | null> {
  const [row] = await db<AnnouncementRow[]>`
    SELECT ${columns(db, viewerId)} FROM ${FROM(db)} WHERE a.id = ${id} AND ${s ? visible(db, s) : db`true`}`
  return row ?? null
}

/** The API list (every visible post, expired ones too, as Ion's API) and its total. */
export async function apiRows(db: Db, s: Scope, limit: number, offset: number): Promise<{ rows: AnnouncementRow[]; count: number }> {
  const [rows, [c]] = await Promise.all([
    db<AnnouncementRow[]>`SELECT ${columns(db, s.userId)} FROM ${FROM(db)} WHERE ${visible(db, s)} ORDER BY a.pinned DESC, a.added DESC, a.id DESC LIMIT ${limit} OFFSET ${offset}`,
    db<{ n: number }[]>`SELECT count(*)::int AS n FROM announcements a LEFT JOIN eighth_activities act ON act.id = a.activity_id WHERE ${visible(db, s)}`,
  ])
  return { rows, count: c!.n }
}

/** Search hits: every word of one branch in the title or the text; branches are a union. */
export async function searchRows(db: Db, s: Scope, branches: string[][], now: Date, limit: number): Promise<{ id: number; title: string; content: string }[]> {
  const usable = branches.map((ws) => ws.slice(0, 12)).filter((ws) => ws.length).slice(0, 8)
  if (!usable.length) return []
  const like = (w: string) => '%' + w.replace(/[\\%_]/g, (ch) => '\\' + ch) + '%'
  const word = (w: string) => db`(a.title ILIKE ${like(w)} OR a.content ILIKE ${like(w)})`
  const branch = (ws: string[]) => ws.map(word).reduce((x, y) => db`${x} AND ${y}`)
  const where = usable.map(branch).reduce((x, y) => db`(${x}) OR (${y})`)
  return db<{ id: number; title: string; content: string }[]>`
    SELECT a.id, a.title, a.content FROM announcements a LEFT JOIN eighth_activities act ON act.id = a.activity_id
    WHERE ${visible(db, s)} AND a.expiration_date > ${now} AND (${where})
    ORDER BY a.added DESC, a.id DESC LIMIT ${limit}`
}

export type AnnouncementFields = {
  title: string
  content: string
  author: string
  userId: number | null
  activityId: number | null
  public: boolean
  expirationDate: Date
  notifyPost: boolean
  notifyEmailAll: boolean
  pinned: boolean
}

export async function insertAnnouncement(tx: Tx, f: AnnouncementFields, groupIds: number[], now: Date): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    INSERT INTO announcements (title, content, author, user_id, activity_id, public, expiration_date, notify_post, notify_email_all, pinned, added, updated)
    VALUES (${f.title}, ${f.content}, ${f.author}, ${f.userId}, ${f.activityId}, ${f.public}, ${f.expirationDate}, ${f.notifyPost},
            ${f.notifyEmailAll}, ${f.pinned}, ${now}, ${now})
    RETURNING id`
  await setGroups(tx, row!.id, groupIds)
  return row!.id
}

export type AnnouncementEdit = Pick<AnnouncementFields, 'title' | 'content' | 'author' | 'public' | 'expirationDate' | 'notifyPost' | 'notifyEmailAll' | 'pinned'>

/** False when the post is gone. `bump` moves it to the top (Ion's "update added date"). */
export async function updateAnnouncement(tx: Tx, id: number, f: AnnouncementEdit, groupIds: number[] | null, now: Date, bump: boolean): Promise<boolean> {
  const rows = await tx`
    UPDATE announcements SET title = ${f.title}, content = ${f.content}, author = ${f.author}, public = ${f.public},
      expiration_date = ${f.expirationDate}, notify_post = ${f.notifyPost}, notify_email_all = ${f.notifyEmailAll}, pinned = ${f.pinned},
      updated = ${now}, added = CASE WHEN ${bump}::boolean THEN ${now} ELSE added END
    WHERE id = ${id} RETURNING id`
  if (!rows.length) return false
  if (groupIds) await setGroups(tx, id, groupIds)
  return true
}

async function setGroups(tx: Tx, id: number, groupIds: number[]): Promise<void> {
  await tx`DELETE FROM announcement_groups WHERE announcement_id = ${id}`
  if (groupIds.length) {
    await tx`INSERT INTO announcement_groups (announcement_id, group_id) SELECT ${id}, unnest(${groupIds}::int[]) ON CONFLICT DO NOTHING`
  }
}

/** Ion's "delete" for a post: it expires now (it stays in the archive). */
export async function expireAnnouncement(tx: Tx, id: number, now: Date): Promise<boolean> {
  const rows = await tx`UPDATE announcements SET expiration_date = ${now}, updated = ${now} WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

export async function deleteAnnouncementRow(tx: Tx, id: number): Promise<boolean> {
  const rows = await tx`DELETE FROM announcements WHERE id = ${id} RETURNING id`
  return rows.length > 0
}

/** True when the state changed. */
export async function setHidden(db: Db, announcementId: number, userId: number, hidden: boolean): Promise<boolean> {
  const rows = hidden
    ? await db`INSERT INTO announcement_hidden (announcement_id, user_id) VALUES (${announcementId}, ${userId}) ON CONFLICT DO NOTHING RETURNING 1`
    : await db`DELETE FROM announcement_hidden WHERE announcement_id = ${announcementId} AND user_id = ${userId} RETURNING 1`
  return rows.length > 0
}

/** Groups by id that exist (audience checks). */
export async function existingGroupIds(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return []
  const rows = await db<{ id: number }[]>`SELECT id FROM groups WHERE id = ANY(${ids}::int[])`
  return rows.map((r) => r.id)
}
