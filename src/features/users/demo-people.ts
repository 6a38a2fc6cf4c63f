import type { UserType } from '../../platform/viewer.ts'
import { FEMALE_FIRST, LAST, MALE_FIRST } from './demo-names.ts'
import { seniorYear } from './grade.ts'
import { staffUsernameBase, studentUsernameBase, UsernameAllocator } from './usernames.ts'

// The demo school's people, computed (no database): the same clock and config give the same
// people on every run, which is what makes `seed --demo` idempotent.

export const STUDENTS_PER_CLASS = 500
export const TEACHERS = 180
export const COUNSELORS = 6

export type DemoPerson = {
  username: string
  userType: UserType
  firstName: string
  middleName: string
  lastName: string
  title: string
  gender: 'male' | 'female'
  graduationYear: number | null
  studentId: string | null
  /** Username of the student's counselor. */
  counselor: string | null
  isSuperuser: boolean
  groups: string[]
  kind: 'fixed' | 'counselor' | 'teacher' | 'student'
}

/** mulberry32: small, fast and good enough for names. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const classGroup = (year: number) => `Class of ${year}`
export const TEACHERS_GROUP = 'Teachers'

/** Seven digits, unique per index (4099 is prime, so i ↦ i·4099 mod 8,999,999 is one-to-one). */
const studentId = (i: number) => String(1_000_001 + ((i * 4099 + 12345) % 8_999_999))
export const FIXED_STUDENT_ID = '1000000'

/** Counselors split the alphabet by the student's last name, as schools do. */
const BUCKETS = ['ABC', 'DEFG', 'HIJK', 'LMNO', 'PQRS', 'TUVWXYZ']
const bucketOf = (last: string) => {
  const c = last.normalize('NFKD').charAt(0).toUpperCase()
  const i = BUCKETS.findIndex((b) => b.includes(c))
  return i < 0 ? 0 : i
}

export function demoClasses(today: string, turnoverMonth: number): number[] {
  const senior = seniorYear(today, turnoverMonth)
  return [senior, senior + 1, senior + 2, senior + 3]
}

export function demoPeople(today: string, turnoverMonth: number): DemoPerson[] {
  const rand = prng(0x10c0ffee)
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
  const person = () => {
    const gender = rand() < 0.5 ? 'female' : 'male'
    const firsts = gender === 'female' ? FEMALE_FIRST : MALE_FIRST
    const firstName = pick(firsts)
    const middleName = rand() < 0.6 ? pick(firsts.filter((f) => f !== firstName)) : ''
    return { gender, firstName, middleName, lastName: pick(LAST) } as const
  }
  const classes = demoClasses(today, turnoverMonth)
  const base = { middleName: '', graduationYear: null, studentId: null, counselor: null, isSuperuser: false }
  const fixed: DemoPerson[] = [
    { ...base, kind: 'fixed', username: 'admin', userType: 'teacher', firstName: 'Ada', lastName: 'Administrator', title: 'Dr.', gender: 'female', isSuperuser: true, groups: ['admin_all'] },
    { ...base, kind: 'fixed', username: 'eighth', userType: 'teacher', firstName: 'Eighth', lastName: 'Office', title: '', gender: 'female', groups: ['admin_eighth'] },
    { ...base, kind: 'fixed', username: 'teacher', userType: 'teacher', firstName: 'Terry', lastName: 'Teacher', title: 'Mr.', gender: 'male', groups: [TEACHERS_GROUP] },
  ]
  const alloc = new UsernameAllocator(['admin', 'eighth', 'teacher', 'student'])
  const staff = (kind: 'counselor' | 'teacher'): DemoPerson => {
    const p = person()
    return {
      ...base, ...p, kind, userType: kind, title: p.gender === 'female' ? 'Ms.' : 'Mr.',
      username: alloc.allocate(staffUsernameBase(p.firstName, p.lastName) ?? 'staff'), groups: [TEACHERS_GROUP],
    }
  }
  const counselors = Array.from({ length: COUNSELORS }, () => staff('counselor'))
  const teachers = Array.from({ length: TEACHERS }, () => staff('teacher'))
  fixed.push({
    ...base, kind: 'fixed', username: 'student', userType: 'student', firstName: 'Sam', lastName: 'Student', title: '', gender: 'male',
    graduationYear: classes[0]!, studentId: FIXED_STUDENT_ID, counselor: counselors[bucketOf('Student')]!.username, groups: [classGroup(classes[0]!)],
  })
  const students: DemoPerson[] = []
  let n = 0
  for (const year of classes) {
    for (let i = 0; i < STUDENTS_PER_CLASS; i++) {
      const p = person()
      students.push({
        ...base, ...p, kind: 'student', userType: 'student', title: '', graduationYear: year, studentId: studentId(n++),
        username: alloc.allocate(studentUsernameBase(year, p.firstName, p.lastName)!),
        counselor: counselors[bucketOf(p.lastName)]!.username, groups: [classGroup(year)],
      })
    }
  }
  return [...fixed, ...counselors, ...teachers, ...students]
}
