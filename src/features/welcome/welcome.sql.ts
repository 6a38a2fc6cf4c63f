import type { Db } from '../../platform/db.ts'

// users.seen_welcome: whether the first-login pages were finished.

export async function seenWelcome(db: Db, userId: number): Promise<{ userType: string; seen: boolean } | null> {
  const [row] = await db<{ userType: string; seenWelcome: boolean }[]>`SELECT user_type, seen_welcome FROM users WHERE id = ${userId}`
  return row ? { userType: row.userType, seen: row.seenWelcome } : null
}

export async function markWelcomeSeen(db: Db, userId: number, now: Date): Promise<void> {
  await db`UPDATE users SET seen_welcome = true, updated_at = ${now} WHERE id = ${userId} AND NOT seen_welcome`
}
