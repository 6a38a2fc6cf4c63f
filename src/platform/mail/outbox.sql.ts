import type { Db } from '../db.ts'
import type { MailState, OutboxRow } from './types.ts'

// The outbox's SQL. Time always comes in as a parameter (the injected clock), never now().

export type NewOutboxRow = {
  kind: string
  idempotencyKey: string
  toAddrs: string[]
  bccAddrs: string[]
  subject: string
  html: string
  text: string
  headers: Record<string, string>
}

/** Inserts inside the caller's transaction; a repeated idempotency key inserts nothing. */
export async function insertOutboxRows(db: Db, rows: NewOutboxRow[], now: Date): Promise<number> {
  if (rows.length === 0) return 0
  const values = rows.map((r) => ({
    kind: r.kind,
    idempotencyKey: r.idempotencyKey,
    toAddrs: r.toAddrs,
    bccAddrs: r.bccAddrs,
    subject: r.subject,
    html: r.html,
    text: r.text,
    headers: db.json(r.headers),
    createdAt: now,
    nextAttemptAt: now,
    updatedAt: now,
  }))
  const inserted = await db`
    INSERT INTO mail_outbox ${db(values)}
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id`
  return inserted.length
}

/**
 * Claims the next due message with a lease (SKIP LOCKED: two workers never take the same row).
 * The attempt is counted at claim time, so a message that keeps killing its sender still ends.
 */
export async function claimNext(db: Db, now: Date, leaseUntil: Date): Promise<OutboxRow | null> {
  const [row] = await db<OutboxRow[]>`
    UPDATE mail_outbox SET locked_until = ${leaseUntil}, attempts = attempts + 1, updated_at = ${now}
    WHERE id = (
      SELECT id FROM mail_outbox
      WHERE state = 'pending' AND next_attempt_at <= ${now}
        AND (locked_until IS NULL OR locked_until <= ${now})
      ORDER BY next_attempt_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING *`
  return row ?? null
}

/** Keeps a claim while a long send (a big BCC batch on a slow server) is still going. */
export async function extendLease(db: Db, id: string, until: Date): Promise<void> {
  await db`UPDATE mail_outbox SET locked_until = ${until} WHERE id = ${id} AND state = 'pending' AND locked_until IS NOT NULL`
}

export async function markSent(db: Db, id: string, now: Date, note: string | null): Promise<void> {
  await db`
    UPDATE mail_outbox SET state = 'sent', sent_at = ${now}, locked_until = NULL, last_error = ${note}, updated_at = ${now}
    WHERE id = ${id} AND state = 'pending'`
}

export async function markRetry(db: Db, id: string, now: Date, nextAttemptAt: Date, error: string): Promise<void> {
  await db`
    UPDATE mail_outbox SET next_attempt_at = ${nextAttemptAt}, locked_until = NULL, last_error = ${error}, updated_at = ${now}
    WHERE id = ${id} AND state = 'pending'`
}

export async function markFailed(db: Db, id: string, now: Date, error: string): Promise<void> {
  await db`
    UPDATE mail_outbox SET state = 'failed', locked_until = NULL, last_error = ${error}, updated_at = ${now}
    WHERE id = ${id} AND state = 'pending'`
}

export type OutboxCounts = Record<MailState, number> & { inFlight: number; due: number }

export async function outboxCounts(db: Db, now: Date): Promise<OutboxCounts> {
  const rows = await db<{ state: MailState; n: number; inFlight: number; due: number }[]>`
    SELECT state, count(*)::int AS n,
      (count(*) FILTER (WHERE locked_until > ${now}))::int AS in_flight,
      (count(*) FILTER (WHERE next_attempt_at <= ${now}))::int AS due
    FROM mail_outbox GROUP BY state`
  const c: OutboxCounts = { pending: 0, sent: 0, failed: 0, discarded: 0, inFlight: 0, due: 0 }
  for (const r of rows) {
    c[r.state] = r.n
    if (r.state === 'pending') {
      c.inFlight = r.inFlight
      c.due = r.due
    }
  }
  return c
}

export type FailureRow = Pick<OutboxRow, 'id' | 'kind' | 'idempotencyKey' | 'subject' | 'attempts' | 'lastError' | 'updatedAt' | 'createdAt'> & { recipients: number }

export async function latestFailures(db: Db, limit: number): Promise<FailureRow[]> {
  return db<FailureRow[]>`
    SELECT id, kind, idempotency_key, subject, attempts, last_error, updated_at, created_at,
      cardinality(to_addrs) + cardinality(bcc_addrs) AS recipients
    FROM mail_outbox WHERE state = 'failed'
    ORDER BY updated_at DESC, id DESC LIMIT ${limit}`
}

/** Pending messages with an error: being retried. */
export async function latestRetrying(db: Db, limit: number): Promise<FailureRow[]> {
  return db<FailureRow[]>`
    SELECT id, kind, idempotency_key, subject, attempts, last_error, updated_at, created_at,
      cardinality(to_addrs) + cardinality(bcc_addrs) AS recipients
    FROM mail_outbox WHERE state = 'pending' AND last_error IS NOT NULL
    ORDER BY updated_at DESC, id DESC LIMIT ${limit}`
}

/** A failed message goes back to the queue with a fresh set of attempts. */
export async function retryFailed(db: Db, id: string, now: Date): Promise<boolean> {
  const r = await db`
    UPDATE mail_outbox SET state = 'pending', attempts = 0, next_attempt_at = ${now}, locked_until = NULL, updated_at = ${now}
    WHERE id = ${id} AND state = 'failed' RETURNING id`
  return r.length > 0
}

export async function discardFailed(db: Db, id: string, now: Date): Promise<boolean> {
  const r = await db`
    UPDATE mail_outbox SET state = 'discarded', locked_until = NULL, updated_at = ${now}
    WHERE id = ${id} AND state = 'failed' RETURNING id`
  return r.length > 0
}

/** Retention: sent and discarded messages older than `before`. Failed ones wait for an admin. */
export async function deleteFinishedBefore(db: Db, before: Date): Promise<number> {
  const r = await db`
    DELETE FROM mail_outbox
    WHERE (state = 'sent' AND sent_at < ${before}) OR (state = 'discarded' AND updated_at < ${before})`
  return r.count
}

export type LoggedRow = Pick<OutboxRow, 'id' | 'kind' | 'idempotencyKey' | 'toAddrs' | 'bccAddrs' | 'subject' | 'text'>

/** Development without SMTP_URL: the pending messages after `afterId`, to be written to the log. */
export async function pendingAfter(db: Db, afterId: string, limit: number): Promise<LoggedRow[]> {
  return db<LoggedRow[]>`
    SELECT id, kind, idempotency_key, to_addrs, bcc_addrs, subject, text
    FROM mail_outbox WHERE state = 'pending' AND id > ${afterId}
    ORDER BY id LIMIT ${limit}`
}

export async function pendingSummary(db: Db): Promise<{ n: number; maxId: string }> {
  const [r] = await db<{ n: number; maxId: string }[]>`
    SELECT count(*) FILTER (WHERE state = 'pending')::int AS n, coalesce(max(id), 0)::text AS max_id FROM mail_outbox`
  return r ?? { n: 0, maxId: '0' }
}

export async function insertAudit(
  db: Db,
  e: { at: Date; actorId: number; action: string; targetType: string; targetId: string; details: Record<string, unknown> },
): Promise<void> {
  await db`
    INSERT INTO audit_log (at, actor_id, action, target_type, target_id, details)
    VALUES (${e.at}, ${e.actorId}, ${e.action}, ${e.targetType}, ${e.targetId}, ${db.json(e.details as never)})`
}
