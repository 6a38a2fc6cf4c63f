import type { Db } from '../../platform/db.ts'
import type { Poll } from './types.ts'

// Polls and their eligible groups. Eligibility is Ion's group rule (no groups: every member;
// otherwise members of at least one group), read from user_groups in the same statement so a
// page never needs one query per poll. "Members" are active accounts that are not restricted
// (user, alum and service accounts are).

const POLL_COLUMNS = (db: Db) => db`
  p.id, p.title, p.description, p.start_time, p.end_time, p.visible, p.is_secret, p.is_anonymous, p.is_election,
  p.results_visibility,
  coalesce((SELECT array_agg(pg.group_id ORDER BY pg.group_id) FROM poll_groups pg WHERE pg.poll_id = p.id), '{}') AS group_ids`

export async function pollById(db: Db, id: number): Promise<Poll | null> {
  const [row] = await db<Poll[]>`SELECT ${POLL_COLUMNS(db)} FROM polls p WHERE p.id = ${id}`
  return row ?? null
}

/** No groups, or the person is in one of them. */
export async function isEligible(db: Db, pollId: number, userId: number): Promise<boolean> {
  const [row] = await db<{ ok: boolean }[]>`
    SELECT NOT EXISTS (SELECT 1 FROM poll_groups WHERE poll_id = ${pollId})
        OR EXISTS (SELECT 1 FROM poll_groups pg JOIN user_groups ug ON ug.group_id = pg.group_id
                   WHERE pg.poll_id = ${pollId} AND ug.user_id = ${userId}) AS ok`
  return row?.ok ?? false
}

export type PollListRow = Poll & { questions: number; voted: boolean; eligible: boolean }

/**
 * /polls. Everyone: visible polls they are eligible for, open now unless `all`. A polls admin
 * with `all` sees every poll (invisible ones and other groups' too). Newest end first.
 */
export async function listPolls(db: Db, o: { userId: number; now: Date; all: boolean; admin: boolean }): Promise<PollListRow[]> {
  const everything = o.all && o.admin
  return db<PollListRow[]>`
    WITH el AS (
      SELECT p.id, (NOT EXISTS (SELECT 1 FROM poll_groups pg WHERE pg.poll_id = p.id)
                    OR EXISTS (SELECT 1 FROM poll_groups pg JOIN user_groups ug ON ug.group_id = pg.group_id
                               WHERE pg.poll_id = p.id AND ug.user_id = ${o.userId})) AS eligible
      FROM polls p
    )
    SELECT ${POLL_COLUMNS(db)}, el.eligible,
           (SELECT count(*)::int FROM poll_questions q WHERE q.poll_id = p.id) AS questions,
           EXISTS (SELECT 1 FROM poll_voters v WHERE v.poll_id = p.id AND v.user_id = ${o.userId}) AS voted
    FROM polls p JOIN el ON el.id = p.id
    WHERE (${everything} OR (p.visible AND el.eligible))
      AND (${o.all} OR (p.start_time <= ${o.now} AND p.end_time > ${o.now}))
    ORDER BY p.end_time DESC, p.id DESC
    LIMIT 500`
}

/** The nav badge: open, visible polls this person may vote in and has not answered at all. */
export async function unvotedOpenCount(db: Db, userId: number, now: Date): Promise<number> {
  const [row] = await db<{ n: number }[]>`
    SELECT count(*)::int AS n FROM polls p
    WHERE p.visible AND p.end_time > ${now} AND p.start_time <= ${now}
      AND NOT EXISTS (SELECT 1 FROM poll_voters v WHERE v.poll_id = p.id AND v.user_id = ${userId})
      AND (NOT EXISTS (SELECT 1 FROM poll_groups pg WHERE pg.poll_id = p.id)
           OR EXISTS (SELECT 1 FROM poll_groups pg JOIN user_groups ug ON ug.group_id = pg.group_id
                      WHERE pg.poll_id = p.id AND ug.user_id = ${userId}))`
  return row?.n ?? 0
}

/** "X out of Y eligible users voted": Y counts active, unrestricted accounts in the poll's groups (or all). */
export async function participation(db: Db, pollId: number): Promise<{ voters: number; eligible: number }> {
  const [row] = await db<{ voters: number; eligible: number }[]>`
    SELECT (SELECT count(*)::int FROM poll_voters v WHERE v.poll_id = ${pollId}) AS voters,
           (SELECT count(*)::int FROM users u
            WHERE u.active AND NOT u.locked AND u.user_type NOT IN ('user', 'alum', 'service')
              AND (NOT EXISTS (SELECT 1 FROM poll_groups pg WHERE pg.poll_id = ${pollId})
                   OR EXISTS (SELECT 1 FROM poll_groups pg JOIN user_groups ug ON ug.group_id = pg.group_id
                              WHERE pg.poll_id = ${pollId} AND ug.user_id = u.id))) AS eligible`
  return row ?? { voters: 0, eligible: 0 }
}

/** A poll as it is written: everything but its id. */
export type PollFields = Omit<Poll, 'id'>

export async function insertPoll(db: Db, f: PollFields, by: number | null, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    INSERT INTO polls (title, description, start_time, end_time, visible, is_secret, is_anonymous, is_election, results_visibility, created_by, created_at, updated_at)
    VALUES (${f.title}, ${f.description}, ${f.startTime}, ${f.endTime}, ${f.visible}, ${f.isSecret}, ${f.isAnonymous}, ${f.isElection},
            ${f.resultsVisibility}, ${by}, ${now}, ${now})
    RETURNING id`
  await setPollGroups(db, row!.id, f.groupIds)
  return row!.id
}

export async function updatePoll(db: Db, id: number, f: PollFields, now: Date): Promise<boolean> {
  const r = await db`
    UPDATE polls SET title = ${f.title}, description = ${f.description}, start_time = ${f.startTime}, end_time = ${f.endTime},
      visible = ${f.visible}, is_secret = ${f.isSecret}, is_anonymous = ${f.isAnonymous}, is_election = ${f.isElection},
      results_visibility = ${f.resultsVisibility}, updated_at = ${now}
    WHERE id = ${id}`
  if (!r.count) return false
  await setPollGroups(db, id, f.groupIds)
  return true
}

async function setPollGroups(db: Db, pollId: number, groupIds: number[]): Promise<void> {
  await db`DELETE FROM poll_groups WHERE poll_id = ${pollId} AND NOT (group_id = ANY(${groupIds}::int[]))`
  if (groupIds.length)
    await db`INSERT INTO poll_groups (poll_id, group_id) SELECT ${pollId}, g FROM unnest(${groupIds}::int[]) g ON CONFLICT DO NOTHING`
}

export async function deletePollRow(db: Db, id: number): Promise<boolean> {
  return (await db`DELETE FROM polls WHERE id = ${id}`).count > 0
}

/** Takes the poll's row lock: builder changes to one poll run one at a time (votes, which only
 * reference the row, are not held up). */
export async function lockPoll(db: Db, id: number): Promise<{ endTime: Date } | null> {
  const [row] = await db<{ endTime: Date }[]>`SELECT end_time FROM polls WHERE id = ${id} FOR NO KEY UPDATE`
  return row ?? null
}

export async function existingGroupIds(db: Db, ids: number[]): Promise<number[]> {
  if (!ids.length) return []
  const rows = await db<{ id: number }[]>`SELECT id FROM groups WHERE id = ANY(${ids}::int[])`
  return rows.map((r) => r.id)
}

export async function pollIdByTitle(db: Db, title: string): Promise<number | null> {
  const [row] = await db<{ id: number }[]>`SELECT id FROM polls WHERE title = ${title} ORDER BY id LIMIT 1`
  return row?.id ?? null
}

/** The groups attached to a poll, by name (kept on the builder's list even when its admin can't pick them). */
export async function pollGroupBriefs(db: Db, pollId: number): Promise<{ id: number; name: string; studentVisible: boolean }[]> {
  return db`
    SELECT g.id, g.name, g.student_visible FROM poll_groups pg JOIN groups g ON g.id = pg.group_id
    WHERE pg.poll_id = ${pollId} ORDER BY lower(g.name)`
}
