import type { Db } from '../../platform/db.ts'

// Reads for the demo seed.

export async function eventCount(db: Db): Promise<number> {
  const [row] = await db<{ n: number }[]>`SELECT count(*)::int AS n FROM events`
  return row?.n ?? 0
}

/** Some active users of a type, by id (the demo data's authors and attendees). */
export async function someUsers(db: Db, userType: string, limit: number): Promise<number[]> {
  const rows = await db<{ id: number }[]>`SELECT id FROM users WHERE user_type = ${userType} AND active AND NOT locked ORDER BY id LIMIT ${limit}`
  return rows.map((r) => r.id)
}

export async function groupIdsByName(db: Db, names: string[]): Promise<Map<string, number>> {
  const rows = await db<{ id: number; name: string }[]>`SELECT id, name FROM groups WHERE name = ANY(${names}::text[])`
  return new Map(rows.map((r) => [r.name, r.id]))
}
