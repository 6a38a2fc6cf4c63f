import type { Tx } from '../../platform/db.ts'
import type { Deps } from '../../platform/http.ts'
import { displayName, hasPerm, isRestricted, type Viewer } from '../../platform/viewer.ts'
import { canSee } from '../directory/index.ts'
import { groupsVisibleTo } from '../groups/index.ts'
import { audit } from '../users/users.sql.ts'
import { sendDecision, sendRequestToAdmins } from './emails.ts'
import {
  attendees, decideEvent, deleteEvent, eventById, insertEvent, setAttending, setEventHidden, updateEvent, type Attendee, type EventRow, type Scope,
} from './events.sql.ts'
import { parseEvent, type Form } from './form.ts'

// Events (ion-apps.md §9): a member requests an event (it waits for an events admin, who is
// emailed); an events admin adds one (approved at once), approves or rejects requests (the
// requester is emailed), edits and deletes. Members RSVP where the event allows it. Refusals are
// values with a status and every reason.

export type Refusal = { ok: false; status: 403 | 404 | 409 | 422; errors: string[] }
export type Outcome<T> = { ok: true; value: T } | Refusal
const refuse = (status: Refusal['status'], ...errors: string[]): Refusal => ({ ok: false, status, errors })
const done = <T>(value: T): Outcome<T> => ({ ok: true, value })

export type Act = { deps: Deps; viewer: Viewer; ip?: string }

export const isEventsAdmin = (v: Viewer) => hasPerm(v, 'admin_events')
export const scopeOf = (v: Viewer): Scope => ({ userId: v.id, admin: isEventsAdmin(v) })
export const NOT_FOUND = 'That event does not exist, or you cannot see it.'

const record = (tx: Tx, a: Act, action: string, id: number, details: object) =>
  audit(tx, { actorId: a.viewer.id, action, targetType: 'event', targetId: id, at: a.deps.clock.now(), ip: a.ip, details })

async function parse(a: Act, body: Form, future: boolean) {
  const allowed = new Set((await groupsVisibleTo(a.deps.sql, a.viewer)).map((g) => g.id))
  return parseEvent(body, { tz: a.deps.config.schoolTz, now: a.deps.clock.now(), rich: a.deps.config, future, allowedGroups: allowed })
}

export type Created = { id: number; approved: boolean; emailed: number }

/** An events admin's event is approved at once; anyone else's waits, and the admins are emailed. */
export async function createEvent(a: Act, body: Form): Promise<Outcome<Created>> {
  if (isRestricted(a.viewer)) return refuse(403, 'Your account cannot add events.')
  const p = await parse(a, body, true)
  if (!p.ok) return refuse(422, ...p.errors)
  const admin = isEventsAdmin(a.viewer)
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const { fields, groups } = p.value
    const id = await insertEvent(tx, fields, groups, a.viewer.id, admin ? a.viewer.id : null, now)
    const emailed = admin ? 0 : await sendRequestToAdmins(tx, a.deps, { id, ...fields }, displayName(a.viewer))
    await record(tx, a, admin ? 'event.add' : 'event.request', id, { title: fields.title, groups, public: fields.public })
    return done({ id, approved: admin, emailed })
  })
}

export async function modifyEvent(a: Act, id: number, body: Form): Promise<Outcome<number>> {
  if (!isEventsAdmin(a.viewer)) return refuse(403, 'Only events admins change events.')
  const p = await parse(a, body, false)
  if (!p.ok) return refuse(422, ...p.errors)
  return a.deps.sql.begin(async (tx) => {
    if (!(await updateEvent(tx, id, p.value.fields, p.value.groups, a.deps.clock.now()))) return refuse(404, NOT_FOUND)
    await record(tx, a, 'event.modify', id, { title: p.value.fields.title, groups: p.value.groups })
    return done(id)
  })
}

export async function removeEvent(a: Act, id: number): Promise<Outcome<string>> {
  if (!isEventsAdmin(a.viewer)) return refuse(403, 'Only events admins delete events.')
  return a.deps.sql.begin(async (tx) => {
    const gone = await deleteEvent(tx, id)
    if (!gone) return refuse(404, NOT_FOUND)
    await record(tx, a, 'event.delete', id, { title: gone.title })
    return done(gone.title)
  })
}

/** Approve or reject a waiting request (one guarded statement), emailing the requester. */
export async function decide(a: Act, id: number, approve: boolean): Promise<Outcome<string>> {
  if (!isEventsAdmin(a.viewer)) return refuse(403, 'Only events admins approve events.')
  return a.deps.sql.begin(async (tx) => {
    const d = await decideEvent(tx, id, approve, a.viewer.id, a.deps.clock.now())
    if (!d) {
      const e = await eventById(tx, { userId: null, admin: true }, id)
      return e ? refuse(409, 'This event was already approved or rejected.') : refuse(404, NOT_FOUND)
    }
    await sendDecision(tx, a.deps, d, approve)
    await record(tx, a, approve ? 'event.approve' : 'event.reject', id, { title: d.title })
    return done(d.title)
  })
}

/** Why this viewer may not RSVP to this event, or null. */
export function rsvpRefusal(e: EventRow, now: Date): string | null {
  if (!e.approved) return 'This event has not been approved yet.'
  if (!e.showAttending) return 'This event does not take RSVPs.'
  if ((e.endsAt ?? e.startsAt).getTime() < now.getTime()) return 'This event is over.'
  return null
}

export async function rsvp(a: Act, id: number, attending: boolean): Promise<Outcome<EventRow>> {
  const e = await eventById(a.deps.sql, scopeOf(a.viewer), id)
  if (!e || (!e.approved && !isEventsAdmin(a.viewer) && e.userId !== a.viewer.id)) return refuse(404, NOT_FOUND)
  const why = rsvpRefusal(e, a.deps.clock.now())
  if (why) return refuse(409, why)
  await setAttending(a.deps.sql, id, a.viewer.id, attending, a.deps.clock.now())
  return done((await eventById(a.deps.sql, scopeOf(a.viewer), id))!)
}

/** Collapse (or expand) an event the viewer can see, for this viewer only (Ion's users_hidden). */
export async function setHide(a: Act, id: number, hidden: boolean): Promise<Outcome<EventRow>> {
  const e = await eventById(a.deps.sql, scopeOf(a.viewer), id)
  if (!e) return refuse(404, NOT_FOUND)
  await setEventHidden(a.deps.sql, id, a.viewer.id, hidden)
  return done({ ...e, hidden })
}

export type Roster = { names: Attendee[]; hidden: number; total: number; everyone: boolean }

/**
 * Who is going. Staff (teachers, counselors, the eighth office) and events admins see everyone.
 * Others see the count, and the names of attendees who made their eighth period public (the same
 * canSee rule as profiles: Ion hides the roster the same way), themselves, and staff attendees
 * (teachers have no eighth-period privacy); the rest are counted as "not shown".
 */
export async function rosterFor(deps: Deps, viewer: Viewer, e: EventRow): Promise<Roster> {
  const all = await attendees(deps.sql, e.id)
  const everyone = isEventsAdmin(viewer)
  const names = everyone ? all : all.filter((p) => p.userType !== 'student' || canSee(viewer, p, 'eighth'))
  return { names, hidden: all.length - names.length, total: all.length, everyone: everyone || names.length === all.length }
}
