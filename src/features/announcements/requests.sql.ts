import type { Db, Tx } from '../../platform/db.ts'

// Announcement requests: the requester, the one or two teachers asked (and what each decided),
// and the admin's outcome. Posting and rejecting are each one guarded statement, so two admins
// acting at once cannot both post (or post and reject) one request.

export type TeacherState = 'requested' | 'approved' | 'rejected'
export type RequestTeacher = { userId: number; slot: number; state: TeacherState; firstName: string; lastName: string; nickname: string | null }

export type RequestRow = {
  id: number
  title: string
  content: string
  author: string
  expirationDate: Date
  notes: string
  userId: number | null
  requesterFirst: string | null
  requesterLast: string | null
  requesterNickname: string | null
  postedId: number | null
  postedBy: number | null
  rejected: boolean
  rejectedBy: number | null
  adminEmailSent: boolean
  added: Date
  updated: Date
  teachers: RequestTeacher[]
}

const SELECT = (db: Db) => db`
  SELECT r.id, r.title, r.content, r.author, r.expiration_date, r.notes, r.user_id,
         u.first_name AS requester_first, u.last_name AS requester_last, NULLIF(u.nickname, '') AS requester_nickname,
         r.posted_id, r.posted_by, r.rejected, r.rejected_by, r.admin_email_sent, r.added, r.updated,
         COALESCE((SELECT json_agg(json_build_object('userId', t.user_id, 'slot', t.slot, 'state', t.state, 'firstName', tu.first_name,
                                                     'lastName', tu.last_name, 'nickname', NULLIF(tu.nickname, '')) ORDER BY t.slot)
                   FROM announcement_request_teachers t JOIN users tu ON tu.id = t.user_id WHERE t.request_id = r.id), '[]') AS teachers
  FROM announcement_requests r LEFT JOIN users u ON u.id = r.user_id`

export type NewRequest = { title: string; content: string; author: string; expirationDate: Date; notes: string; userId: number }

/** Inserts the request and its teachers (slot 1, 2); a teacher equal to the requester is approved at once. */
export async function insertRequest(tx: Tx, r: NewRequest, teacherIds: number[], now: Date): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    INSERT INTO announcement_requests (title, content, author, expiration_date, notes, user_id, added, updated)
    VALUES (${r.title}, ${r.content}, ${r.author}, ${r.expirationDate}, ${r.notes}, ${r.userId}, ${now}, ${now}) RETURNING id`
  const id = row!.id
  const rows = teacherIds.map((userId, i) => ({
    requestId: id, userId, slot: i + 1, state: userId === r.userId ? 'approved' : 'requested', decidedAt: userId === r.userId ? now : null,
  }))
  await tx`INSERT INTO announcement_request_teachers ${tx(rows, 'requestId', 'userId', 'slot', 'state', 'decidedAt')}`
  return id
}

export async function requestRow(db: Db, id: number): Promise<RequestRow | null> {
  const [row] = await db<RequestRow[]>`${SELECT(db)} WHERE r.id = ${id}`
  return row ?? null
}

/** Locks the request for a decision (teacher or admin). */
export async function lockRequest(tx: Tx, id: number): Promise<RequestRow | null> {
  const [row] = await tx<{ id: number }[]>`SELECT id FROM announcement_requests WHERE id = ${id} FOR UPDATE`
  return row ? requestRow(tx, id) : null
}

export type RequestEdit = { title: string; content: string; author: string; expirationDate: Date; notes: string }

export async function updateRequest(tx: Tx, id: number, e: RequestEdit, now: Date): Promise<void> {
  await tx`
    UPDATE announcement_requests SET title = ${e.title}, content = ${e.content}, author = ${e.author}, expiration_date = ${e.expirationDate},
      notes = ${e.notes}, updated = ${now} WHERE id = ${id}`
}

export async function setTeacherState(tx: Tx, id: number, userId: number, state: 'approved' | 'rejected', now: Date): Promise<void> {
  await tx`UPDATE announcement_request_teachers SET state = ${state}, decided_at = ${now} WHERE request_id = ${id} AND user_id = ${userId}`
}

/** True only for the first caller: the admin email goes out once. */
export async function claimAdminEmail(tx: Tx, id: number): Promise<boolean> {
  const rows = await tx`UPDATE announcement_requests SET admin_email_sent = true WHERE id = ${id} AND NOT admin_email_sent RETURNING id`
  return rows.length > 0
}

/** True when this call posted it (still open: not posted, not rejected). */
export async function markPosted(tx: Tx, id: number, announcementId: number, by: number, now: Date): Promise<boolean> {
  const rows = await tx`
    UPDATE announcement_requests SET posted_id = ${announcementId}, posted_by = ${by}, updated = ${now}
    WHERE id = ${id} AND posted_id IS NULL AND NOT rejected RETURNING id`
  return rows.length > 0
}

export async function markRejected(tx: Tx, id: number, by: number, now: Date): Promise<boolean> {
  const rows = await tx`
    UPDATE announcement_requests SET rejected = true, rejected_by = ${by}, updated = ${now}
    WHERE id = ${id} AND posted_id IS NULL AND NOT rejected RETURNING id`
  return rows.length > 0
}

export type RequestBrief = { id: number; title: string; added: Date; requesterFirst: string | null; requesterLast: string | null; approvals: number; postedId: number | null; rejected: boolean; myState: TeacherState | null }

const BRIEF = (db: Db, viewerId: number) => db`
  SELECT r.id, r.title, r.added, u.first_name AS requester_first, u.last_name AS requester_last, r.posted_id, r.rejected,
         (SELECT count(*) FROM announcement_request_teachers t WHERE t.request_id = r.id AND t.state = 'approved')::int AS approvals,
         (SELECT t.state FROM announcement_request_teachers t WHERE t.request_id = r.id AND t.user_id = ${viewerId}) AS my_state
  FROM announcement_requests r LEFT JOIN users u ON u.id = r.user_id`

/** The admin status page: this school year's requests, newest first. */
export async function requestsSince(db: Db, from: Date, viewerId: number, limit = 500): Promise<RequestBrief[]> {
  return db<RequestBrief[]>`${BRIEF(db, viewerId)} WHERE r.added >= ${from} ORDER BY r.added DESC, r.id DESC LIMIT ${limit}`
}

/** Requests naming this teacher: open ones, and ones they approved (newest first). */
export async function requestsForTeacher(db: Db, userId: number, limit = 100): Promise<RequestBrief[]> {
  return db<RequestBrief[]>`${BRIEF(db, userId)}
    WHERE EXISTS (SELECT 1 FROM announcement_request_teachers t WHERE t.request_id = r.id AND t.user_id = ${userId})
    ORDER BY r.added DESC, r.id DESC LIMIT ${limit}`
}

/** Requests this user submitted (newest first). */
export async function requestsBy(db: Db, userId: number, limit = 50): Promise<RequestBrief[]> {
  return db<RequestBrief[]>`${BRIEF(db, userId)} WHERE r.user_id = ${userId} ORDER BY r.added DESC, r.id DESC LIMIT ${limit}`
}

export type Pending = { forMe: number; awaitingAdmin: number; awaitingTeacher: number }

/** The approval counts' columns (for_me, awaiting_admin, awaiting_teacher), read with the dashboard's announcements (dashboardRows). */
export function pendingColumns(db: Db, userId: number, admin: boolean) {
  return db`
      (SELECT count(*) FROM announcement_request_teachers t JOIN announcement_requests r ON r.id = t.request_id
       WHERE t.user_id = ${userId} AND t.state = 'requested' AND r.posted_id IS NULL AND NOT r.rejected)::int AS for_me,
      CASE WHEN ${admin}::boolean THEN (SELECT count(*) FROM announcement_requests r WHERE r.posted_id IS NULL AND NOT r.rejected
        AND EXISTS (SELECT 1 FROM announcement_request_teachers t WHERE t.request_id = r.id AND t.state = 'approved')) ELSE 0 END::int AS awaiting_admin,
      CASE WHEN ${admin}::boolean THEN (SELECT count(*) FROM announcement_requests r WHERE r.posted_id IS NULL AND NOT r.rejected
        AND NOT EXISTS (SELECT 1 FROM announcement_request_teachers t WHERE t.request_id = r.id AND t.state = 'approved')) ELSE 0 END::int AS awaiting_teacher`
}

export type TeacherChoice = { id: number; firstName: string; lastName: string; nickname: string | null; userType: string }

/** Whom a requester may name: active teachers, counselors and attendance users, by name. */
export async function teacherChoices(db: Db): Promise<TeacherChoice[]> {
  return db<TeacherChoice[]>`
    SELECT id, first_name, last_name, NULLIF(nickname, '') AS nickname, user_type FROM users
    WHERE user_type IN ('teacher', 'counselor', 'user') AND active AND NOT locked
    ORDER BY lower(last_name), lower(first_name), id`
}

export async function teacherIdsAmong(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return []
  const rows = await db<{ id: number }[]>`
    SELECT id FROM users WHERE id = ANY(${ids}::int[]) AND user_type IN ('teacher', 'counselor', 'user') AND active AND NOT locked`
  return rows.map((r) => r.id)
}
