import type { Db } from '../../platform/db.ts'

export async function lockScheduledRow(db: Db, id: number): Promise<{ id: number; blockId: number; activityId: number; cancelled: boolean; date: string; blockLetter: string; name: string } | null> {
  const [row] = await db<{ id: number; blockId: number; activityId: number; cancelled: boolean; date: string; blockLetter: string; name: string }[]>`
    SELECT sa.id, sa.block_id, sa.activity_id, sa.cancelled, b.date, b.block_letter, a.name
    FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE sa.id = ${id} FOR UPDATE OF sa`
  return row ?? null
}

export async function setCancelled(db: Db, id: number, cancelled: boolean, now: Date): Promise<void> {
  await db`UPDATE eighth_scheduled_activities SET cancelled = ${cancelled}, updated_at = ${now} WHERE id = ${id}`
}

/** Members who want eighth-period email, with their notification address. */
export async function membersToEmail(db: Db, scheduledId: number): Promise<{ userId: number; email: string }[]> {
  return db<{ userId: number; email: string }[]>`
    SELECT u.id AS user_id, e.address AS email
    FROM eighth_signups s JOIN users u ON u.id = s.user_id
    JOIN LATERAL (SELECT address FROM emails WHERE user_id = u.id ORDER BY is_primary DESC, id LIMIT 1) e ON true
    WHERE s.scheduled_activity_id = ${scheduledId} AND u.receive_eighth_emails AND u.active`
}

export async function stickyStudentsOf(db: Db, scheduledId: number): Promise<number[]> {
  const rows = await db<{ userId: number }[]>`SELECT user_id FROM eighth_sticky_students WHERE scheduled_activity_id = ${scheduledId} ORDER BY user_id`
  return rows.map((r) => r.userId)
}

export async function replaceStickyStudents(db: Db, scheduledId: number, userIds: number[]): Promise<void> {
  await db`DELETE FROM eighth_sticky_students WHERE scheduled_activity_id = ${scheduledId}`
  if (userIds.length) await db`INSERT INTO eighth_sticky_students ${db(userIds.map((userId) => ({ scheduledActivityId: scheduledId, userId })))}`
}

export async function emailsOfUsers(db: Db, userIds: number[], onlyEighthOptIn: boolean): Promise<string[]> {
  if (!userIds.length) return []
  const rows = await db<{ email: string }[]>`
    SELECT e.address AS email FROM users u
    JOIN LATERAL (SELECT address FROM emails WHERE user_id = u.id ORDER BY is_primary DESC, id LIMIT 1) e ON true
    WHERE u.id = ANY(${userIds}::int[]) AND u.active AND (${!onlyEighthOptIn} OR u.receive_eighth_emails)`
  return rows.map((r) => r.email)
}

export type PassRow = { id: number; userId: number; blockLocked: boolean; afterDeadline: boolean; scheduledActivityId: number }

export async function lockSignup(db: Db, signupId: number): Promise<PassRow | null> {
  const [row] = await db<PassRow[]>`
    SELECT s.id, s.user_id, b.locked AS block_locked, s.after_deadline, s.scheduled_activity_id
    FROM eighth_signups s JOIN eighth_blocks b ON b.id = s.block_id WHERE s.id = ${signupId} FOR UPDATE OF s`
  return row ?? null
}

export async function decidePass(db: Db, signupId: number, accepted: boolean): Promise<void> {
  await db`UPDATE eighth_signups SET pass_accepted = true, was_absent = ${!accepted} WHERE id = ${signupId}`
}

export async function hasOpenPasses(db: Db, scheduledId: number): Promise<boolean> {
  const [row] = await db<{ open: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM eighth_signups WHERE scheduled_activity_id = ${scheduledId} AND after_deadline AND NOT pass_accepted) AS open`
  return row!.open
}

export async function memberIds(db: Db, scheduledId: number): Promise<number[]> {
  const rows = await db<{ userId: number }[]>`SELECT user_id FROM eighth_signups WHERE scheduled_activity_id = ${scheduledId} ORDER BY user_id`
  return rows.map((r) => r.userId)
}

/** An office action on a scheduled activity, with the students it affected (the history page reads details.students). */
export async function auditScheduled(db: Db, a: { actorId: number | null; action: string; scheduledId: number; now: Date; students: number[] }): Promise<void> {
  await db`
    INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details)
    VALUES (${a.now}, ${a.actorId}, ${a.action}, 'scheduled_activity', ${String(a.scheduledId)}, ${db.json({ students: a.students })})`
}
