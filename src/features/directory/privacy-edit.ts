import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { fullName } from '../users/names.ts'
import { audit, userById, type UserRecord } from '../users/users.sql.ts'
import { PRIVACY_ATTRS, type PrivacyAttr, type PrivacyFlags } from './privacy.ts'
import { idByStudentId, lockUserRow, setPrivacyFlags } from './privacy.sql.ts'

// /preferences/privacy (the eighth office only): a student's parent/self flag pairs.
//   - Turning a parent flag off also turns the self flag off.
//   - The office may turn a self flag on while the parent flag is off (it stays hidden until
//     the parent flag is on too: canSee needs both).
//   - Non-students have no privacy options.

export const FLAG_KEYS: Record<PrivacyAttr, { parent: keyof PrivacyFlags; self: keyof PrivacyFlags; label: string }> = {
  pictures: { parent: 'parentShowPictures', self: 'selfShowPictures', label: 'Pictures' },
  eighth: { parent: 'parentShowEighth', self: 'selfShowEighth', label: 'Eighth-period schedule' },
  schedule: { parent: 'parentShowSchedule', self: 'selfShowSchedule', label: 'Class schedule' },
}

/** The form's field name for a flag: parent_show_pictures, self_show_eighth, … */
export const fieldName = (who: 'parent' | 'self', attr: PrivacyAttr) => `${who}_show_${attr}`

export function flagsOf(u: PrivacyFlags): PrivacyFlags {
  return {
    selfShowPictures: u.selfShowPictures, parentShowPictures: u.parentShowPictures,
    selfShowEighth: u.selfShowEighth, parentShowEighth: u.parentShowEighth,
    selfShowSchedule: u.selfShowSchedule, parentShowSchedule: u.parentShowSchedule,
  }
}

/** The flags after a save: what was submitted, except that a parent flag turned off clears self. */
export function applyPrivacy(before: PrivacyFlags, submitted: PrivacyFlags): PrivacyFlags {
  const after = { ...submitted }
  for (const attr of PRIVACY_ATTRS) {
    const { parent, self } = FLAG_KEYS[attr]
    if (before[parent] && !submitted[parent]) after[self] = false
  }
  return after
}

/** Checkbox form fields → flags (a missing box is off). */
export function submittedFlags(body: Record<string, unknown>): PrivacyFlags {
  const on = (k: string) => body[k] === 'on' || body[k] === 'true' || body[k] === '1'
  const f = {} as PrivacyFlags
  for (const attr of PRIVACY_ATTRS) {
    f[FLAG_KEYS[attr].parent] = on(fieldName('parent', attr))
    f[FLAG_KEYS[attr].self] = on(fieldName('self', attr))
  }
  return f
}

export type PrivacyTarget =
  | { kind: 'none' }
  | { kind: 'notFound'; message: string }
  | { kind: 'ok'; user: { id: number; name: string; username: string; isStudent: boolean; flags: PrivacyFlags } }

const asTarget = (u: UserRecord): PrivacyTarget => ({
  kind: 'ok', user: { id: u.id, name: fullName(u), username: u.username, isStudent: u.userType === 'student', flags: flagsOf(u) },
})

/** `?user=<id>` or `?student_id=<id>`; neither is the lookup form. */
export async function findTarget(deps: Deps, q: { user?: string; studentId?: string }): Promise<PrivacyTarget> {
  const user = q.user?.trim()
  const sid = q.studentId?.trim()
  if (!user && !sid) return { kind: 'none' }
  const id = user ? (/^\d{1,9}$/.test(user) ? Number(user) : null) : /^[A-Za-z0-9]{1,20}$/.test(sid!) ? await idByStudentId(deps.sql, sid!) : null
  const u = id === null ? null : await userById(deps.sql, id)
  if (!u) return { kind: 'notFound', message: user ? 'There is no user with that id.' : 'There is no student with that student ID.' }
  return asTarget(u)
}

export type SaveOutcome = { ok: true; flags: PrivacyFlags } | { ok: false; status: 404 | 422; message: string }

export async function savePrivacy(deps: Deps, viewer: Viewer, userId: number, submitted: PrivacyFlags, ip: string): Promise<SaveOutcome> {
  return deps.sql.begin(async (tx) => {
    const u = (await lockUserRow(tx, userId)) ? await userById(tx, userId) : null
    if (!u) return { ok: false as const, status: 404 as const, message: 'There is no user with that id.' }
    if (u.userType !== 'student') return { ok: false as const, status: 422 as const, message: 'Only students have privacy options.' }
    const before = flagsOf(u)
    const after = applyPrivacy(before, submitted)
    const now = deps.clock.now()
    await setPrivacyFlags(tx, u.id, after, now)
    await audit(tx, { actorId: viewer.impersonatedBy?.id ?? viewer.id, action: 'privacy.update', targetType: 'user', targetId: u.id, details: { before, after }, ip, at: now })
    return { ok: true as const, flags: after }
  })
}
