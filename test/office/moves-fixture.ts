import { ORIGIN, testConfig } from '../helpers/app.ts'
import { startSink, until, type Sink, type SinkMessage } from '../background/sink.ts'
import type { Sql } from '../../src/platform/db.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { startMailWorker, type MailWorker } from '../../src/platform/mail/mailer.ts'
import { addToGroups } from '../../src/features/users/create.sql.ts'

// Shared by the office moves tests (moves, unsigned, moves-race): people with addresses, groups,
// and form posts with repeated fields.

let n = 0

/** Students (or others) with a primary address each; one insert per call. */
export async function people(sql: Sql, count: number, o: { gradYear?: number | null; type?: string; last?: string; optOut?: boolean; active?: boolean } = {}): Promise<number[]> {
  const tag = `${Date.now().toString(36)}${n++}`
  const rows = Array.from({ length: count }, (_, i) => ({
    username: `p${tag}x${i}`, userType: o.type ?? 'student', firstName: `F${i}`, lastName: `${o.last ?? 'Pupil'}${String(i).padStart(3, '0')}`,
    graduationYear: o.gradYear === undefined ? 2027 : o.gradYear, studentId: `${tag.slice(-6)}${i}`.replace(/[^A-Za-z0-9]/g, '').slice(0, 20),
    receiveEighthEmails: !o.optOut, active: o.active ?? true,
  }))
  const got = await sql<{ id: number }[]>`INSERT INTO users ${sql(rows)} RETURNING id`
  const ids = got.map((r) => r.id)
  await sql`INSERT INTO emails ${sql(ids.map((userId, i) => ({ userId, address: `${rows[i]!.username}@school.example`, isPrimary: true })))}`
  return ids
}

export async function emailOf(sql: Sql, userId: number): Promise<string> {
  const [r] = await sql<{ address: string }[]>`SELECT address FROM emails WHERE user_id = ${userId} ORDER BY is_primary DESC, id LIMIT 1`
  return r!.address
}

export async function makeGroup(sql: Sql, name: string, members: number[]): Promise<number> {
  for (const u of members) await addToGroups(sql, u, [name])
  if (!members.length) await sql`INSERT INTO groups (name) VALUES (${name}) ON CONFLICT DO NOTHING`
  const [g] = await sql<{ id: number }[]>`SELECT id FROM groups WHERE lower(name) = lower(${name})`
  return g!.id
}

/** A same-origin form POST; `pairs` may repeat a name (checkbox lists). */
export function postForm(path: string, pairs: [string, string][], cookie: string, htmx = false): Request {
  const headers = new Headers({ origin: ORIGIN, cookie, 'content-type': 'application/x-www-form-urlencoded' })
  if (htmx) {
    headers.set('hx-request', 'true')
    headers.set('hx-request-type', 'partial')
  }
  return new Request(ORIGIN + path, { method: 'POST', headers, body: new URLSearchParams(pairs).toString() })
}

export async function signupsIn(sql: Sql, blockId: number): Promise<Map<number, number>> {
  const rows = await sql<{ userId: number; scheduledActivityId: number }[]>`SELECT user_id, scheduled_activity_id FROM eighth_signups WHERE block_id = ${blockId}`
  return new Map(rows.map((r) => [r.userId, r.scheduledActivityId]))
}

export async function auditRows(sql: Sql, action: string): Promise<{ actorId: number | null; targetId: string | null; details: Record<string, unknown> }[]> {
  return sql`SELECT actor_id, target_id, details FROM audit_log WHERE action = ${action} ORDER BY id`
}

/** An SMTP sink with the real mail worker draining the test database's outbox into it. */
export async function mailSink(dbUrl: string): Promise<{ sink: Sink; worker: MailWorker; delivered(sql: Sql, match: (m: SinkMessage) => boolean, what: string): Promise<SinkMessage[]>; stop(): Promise<void> }> {
  const sink = await startSink()
  const worker = startMailWorker(testConfig({ DATABASE_URL: dbUrl, SMTP_URL: sink.url }), memoryLogger(), { pollMs: 100 })
  await worker.ready
  return {
    sink, worker,
    /**
     * The fixed clock may be ahead of the real one, and the worker sends what is due by the real
     * clock: make what the app enqueued due now, then wait for it at the sink.
     */
    async delivered(sql, match, what) {
      await sql`UPDATE mail_outbox SET next_attempt_at = ${new Date()} WHERE state = 'pending'`
      worker.nudge()
      await until(() => sink.messages.some(match), 10_000, what)
      await Bun.sleep(200) // the other batches of the same message, if any
      return sink.messages.filter(match)
    },
    async stop() {
      await worker.stop()
      await sink.close()
    },
  }
}
