import type { Db } from '../../../platform/db.ts'
import type { UserType } from '../../../platform/viewer.ts'

// User administration (/admin/users and `ion create-admin`): the only SQL of that slice.

export type UserHit = {
  id: number
  username: string
  userType: UserType
  firstName: string
  middleName: string
  lastName: string
  nickname: string
  graduationYear: number | null
  studentId: string | null
  locked: boolean
  active: boolean
  isSuperuser: boolean
}

/** LIKE metacharacters in a search word are matched literally. */
export const likeEscape = (w: string) => w.replace(/[\\%_]/g, (ch) => '\\' + ch)

/**
 * Every word must match a name, the username or the student id (contains, any case); a numeric
 * word also matches the id. One statement: the page and the total (window count).
 */
export async function searchUsers(db: Db, words: string[], limit: number, offset: number): Promise<{ rows: UserHit[]; total: number }> {
  const patterns = words.map((w) => '%' + likeEscape(w) + '%')
  const rows = await db<(UserHit & { total: number })[]>`
    SELECT u.id, u.username, u.user_type, u.first_name, u.middle_name, u.last_name, u.nickname, u.graduation_year,
           u.student_id, u.locked, u.active, u.is_superuser, count(*) OVER ()::int AS total
    FROM users u
    WHERE NOT EXISTS (
      SELECT 1 FROM unnest(${patterns}::text[], ${words}::text[]) AS w(pattern, word)
      WHERE NOT (u.username ILIKE w.pattern OR u.first_name ILIKE w.pattern OR u.last_name ILIKE w.pattern
                 OR u.nickname ILIKE w.pattern OR u.middle_name ILIKE w.pattern OR coalesce(u.student_id, '') ILIKE w.pattern
                 OR (w.word ~ '^[0-9]{1,9}$' AND u.id = w.word::int)))
    ORDER BY lower(u.last_name), lower(u.first_name), u.id
    LIMIT ${limit} OFFSET ${offset}`
  return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 }
}

export type AdminUserRow = UserHit & {
  adminComments: string
  counselorId: number | null
  counselorUsername: string | null
  createdAt: Date
  lastLogin: Date | null
  totpEnabled: boolean
}

export async function adminUserRow(db: Db, id: number): Promise<AdminUserRow | null> {
  const [row] = await db<AdminUserRow[]>`
    SELECT u.id, u.username, u.user_type, u.first_name, u.middle_name, u.last_name, u.nickname, u.graduation_year,
           u.student_id, u.locked, u.active, u.is_superuser, u.admin_comments, u.counselor_id, c.username AS counselor_username,
           u.created_at, u.last_login, u.totp_enabled
    FROM users u LEFT JOIN users c ON c.id = u.counselor_id
    WHERE u.id = ${id}`
  return row ?? null
}

export async function userTypeByUsername(db: Db, username: string): Promise<{ id: number; userType: UserType } | null> {
  const [row] = await db<{ id: number; userType: UserType }[]>`SELECT id, user_type FROM users WHERE lower(username) = lower(${username})`
  return row ?? null
}

export async function studentIdOwner(db: Db, studentId: string, exceptId: number): Promise<string | null> {
  const [row] = await db<{ username: string }[]>`SELECT username FROM users WHERE student_id = ${studentId} AND id <> ${exceptId}`
  return row?.username ?? null
}

export type UserEdit = {
  firstName: string
  middleName: string
  lastName: string
  nickname: string
  userType: UserType
  graduationYear: number | null
  studentId: string | null
  counselorId: number | null
  adminComments: string
  isSuperuser: boolean
}

export async function updateUser(db: Db, id: number, e: UserEdit, now: Date): Promise<void> {
  await db`
    UPDATE users SET first_name = ${e.firstName}, middle_name = ${e.middleName}, last_name = ${e.lastName},
      nickname = ${e.nickname}, user_type = ${e.userType}, graduation_year = ${e.graduationYear}, student_id = ${e.studentId},
      counselor_id = ${e.counselorId}, admin_comments = ${e.adminComments}, is_superuser = ${e.isSuperuser}, updated_at = ${now}
    WHERE id = ${id}`
}

export async function setLocked(db: Db, id: number, locked: boolean, now: Date): Promise<void> {
  await db`UPDATE users SET locked = ${locked}, updated_at = ${now} WHERE id = ${id}`
}

export type GroupRef = { id: number; name: string }

export async function groupByName(db: Db, name: string): Promise<GroupRef | null> {
  const [row] = await db<GroupRef[]>`SELECT id, name FROM groups WHERE lower(name) = lower(${name})`
  return row ?? null
}

export async function groupById(db: Db, id: number): Promise<GroupRef | null> {
  const [row] = await db<GroupRef[]>`SELECT id, name FROM groups WHERE id = ${id}`
  return row ?? null
}

/** Group names for the "add to group" suggestions (capped: a school may have thousands). */
export async function groupNames(db: Db, limit = 500): Promise<string[]> {
  const rows = await db<{ name: string }[]>`SELECT name FROM groups ORDER BY (name LIKE 'admin\\_%') DESC, lower(name) LIMIT ${limit}`
  return rows.map((r) => r.name)
}

/** False when the user was already a member. */
export async function addMembership(db: Db, userId: number, groupId: number): Promise<boolean> {
  const rows = await db`INSERT INTO user_groups (user_id, group_id) VALUES (${userId}, ${groupId}) ON CONFLICT DO NOTHING RETURNING 1`
  return rows.length > 0
}

/** False when the user was not a member. */
export async function removeMembership(db: Db, userId: number, groupId: number): Promise<boolean> {
  const rows = await db`DELETE FROM user_groups WHERE user_id = ${userId} AND group_id = ${groupId} RETURNING 1`
  return rows.length > 0
}

/** `ion create-admin`: the account by name, created as a teacher when missing (safe to run twice at once). */
export async function ensureUser(db: Db, username: string): Promise<{ id: number; created: boolean }> {
  const inserted = await db<{ id: number }[]>`
    INSERT INTO users (username, user_type, first_name) VALUES (${username}, 'teacher', ${username})
    ON CONFLICT (lower(username)) DO NOTHING RETURNING id`
  if (inserted[0]) return { id: inserted[0].id, created: true }
  const [row] = await db<{ id: number }[]>`SELECT id FROM users WHERE lower(username) = lower(${username})`
  return { id: row!.id, created: false }
}

/** Superuser, unlocked and active: the break-glass state `ion create-admin` promises. */
export async function makeSuperuser(db: Db, id: number, now: Date): Promise<{ wasLocked: boolean }> {
  const [row] = await db<{ wasLocked: boolean }[]>`
    UPDATE users u SET is_superuser = true, locked = false, active = true, updated_at = ${now}
    FROM users old WHERE u.id = ${id} AND old.id = u.id
    RETURNING (old.locked OR NOT old.active) AS was_locked`
  return { wasLocked: row?.wasLocked ?? false }
}
