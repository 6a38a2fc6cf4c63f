import type { Db } from '../../platform/db.ts'

export type TokenRow = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }

export async function createToken(db: Db, userId: number, name: string, tokenHash: string, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (${userId}, ${name}, ${tokenHash}, ${now}) RETURNING id`
  return row!.id
}

export async function tokensOf(db: Db, userId: number): Promise<TokenRow[]> {
  return db<TokenRow[]>`SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ${userId} AND revoked_at IS NULL ORDER BY id DESC`
}

export async function revokeToken(db: Db, userId: number, id: number, now: Date): Promise<boolean> {
  const rows = await db`UPDATE api_tokens SET revoked_at = ${now} WHERE id = ${id} AND user_id = ${userId} AND revoked_at IS NULL RETURNING id`
  return rows.length > 0
}

/** The token's user, touching last_used_at at most once a minute. */
export async function userIdForToken(db: Db, tokenHash: string, now: Date): Promise<number | null> {
  const [row] = await db<{ userId: number }[]>`
    WITH t AS (SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = ${tokenHash} AND revoked_at IS NULL),
    touch AS (UPDATE api_tokens a SET last_used_at = ${now} FROM t
              WHERE a.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < ${now}::timestamptz - interval '1 minute'))
    SELECT user_id FROM t`
  return row?.userId ?? null
}
