import type { Db } from '../../platform/db.ts'
import { sponsorsOf as effectiveSponsors } from './attendance/fragments.sql.ts'
import type { FlagColumns, GradeColumns, SponsorName } from './effective.ts'

// The statements behind a signup. Locks are always taken in the same order — the student
// (advisory lock), then scheduled activities by id — so concurrent signups never deadlock.

export const USER_LOCK_CLASS = 8

export async function lockStudent(db: Db, userId: number): Promise<void> {
  await db`SELECT pg_advisory_xact_lock(${USER_LOCK_CLASS}, ${userId})`
}

/** A block and an activity, as Ion's signup contract names a scheduled activity (bid + aid). */
export type Pair = { blockId: number; activityId: number }

/** The scheduled activity of a pair, unless cancelled or its activity deleted (then "not scheduled"). */
const openScheduled = (db: Db, p: Pair) => db`
  (SELECT o.id FROM eighth_scheduled_activities o JOIN eighth_activities oa ON oa.id = o.activity_id
   WHERE o.block_id = ${p.blockId} AND o.activity_id = ${p.activityId} AND NOT o.cancelled AND NOT oa.deleted)`

/** The scheduled activity and its both-blocks sibling (A↔B of the same activity on the same date). */
function withSibling(db: Db, target: number | Pair) {
  const id = typeof target === 'number' ? db`${target}::int` : openScheduled(db, target)
  return db`
    (SELECT id FROM eighth_scheduled_activities WHERE id = ${id}
     UNION ALL
     SELECT s2.id FROM eighth_scheduled_activities sa
       JOIN eighth_activities a ON a.id = sa.activity_id
       JOIN eighth_blocks b ON b.id = sa.block_id
       JOIN eighth_blocks b2 ON b2.date = b.date
            AND b2.block_letter = CASE b.block_letter WHEN 'A' THEN 'B' WHEN 'B' THEN 'A' END
       JOIN eighth_scheduled_activities s2 ON s2.block_id = b2.id AND s2.activity_id = sa.activity_id
     WHERE sa.id = ${id} AND (sa.both_blocks OR a.both_blocks))`
}

/** Locks the scheduled activity and its both-blocks sibling, in id order. */
export async function lockScheduled(db: Db, schactId: number): Promise<number[]> {
  const rows = await db<{ id: number }[]>`
    SELECT id FROM eighth_scheduled_activities WHERE id IN ${withSibling(db, schactId)} ORDER BY id FOR UPDATE`
  return rows.map((r) => r.id)
}

export type SchactRow = FlagColumns & GradeColumns & {
  id: number
  blockId: number
  activityId: number
  date: string
  blockLetter: string
  blockLocked: boolean
  cancelled: boolean
  title: string
  saCapacity: number | null
  saRoomCaps: number[]
  activityDefaultCapacity: number | null
  activityRoomCaps: number[]
  deleted: boolean
  name: string
  /** Members other than the student being signed up. */
  othersCount: number
}

/**
 * Everything the rules need about the scheduled activities (by ids, or a target and its
 * sibling, or the open one a pair names), with member counts. Lists use IN, not = ANY(array): PostgreSQL then keeps one plan.
 * No sponsor names: only a switch needs them, for the signup it moves (sponsorsOf).
 */
export async function scheduledDetails(db: Db, ids: number[] | { around: number | Pair }, userId: number): Promise<SchactRow[]> {
  if (Array.isArray(ids) && !ids.length) return []
  const where = Array.isArray(ids) ? db`sa.id IN ${db(ids)}` : db`sa.id IN ${withSibling(db, ids.around)}`
  return db<SchactRow[]>`
    SELECT sa.id, sa.block_id, sa.activity_id, b.date, b.block_letter, b.locked AS block_locked, sa.cancelled, sa.title,
           sa.capacity AS sa_capacity,
           ARRAY(SELECT r.capacity FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.scheduled_activity_id = sa.id) AS sa_room_caps,
           a.default_capacity AS activity_default_capacity,
           ARRAY(SELECT r.capacity FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id
                 WHERE x.activity_id = a.id) AS activity_room_caps,
           sa.both_blocks AS sa_both_blocks, sa.special AS sa_special, sa.administrative AS sa_administrative,
           sa.restricted AS sa_restricted, sa.sticky AS sa_sticky,
           a.both_blocks AS act_both_blocks, a.special AS act_special, a.administrative AS act_administrative,
           a.restricted AS act_restricted, a.sticky AS act_sticky,
           a.presign, a.one_a_day, a.deleted, a.name,
           a.freshmen_allowed, a.sophomores_allowed, a.juniors_allowed, a.seniors_allowed,
           (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id AND s.user_id <> ${userId})::int AS others_count
    FROM eighth_scheduled_activities sa
    JOIN eighth_blocks b ON b.id = sa.block_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE ${where}
    ORDER BY b.block_letter`
}

export type ExistingSignup = {
  id: number
  blockId: number
  scheduledActivityId: number
  activityId: number
  sticky: boolean
  cancelled: boolean
  bothBlocks: boolean
  special: boolean
  administrative: boolean
  restricted: boolean
  blockLetter: string
  name: string
  title: string
}

export type StudentContext = {
  exists: boolean
  graduationYear: number | null
  userType: string | null
  signups: ExistingSignup[]
  /** Non-cancelled scheduled activities in the target blocks the student is individually stuck in. */
  stuckIn: number[]
  oneADayConflict: boolean
  allowedByList: boolean
  blacklisted: boolean
}

/**
 * The student's side for a target scheduled activity: signups in its block and its both-blocks
 * sibling's, stickiness, one-a-day, allow and block lists. The target's blocks, activity and date
 * are read in the same statement, so it can be pipelined right behind the locks.
 */
export async function studentContext(db: Db, userId: number, schactId: number): Promise<StudentContext> {
  const [row] = await db<StudentContext[]>`
    WITH t AS (SELECT sa.activity_id, sa.block_id, b.date FROM eighth_scheduled_activities sa JOIN eighth_blocks b ON b.id = sa.block_id
               WHERE sa.id = ${schactId}),
         blocks AS (SELECT block_id FROM eighth_scheduled_activities WHERE id IN ${withSibling(db, schactId)})
    SELECT u.id IS NOT NULL AS exists, u.graduation_year, u.user_type,
      COALESCE((SELECT json_agg(json_build_object(
          'id', s.id, 'blockId', s.block_id, 'scheduledActivityId', s.scheduled_activity_id, 'activityId', sa.activity_id,
          'sticky', sa.sticky OR a.sticky, 'cancelled', sa.cancelled, 'bothBlocks', sa.both_blocks OR a.both_blocks,
          'special', sa.special OR a.special, 'administrative', sa.administrative OR a.administrative,
          'restricted', sa.restricted OR a.restricted, 'blockLetter', b.block_letter,
          'name', a.name, 'title', sa.title))
        FROM eighth_signups s
        JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
        JOIN eighth_activities a ON a.id = sa.activity_id
        JOIN eighth_blocks b ON b.id = s.block_id
        WHERE s.user_id = ${userId} AND s.block_id IN (SELECT block_id FROM blocks)), '[]') AS signups,
      ARRAY(SELECT st.scheduled_activity_id FROM eighth_sticky_students st JOIN eighth_scheduled_activities sa ON sa.id = st.scheduled_activity_id
            WHERE st.user_id = ${userId} AND sa.block_id IN (SELECT block_id FROM blocks) AND NOT sa.cancelled) AS stuck_in,
      EXISTS (SELECT 1 FROM t, eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
              JOIN eighth_blocks b ON b.id = s.block_id
              WHERE s.user_id = ${userId} AND sa.activity_id = t.activity_id AND b.date = t.date AND s.block_id <> t.block_id) AS one_a_day_conflict,
      (EXISTS (SELECT 1 FROM t, eighth_activity_users au WHERE au.activity_id = t.activity_id AND au.role = 'allowed' AND au.user_id = ${userId})
       OR EXISTS (SELECT 1 FROM t, eighth_activity_groups_allowed ga JOIN user_groups ug ON ug.group_id = ga.group_id
                  WHERE ga.activity_id = t.activity_id AND ug.user_id = ${userId})) AS allowed_by_list,
      EXISTS (SELECT 1 FROM t, eighth_activity_users au WHERE au.activity_id = t.activity_id AND au.role = 'blacklisted' AND au.user_id = ${userId}) AS blacklisted
    FROM (SELECT 1) one LEFT JOIN users u ON u.id = ${userId}`
  return row!
}

/** The effective sponsors a switch records as previous_activity_sponsors (the override's, else the activity's). */
export async function previousSponsors(db: Db, schactId: number): Promise<SponsorName[]> {
  const [row] = await db<{ sponsors: SponsorName[] }[]>`SELECT ${effectiveSponsors(db)} AS sponsors FROM eighth_scheduled_activities sa WHERE sa.id = ${schactId}`
  return row?.sponsors ?? []
}

export async function insertSignup(db: Db, s: { userId: number; blockId: number; schactId: number; now: Date; afterDeadline: boolean; ownSignup: boolean; previousName: string | null; previousSponsors: string | null }): Promise<void> {
  await db`
    INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time, after_deadline, own_signup, previous_activity_name, previous_activity_sponsors)
    VALUES (${s.userId}, ${s.blockId}, ${s.schactId}, ${s.now}, ${s.afterDeadline}, ${s.ownSignup}, ${s.previousName}, ${s.previousSponsors})`
}

/** A switch reuses the row: it now points at the new activity and remembers the old one. */
export async function moveSignup(db: Db, s: { signupId: number; schactId: number; now: Date; afterDeadline: boolean; ownSignup: boolean; previousName: string | null; previousSponsors: string | null }): Promise<void> {
  await db`
    UPDATE eighth_signups SET scheduled_activity_id = ${s.schactId}, time = ${s.now}, after_deadline = ${s.afterDeadline},
      own_signup = ${s.ownSignup}, was_absent = false, absence_acknowledged = false, pass_accepted = false,
      previous_activity_name = ${s.previousName}, previous_activity_sponsors = ${s.previousSponsors}
    WHERE id = ${s.signupId}`
}

/** Re-signing for the same activity (a pass): the row stays, the flags reset. */
export async function touchSignup(db: Db, signupId: number, now: Date, afterDeadline: boolean, ownSignup: boolean): Promise<void> {
  await db`UPDATE eighth_signups SET time = ${now}, after_deadline = ${afterDeadline}, own_signup = ${ownSignup}, pass_accepted = false, was_absent = false WHERE id = ${signupId}`
}

export async function deleteSignups(db: Db, ids: number[]): Promise<void> {
  if (ids.length) await db`DELETE FROM eighth_signups WHERE id = ANY(${ids}::int[])`
}

export async function signupOf(db: Db, userId: number, blockId: number): Promise<{ id: number; scheduledActivityId: number } | null> {
  const [row] = await db<{ id: number; scheduledActivityId: number }[]>`
    SELECT id, scheduled_activity_id FROM eighth_signups WHERE user_id = ${userId} AND block_id = ${blockId}`
  return row ?? null
}

/** The scheduled activity of an activity in a block (Ion's bid + aid), or null. */
export async function scheduledIdFor(db: Db, blockId: number, activityId: number): Promise<number | null> {
  const [row] = await db<{ id: number }[]>`SELECT id FROM eighth_scheduled_activities WHERE block_id = ${blockId} AND activity_id = ${activityId}`
  return row?.id ?? null
}

/** Removes the student's signups for one activity on one date (leaving a both-blocks pair); returns what was removed. */
export async function deletePair(db: Db, userId: number, activityId: number, date: string): Promise<{ blockId: number; scheduledActivityId: number }[]> {
  return db<{ blockId: number; scheduledActivityId: number }[]>`
    DELETE FROM eighth_signups s USING eighth_scheduled_activities sa, eighth_blocks b
    WHERE s.user_id = ${userId} AND sa.id = s.scheduled_activity_id AND sa.activity_id = ${activityId}
      AND b.id = s.block_id AND b.date = ${date}
    RETURNING s.block_id, s.scheduled_activity_id`
}

export type CurrentSignup = {
  id: number
  scheduledActivityId: number
  activityId: number
  blockId: number
  date: string
  blockLetter: string
  blockLocked: boolean
  cancelled: boolean
  deleted: boolean
  bothBlocks: boolean
  sticky: boolean
  stuckIndividually: boolean
}

/** The student's signup in a block, with what removing it depends on. */
export async function currentSignup(db: Db, userId: number, blockId: number): Promise<CurrentSignup | null> {
  const [row] = await db<CurrentSignup[]>`
    SELECT s.id, s.scheduled_activity_id, sa.activity_id, s.block_id, b.date, b.block_letter, b.locked AS block_locked,
           sa.cancelled, a.deleted, (sa.both_blocks OR a.both_blocks) AS both_blocks, (sa.sticky OR a.sticky) AS sticky,
           EXISTS (SELECT 1 FROM eighth_sticky_students st WHERE st.scheduled_activity_id = sa.id AND st.user_id = s.user_id) AS stuck_individually
    FROM eighth_signups s
    JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    JOIN eighth_activities a ON a.id = sa.activity_id
    JOIN eighth_blocks b ON b.id = s.block_id
    WHERE s.user_id = ${userId} AND s.block_id = ${blockId}`
  return row ?? null
}

export async function auditForce(db: Db, actorId: number, action: string, userId: number, scheduledId: number, now: Date): Promise<void> {
  await db`
    INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details)
    VALUES (${now}, ${actorId}, ${action}, 'user', ${String(userId)}, ${db.json({ scheduledActivityId: scheduledId })})`
}
