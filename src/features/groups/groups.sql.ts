import type { Db, Tx } from '../../platform/db.ts'
import type { UserType } from '../../platform/viewer.ts'

// The group editor's SQL. Memberships one at a time and user search reuse the users slice's
// statements (users/admin/admin.sql.ts).

export type GroupRow = { id: number; name: string; studentVisible: boolean; description: string; members: number }

export async function listGroups(db: Db): Promise<GroupRow[]> {
  return db<GroupRow[]>`
    SELECT g.id, g.name, g.student_visible, g.description, count(ug.user_id)::int AS members
    FROM groups g LEFT JOIN user_groups ug ON ug.group_id = g.id
    GROUP BY g.id ORDER BY (g.name LIKE 'admin\\_%') DESC, lower(g.name)`
}

export async function groupRow(db: Db, id: number): Promise<GroupRow | null> {
  const [row] = await db<GroupRow[]>`
    SELECT g.id, g.name, g.student_visible, g.description, (SELECT count(*)::int FROM user_groups WHERE group_id = g.id) AS members
    FROM groups g WHERE g.id = ${id}`
  return row ?? null
}

export type GroupBrief = { id: number; name: string; studentVisible: boolean }

export async function allGroups(db: Db, onlyStudentVisible: boolean): Promise<GroupBrief[]> {
  return db<GroupBrief[]>`
    SELECT id, name, student_visible FROM groups WHERE student_visible OR NOT ${onlyStudentVisible}::boolean ORDER BY lower(name)`
}

const isUnique = (e: unknown) => (e as { code?: string })?.code === '23505'

/** Null when the name is taken (case-insensitively). */
export async function insertGroup(db: Db, g: { name: string; studentVisible: boolean; now: Date }): Promise<number | null> {
  const rows = await db<{ id: number }[]>`
    INSERT INTO groups (name, student_visible, created_at) VALUES (${g.name}, ${g.studentVisible}, ${g.now})
    ON CONFLICT (lower(name)) DO NOTHING RETURNING id`
  return rows[0]?.id ?? null
}

/** 'taken' when another group has the name. */
export async function renameGroupRow(db: Db, id: number, name: string): Promise<'ok' | 'taken' | 'missing'> {
  try {
    const rows = await db`UPDATE groups SET name = ${name} WHERE id = ${id} RETURNING 1`
    return rows.length ? 'ok' : 'missing'
  } catch (e) {
    if (isUnique(e)) return 'taken'
    throw e
  }
}

export async function setStudentVisible(db: Db, id: number, on: boolean): Promise<boolean> {
  const rows = await db`UPDATE groups SET student_visible = ${on} WHERE id = ${id} RETURNING 1`
  return rows.length > 0
}

/**
 * Deletes the group only when it has no members. The row lock makes it exact: adding a member
 * takes a key-share lock on the group, so no one joins between the count and the delete.
 */
export async function deleteIfEmpty(tx: Tx, id: number): Promise<{ found: boolean; members: number }> {
  const [g] = await tx`SELECT id FROM groups WHERE id = ${id} FOR UPDATE`
  if (!g) return { found: false, members: 0 }
  const [row] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM user_groups WHERE group_id = ${id}`
  const n = row!.n
  if (n === 0) await tx`DELETE FROM groups WHERE id = ${id}`
  return { found: true, members: n }
}

export type Member = {
  id: number
  username: string
  firstName: string
  lastName: string
  nickname: string
  userType: UserType
  graduationYear: number | null
}

export async function memberRows(db: Db, groupId: number): Promise<Member[]> {
  return db<Member[]>`
    SELECT u.id, u.username, u.first_name, u.last_name, u.nickname, u.user_type, u.graduation_year
    FROM user_groups ug JOIN users u ON u.id = ug.user_id
    WHERE ug.group_id = ${groupId}
    ORDER BY lower(u.last_name), lower(u.first_name), u.id`
}

export async function memberExists(db: Db, userId: number, groupId: number): Promise<boolean> {
  const rows = await db`SELECT 1 FROM user_groups WHERE user_id = ${userId} AND group_id = ${groupId}`
  return rows.length > 0
}

export async function memberIdsAmong(db: Db, groupId: number, userIds: number[]): Promise<Set<number>> {
  if (!userIds.length) return new Set()
  const rows = await db<{ userId: number }[]>`
    SELECT user_id FROM user_groups WHERE group_id = ${groupId} AND user_id = ANY(${userIds}::int[])`
  return new Set(rows.map((r) => r.userId))
}

/** The ids newly added (existing members are left as they are). */
export async function addMembers(tx: Tx, groupId: number, userIds: number[]): Promise<number[]> {
  if (!userIds.length) return []
  const rows = await tx<{ userId: number }[]>`
    INSERT INTO user_groups (user_id, group_id) SELECT u, ${groupId} FROM unnest(${userIds}::int[]) AS u
    ON CONFLICT DO NOTHING RETURNING user_id`
  return rows.map((r) => r.userId)
}

const GROUP_COLUMNS = ['name', 'studentVisible', 'description', 'createdAt'] as const

/** Demo seed: the groups that did not exist yet, created now (name → id). */
export async function insertGroupsReturning(tx: Tx, groups: { name: string; studentVisible: boolean; description: string }[], now: Date): Promise<Map<string, number>> {
  if (!groups.length) return new Map()
  const rows = await tx<{ id: number; name: string }[]>`
    INSERT INTO groups ${tx(groups.map((g) => ({ ...g, createdAt: now })), ...GROUP_COLUMNS)}
    ON CONFLICT (lower(name)) DO NOTHING RETURNING id, name`
  return new Map(rows.map((r) => [r.name, r.id]))
}

export async function addMembershipPairs(tx: Tx, pairs: { userId: number; groupId: number }[]): Promise<number> {
  if (!pairs.length) return 0
  const res = await tx`
    INSERT INTO user_groups (user_id, group_id)
    SELECT * FROM unnest(${pairs.map((p) => p.userId)}::int[], ${pairs.map((p) => p.groupId)}::int[])
    ON CONFLICT DO NOTHING`
  return res.count
}

export async function activeStudentIds(db: Db): Promise<{ id: number; graduationYear: number | null }[]> {
  return db<{ id: number; graduationYear: number | null }[]>`
    SELECT id, graduation_year FROM users WHERE user_type = 'student' AND active ORDER BY id`
}
