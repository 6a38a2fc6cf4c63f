import type { Db } from '../../platform/db.ts'

/** By username, or by an address on file (a unique match only). */
export async function userForForgot(db: Db, who: string): Promise<{ id: number; username: string; firstName: string; email: string | null } | null> {
  const rows = await db<{ id: number; username: string; firstName: string; email: string | null }[]>`
    SELECT u.id, u.username, u.first_name,
           (SELECT e.address FROM emails e WHERE e.user_id = u.id ORDER BY e.is_primary DESC, e.id LIMIT 1) AS email
    FROM users u
    WHERE u.active AND NOT u.locked
      AND (lower(u.username) = lower(${who}) OR u.id IN (SELECT user_id FROM emails WHERE lower(address) = lower(${who})))
    LIMIT 2`
  return rows.length === 1 ? rows[0]! : null
}
