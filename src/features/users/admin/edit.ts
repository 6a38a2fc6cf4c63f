import type { Deps } from '../../../platform/http.ts'
import { USER_TYPES, type UserType, type Viewer } from '../../../platform/viewer.ts'
import { audit } from '../users.sql.ts'
import { studentIdOwner, updateUser, userTypeByUsername, type AdminUserRow, type UserEdit } from './admin.sql.ts'

// Editing a user's record: every problem is collected per field; nothing changes unless all pass.

export type EditForm = {
  first_name: string
  middle_name: string
  last_name: string
  nickname: string
  user_type: string
  graduation_year: string
  student_id: string
  counselor: string
  admin_comments: string
  is_superuser?: string
}

export type FieldErrors = Partial<Record<keyof EditForm, string>>

export type EditOutcome =
  | { ok: true; changed: string[] }
  | { ok: false; status: 403; message: string }
  | { ok: false; status: 422; errors: FieldErrors }

/** A non-superuser may not change a superuser's account at all (else: reset link → take it over). */
export const canManage = (viewer: Viewer, target: { isSuperuser: boolean }) => viewer.isSuperuser || !target.isSuperuser

/** The form's starting values from the record. */
export function formOf(u: AdminUserRow): EditForm {
  return {
    first_name: u.firstName, middle_name: u.middleName, last_name: u.lastName, nickname: u.nickname, user_type: u.userType,
    graduation_year: u.graduationYear === null ? '' : String(u.graduationYear), student_id: u.studentId ?? '',
    counselor: u.counselorUsername ?? '', admin_comments: u.adminComments, is_superuser: u.isSuperuser ? 'on' : undefined,
  }
}

const NAME_MAX = 100
const COMMENTS_MAX = 5000

async function validate(deps: Deps, viewer: Viewer, target: AdminUserRow, f: EditForm): Promise<{ edit: UserEdit; errors: FieldErrors }> {
  const errors: FieldErrors = {}
  const s = (v: string) => v.trim()
  const names = { firstName: s(f.first_name), middleName: s(f.middle_name), lastName: s(f.last_name), nickname: s(f.nickname) }
  for (const [key, field] of [['firstName', 'first_name'], ['middleName', 'middle_name'], ['lastName', 'last_name'], ['nickname', 'nickname']] as const)
    if (names[key].length > NAME_MAX) errors[field] = `Use at most ${NAME_MAX} characters.`
  if (!names.firstName && !names.lastName) errors.last_name = 'Enter a first or a last name.'

  const userType = s(f.user_type) as UserType
  if (!USER_TYPES.includes(userType)) errors.user_type = 'Choose one of the listed account types.'

  let graduationYear: number | null = null
  const gy = s(f.graduation_year)
  if (gy) {
    if (!/^\d{4}$/.test(gy) || Number(gy) < 1900 || Number(gy) > 2200) errors.graduation_year = 'Enter a four-digit year, such as 2027.'
    else graduationYear = Number(gy)
  } else if (userType === 'student') errors.graduation_year = 'A student needs a graduation year.'

  const studentId = s(f.student_id) || null
  if (studentId) {
    if (!/^[A-Za-z0-9]{1,20}$/.test(studentId)) errors.student_id = 'Use letters and digits only (at most 20).'
    else {
      const owner = await studentIdOwner(deps.sql, studentId, target.id)
      if (owner) errors.student_id = `The account ${owner} already has this student ID.`
    }
  }

  let counselorId: number | null = null
  const counselor = s(f.counselor)
  if (counselor) {
    const c = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/.test(counselor) ? await userTypeByUsername(deps.sql, counselor) : null
    if (!c) errors.counselor = `There is no account named ${counselor}.`
    else if (c.userType !== 'counselor') errors.counselor = `${counselor} is not a counselor.`
    else if (c.id === target.id) errors.counselor = 'A counselor cannot be their own counselor.'
    else counselorId = c.id
  }

  const adminComments = f.admin_comments.replace(/\r\n/g, '\n').trim()
  if (adminComments.length > COMMENTS_MAX) errors.admin_comments = `Use at most ${COMMENTS_MAX} characters.`

  // The checkbox is only on superusers' forms; for everyone else the flag keeps its value.
  let isSuperuser = target.isSuperuser
  if (viewer.isSuperuser) {
    isSuperuser = f.is_superuser !== undefined
    if (target.id === viewer.id && !isSuperuser) errors.is_superuser = 'You cannot remove your own superuser flag.'
  }

  return { edit: { ...names, userType, graduationYear, studentId, counselorId, adminComments, isSuperuser }, errors }
}

function changedFields(u: AdminUserRow, e: UserEdit): string[] {
  const before: UserEdit = {
    firstName: u.firstName, middleName: u.middleName, lastName: u.lastName, nickname: u.nickname, userType: u.userType,
    graduationYear: u.graduationYear, studentId: u.studentId, counselorId: u.counselorId, adminComments: u.adminComments, isSuperuser: u.isSuperuser,
  }
  return (Object.keys(e) as (keyof UserEdit)[]).filter((k) => before[k] !== e[k])
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505'

export async function editUser(deps: Deps, viewer: Viewer, target: AdminUserRow, form: EditForm, ip: string): Promise<EditOutcome> {
  if (!canManage(viewer, target)) return { ok: false, status: 403, message: 'Only a superuser can change a superuser’s account.' }
  if (!viewer.isSuperuser && form.is_superuser !== undefined)
    return { ok: false, status: 403, message: 'Only superusers can change the superuser flag.' }
  const { edit, errors } = await validate(deps, viewer, target, form)
  if (Object.keys(errors).length) return { ok: false, status: 422, errors }
  const changed = changedFields(target, edit)
  if (!changed.length) return { ok: true, changed }
  const now = deps.clock.now()
  try {
    await deps.sql.begin(async (tx) => {
      await updateUser(tx, target.id, edit, now)
      await audit(tx, { actorId: viewer.id, action: 'user.update', targetType: 'user', targetId: target.id, at: now, ip, details: { changed } })
    })
  } catch (e) {
    // Two admins giving one student ID to two accounts at once: the unique index decides.
    if (isUniqueViolation(e)) return { ok: false, status: 422, errors: { student_id: 'Another account already has this student ID.' } }
    throw e
  }
  return { ok: true, changed }
}
