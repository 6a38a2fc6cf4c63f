import type { Db, Tx } from '../../platform/db.ts'

export async function usersByUsernames(db: Db, lower: string[]): Promise<{ id: number; username: string }[]> {
  if (!lower.length) return []
  return db<{ id: number; username: string }[]>`SELECT id, username FROM users WHERE lower(username) = ANY(${lower}::text[])`
}

export async function groupsByNames(db: Db, lower: string[]): Promise<{ id: number; name: string }[]> {
  if (!lower.length) return []
  return db<{ id: number; name: string }[]>`SELECT id, name FROM groups WHERE lower(name) = ANY(${lower}::text[])`
}

export async function membershipsAmong(db: Db, userIds: number[], groupIds: number[]): Promise<{ userId: number; groupId: number }[]> {
  if (!userIds.length || !groupIds.length) return []
  return db<{ userId: number; groupId: number }[]>`
    SELECT user_id, group_id FROM user_groups WHERE user_id = ANY(${userIds}::int[]) AND group_id = ANY(${groupIds}::int[])`
}

export async function insertGroups(tx: Tx, names: string[], now: Date): Promise<number> {
  if (!names.length) return 0
  const res = await tx`
    INSERT INTO groups (name, created_at) SELECT n, ${now} FROM unnest(${names}::text[]) AS n
    ON CONFLICT (lower(name)) DO NOTHING`
  return res.count
}

/** Memberships by user id and group name (case-insensitive); existing ones are kept. */
export async function addMemberships(tx: Tx, rows: { userId: number; group: string }[]): Promise<number> {
  if (!rows.length) return 0
  const res = await tx`
    INSERT INTO user_groups (user_id, group_id)
    SELECT v.user_id, g.id
    FROM unnest(${rows.map((r) => r.userId)}::int[], ${rows.map((r) => r.group.toLowerCase())}::text[]) AS v(user_id, name)
    JOIN groups g ON lower(g.name) = v.name
    ON CONFLICT DO NOTHING`
  return res.count
}
