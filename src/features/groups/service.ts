import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { searchUsers, addMembership, removeMembership, type UserHit } from '../users/admin/admin.sql.ts'
import { usersByUsernames } from '../imports/groups-import.sql.ts'
import { audit } from '../users/users.sql.ts'
import { parseUsernames } from './bulk.ts'
import {
  addMembers, deleteIfEmpty, groupRow, insertGroup, memberIdsAmong, renameGroupRow, setStudentVisible, type GroupRow,
} from './groups.sql.ts'
import { isPermissionGroup, mayManageGroup } from './membership.ts'

// The group editor's rules. Every change is audited; refusals are values with a status and a
// message a person understands (all reasons collected where there can be several).

export type Refusal = { ok: false; status: 403 | 404 | 409 | 413 | 415 | 422; errors: string[] }
export type Outcome<T> = { ok: true; value: T } | Refusal
const refuse = (status: Refusal['status'], ...errors: string[]): Refusal => ({ ok: false, status, errors })
const done = <T>(value: T): Outcome<T> => ({ ok: true, value })

const SUPERUSERS_ONLY = 'Only superusers manage permission groups (admin_…).'

export type Act = { deps: Deps; viewer: Viewer; ip: string }

const record = (a: Act, action: string, groupId: number, details: object) =>
  audit(a.deps.sql, { actorId: a.viewer.id, action, targetType: 'group', targetId: groupId, at: a.deps.clock.now(), ip: a.ip, details })

/** A group name: 1–100 characters on one line, trimmed. */
export function checkName(raw: string): { ok: true; name: string } | { ok: false; error: string } {
  const name = raw.trim().replace(/\s+/g, ' ')
  if (!name) return { ok: false, error: 'Enter a name for the group.' }
  if (name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) return { ok: false, error: 'A group name is at most 100 characters, on one line.' }
  return { ok: true, name }
}

/** The group, if it exists and this viewer may change it. */
async function manageable(a: Act, id: number): Promise<Outcome<GroupRow>> {
  const g = await groupRow(a.deps.sql, id)
  if (!g) return refuse(404, 'That group does not exist.')
  if (!mayManageGroup(a.viewer, g.name)) return refuse(403, SUPERUSERS_ONLY)
  return done(g)
}

export async function createGroup(a: Act, raw: string, studentVisible: boolean): Promise<Outcome<number>> {
  const n = checkName(raw)
  if (!n.ok) return refuse(422, n.error)
  if (!mayManageGroup(a.viewer, n.name)) return refuse(403, SUPERUSERS_ONLY)
  const id = await insertGroup(a.deps.sql, { name: n.name, studentVisible, now: a.deps.clock.now() })
  if (id === null) return refuse(409, `There is already a group named “${n.name}”.`)
  await record(a, 'group.create', id, { name: n.name, studentVisible })
  return done(id)
}

export async function renameGroup(a: Act, id: number, raw: string): Promise<Outcome<string>> {
  const g = await manageable(a, id)
  if (!g.ok) return g
  const n = checkName(raw)
  if (!n.ok) return refuse(422, n.error)
  if (isPermissionGroup(n.name) && !a.viewer.isSuperuser) return refuse(403, SUPERUSERS_ONLY)
  if (n.name === g.value.name) return done(n.name)
  const r = await renameGroupRow(a.deps.sql, id, n.name)
  if (r === 'missing') return refuse(404, 'That group does not exist.')
  if (r === 'taken') return refuse(409, `There is already a group named “${n.name}”.`)
  await record(a, 'group.rename', id, { from: g.value.name, to: n.name })
  return done(n.name)
}

export async function deleteGroup(a: Act, id: number): Promise<Outcome<string>> {
  const g = await manageable(a, id)
  if (!g.ok) return g
  const r = await a.deps.sql.begin((tx) => deleteIfEmpty(tx, id))
  if (!r.found) return refuse(404, 'That group does not exist.')
  if (r.members > 0)
    return refuse(409, `${g.value.name} still has ${r.members} ${r.members === 1 ? 'member' : 'members'}. Remove every member first; only an empty group can be deleted.`)
  await record(a, 'group.delete', id, { name: g.value.name })
  return done(g.value.name)
}

export async function setVisibility(a: Act, id: number, on: boolean): Promise<Outcome<boolean>> {
  const g = await manageable(a, id)
  if (!g.ok) return g
  if (g.value.studentVisible !== on) {
    await setStudentVisible(a.deps.sql, id, on)
    await record(a, 'group.student_visible', id, { name: g.value.name, on })
  }
  return done(on)
}

export async function addMember(a: Act, id: number, userId: number): Promise<Outcome<string>> {
  const g = await manageable(a, id)
  if (!g.ok) return g
  try {
    if (!(await addMembership(a.deps.sql, userId, id))) return refuse(409, 'That person is already a member.')
  } catch (e) {
    if ((e as { code?: string }).code === '23503') return refuse(404, 'That account or group no longer exists.')
    throw e
  }
  await record(a, 'group.member.add', id, { name: g.value.name, userId })
  return done(g.value.name)
}

export async function removeMember(a: Act, id: number, userId: number): Promise<Outcome<string>> {
  const g = await manageable(a, id)
  if (!g.ok) return g
  if (!(await removeMembership(a.deps.sql, userId, id))) return refuse(409, 'That person is not a member.')
  await record(a, 'group.member.remove', id, { name: g.value.name, userId })
  return done(g.value.name)
}

export type BulkReport = { added: string[]; already: string[]; unknown: string[] }

/** Known usernames are added; unknown ones and members already there are reported. */
export async function bulkAdd(a: Act, id: number, text: string): Promise<Outcome<BulkReport>> {
  const g = await manageable(a, id)
  if (!g.ok) return g
  const parsed = parseUsernames(text)
  if (!parsed.ok) return refuse(422, ...parsed.errors)
  const users = await usersByUsernames(a.deps.sql, parsed.usernames.map((u) => u.toLowerCase()))
  const byName = new Map(users.map((u) => [u.username.toLowerCase(), u]))
  const unknown = parsed.usernames.filter((u) => !byName.has(u.toLowerCase()))
  const found = parsed.usernames.map((u) => byName.get(u.toLowerCase())).filter((u) => u !== undefined)
  let addedIds: Set<number>
  try {
    addedIds = new Set(await a.deps.sql.begin((tx) => addMembers(tx, id, found.map((u) => u.id))))
  } catch (e) {
    if ((e as { code?: string }).code === '23503') return refuse(404, 'That group no longer exists.')
    throw e
  }
  const report: BulkReport = {
    added: found.filter((u) => addedIds.has(u.id)).map((u) => u.username),
    already: found.filter((u) => !addedIds.has(u.id)).map((u) => u.username),
    unknown,
  }
  if (report.added.length) await record(a, 'group.member.bulk_add', id, { name: g.value.name, added: report.added.length, usernames: report.added.slice(0, 200) })
  return done(report)
}

export type Candidate = UserHit & { member: boolean }

/** Type-ahead: accounts matching every word, each marked when already a member. */
export async function candidates(deps: Deps, groupId: number, q: string): Promise<{ q: string; rows: Candidate[] }> {
  const clean = q.trim().replace(/\s+/g, ' ').slice(0, 100)
  const words = clean.split(' ').map((w) => w.replace(/^\*+|\*+$/g, '')).filter(Boolean).slice(0, 6)
  if (!words.length) return { q: clean, rows: [] }
  const { rows } = await searchUsers(deps.sql, words, 10, 0)
  const members = await memberIdsAmong(deps.sql, groupId, rows.map((r) => r.id))
  return { q: clean, rows: rows.map((r) => ({ ...r, member: members.has(r.id) })) }
}
