import type { Sql } from '../../platform/db.ts'

// Favorites (eighth_activity_users role 'favorite').

export type ToggleResult = { found: false } | { found: true; favorited: boolean; name: string }

/**
 * Ion toggles a favorite in a transaction holding the user's row lock, so two quick clicks end
 * where they should. The delete-or-insert is one statement.
 */
export function toggleFavorite(sql: Sql, userId: number, activityId: number): Promise<ToggleResult> {
  return sql.begin(async (tx) => {
    await tx`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`
    const [row] = await tx<{ name: string; favorited: boolean }[]>`
      WITH act AS (SELECT id, name FROM eighth_activities WHERE id = ${activityId} AND NOT deleted),
      del AS (
        DELETE FROM eighth_activity_users
        WHERE activity_id = ${activityId} AND user_id = ${userId} AND role = 'favorite' AND EXISTS (SELECT 1 FROM act)
        RETURNING 1
      ),
      ins AS (
        INSERT INTO eighth_activity_users (activity_id, user_id, role)
        SELECT id, ${userId}, 'favorite' FROM act WHERE NOT EXISTS (SELECT 1 FROM del)
        RETURNING 1
      )
      SELECT act.name, EXISTS (SELECT 1 FROM ins) AS favorited FROM act`
    return row ? { found: true, favorited: row.favorited, name: row.name } : { found: false }
  })
}
