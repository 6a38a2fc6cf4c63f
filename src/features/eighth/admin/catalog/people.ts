import type { Db } from '../../../../platform/db.ts'
import type { UserType } from '../../../../platform/viewer.ts'
import { searchUsers, type UserHit } from '../../../users/admin/admin.sql.ts'
import { userById, userIdByUsername } from '../../../users/users.sql.ts'

// Type-ahead for the office's people pickers (allow lists, blacklists, officers, club sponsors,
// a sponsor's account): the users feature's search, narrowed to the kinds of account that fit.

export type PersonKind = 'student' | 'teacher' | 'sponsor' | 'any'
const TYPES: Record<PersonKind, UserType[] | null> = {
  student: ['student'],
  teacher: ['teacher', 'counselor'],
  // Ion's attendance-only accounts may sponsor too.
  sponsor: ['teacher', 'counselor', 'user'],
  any: null,
}
export const fits = (kind: PersonKind, t: UserType) => TYPES[kind] === null || TYPES[kind]!.includes(t)

export type Person = Pick<UserHit, 'id' | 'username' | 'firstName' | 'lastName' | 'nickname' | 'userType' | 'graduationYear' | 'studentId'>
export const personLabel = (p: Pick<Person, 'firstName' | 'lastName' | 'nickname' | 'username'>) =>
  `${p.lastName}, ${p.firstName}${p.nickname ? ` (${p.nickname})` : ''} · ${p.username}`

export function cleanQuery(q: string): { q: string; words: string[] } {
  const clean = q.trim().replace(/\s+/g, ' ').slice(0, 100)
  const words = clean.split(' ').map((w) => w.replace(/^\*+|\*+$/g, '')).filter(Boolean).slice(0, 6)
  return { q: clean, words }
}

/** Up to `limit` active accounts of the kind matching every word. */
export async function findPeople(db: Db, q: string, kind: PersonKind, limit = 10): Promise<{ q: string; rows: Person[] }> {
  const { q: clean, words } = cleanQuery(q)
  if (!words.length) return { q: clean, rows: [] }
  const { rows } = await searchUsers(db, words, 60, 0)
  return { q: clean, rows: rows.filter((r) => r.active && fits(kind, r.userType)).slice(0, limit) }
}

/** An account by id (a picked candidate) or by exact username or id (the no-JavaScript way), if it fits the kind. */
export async function personById(db: Db, id: number, kind: PersonKind): Promise<Person | null> {
  const u = await userById(db, id)
  return u && u.active && fits(kind, u.userType) ? u : null
}

export async function exactPerson(db: Db, text: string, kind: PersonKind): Promise<Person | null> {
  const t = text.trim()
  if (!t || t.length > 40) return null
  const id = /^\d{1,9}$/.test(t) ? Number(t) : await userIdByUsername(db, t)
  return id ? personById(db, id, kind) : null
}
