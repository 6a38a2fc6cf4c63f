import type { Db } from '../../platform/db.ts'
import type { PrivacyFlags } from './privacy.ts'

// The privacy flag pairs live on users (0002_users.sql); only the eighth office writes them.

export async function idByStudentId(db: Db, studentId: string): Promise<number | null> {
  const [row] = await db<{ id: number }[]>`SELECT id FROM users WHERE student_id = ${studentId}`
  return row?.id ?? null
}

/** Serialises concurrent saves of one user's flags (each save reads, then writes). */
export async function lockUserRow(db: Db, userId: number): Promise<boolean> {
  const rows = await db`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`
  return rows.length > 0
}

export async function setPrivacyFlags(db: Db, userId: number, f: PrivacyFlags, now: Date): Promise<void> {
  await db`
    UPDATE users SET self_show_pictures = ${f.selfShowPictures}, parent_show_pictures = ${f.parentShowPictures},
                     self_show_eighth = ${f.selfShowEighth}, parent_show_eighth = ${f.parentShowEighth},
                     self_show_schedule = ${f.selfShowSchedule}, parent_show_schedule = ${f.parentShowSchedule},
                     updated_at = ${now}
    WHERE id = ${userId}`
}
