import type { Deps } from '../../../../platform/http.ts'
import { isEighthAdmin, type Viewer } from '../../../../platform/viewer.ts'
import { addDays } from '../../../../platform/zoned.ts'
import { activityPeople, addActivityUser, removeActivityUser } from './activities.sql.ts'
import { officeAudit } from './audit.sql.ts'
import type { Outcome } from './blocks.ts'
import { clubRow, schedulings, setSubscriptions, standing, type ClubRow, type Scheduling, type ViewerStanding } from './club.sql.ts'
import { isId } from './common.tsx'
import { personById, type Person } from './people.ts'

// Club settings and the activity's page (issue 7, item 9). Settings are for eighth admins and for
// the sponsors and club sponsors of THIS activity (Ion let any sponsor edit any club).

type Act = { deps: Deps; viewer: Viewer; ip?: string }
export type ClubRole = 'officer' | 'club_sponsor'
const NOT_FOUND: Outcome<never> = { ok: false, status: 404, errors: ['That activity does not exist.'] }

export const mayManage = (v: Viewer, s: ViewerStanding) => isEighthAdmin(v) || s.sponsor || s.clubSponsor
/** Ion's is_subscribable_for_user. */
export const subscribable = (v: Viewer, a: ClubRow, s: ViewerStanding) => isEighthAdmin(v) || (a.subscriptionsEnabled && (!a.restricted || s.allowedByList))

async function load(deps: Deps, v: Viewer, id: number): Promise<{ a: ClubRow; s: ViewerStanding } | null> {
  const a = await clubRow(deps.sql, id)
  if (!a || (a.deleted && !isEighthAdmin(v))) return null
  return { a, s: await standing(deps.sql, id, v.id) }
}

export type ActivityPageModel = { a: ClubRow; s: ViewerStanding; rows: Scheduling[]; showAll: boolean; canSubscribe: boolean; canManage: boolean; isStudent: boolean }

/** From today up to 8 weeks ahead, or every scheduling with show_all. */
export async function activityPage(deps: Deps, v: Viewer, id: number, showAll: boolean): Promise<ActivityPageModel | null> {
  const got = await load(deps, v, id)
  if (!got) return null
  const today = deps.clock.today()
  const rows = await schedulings(deps.sql, id, showAll ? null : today, showAll ? null : addDays(today, 56), 500)
  return { ...got, rows, showAll, canSubscribe: subscribable(v, got.a, got.s), canManage: mayManage(v, got.s), isStudent: v.userType === 'student' }
}

export type SettingsModel = { a: ClubRow; officers: Person[]; clubSponsors: Person[] }

export async function clubSettings(deps: Deps, v: Viewer, id: number): Promise<Outcome<SettingsModel>> {
  const got = await load(deps, v, id)
  if (!got) return NOT_FOUND
  if (!mayManage(v, got.s)) return { ok: false, status: 403, errors: ['Only the eighth-period office and this activity’s sponsors and club sponsors may change its club settings.'] }
  const [officers, clubSponsors] = await Promise.all([activityPeople(deps.sql, id, 'officer'), activityPeople(deps.sql, id, 'club_sponsor')])
  return { ok: true, value: { a: got.a, officers, clubSponsors } }
}

async function guard(a: Act, id: number): Promise<Outcome<ClubRow>> {
  const got = await load(a.deps, a.viewer, id)
  if (!got) return NOT_FOUND
  if (!mayManage(a.viewer, got.s)) return { ok: false, status: 403, errors: ['Only the eighth-period office and this activity’s sponsors and club sponsors may change its club settings.'] }
  return { ok: true, value: got.a }
}

export async function setClubSubscriptions(a: Act, id: number, on: boolean): Promise<Outcome<string>> {
  const g = await guard(a, id)
  if (!g.ok) return g
  const now = a.deps.clock.now()
  await a.deps.sql.begin(async (tx) => {
    await setSubscriptions(tx, id, on, now)
    await officeAudit(tx, { actorId: a.viewer.id, action: on ? 'eighth.club.subscriptions_on' : 'eighth.club.subscriptions_off', targetType: 'eighth_activity', targetId: id, at: now, ip: a.ip })
  })
  return { ok: true, value: on ? 'Students may now subscribe to this club.' : 'Subscriptions are now off.' }
}

/** Officers must be students, club sponsors teachers or counselors; both are subscribed to the club. */
export async function setClubPerson(a: Act, id: number, role: ClubRole, userIdRaw: string, add: boolean): Promise<Outcome<string>> {
  const g = await guard(a, id)
  if (!g.ok) return g
  const person = isId(userIdRaw) ? await personById(a.deps.sql, Number(userIdRaw), add ? (role === 'officer' ? 'student' : 'teacher') : 'any') : null
  if (!person) return { ok: false, status: 422, errors: [role === 'officer' ? 'Officers must be students: choose a student account.' : 'Club sponsors must be teachers or counselors: choose one of their accounts.'] }
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const changed = add ? await addActivityUser(tx, id, role, person.id) : await removeActivityUser(tx, id, role, person.id)
    if (add) await addActivityUser(tx, id, 'subscriber', person.id)
    if (changed) {
      await officeAudit(tx, { actorId: a.viewer.id, action: `eighth.club.${role}.${add ? 'add' : 'remove'}`, targetType: 'eighth_activity', targetId: id, at: now, ip: a.ip,
        details: { userId: person.id, username: person.username, students: person.userType === 'student' ? [person.id] : undefined } })
    }
    const who = `${person.firstName} ${person.lastName}`
    const what = role === 'officer' ? 'an officer' : 'a club sponsor'
    return { ok: true as const, value: changed ? (add ? `${who} is now ${what}.` : `${who} is no longer ${what}.`) : (add ? `${who} already is ${what}.` : `${who} was not ${what}.`) }
  })
}

export async function subscribe(a: Act, id: number, on: boolean): Promise<Outcome<string>> {
  const got = await load(a.deps, a.viewer, id)
  if (!got) return NOT_FOUND
  if (on && !subscribable(a.viewer, got.a, got.s)) return { ok: false, status: 403, errors: ['You cannot subscribe to this activity.'] }
  if (!on && (got.s.sponsor || got.s.clubSponsor)) return { ok: false, status: 403, errors: ['Sponsors and club sponsors stay subscribed to their club.'] }
  const changed = on ? await addActivityUser(a.deps.sql, id, 'subscriber', a.viewer.id) : await removeActivityUser(a.deps.sql, id, 'subscriber', a.viewer.id)
  return { ok: true, value: on ? (changed ? `Subscribed to ${got.a.name}.` : `You already are subscribed to ${got.a.name}.`) : `Unsubscribed from ${got.a.name}.` }
}
