import type { Db } from '../../platform/db.ts'

// Lookups for the demo seed: the demo accounts, groups and eighth activities by name.

export async function idsByUsername(db: Db, usernames: string[]): Promise<Map<string, number>> {
  const rows = await db<{ id: number; username: string }[]>`SELECT id, lower(username) AS username FROM users WHERE lower(username) = ANY(${usernames.map((u) => u.toLowerCase())}::text[])`
  return new Map(rows.map((r) => [r.username, r.id]))
}

export async function groupIdsByName(db: Db, names: string[]): Promise<Map<string, number>> {
  const rows = await db<{ id: number; name: string }[]>`SELECT id, name FROM groups WHERE lower(name) = ANY(${names.map((n) => n.toLowerCase())}::text[])`
  return new Map(rows.map((r) => [r.name.toLowerCase(), r.id]))
}

export async function activityIdsByName(db: Db, names: string[]): Promise<Map<string, number>> {
  const rows = await db<{ id: number; name: string }[]>`SELECT id, name FROM eighth_activities WHERE name = ANY(${names}::text[]) AND NOT deleted`
  return new Map(rows.map((r) => [r.name, r.id]))
}

export async function hasAnnouncementTitled(db: Db, title: string): Promise<boolean> {
  const rows = await db`SELECT 1 FROM announcements WHERE title = ${title} LIMIT 1`
  return rows.length > 0
}
