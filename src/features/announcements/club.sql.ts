import type { Db } from '../../platform/db.ts'

// Club announcements read the eighth activity: its subscriptions flag, and the viewer's standing
// (officer, club sponsor, or sponsor through their sponsor record).

export type ClubChoice = { id: number; name: string; subscriptionsEnabled: boolean; subscribers: number }

/**
 * Activities this person may post club announcements for: admins any club with subscriptions on;
 * others the non-deleted activities where they are an officer, a club sponsor or a sponsor.
 */
export async function clubChoices(db: Db, userId: number, admin: boolean): Promise<ClubChoice[]> {
  return db<ClubChoice[]>`
    SELECT a.id, a.name, a.subscriptions_enabled,
           (SELECT count(*) FROM eighth_activity_users s WHERE s.activity_id = a.id AND s.role = 'subscriber')::int AS subscribers
    FROM eighth_activities a
    WHERE NOT a.deleted AND (
      (${admin}::boolean AND a.subscriptions_enabled)
      OR EXISTS (SELECT 1 FROM eighth_activity_users eu WHERE eu.activity_id = a.id AND eu.user_id = ${userId} AND eu.role IN ('officer', 'club_sponsor'))
      OR EXISTS (SELECT 1 FROM eighth_sponsors sp JOIN eighth_activity_sponsors x ON x.sponsor_id = sp.id
                 WHERE sp.user_id = ${userId} AND x.activity_id = a.id))
    ORDER BY lower(a.name), a.id`
}

/** Ion's can_modify for a club post (admins are decided by the caller). */
export async function mayModifyClub(db: Db, activityId: number, userId: number): Promise<boolean> {
  const [row] = await db<{ ok: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM eighth_activity_users eu WHERE eu.activity_id = ${activityId} AND eu.user_id = ${userId} AND eu.role IN ('officer', 'club_sponsor'))
        OR EXISTS (SELECT 1 FROM eighth_sponsors sp JOIN eighth_activity_sponsors x ON x.sponsor_id = sp.id
                   WHERE sp.user_id = ${userId} AND x.activity_id = ${activityId}) AS ok`
  return row!.ok
}

/** Which of these activities the user may modify club posts of (one statement for a page of posts). */
export async function modifiableClubs(db: Db, activityIds: number[], userId: number): Promise<Set<number>> {
  if (!activityIds.length) return new Set()
  const rows = await db<{ id: number }[]>`
    SELECT a.id FROM eighth_activities a WHERE a.id = ANY(${activityIds}::int[]) AND (
      EXISTS (SELECT 1 FROM eighth_activity_users eu WHERE eu.activity_id = a.id AND eu.user_id = ${userId} AND eu.role IN ('officer', 'club_sponsor'))
      OR EXISTS (SELECT 1 FROM eighth_sponsors sp JOIN eighth_activity_sponsors x ON x.sponsor_id = sp.id WHERE sp.user_id = ${userId} AND x.activity_id = a.id))`
  return new Set(rows.map((r) => r.id))
}

export type ClubActivity = { id: number; name: string; subscriptionsEnabled: boolean; deleted: boolean }

export async function clubActivity(db: Db, id: number): Promise<ClubActivity | null> {
  const [row] = await db<ClubActivity[]>`SELECT id, name, subscriptions_enabled, deleted FROM eighth_activities WHERE id = ${id}`
  return row ?? null
}
