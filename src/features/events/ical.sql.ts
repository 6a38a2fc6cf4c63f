import type { Db } from '../../platform/db.ts'
import type { EventRow } from './events.sql.ts'
import { eventsBetween } from './events.sql.ts'

// The private calendar feed's token: one per user, kept only as its SHA-256.

/** Replaces the user's token (the old URL stops working at once). */
export async function saveTokenHash(db: Db, userId: number, hash: string, now: Date): Promise<void> {
  await db`
    INSERT INTO event_ical_tokens (user_id, token_hash, created_at) VALUES (${userId}, ${hash}, ${now})
    ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at`
}

export async function deleteToken(db: Db, userId: number): Promise<boolean> {
  return (await db`DELETE FROM event_ical_tokens WHERE user_id = ${userId} RETURNING 1`).length > 0
}

export async function tokenCreatedAt(db: Db, userId: number): Promise<Date | null> {
  const [row] = await db<{ createdAt: Date }[]>`SELECT created_at FROM event_ical_tokens WHERE user_id = ${userId}`
  return row?.createdAt ?? null
}

export type FeedOwner = { id: number; userType: string; restricted: boolean }

/** The (active, unlocked) owner of a token hash. */
export async function ownerOfToken(db: Db, hash: string): Promise<FeedOwner | null> {
  const [row] = await db<{ id: number; userType: string }[]>`
    SELECT u.id, u.user_type FROM event_ical_tokens t JOIN users u ON u.id = t.user_id
    WHERE t.token_hash = ${hash} AND u.active AND NOT u.locked`
  if (!row) return null
  return { id: row.id, userType: row.userType, restricted: ['user', 'alum', 'service'].includes(row.userType) }
}

/** Approved events in the window: public ones (userId null) or the ones a member may see. */
export function calendarEvents(db: Db, userId: number | null, from: Date, to: Date): Promise<EventRow[]> {
  return eventsBetween(db, { userId, admin: false }, from, to, 1000)
}
