import type { Db } from '../../platform/db.ts'

export async function insertPasswordLink(db: Db, l: { tokenHash: string; userId: number; createdBy: number | null; purpose: 'admin' | 'forgot'; now: Date; expiresAt: Date }): Promise<void> {
  await db`
    INSERT INTO password_links (token_hash, user_id, created_by, purpose, created_at, expires_at)
    VALUES (${l.tokenHash}, ${l.userId}, ${l.createdBy}, ${l.purpose}, ${l.now}, ${l.expiresAt})`
}

/** Single use, atomically: the first caller gets the user id, everyone after gets null. */
export async function consumeLink(db: Db, tokenHash: string, now: Date): Promise<number | null> {
  const [row] = await db<{ userId: number }[]>`
    UPDATE password_links SET used_at = ${now}
    WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > ${now}
    RETURNING user_id`
  return row?.userId ?? null
}

export async function peekLink(db: Db, tokenHash: string, now: Date): Promise<{ userId: number; username: string } | null> {
  const [row] = await db<{ userId: number; username: string }[]>`
    SELECT l.user_id, u.username FROM password_links l JOIN users u ON u.id = l.user_id
    WHERE l.token_hash = ${tokenHash} AND l.used_at IS NULL AND l.expires_at > ${now}`
  return row ?? null
}

/** Older unused links of the same user stop working when a new one is made. */
export async function expireOtherLinks(db: Db, userId: number, keepHash: string, now: Date): Promise<void> {
  await db`UPDATE password_links SET expires_at = ${now} WHERE user_id = ${userId} AND used_at IS NULL AND token_hash <> ${keepHash} AND expires_at > ${now}`
}

export async function deleteExpiredLinks(db: Db, before: Date): Promise<number> {
  const rows = await db`DELETE FROM password_links WHERE expires_at < ${before} RETURNING 1`
  return rows.length
}
