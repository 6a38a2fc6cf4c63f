import type { Deps } from '../../../platform/http.ts'
import { deleteAllSessions, deleteSession, listSessions, type SessionData } from '../../../platform/session.ts'
import type { Viewer } from '../../../platform/viewer.ts'
import { isLockedOut, liftLockout } from '../../auth/limits.ts'
import { createPasswordLink, LINK_TTL_MS, passwordLinkUrl } from '../../auth/password-links.ts'
import { findSession } from '../../auth/session-routes.tsx'
import { audit, groupNamesOf } from '../users.sql.ts'
import {
  addMembership, adminUserRow, groupById, groupByName, groupNames, removeMembership, setLocked, type AdminUserRow,
} from './admin.sql.ts'
import { canManage } from './edit.ts'

// What an admin can do to an account besides editing it. Each state change writes an audit row;
// refusals are values with the status and a message a person understands.

export type Refusal = { ok: false; status: 403 | 404 | 409 | 422; message: string }
export type Outcome<T = null> = { ok: true; value: T } | Refusal

const refuse = (status: Refusal['status'], message: string): Refusal => ({ ok: false, status, message })
const done = <T>(value: T): Outcome<T> => ({ ok: true, value })

export const isAdminGroup = (name: string) => name.toLowerCase().startsWith('admin_')

/** Permission groups (admin_*) are managed by superusers only; every other group by admin_all. */
export const mayManageGroup = (viewer: Viewer, name: string) => viewer.isSuperuser || !isAdminGroup(name)

export type UserPageData = {
  user: AdminUserRow
  groups: { id: number; name: string }[]
  groupChoices: string[]
  sessions: SessionData[]
  lockedOut: boolean
  manageable: boolean
}

export async function loadUserPage(deps: Deps, viewer: Viewer, id: number): Promise<UserPageData | null> {
  const user = await adminUserRow(deps.sql, id)
  if (!user) return null
  const now = deps.clock.now().getTime()
  const [groups, names, sessions, lockedOut] = await Promise.all([
    groupNamesOf(deps.sql, id), groupNames(deps.sql), listSessions(deps.redis, id, now), isLockedOut(deps.redis, user.username, now),
  ])
  const mine = new Set(groups.map((g) => g.name.toLowerCase()))
  const groupChoices = names.filter((n) => !mine.has(n.toLowerCase()) && mayManageGroup(viewer, n))
  return { user, groups, groupChoices, sessions, lockedOut, manageable: canManage(viewer, user) }
}

type Act = { deps: Deps; viewer: Viewer; target: AdminUserRow; ip: string }

const guard = (a: Act): Refusal | null =>
  canManage(a.viewer, a.target) ? null : refuse(403, 'Only a superuser can change a superuser’s account.')

const record = (a: Act, action: string, details?: object) =>
  audit(a.deps.sql, { actorId: a.viewer.id, action, targetType: 'user', targetId: a.target.id, at: a.deps.clock.now(), ip: a.ip, details })

export async function addGroup(a: Act, rawName: string): Promise<Outcome<string>> {
  const denied = guard(a)
  if (denied) return denied
  const name = rawName.trim()
  if (!name) return refuse(422, 'Enter the name of a group.')
  const group = await groupByName(a.deps.sql, name)
  if (!group) return refuse(422, `There is no group named “${name}”.`)
  if (!mayManageGroup(a.viewer, group.name)) return refuse(403, 'Only superusers can manage permission groups (admin_…).')
  if (!(await addMembership(a.deps.sql, a.target.id, group.id))) return refuse(409, `${a.target.username} is already in ${group.name}.`)
  await record(a, 'user.group.add', { group: group.name })
  return done(group.name)
}

export async function removeGroup(a: Act, groupId: number): Promise<Outcome<string>> {
  const denied = guard(a)
  if (denied) return denied
  const group = await groupById(a.deps.sql, groupId)
  if (!group) return refuse(404, 'That group does not exist.')
  if (!mayManageGroup(a.viewer, group.name)) return refuse(403, 'Only superusers can manage permission groups (admin_…).')
  if (!(await removeMembership(a.deps.sql, a.target.id, group.id))) return refuse(409, `${a.target.username} is not in ${group.name}.`)
  await record(a, 'user.group.remove', { group: group.name })
  return done(group.name)
}

/** Locking also ends every session at once (and API access: a locked account authenticates nowhere). */
export async function lockUser(a: Act): Promise<Outcome<number>> {
  const denied = guard(a)
  if (denied) return denied
  if (a.target.id === a.viewer.id) return refuse(403, 'You cannot lock your own account.')
  await setLocked(a.deps.sql, a.target.id, true, a.deps.clock.now())
  const ended = await deleteAllSessions(a.deps.redis, a.target.id)
  await record(a, 'user.lock', { sessions: ended })
  return done(ended)
}

export async function unlockUser(a: Act): Promise<Outcome> {
  const denied = guard(a)
  if (denied) return denied
  await setLocked(a.deps.sql, a.target.id, false, a.deps.clock.now())
  await record(a, 'user.unlock')
  return done(null)
}

/** Lifts the failed-login lockout on every device. */
export async function liftUserLockout(a: Act): Promise<Outcome<number>> {
  const n = await liftLockout(a.deps.redis, a.target.username)
  await record(a, 'user.lockout.lift', { devices: n })
  return done(n)
}

export type IssuedLink = { url: string; expiresAt: Date }

/** A one-time link (24 h, single use); a newer link cancels older ones. The token is never stored or logged. */
export async function issuePasswordLink(a: Act): Promise<Outcome<IssuedLink>> {
  const denied = guard(a)
  if (denied) return denied
  const now = a.deps.clock.now()
  const token = await createPasswordLink(a.deps.sql, a.target.id, a.viewer.id, 'admin', now)
  await record(a, 'user.password_link')
  return done({ url: passwordLinkUrl(a.deps.config.baseUrl, token), expiresAt: new Date(now.getTime() + LINK_TTL_MS) })
}

/** `idPrefix`: the first 16 hex digits of the session id, as the shared session list posts it. */
export async function endSession(a: Act, idPrefix: string): Promise<Outcome> {
  const denied = guard(a)
  if (denied) return denied
  const s = await findSession(a.deps, a.target.id, idPrefix)
  if (!s) return refuse(404, 'That device is no longer signed in.')
  await deleteSession(a.deps.redis, s.id, a.target.id)
  await record(a, 'user.session.end', { ua: s.ua.slice(0, 120), ip: s.ip })
  return done(null)
}

export async function endAllSessions(a: Act): Promise<Outcome<number>> {
  const denied = guard(a)
  if (denied) return denied
  const n = await deleteAllSessions(a.deps.redis, a.target.id)
  await record(a, 'user.session.end_all', { sessions: n })
  return done(n)
}
