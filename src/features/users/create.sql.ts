import type { Db } from '../../platform/db.ts'
import type { UserType } from '../../platform/viewer.ts'

export type NewUser = {
  username: string
  userType: UserType
  firstName?: string
  middleName?: string
  lastName?: string
  nickname?: string
  graduationYear?: number | null
  studentId?: string | null
  counselorId?: number | null
  passwordHash?: string | null
  isSuperuser?: boolean
  locked?: boolean
  active?: boolean
}

export async function insertUser(db: Db, u: NewUser): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO users (username, user_type, first_name, middle_name, last_name, nickname, graduation_year, student_id,
                       counselor_id, password_hash, is_superuser, locked, active)
    VALUES (${u.username}, ${u.userType}, ${u.firstName ?? ''}, ${u.middleName ?? ''}, ${u.lastName ?? ''}, ${u.nickname ?? ''},
            ${u.graduationYear ?? null}, ${u.studentId ?? null}, ${u.counselorId ?? null}, ${u.passwordHash ?? null},
            ${u.isSuperuser ?? false}, ${u.locked ?? false}, ${u.active ?? true})
    RETURNING id`
  return row!.id
}

/** Adds the user to groups by name, creating missing groups. */
export async function addToGroups(db: Db, userId: number, names: string[]): Promise<void> {
  if (!names.length) return
  await db`INSERT INTO groups (name) SELECT unnest(${names}::text[]) ON CONFLICT (lower(name)) DO NOTHING`
  await db`
    INSERT INTO user_groups (user_id, group_id)
    SELECT ${userId}, id FROM groups WHERE lower(name) = ANY(${names.map((n) => n.toLowerCase())}::text[])
    ON CONFLICT DO NOTHING`
}
