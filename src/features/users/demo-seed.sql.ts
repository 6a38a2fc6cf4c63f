import type { Tx } from '../../platform/db.ts'
import type { UserType } from '../../platform/viewer.ts'

// Batched writes for the demo accounts; every one skips what is already there.

export type DemoUser = {
  username: string
  userType: UserType
  firstName: string
  middleName: string
  lastName: string
  title: string
  gender: string
  graduationYear: number | null
  studentId: string | null
  counselorId: number | null
  passwordHash: string
  isSuperuser: boolean
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = [
  'username', 'userType', 'firstName', 'middleName', 'lastName', 'title', 'gender', 'graduationYear', 'studentId',
  'counselorId', 'passwordHash', 'isSuperuser', 'createdAt', 'updatedAt',
] as const

/** Inserts the rows that clash with no existing account (username or student ID); returns those. */
export async function insertDemoUsers(tx: Tx, rows: DemoUser[]): Promise<{ id: number; username: string }[]> {
  if (!rows.length) return []
  return tx<{ id: number; username: string }[]>`
    INSERT INTO users ${tx(rows, ...COLUMNS)} ON CONFLICT DO NOTHING RETURNING id, username`
}

export async function userIdsByUsername(tx: Tx, usernames: string[]): Promise<Map<string, number>> {
  const rows = await tx<{ id: number; u: string }[]>`
    SELECT id, lower(username) AS u FROM users WHERE lower(username) = ANY(${usernames.map((u) => u.toLowerCase())}::text[])`
  return new Map(rows.map((r) => [r.u, r.id]))
}

export async function insertDemoEmails(tx: Tx, rows: { userId: number; address: string; isPrimary: boolean }[]): Promise<void> {
  if (!rows.length) return
  await tx`INSERT INTO emails ${tx(rows, 'userId', 'address', 'isPrimary')} ON CONFLICT DO NOTHING`
}

export async function ensureGroups(tx: Tx, groups: { name: string; studentVisible: boolean; description: string }[], now: Date): Promise<number> {
  const rows = groups.map((g) => ({ ...g, createdAt: now }))
  const res = await tx`INSERT INTO groups ${tx(rows, 'name', 'studentVisible', 'description', 'createdAt')} ON CONFLICT (lower(name)) DO NOTHING`
  return res.count
}

export async function addDemoMemberships(tx: Tx, rows: { userId: number; group: string }[]): Promise<void> {
  if (!rows.length) return
  await tx`
    INSERT INTO user_groups (user_id, group_id)
    SELECT v.user_id, g.id
    FROM unnest(${rows.map((r) => r.userId)}::int[], ${rows.map((r) => r.group.toLowerCase())}::text[]) AS v(user_id, name)
    JOIN groups g ON lower(g.name) = v.name
    ON CONFLICT DO NOTHING`
}
