// What a fault test checks after signups ran through an outage: the answers (by status; every
// 503 with Retry-After; never a 500 or a dropped request), and PostgreSQL (every signup that
// answered 2xx is there, nothing half-written, capacity and one-signup-per-block hold).
import type { Sql } from '../../src/platform/db.ts'
import { SESSION_COOKIE } from '../../src/platform/session.ts'
import { invariants, rush, type Outcome, type Stage, type Target } from '../load/signup-rush.ts'

export const isOk = (o: Pick<Outcome, 'status'>) => typeof o.status === 'number' && o.status >= 200 && o.status < 300
/** An answer that leaves the outcome open: the signup may or may not have been written. */
const isAmbiguous = (o: Outcome) => typeof o.status !== 'number' || o.status >= 500

/** Answers counted by status ('timeout' and 'error' are requests that got no answer). */
export function byStatus(answers: { status: number | string }[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const a of answers) out[String(a.status)] = (out[String(a.status)] ?? 0) + 1
  return out
}

/** Statuses outside 2xx / 4xx / 503 (a 500, a 502, a timeout, a refused connection). */
export const unexpectedStatuses = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([k]) => !/^(2\d\d|4\d\d|503)$/.test(k)))

/** A Set-Cookie that clears or expires the session cookie. */
export function clearsSession(setCookie: string | null): boolean {
  if (!setCookie) return false
  return setCookie.split(/,(?=\s*[\w-]+=)/).some((c) => {
    const v = c.trim()
    if (!v.startsWith(`${SESSION_COOKIE}=`)) return false
    const value = v.slice(SESSION_COOKIE.length + 1).split(';')[0]!.trim()
    const expires = /;\s*expires=([^;]+)/i.exec(v)?.[1]
    return value === '' || /;\s*max-age=0\b/i.test(v) || (expires !== undefined && Date.parse(expires) <= Date.now())
  })
}

/** Each student's signup in the block (scheduled activity id). */
export async function signupsInBlock(sql: Sql, blockId: number): Promise<Map<number, number>> {
  const rows = await sql<{ userId: number; scheduledActivityId: number }[]>`SELECT user_id, scheduled_activity_id FROM eighth_signups WHERE block_id = ${blockId}`
  return new Map(rows.map((r) => [r.userId, r.scheduledActivityId]))
}

/** One signup request by itself (a student clicking once): the burst machinery with a plan of one. */
export async function signupOnce(origin: string, stage: Stage, tokens: Map<number, string>, userId: number, target: Target, timeoutMs = 10_000): Promise<Outcome> {
  const r = await rush(origin, 'contract', stage, tokens, [{ userId, kind: 'single', first: target, second: null }], { concurrency: 1, timeoutMs, limitMs: timeoutMs + 1000 })
  return r.outcomes[0]!
}

/**
 * PostgreSQL after the fault. `before` is the block's signups before any request was sent.
 * - lost: students with a 2xx answer whose signup is missing, or is for an activity no request of
 *   theirs answered 2xx for (or left open with a 5xx / no answer);
 * - changed: students whose every answer was a refusal (4xx) but whose signup changed;
 * - halfWritten: signups whose block is not their scheduled activity's block;
 * - leftOpen: the server's transactions still open;
 * - overCapacity / duplicates: the rush invariants (trueCapacity; more than one signup in a block).
 */
export async function verifySignups(sql: Sql, stage: Stage, answers: Outcome[], before: Map<number, number>) {
  const after = await signupsInBlock(sql, stage.blockId)
  const byUser = new Map<number, Outcome[]>()
  for (const a of answers) if (a.status !== 'not sent') byUser.set(a.userId, [...(byUser.get(a.userId) ?? []), a])
  const lost: { userId: number; has: number | null; answered: number[] }[] = []
  const changed: number[] = []
  let verified = 0
  for (const [userId, list] of byUser) {
    const ok = list.filter(isOk)
    const has = after.get(userId) ?? null
    if (ok.length) {
      const allowed = new Set(list.filter((a) => isOk(a) || isAmbiguous(a)).map((a) => a.target.scheduledId))
      if (has === null || !allowed.has(has)) lost.push({ userId, has, answered: ok.map((a) => a.target.scheduledId) })
      else verified++
    } else if (!list.some(isAmbiguous) && has !== (before.get(userId) ?? null)) {
      changed.push(userId)
    }
  }
  const [half] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
    WHERE s.block_id <> sa.block_id`
  const [open] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ion' AND state LIKE 'idle in transaction%'`
  const inv = await invariants(sql, stage)
  return {
    okAnswers: answers.filter(isOk).length, studentsWithOk: verified + lost.length, verified, lost, changed,
    halfWritten: half!.n, leftOpen: open!.n, overCapacity: inv.overCapacity, duplicates: inv.duplicates, signupsInBlock: inv.signupsInBlock,
  }
}

/** Log lines of the server that are errors a person must look at (an unhandled exception). */
export const unhandledLines = (lines: string[]) => lines.filter((l) => /unhandled/i.test(l))
