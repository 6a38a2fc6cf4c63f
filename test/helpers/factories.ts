import type { Sql } from '../../src/platform/db.ts'
import type { UserType } from '../../src/platform/viewer.ts'
import { addToGroups, insertUser, type NewUser } from '../../src/features/users/create.sql.ts'
import { hashPassword } from '../../src/features/auth/passwords.ts'
import { req } from './app.ts'

const hashes = new Map<string, Promise<string>>()
const hashOf = (pw: string) => {
  let h = hashes.get(pw)
  if (!h) hashes.set(pw, (h = hashPassword(pw)))
  return h
}

let seq = 0
export type MadeUser = { id: number; username: string; password: string }

export async function makeUser(
  sql: Sql,
  opts: Partial<NewUser> & { type?: UserType; password?: string; groups?: string[]; email?: string } = {},
): Promise<MadeUser> {
  seq++
  const username = opts.username ?? `u${seq}${Math.random().toString(36).slice(2, 6)}`
  const password = opts.password ?? 'correct horse battery'
  const userType = opts.type ?? opts.userType ?? 'student'
  const id = await insertUser(sql, {
    username, userType,
    firstName: opts.firstName ?? 'Test', lastName: opts.lastName ?? `User${seq}`,
    graduationYear: opts.graduationYear ?? (userType === 'student' ? 2027 : null),
    studentId: opts.studentId ?? (userType === 'student' ? String(1000000 + Math.floor(Math.random() * 8999999)) : null),
    passwordHash: await hashOf(password),
    isSuperuser: opts.isSuperuser, locked: opts.locked, active: opts.active, nickname: opts.nickname, counselorId: opts.counselorId,
  })
  if (opts.groups?.length) await addToGroups(sql, id, opts.groups)
  if (opts.email) await sql`INSERT INTO emails (user_id, address, is_primary) VALUES (${id}, ${opts.email}, true)`
  return { id, username, password }
}

/** Logs in through the real form; returns the `sessionid=…` cookie pair. */
export async function login(app: { handle(r: Request): Promise<Response> }, u: { username: string; password: string }, opts: { remember?: boolean; ip?: string } = {}): Promise<string> {
  const form: Record<string, string> = { username: u.username, password: u.password }
  if (opts.remember) form.remember = 'on'
  const r = await app.handle(req('/login', { form }))
  const cookie = r.headers.get('set-cookie')
  if (r.status !== 303 || !cookie) throw new Error(`login failed: ${r.status} ${await r.text()}`)
  return cookie.split(';')[0]!
}
