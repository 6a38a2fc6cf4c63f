import type { SessionData } from './session.ts'

export const USER_TYPES = ['student', 'teacher', 'counselor', 'user', 'simple_user', 'alum', 'service'] as const
export type UserType = (typeof USER_TYPES)[number]

/** The signed-in person as every route sees them (one query per request). */
export type Viewer = {
  id: number
  username: string
  userType: UserType
  firstName: string
  lastName: string
  nickname: string | null
  graduationYear: number | null
  isSuperuser: boolean
  /** Names of the permission groups the user is in (admin_*). */
  perms: string[]
  darkMode: boolean
  totpEnabled: boolean
  /** How this request was authenticated. */
  via: 'session' | 'token' | 'basic'
  session: SessionData | null
  /** The admin who is viewing the site as this user, if any. */
  impersonatedBy: { id: number; username: string } | null
  /** Nav badge numbers by href, loaded for page views only (registry.ts loadNavCounts). */
  navCounts?: Record<string, number>
}

export const isTeacher = (v: Viewer) => v.userType === 'teacher' || v.userType === 'counselor'
export const isStudent = (v: Viewer) => v.userType === 'student'
export const isRestricted = (v: Pick<Viewer, 'userType'>) => v.userType === 'user' || v.userType === 'alum' || v.userType === 'service'

/** admin_all implies every admin_x. */
export function hasPerm(v: Pick<Viewer, 'isSuperuser' | 'perms'>, perm: string): boolean {
  if (v.isSuperuser && perm === 'admin_all') return v.perms.includes('admin_all')
  return v.perms.includes('admin_all') || v.perms.includes(perm)
}
export const isAnyAdmin = (v: Viewer) => v.isSuperuser || v.perms.some((p) => p.startsWith('admin_'))
export const isEighthAdmin = (v: Viewer) => hasPerm(v, 'admin_eighth')
export const isAttendanceTaker = (v: Viewer) => isEighthAdmin(v) || isTeacher(v) || v.userType === 'user'

export const displayName = (v: Pick<Viewer, 'firstName' | 'lastName' | 'nickname'>) =>
  `${v.nickname || v.firstName} ${v.lastName}`.trim()

export type Policy =
  | 'public' // no session lookup at all (health, static files)
  | 'anonymous' // anyone; the viewer is resolved when a cookie is present
  | 'user'
  | 'member'
  | 'student'
  | 'teacher'
  | 'attendance'
  | `admin_${string}`
  | 'superuser'

export function allows(policy: Policy, v: Viewer | null): boolean {
  if (policy === 'public' || policy === 'anonymous') return true
  if (!v) return false
  switch (policy) {
    case 'user': return true
    case 'member': return !isRestricted(v)
    case 'student': return isStudent(v)
    case 'teacher': return isTeacher(v)
    case 'attendance': return isAttendanceTaker(v)
    case 'superuser': return v.isSuperuser
    default: return hasPerm(v, policy)
  }
}
