import type { Tx } from '../../platform/db.ts'
import { displayName } from '../../platform/viewer.ts'
import { groupsVisibleTo } from '../groups/index.ts'
import { audit } from '../users/users.sql.ts'
import { done, isAnnouncementAdmin, refuse, type Act, type Outcome } from './access.ts'
import { insertAnnouncement } from './announcements.sql.ts'
import { sendApprovalNeeded, sendApproved, sendPosted, sendRejected, sendRequestToTeachers, type SentCount } from './emails.ts'
import type { Fields } from './form.ts'
import {
  claimAdminEmail, insertRequest, lockRequest, markPosted, markRejected, requestRow, setTeacherState, teacherIdsAmong, updateRequest, type RequestRow,
} from './requests.sql.ts'

// Ion's request → teacher approval → admin approval (ion-apps.md §8):
// 1. Anyone not restricted requests a post naming one or two teachers; each gets an email. A
//    teacher who names themselves approves it at once, and the admins are told right away.
// 2. A named teacher approves (perhaps after editing) or rejects. The first approval emails the
//    announcement admins (once: admin_email_sent is claimed by one statement).
// 3. An announcements admin posts it (choosing groups and email options) or rejects it; the
//    requester (and approving teachers) hear either way. Posting is one guarded statement.

const record = (tx: Tx, a: Act, action: string, id: number, details: object) =>
  audit(tx, { actorId: a.viewer.id, action, targetType: 'announcement_request', targetId: id, at: a.deps.clock.now(), ip: a.ip, details })

const isOpen = (r: RequestRow) => r.postedId === null && !r.rejected
const CLOSED = 'This request has already been posted or rejected.'

export type Submitted = { id: number; selfApproved: boolean }

export async function submitRequest(a: Act, f: Fields): Promise<Outcome<Submitted>> {
  const valid = await teacherIdsAmong(a.deps.sql, f.teachers)
  if (valid.length !== f.teachers.length) return refuse(422, 'Choose teachers from the list.')
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const id = await insertRequest(tx, { title: f.title, content: f.content, author: f.author, expirationDate: f.expirationDate, notes: f.notes, userId: a.viewer.id }, f.teachers, now)
    const r = (await requestRow(tx, id))!
    const others = f.teachers.filter((t) => t !== a.viewer.id)
    await sendRequestToTeachers(tx, a.deps, r, others)
    const selfApproved = f.teachers.includes(a.viewer.id)
    if (selfApproved && (await claimAdminEmail(tx, id))) await sendApprovalNeeded(tx, a.deps, r, displayName(a.viewer))
    await record(tx, a, 'announcement.request', id, { title: f.title, teachers: f.teachers, selfApproved })
    return done({ id, selfApproved })
  })
}

/** The request, for a teacher it names (or an admin). */
export async function requestForTeacher(a: Act, id: number): Promise<Outcome<RequestRow>> {
  const r = await requestRow(a.deps.sql, id)
  if (!r) return refuse(404, 'That announcement request does not exist.')
  if (!r.teachers.some((t) => t.userId === a.viewer.id)) return refuse(403, 'Only the teachers this request names may approve it.')
  return done(r)
}

/** A named teacher approves (saving their edits) or rejects. */
export async function teacherDecide(a: Act, id: number, decision: 'approve' | 'reject', f: Fields | null): Promise<Outcome<RequestRow>> {
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const r = await lockRequest(tx, id)
    if (!r) return refuse(404, 'That announcement request does not exist.')
    if (!r.teachers.some((t) => t.userId === a.viewer.id)) return refuse(403, 'Only the teachers this request names may approve it.')
    if (!isOpen(r)) return refuse(409, CLOSED)
    if (decision === 'approve' && f) await updateRequest(tx, id, { title: f.title, content: f.content, author: f.author, expirationDate: f.expirationDate, notes: f.notes }, now)
    await setTeacherState(tx, id, a.viewer.id, decision === 'approve' ? 'approved' : 'rejected', now)
    const after = (await requestRow(tx, id))!
    if (decision === 'approve' && (await claimAdminEmail(tx, id))) await sendApprovalNeeded(tx, a.deps, after, displayName(a.viewer))
    await record(tx, a, decision === 'approve' ? 'announcement.request.teacher_approve' : 'announcement.request.teacher_reject', id, { title: after.title, edited: !!f })
    return done(after)
  })
}

export type AdminPosted = { announcementId: number; mail: SentCount | null }

/** An announcements admin posts the request as an announcement (their edits, groups and email options). */
export async function adminApprove(a: Act, id: number, f: Fields): Promise<Outcome<AdminPosted>> {
  if (!isAnnouncementAdmin(a.viewer)) return refuse(403, 'Only announcement admins post requests.')
  if (f.groups.length) {
    const allowed = new Set((await groupsVisibleTo(a.deps.sql, a.viewer)).map((g) => g.id))
    if (!f.groups.every((g) => allowed.has(g))) return refuse(422, 'One of the chosen groups does not exist or cannot be chosen.')
  }
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const r = await lockRequest(tx, id)
    if (!r) return refuse(404, 'That announcement request does not exist.')
    if (!isOpen(r)) return refuse(409, CLOSED)
    const announcementId = await insertAnnouncement(tx, {
      title: f.title, content: f.content, author: f.author, userId: r.userId, activityId: null, public: false, expirationDate: f.expirationDate,
      notifyPost: f.notifyPost, notifyEmailAll: f.notifyEmailAll, pinned: f.pinned,
    }, f.groups, now)
    if (!(await markPosted(tx, id, announcementId, a.viewer.id, now))) return refuse(409, CLOSED)
    const approvers = r.teachers.filter((t) => t.state === 'approved').map((t) => t.userId)
    await sendApproved(tx, a.deps, { id, userId: r.userId, approvers }, announcementId, f.title)
    const mail = f.notifyPost
      ? await sendPosted(tx, a.deps, { id: announcementId, title: f.title, content: f.content, author: f.author, activityId: null, activityName: null, everyone: f.notifyEmailAll },
          a.viewer.id, `ann-post-${announcementId}`)
      : null
    await record(tx, a, 'announcement.request.admin_approve', id, { title: f.title, announcementId, groups: f.groups, emailAll: f.notifyEmailAll, sent: mail?.to ?? 0 })
    return done({ announcementId, mail })
  })
}

export async function adminReject(a: Act, id: number): Promise<Outcome<string>> {
  if (!isAnnouncementAdmin(a.viewer)) return refuse(403, 'Only announcement admins reject requests.')
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const r = await lockRequest(tx, id)
    if (!r) return refuse(404, 'That announcement request does not exist.')
    if (!(await markRejected(tx, id, a.viewer.id, now))) return refuse(409, CLOSED)
    await sendRejected(tx, a.deps, { id, userId: r.userId, title: r.title })
    await record(tx, a, 'announcement.request.admin_reject', id, { title: r.title })
    return done(r.title)
  })
}
