import { USER_TYPES, type UserType } from '../../platform/viewer.ts'
import { USERNAME_RE } from '../users/usernames.ts'
import { cell, type UserColumn } from './columns.ts'
import type { CsvRecord } from '../../platform/csv.ts'

// One CSV row → a checked user row, or every reason it is not one. An absent column is undefined
// (an update leaves that field alone); a present but empty cell clears an optional field.

export type Gender = 'male' | 'female' | 'non-binary'

export type UserRow = {
  line: number
  studentId: string | null
  /** Lower-case; null when not given (students get a generated one). */
  username: string | null
  userType: UserType
  /** Whether the Type column said so (an update keeps the type otherwise). */
  typeGiven: boolean
  firstName: string
  lastName: string
  middleName?: string
  nickname?: string
  graduationYear?: number | null
  email?: string | null
  counselor?: string | null
  gender?: Gender | null
}

export type RowCheck = { ok: true; row: UserRow } | { ok: false; errors: string[] }

export type RowLimits = { minYear: number; maxYear: number }

const GENDERS: Record<string, Gender> = {
  male: 'male', m: 'male', female: 'female', f: 'female',
  'non-binary': 'non-binary', nonbinary: 'non-binary', 'non binary': 'non-binary', nb: 'non-binary', n: 'non-binary', x: 'non-binary',
}
const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/
const STUDENT_ID_RE = /^[A-Za-z0-9]{1,20}$/
const CONTROL_RE = /[\u0000-\u001f\u007f]/

export function checkUserRow(rec: CsvRecord, index: Partial<Record<UserColumn, number>>, limits: RowLimits): RowCheck {
  const errors: string[] = []
  const get = (f: UserColumn) => cell(rec.fields, index, f)

  const name = (f: UserColumn, label: string, required: boolean): string | undefined => {
    const v = get(f)
    if (v === undefined) return undefined
    if (required && !v) errors.push(`${label} is required.`)
    else if (v.length > 100) errors.push(`${label} is longer than 100 characters.`)
    else if (CONTROL_RE.test(v)) errors.push(`${label} contains a line break or control character.`)
    return v
  }
  const firstName = name('firstName', 'First name', true) ?? ''
  const lastName = name('lastName', 'Last name', true) ?? ''
  const middleName = name('middleName', 'Middle name', false)
  const nickname = name('nickname', 'Nickname', false)

  const sid = get('studentId') || null
  if (sid !== null && !STUDENT_ID_RE.test(sid)) errors.push(`Student ID "${sid}" must be 1–20 letters or digits.`)

  const rawUser = get('username') || null
  const username = rawUser?.toLowerCase() ?? null
  if (rawUser !== null && !USERNAME_RE.test(rawUser))
    errors.push(`Username "${rawUser}" must be 1–40 letters, digits, dots, dashes or underscores, starting with a letter or digit.`)

  const rawType = get('userType')?.toLowerCase() || ''
  let userType: UserType = sid ? 'student' : 'teacher'
  if (rawType) {
    if ((USER_TYPES as readonly string[]).includes(rawType)) userType = rawType as UserType
    else errors.push(`Type "${get('userType')}" is not one of ${USER_TYPES.join(', ')}.`)
  }
  if (userType === 'student' && !sid) errors.push('Student ID is required for students.')
  if (userType !== 'student' && sid) errors.push(`Only students have a student ID (this row's type is ${userType}).`)
  if (userType !== 'student' && !username) errors.push(`Username is required for ${userType} accounts.`)

  let graduationYear: number | null | undefined
  const rawYear = get('graduationYear')
  if (rawYear !== undefined) {
    if (!rawYear) {
      graduationYear = null
      if (userType === 'student') errors.push('Grad year is required for students.')
    } else if (!/^\d{4}$/.test(rawYear)) errors.push(`Grad year "${rawYear}" is not a year.`)
    else if (Number(rawYear) < limits.minYear || Number(rawYear) > limits.maxYear)
      errors.push(`Grad year ${rawYear} is outside ${limits.minYear}–${limits.maxYear}.`)
    else if (userType === 'teacher' || userType === 'counselor') errors.push(`A ${userType} has no grad year.`)
    else graduationYear = Number(rawYear)
  }

  const rawEmail = get('email')
  const email = rawEmail === undefined ? undefined : rawEmail || null
  if (email && (!EMAIL_RE.test(email) || email.length > 254)) errors.push(`Email "${email}" is not a valid address.`)

  const rawCounselor = get('counselor')
  const counselor = rawCounselor === undefined ? undefined : rawCounselor || null
  if (counselor && userType !== 'student') errors.push(`Only students have a counselor (this row's type is ${userType}).`)

  const rawGender = get('gender')
  let gender: Gender | null | undefined = rawGender === undefined ? undefined : null
  if (rawGender) {
    gender = GENDERS[rawGender.toLowerCase()]
    if (!gender) errors.push(`Gender "${rawGender}" is not male, female or non-binary.`)
  }

  if (errors.length) return { ok: false, errors }
  return {
    ok: true,
    row: {
      line: rec.line, studentId: sid, username, userType, typeGiven: rawType !== '', firstName, lastName, middleName, nickname,
      graduationYear, email, counselor, gender,
    },
  }
}
