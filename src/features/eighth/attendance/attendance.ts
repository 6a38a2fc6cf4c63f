import type { Deps } from '../../../platform/http.ts'
import { mailOf } from '../../../platform/mail/enqueue.ts'
import { isEighthAdmin, isTeacher, type Viewer } from '../../../platform/viewer.ts'
import { attendanceLocked } from '../effective.ts'
import { blockText } from '../format.ts'
import { decideOnPass } from '../office.ts'
import {
  lockForAttendance, memberIds, recordAllAbsent, recordAttendance, recordOne, rosterHead, rosterMembers, signupPlace,
  type RosterHead, type RosterMember,
} from './attendance.sql.ts'
import { auditEighth } from './fragments.sql.ts'

// Taking attendance (ion-eighth.md §3.2, §3.5). Who may do what:
//   the office (eighth admins): every scheduled activity, at any time;
//   a sponsor (teacher, counselor or attendance-only user): their own, until 22:00 on the block's date;
//   another teacher or counselor: may read the roster, not change it;
//   an attendance-only user who does not sponsor it: it does not exist for them (404).
// Every write checks this on the server (Ion enforced the 22:00 lock only in the page).

export type Mode = 'take' | 'locked' | 'readonly'
export type Roster = { head: RosterHead; members: RosterMember[]; mode: Mode; office: boolean }
export type Refusal = { ok: false; status: 403 | 404 | 409 | 422; message: string }
export type Done<T = {}> = ({ ok: true } & T) | Refusal

export const refuse = (status: Refusal['status'], message: string): Refusal => ({ ok: false, status, message })
export const NOT_FOUND = 'That scheduled activity does not exist.'

/** What the viewer may do with this scheduled activity, or why not. */
export function modeFor(deps: Deps, viewer: Viewer, head: RosterHead): Mode | Refusal {
  if (isEighthAdmin(viewer)) return 'take'
  if (head.mine) return attendanceLocked(head.date, deps.clock.now(), deps.config.schoolTz) ? 'locked' : 'take'
  if (isTeacher(viewer)) return 'readonly'
  return refuse(404, NOT_FOUND)
}

export const lockedMessage = (head: { date: string; blockLetter: string }) =>
  `Attendance for ${blockText(head)} locked at 10 p.m. that day. Ask the eighth-period office to change it.`

function mayChange(mode: Mode | Refusal, head: RosterHead): Refusal | null {
  if (typeof mode !== 'string') return mode
  if (mode === 'locked') return refuse(403, lockedMessage(head))
  if (mode === 'readonly') return refuse(403, 'You can take attendance only for activities you sponsor.')
  return null
}

export async function loadRoster(deps: Deps, viewer: Viewer, id: number): Promise<Done<{ roster: Roster }>> {
  const head = await rosterHead(deps.sql, id, viewer.id)
  if (!head) return refuse(404, NOT_FOUND)
  const mode = modeFor(deps, viewer, head)
  if (typeof mode !== 'string') return mode
  const members = await rosterMembers(deps.sql, id)
  return { ok: true, roster: { head, members, mode, office: isEighthAdmin(viewer) } }
}

/** Reads the head and checks the viewer may change attendance now. */
export async function authorize(deps: Deps, viewer: Viewer, id: number): Promise<Done<{ head: RosterHead }>> {
  const head = await rosterHead(deps.sql, id, viewer.id)
  if (!head) return refuse(404, NOT_FOUND)
  return mayChange(modeFor(deps, viewer, head), head) ?? { ok: true, head }
}

/** The whole roster at once (the form): the listed students present, everyone else absent. */
export async function saveAttendance(deps: Deps, viewer: Viewer, id: number, presentIds: number[]): Promise<Done<{ present: number; absent: number }>> {
  const auth = await authorize(deps, viewer, id)
  if (!auth.ok) return auth
  return deps.sql.begin(async (tx) => {
    if (!(await lockForAttendance(tx, id))) return refuse(404, NOT_FOUND)
    const members = new Set(await memberIds(tx, id))
    const strangers = presentIds.filter((u) => !members.has(u))
    if (strangers.length) return refuse(422, 'Some of the students marked present are not in this activity. Reload the page and try again.')
    const rows = await recordAttendance(tx, id, presentIds, deps.clock.now())
    const present = rows.filter((r) => !r.wasAbsent).map((r) => r.userId)
    const absent = rows.filter((r) => r.wasAbsent).map((r) => r.userId)
    await auditEighth(tx, { at: deps.clock.now(), actorId: viewer.id, action: 'eighth.attendance', targetType: 'scheduled_activity', targetId: id, students: rows.map((r) => r.userId), details: { present, absent } })
    return { ok: true, present: present.length, absent: absent.length }
  })
}

/** "Mark all present": every member present except unaccepted passes. */
export async function markAllPresent(deps: Deps, viewer: Viewer, id: number): Promise<Done<{ present: number; absent: number }>> {
  const auth = await authorize(deps, viewer, id)
  if (!auth.ok) return auth
  return deps.sql.begin(async (tx) => {
    if (!(await lockForAttendance(tx, id))) return refuse(404, NOT_FOUND)
    const rows = await recordAttendance(tx, id, await memberIds(tx, id), deps.clock.now())
    const absent = rows.filter((r) => r.wasAbsent).map((r) => r.userId)
    await auditEighth(tx, { at: deps.clock.now(), actorId: viewer.id, action: 'eighth.attendance_all_present', targetType: 'scheduled_activity', targetId: id, students: rows.map((r) => r.userId), details: { absent } })
    return { ok: true, present: rows.length - absent.length, absent: absent.length }
  })
}

/**
 * One tap: one student present or absent. The first mark on a roster whose attendance was not
 * yet taken records the whole roster as the page shows it (everyone else absent), so the
 * stored attendance always matches the screen.
 */
export async function markOne(deps: Deps, viewer: Viewer, id: number, userId: number, present: boolean): Promise<Done> {
  const auth = await authorize(deps, viewer, id)
  if (!auth.ok) return auth
  return deps.sql.begin(async (tx) => {
    const sa = await lockForAttendance(tx, id)
    if (!sa) return refuse(404, NOT_FOUND)
    const members = await memberIds(tx, id)
    if (!members.includes(userId)) return refuse(422, 'That student is not in this activity. Reload the page.')
    if (!sa.attendanceTaken) await recordAttendance(tx, id, present ? [userId] : [], deps.clock.now())
    else if (!(await recordOne(tx, id, userId, present))) return refuse(409, 'This student has a pass: accept or reject it first.')
    await auditEighth(tx, { at: deps.clock.now(), actorId: viewer.id, action: 'eighth.attendance_mark', targetType: 'scheduled_activity', targetId: id, students: [userId], details: { present } })
    return { ok: true }
  })
}

/** The office's "take attendance for a cancelled activity": every member absent. */
export async function takeCancelled(deps: Deps, viewer: Viewer, id: number): Promise<Done<{ absent: number }>> {
  if (!isEighthAdmin(viewer)) return refuse(403, 'Only the eighth-period office can do that.')
  return deps.sql.begin(async (tx) => {
    const sa = await lockForAttendance(tx, id)
    if (!sa) return refuse(404, NOT_FOUND)
    if (!sa.cancelled) return refuse(409, 'This activity is not cancelled: take attendance as usual.')
    const absent = await recordAllAbsent(tx, id, deps.clock.now())
    await auditEighth(tx, { at: deps.clock.now(), actorId: viewer.id, action: 'eighth.attendance_cancelled', targetType: 'scheduled_activity', targetId: id, students: absent })
    return { ok: true, absent: absent.length }
  })
}

/** Accept (present) or reject (absent) a pass: the sponsor or the office, once the block is locked. */
export async function decidePass(deps: Deps, viewer: Viewer, signupId: number, accept: boolean): Promise<Done<{ scheduledId: number }>> {
  const place = await signupPlace(deps.sql, signupId)
  if (!place) return refuse(404, 'That signup does not exist.')
  const auth = await authorize(deps, viewer, place.scheduledActivityId)
  if (!auth.ok) return auth
  if (!place.afterDeadline) return refuse(409, 'That signup is not a pass.')
  const out = await decideOnPass({ sql: deps.sql, clock: deps.clock, config: deps.config, mail: mailOf(deps) }, signupId, accept)
  if (out === 'not-found') return refuse(404, 'That signup does not exist.')
  if (out === 'not-locked') return refuse(409, 'Passes can be accepted or rejected once the block is locked.')
  await auditEighth(deps.sql, {
    at: deps.clock.now(), actorId: viewer.id, action: accept ? 'eighth.pass_accept' : 'eighth.pass_reject',
    targetType: 'scheduled_activity', targetId: place.scheduledActivityId, students: [place.userId], details: { signupId },
  })
  return { ok: true, scheduledId: place.scheduledActivityId }
}
