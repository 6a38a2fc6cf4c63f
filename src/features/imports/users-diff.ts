import type { CounselorRef } from './counselors.ts'
import type { UserRow } from './user-rows.ts'
import type { ExistingUser, UserUpdate } from './users-import.sql.ts'

// What an import row changes on an existing account. Absent columns change nothing; a student in
// the file is enrolled, so an inactive (withdrawn) one is made active again.

export type Change = { field: string; from: string; to: string }

const show = (v: string | number | boolean | null | undefined) => (v === null || v === undefined || v === '' ? '—' : String(v))

export function diffUser(
  t: ExistingUser,
  row: UserRow,
  counselor: CounselorRef | null | undefined,
  counselorNames: Map<number, string>,
): { changes: Change[]; next: UserUpdate; email: string | null } {
  const keep = <T>(v: T | undefined, old: T): T => (v === undefined ? old : v)
  const next: UserUpdate = {
    id: t.id,
    // Usernames compare case-insensitively (as at login): a file's "JDoe" does not rename "jdoe".
    username: row.username && row.username !== t.username.toLowerCase() ? row.username : t.username,
    userType: row.typeGiven ? row.userType : t.userType,
    firstName: row.firstName,
    lastName: row.lastName,
    middleName: keep(row.middleName, t.middleName),
    nickname: keep(row.nickname, t.nickname),
    graduationYear: keep(row.graduationYear, t.graduationYear),
    counselorId: counselor === undefined ? t.counselorId : counselor?.id ?? null,
    gender: keep(row.gender, t.gender),
    active: row.studentId ? true : t.active,
  }
  const changes: Change[] = []
  const cmp = (field: string, from: string | number | boolean | null, to: string | number | boolean | null) => {
    if (from !== to) changes.push({ field, from: show(from), to: show(to) })
  }
  cmp('username', t.username, next.username)
  cmp('type', t.userType, next.userType)
  cmp('first name', t.firstName, next.firstName)
  cmp('last name', t.lastName, next.lastName)
  cmp('middle name', t.middleName, next.middleName)
  cmp('nickname', t.nickname, next.nickname)
  cmp('grad year', t.graduationYear, next.graduationYear)
  cmp('gender', t.gender, next.gender)
  // A counselor this import creates has no id yet: it is always a change.
  if (counselor !== undefined && (counselor === null ? t.counselorId !== null : counselor.id === null || counselor.id !== t.counselorId)) {
    const from = t.counselorId === null ? null : counselorNames.get(t.counselorId) ?? `#${t.counselorId}`
    changes.push({ field: 'counselor', from: show(from), to: show(counselor?.username) })
  }
  let email: string | null = null
  if (row.email && row.email.toLowerCase() !== (t.email ?? '').toLowerCase()) {
    email = row.email
    changes.push({ field: 'email', from: show(t.email), to: row.email })
  }
  if (!t.active && next.active) changes.push({ field: 'active', from: 'no', to: 'yes' })
  return { changes, next, email }
}
