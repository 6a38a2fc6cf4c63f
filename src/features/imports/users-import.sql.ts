import type { Db, Tx } from '../../platform/db.ts'
import type { UserType } from '../../platform/viewer.ts'

// Reads for planning a user import and the batched writes that apply it (each write takes ≤ 500 rows).

/** The fields a user import reads and writes. */
export type ImportedUserFields = {
  username: string
  userType: UserType
  firstName: string
  lastName: string
  middleName: string
  nickname: string
  graduationYear: number | null
  studentId: string | null
  gender: string | null
}

export type ExistingUser = ImportedUserFields & {
  id: number
  counselorId: number | null
  active: boolean
  /** The primary address (else the first on file). */
  email: string | null
}

/** The accounts the file names, by student ID or by username (lower-case). */
export async function usersByKeys(db: Db, studentIds: string[], usernames: string[]): Promise<ExistingUser[]> {
  if (!studentIds.length && !usernames.length) return []
  return db<ExistingUser[]>`
    SELECT u.id, u.username, u.user_type, u.first_name, u.last_name, u.middle_name, u.nickname, u.graduation_year,
           u.student_id, u.counselor_id, u.gender, u.active,
           (SELECT e.address FROM emails e WHERE e.user_id = u.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS email
    FROM users u
    WHERE u.student_id = ANY(${studentIds}::text[]) OR lower(u.username) = ANY(${usernames}::text[])`
}

export type CounselorRow = { id: number; username: string; lastName: string }

export async function counselors(db: Db): Promise<CounselorRow[]> {
  return db<CounselorRow[]>`SELECT id, username, last_name FROM users WHERE user_type = 'counselor' ORDER BY id`
}

/** Taken usernames (lower-case) that a generated one with these stems could collide with. */
export async function usernamesWithStems(db: Db, stems: string[]): Promise<string[]> {
  if (!stems.length) return []
  const rows = await db<{ u: string }[]>`
    SELECT lower(username) AS u FROM users WHERE regexp_replace(lower(username), '[0-9]+$', '') = ANY(${stems}::text[])`
  return rows.map((r) => r.u)
}

export type MissingStudent = { id: number; username: string; studentId: string; firstName: string; lastName: string }

/** Active students with a student ID that is not among these. */
export async function activeStudentsNotIn(db: Db, studentIds: string[]): Promise<MissingStudent[]> {
  return db<MissingStudent[]>`
    SELECT id, username, student_id, first_name, last_name FROM users
    WHERE user_type = 'student' AND active AND student_id IS NOT NULL AND NOT (student_id = ANY(${studentIds}::text[]))
    ORDER BY last_name, first_name, id`
}

export type UserInsert = ImportedUserFields & { counselorId: number | null; createdAt: Date; updatedAt: Date }

const INSERT_COLUMNS = [
  'username', 'userType', 'firstName', 'lastName', 'middleName', 'nickname', 'graduationYear', 'studentId',
  'counselorId', 'gender', 'createdAt', 'updatedAt',
] as const

export async function insertUsers(tx: Tx, rows: UserInsert[]): Promise<{ id: number; username: string }[]> {
  if (!rows.length) return []
  return tx<{ id: number; username: string }[]>`INSERT INTO users ${tx(rows, ...INSERT_COLUMNS)} RETURNING id, username`
}

export type UserUpdate = {
  id: number
  username: string
  userType: UserType
  firstName: string
  lastName: string
  middleName: string
  nickname: string
  graduationYear: number | null
  counselorId: number | null
  gender: string | null
  active: boolean
}

/** One statement for the whole batch: the new values travel as one JSON array. */
export async function updateUsers(tx: Tx, rows: UserUpdate[], now: Date): Promise<number> {
  if (!rows.length) return 0
  const json = rows.map((r) => ({
    id: r.id, username: r.username, user_type: r.userType, first_name: r.firstName, last_name: r.lastName,
    middle_name: r.middleName, nickname: r.nickname, graduation_year: r.graduationYear, counselor_id: r.counselorId,
    gender: r.gender, active: r.active,
  }))
  const res = await tx`
    UPDATE users u SET username = v.username, user_type = v.user_type, first_name = v.first_name, last_name = v.last_name,
           middle_name = v.middle_name, nickname = v.nickname, graduation_year = v.graduation_year,
           counselor_id = v.counselor_id, gender = v.gender, active = v.active, updated_at = ${now}
    FROM jsonb_to_recordset(${tx.json(json as never)}::jsonb) AS v(
           id int, username text, user_type text, first_name text, last_name text, middle_name text, nickname text,
           graduation_year int, counselor_id int, gender text, active boolean)
    WHERE u.id = v.id`
  return res.count
}

/** Makes each address its user's primary one (added when missing; the old primary stays on file). */
export async function setPrimaryEmails(tx: Tx, rows: { userId: number; address: string }[]): Promise<void> {
  if (!rows.length) return
  const json = tx.json(rows.map((r) => ({ user_id: r.userId, address: r.address })) as never)
  await tx`
    UPDATE emails e SET is_primary = false
    FROM jsonb_to_recordset(${json}::jsonb) AS v(user_id int, address text)
    WHERE e.user_id = v.user_id AND e.is_primary AND lower(e.address) <> lower(v.address)`
  await tx`
    INSERT INTO emails (user_id, address, is_primary)
    SELECT v.user_id, v.address, true FROM jsonb_to_recordset(${json}::jsonb) AS v(user_id int, address text)
    ON CONFLICT (user_id, lower(address)) DO UPDATE SET is_primary = true`
}

export async function deactivateUsers(tx: Tx, ids: number[], now: Date): Promise<number> {
  if (!ids.length) return 0
  const res = await tx`UPDATE users SET active = false, updated_at = ${now} WHERE id = ANY(${ids}::int[]) AND active`
  return res.count
}
