import type { Db } from '../../../../platform/db.ts'

// The audit trail of eighth-period actions (audit_log, action 'eighth.*'), newest first.

export type HistoryRow = {
  id: string
  at: Date
  actorId: number | null
  actorUsername: string | null
  actorFirstName: string | null
  actorLastName: string | null
  action: string
  targetType: string | null
  targetId: string | null
  details: Record<string, unknown>
}

export type HistoryFilter = {
  /** Matches actions starting with 'eighth.' + this. */
  action: string
  actorId: number | null
  studentId: number | null
  /** Local dates, inclusive. */
  from: string | null
  to: string | null
}

/**
 * One page (limit + 1 rows, to know whether there is a next page). The affected students are
 * details.students (an array of ids) or a target of type 'user'. Dates are local days (the
 * connection's TimeZone is the school's).
 */
export async function historyPage(db: Db, f: HistoryFilter, limit: number, offset: number): Promise<HistoryRow[]> {
  const prefix = 'eighth.' + f.action.replace(/[\\%_]/g, (m) => '\\' + m) + '%'
  return db<HistoryRow[]>`
    SELECT l.id::text AS id, l.at, l.actor_id, u.username AS actor_username, u.first_name AS actor_first_name, u.last_name AS actor_last_name,
           l.action, l.target_type, l.target_id, l.details
    FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
    WHERE l.action LIKE 'eighth.%' AND l.action LIKE ${prefix}
      AND (${f.actorId}::int IS NULL OR l.actor_id = ${f.actorId}::int)
      AND (${f.studentId}::int IS NULL OR l.details->'students' @> jsonb_build_array(${f.studentId}::int)
           OR (l.target_type = 'user' AND l.target_id = ${f.studentId === null ? null : String(f.studentId)}::text))
      AND (${f.from}::date IS NULL OR l.at >= ${f.from}::date::timestamptz)
      AND (${f.to}::date IS NULL OR l.at < (${f.to}::date + 1)::timestamptz)
    ORDER BY l.at DESC, l.id DESC
    LIMIT ${limit + 1} OFFSET ${offset}`
}

export type Person = { id: number; username: string; firstName: string; lastName: string; nickname: string }

/** Names for the ids on a page. One statement. */
export async function peopleByIds(db: Db, ids: number[]): Promise<Person[]> {
  if (!ids.length) return []
  return db<Person[]>`SELECT id, username, first_name, last_name, nickname FROM users WHERE id = ANY(${ids}::int[])`
}

/** A user's id from a username or an id; null when there is none. */
export async function userIdOf(db: Db, who: string): Promise<number | null> {
  const byId = /^\d{1,9}$/.test(who) ? Number(who) : null
  const [row] = await db<{ id: number }[]>`SELECT id FROM users WHERE lower(username) = lower(${who}) OR id = ${byId} ORDER BY (id = ${byId}) DESC LIMIT 1`
  return row?.id ?? null
}
