import type { Deps } from '../../../../platform/http.ts'
import type { Viewer } from '../../../../platform/viewer.ts'
import { createActivity } from '../../catalog.sql.ts'
import { notifySeats } from '../../live-seats.tsx'
import { groupsVisibleTo } from '../../../groups/index.ts'
import {
  activityRecord, addActivityUser, blocksOfActivity, FLAG_KEYS, hardDelete, idTaken, lockActivity, removeActivityUser, replaceDefaults,
  roomNames, setDeleted, updateActivity, type ActivityRole, type ActivityValues,
} from './activities.sql.ts'
import { officeAudit } from './audit.sql.ts'
import type { Outcome } from './blocks.ts'
import { idsOf, intOf, isId, many, officeDepsOf, one, ticked, type Form } from './common.tsx'
import { personById, type PersonKind } from './people.ts'
import { sendActivityRoomNotice } from './room-notice.ts'
import { existingRoomIds } from './rooms.sql.ts'
import { existingSponsorIds } from './sponsors.sql.ts'

// The office's activity rules: create (optionally choosing the id), edit every field, the
// allow list and blacklist, soft delete then hard delete. A change of default rooms emails the
// students whose upcoming blocks use them.

type Act = { deps: Deps; viewer: Viewer; ip?: string }
const bad = (...errors: string[]): Outcome<never> => ({ ok: false, status: 422, errors })
const gone: Outcome<never> = { ok: false, status: 404, errors: ['That activity does not exist.'] }

export type ActivityForm = ActivityValues & { defaultCapacityText: string; rooms: string[]; sponsors: string[]; groups: string[] }

export function readActivityForm(f: Form): ActivityForm {
  const flags = Object.fromEntries(FLAG_KEYS.map((k) => [k, ticked(f, k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()))])) as Record<(typeof FLAG_KEYS)[number], boolean>
  return {
    name: one(f, 'name').slice(0, 400), description: one(f, 'description').slice(0, 5000), adminComments: one(f, 'admin_comments').slice(0, 3000),
    finance: one(f, 'finance').slice(0, 400), defaultCapacity: null, defaultCapacityText: one(f, 'default_capacity').slice(0, 20),
    rooms: many(f, 'rooms').slice(0, 500), sponsors: many(f, 'sponsors').slice(0, 500), groups: many(f, 'groups').slice(0, 500), ...flags,
  }
}

/** Ion's name rule (4..100 characters) and the other limits; every failure at once. */
export function checkActivity(i: ActivityForm): Outcome<{ values: ActivityValues; rooms: number[]; sponsors: number[]; groups: number[] }> {
  const errors: string[] = []
  const name = i.name.trim()
  if (name.length < 4 || name.length > 100) errors.push('The name must be 4 to 100 characters long.')
  if (i.description.length > 2000) errors.push('The description may be at most 2000 characters long.')
  if (i.adminComments.length > 1000) errors.push('Admin comments may be at most 1000 characters long.')
  if (i.finance.trim().length > 100) errors.push('The finance account may be at most 100 characters long.')
  let cap: number | null = null
  if (i.defaultCapacityText.trim() !== '') {
    cap = intOf(i.defaultCapacityText)
    if (cap === null || cap < -1 || cap > 32767) errors.push('The default capacity must be a whole number of at least −1 (−1 is unlimited), or empty to use the rooms.')
  }
  const rooms = idsOf(i.rooms)
  const sponsors = idsOf(i.sponsors)
  const groups = idsOf(i.groups)
  if (!rooms || !sponsors || !groups) errors.push('A room, sponsor or group in the form was not understood.')
  if (errors.length) return bad(...errors)
  const { defaultCapacityText: _t, rooms: _r, sponsors: _s, groups: _g, ...rest } = i
  return { ok: true, value: { values: { ...rest, name, finance: i.finance.trim(), defaultCapacity: cap }, rooms: rooms!, sponsors: sponsors!, groups: groups! } }
}

export async function createActivityNamed(a: Act, nameRaw: string, idRaw: string): Promise<Outcome<number>> {
  const errors: string[] = []
  const name = nameRaw.trim()
  if (name.length < 4 || name.length > 100) errors.push('The name must be 4 to 100 characters long.')
  let id: number | undefined
  if (idRaw.trim()) {
    if (!isId(idRaw.trim())) errors.push('The activity ID must be a positive whole number.')
    else if (await idTaken(a.deps.sql, Number(idRaw.trim()))) errors.push(`The activity ID ${idRaw.trim()} is taken; choose a free one.`)
    else id = Number(idRaw.trim())
  }
  if (errors.length) return bad(...errors)
  const now = a.deps.clock.now()
  try {
    return await a.deps.sql.begin(async (tx) => {
      const made = await createActivity(tx, { name, id })
      await officeAudit(tx, { actorId: a.viewer.id, action: 'eighth.activity.add', targetType: 'eighth_activity', targetId: made, at: now, ip: a.ip, details: { name, chosenId: id ?? null } })
      return { ok: true as const, value: made }
    })
  } catch (e) {
    if ((e as { code?: string }).code === '23505') return bad(`The activity ID ${id} was just taken; choose another.`)
    throw e
  }
}

export async function saveActivity(a: Act, id: number, form: ActivityForm): Promise<Outcome<string[]>> {
  const p = checkActivity(form)
  if (!p.ok) return p
  const { values, rooms, sponsors, groups } = p.value
  const allowedGroups = new Set((await groupsVisibleTo(a.deps.sql, a.viewer)).map((g) => g.id))
  const [okRooms, okSponsors] = await Promise.all([existingRoomIds(a.deps.sql, rooms), existingSponsorIds(a.deps.sql, sponsors)])
  const errors: string[] = []
  if (okRooms.length !== rooms.length) errors.push('A chosen room no longer exists.')
  if (okSponsors.length !== sponsors.length) errors.push('A chosen sponsor no longer exists.')
  if (groups.some((g) => !allowedGroups.has(g))) errors.push('A chosen group no longer exists.')
  if (errors.length) return bad(...errors)
  const d = officeDepsOf(a.deps)
  const now = a.deps.clock.now()
  const out = await a.deps.sql.begin(async (tx) => {
    if (!(await lockActivity(tx, id))) return null
    const before = (await activityRecord(tx, id))!
    await updateActivity(tx, id, values, now)
    await replaceDefaults(tx, id, rooms, sponsors, groups)
    const roomsChanged = before.roomIds.join() !== rooms.join()
    const notified = roomsChanged
      ? await sendActivityRoomNotice(tx, d, { id, name: values.name, from: await roomNames(tx, before.roomIds), to: await roomNames(tx, rooms) })
      : []
    const { roomIds, sponsorIds, groupIds, id: _i, deleted: _d, ...old } = before
    const changed = Object.keys(values).filter((k) => (old as Record<string, unknown>)[k] !== (values as Record<string, unknown>)[k])
    await officeAudit(tx, { actorId: a.viewer.id, action: 'eighth.activity.edit', targetType: 'eighth_activity', targetId: id, at: now, ip: a.ip, details: {
      changed, rooms: roomsChanged ? { from: roomIds, to: rooms } : undefined, sponsors: sponsorIds.join() !== sponsors.join() ? { from: sponsorIds, to: sponsors } : undefined,
      groups: groupIds.join() !== groups.join() ? { from: groupIds, to: groups } : undefined, students: notified.length ? notified : undefined,
    } })
    return { roomsChanged, capacityChanged: before.defaultCapacity !== values.defaultCapacity, notified }
  })
  if (!out) return gone
  if (out.roomsChanged || out.capacityChanged) notifySeats(a.deps, await blocksOfActivity(a.deps.sql, id, a.deps.clock.today()))
  const msgs = [`Saved ${values.name}.`]
  if (out.roomsChanged) msgs.push(`Notifying ${out.notified.length} ${out.notified.length === 1 ? 'student' : 'students'} of the room change.`)
  return { ok: true, value: msgs }
}

const ROLE_KIND: Partial<Record<ActivityRole, PersonKind>> = { allowed: 'student', blacklisted: 'student', officer: 'student', club_sponsor: 'teacher' }

/** Add or remove one person on one of the activity's lists. */
export async function setActivityPerson(a: Act, id: number, role: ActivityRole, userIdRaw: string, add: boolean): Promise<Outcome<string>> {
  if (!isId(userIdRaw)) return bad('Choose a person from the list.')
  const kind = ROLE_KIND[role] ?? 'any'
  const person = await personById(a.deps.sql, Number(userIdRaw), add ? kind : 'any')
  if (!person) return bad(kind === 'teacher' ? 'Choose a teacher or counselor account.' : kind === 'student' ? 'Choose a student account.' : 'That account does not exist.')
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const rec = await activityRecord(tx, id)
    if (!rec) return gone
    const changed = add ? await addActivityUser(tx, id, role, person.id) : await removeActivityUser(tx, id, role, person.id)
    if (changed) {
      await officeAudit(tx, { actorId: a.viewer.id, action: `eighth.activity.${role}.${add ? 'add' : 'remove'}`, targetType: 'eighth_activity', targetId: id, at: now, ip: a.ip,
        details: { userId: person.id, username: person.username, students: person.userType === 'student' ? [person.id] : undefined } })
    }
    const who = `${person.firstName} ${person.lastName}`
    return { ok: true as const, value: changed ? `${add ? 'Added' : 'Removed'} ${who}.` : `${who} ${add ? 'was already on' : 'was not on'} the list.` }
  })
}

/** Soft delete; on an already deleted activity with `permanent`, the hard delete (schedule and signups go too). */
export async function deleteActivity(a: Act, id: number, permanent: boolean): Promise<Outcome<{ message: string; hard: boolean }>> {
  const now = a.deps.clock.now()
  const blocks = await blocksOfActivity(a.deps.sql, id, a.deps.clock.today())
  const out = await a.deps.sql.begin(async (tx) => {
    const rec = await activityRecord(tx, id)
    if (!rec) return gone
    if (permanent && !rec.deleted) return bad('Delete the activity first; only a deleted activity can be destroyed.')
    if (!permanent) {
      if (rec.deleted) return { ok: true as const, value: { message: `${rec.name} was already deleted.`, hard: false } }
      await setDeleted(tx, id, true, now)
      await officeAudit(tx, { actorId: a.viewer.id, action: 'eighth.activity.delete', targetType: 'eighth_activity', targetId: id, at: now, ip: a.ip, details: { name: rec.name } })
      return { ok: true as const, value: { message: `Deleted ${rec.name}. Its attendance records are kept.`, hard: false } }
    }
    const students = await hardDelete(tx, id)
    await officeAudit(tx, { actorId: a.viewer.id, action: 'eighth.activity.destroy', targetType: 'eighth_activity', targetId: id, at: now, ip: a.ip, details: { name: rec.name, students } })
    return { ok: true as const, value: { message: `Destroyed ${rec.name} with its schedule and ${students.length} students' signups.`, hard: true } }
  })
  if (out.ok) notifySeats(a.deps, blocks)
  return out
}

export async function restoreActivity(a: Act, id: number): Promise<Outcome<string>> {
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const rec = await activityRecord(tx, id)
    if (!rec) return gone
    await setDeleted(tx, id, false, now)
    await officeAudit(tx, { actorId: a.viewer.id, action: 'eighth.activity.restore', targetType: 'eighth_activity', targetId: id, at: now, ip: a.ip, details: { name: rec.name } })
    return { ok: true as const, value: `Restored ${rec.name}.` }
  })
}
