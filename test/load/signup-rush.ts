// The signup rush's moving parts, shared by the rush benchmark (test/load/rush.ts) and the fault
// tests (test/faults/): the demo school, a staged block with a few small "hot" activities, real
// sessions in Redis, a seeded plan of students (double-clicks, two tabs, switches), the burst over
// HTTP, and the invariants checked in PostgreSQL afterwards. Never imported by the test suite.
import type { Sql } from '../../src/platform/db.ts'
import type { Redis } from '../../src/platform/redis.ts'
import { createSession, SESSION_COOKIE } from '../../src/platform/session.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { silentLogger } from '../../src/platform/log.ts'
import { loadConfig } from '../../src/config.ts'
import { runSeeds } from '../../src/features/seeds.ts'
import { isUpcoming, trueCapacity } from '../../src/features/eighth/effective.ts'
import { mulberry32 } from './harness.ts'

// ------------------------------------------------------------------ setup ---

/** The demo school in the scratch database, as `ion seed --demo` makes it. */
export async function seedDemo(sql: Sql, env: Record<string, string>, log: (s: string) => void): Promise<void> {
  const config = loadConfig({ ...process.env, ...env })
  const clock = systemClock(config.schoolTz)
  await runSeeds({ sql, config, clock, log: silentLogger }, (name, msg, ms) => log(`seed ${name}: ${msg} (${ms} ms)`))
}

export type Target = { activityId: number; scheduledId: number; hot: boolean; name: string; open: boolean }
export type Stage = { blockId: number; date: string; letter: string; targets: Target[]; hot: (Target & { capacity: number })[]; keptSignups: number; students: number[] }

/** The first upcoming block, cleared of its non-sticky signups, with HOT activities made small. */
export async function stageBlock(sql: Sql, tz: string, o: { students: number; hot: number }): Promise<Stage> {
  const HOT = o.hot
  const blocks = await sql<{ id: number; date: string; blockLetter: string }[]>`SELECT id, date, block_letter FROM eighth_blocks ORDER BY date, block_letter`
  const block = blocks.find((b) => isUpcoming(b.date, new Date(), tz))
  if (!block) throw new Error('the demo seed made no upcoming block')
  // Signups just opened: only the sticky placements (and the office's stuck students) remain.
  await sql`
    DELETE FROM eighth_signups s USING eighth_scheduled_activities sa, eighth_activities a
    WHERE s.block_id = ${block.id} AND sa.id = s.scheduled_activity_id AND a.id = sa.activity_id
      AND NOT (sa.sticky OR a.sticky)
      AND NOT EXISTS (SELECT 1 FROM eighth_sticky_students st WHERE st.scheduled_activity_id = sa.id AND st.user_id = s.user_id)`
  const [keptRow] = await sql<{ kept: number }[]>`SELECT count(*)::int AS kept FROM eighth_signups WHERE block_id = ${block.id}`
  const kept = keptRow!.kept
  // Every activity a student could pick (cancelled and deleted ones are "not scheduled" to Ion).
  const rows = await sql<{ scheduledId: number; activityId: number; name: string; open: boolean }[]>`
    SELECT sa.id AS scheduled_id, a.id AS activity_id, a.name,
           NOT (sa.restricted OR a.restricted OR sa.sticky OR a.sticky OR sa.both_blocks OR a.both_blocks
                OR sa.administrative OR a.administrative OR a.presign) AS open
    FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id
    WHERE sa.block_id = ${block.id} AND NOT sa.cancelled AND NOT a.deleted
    ORDER BY sa.id`
  const open = rows.filter((r) => r.open)
  if (open.length < HOT) throw new Error(`only ${open.length} open activities in block ${block.id}`)
  const step = Math.floor(open.length / HOT)
  const hot = Array.from({ length: HOT }, (_, i) => ({ ...open[i * step]!, hot: true, capacity: 15 + ((i * 7) % 11) }))
  for (const h of hot) await sql`UPDATE eighth_scheduled_activities SET capacity = ${h.capacity} WHERE id = ${h.scheduledId}`
  const hotIds = new Set(hot.map((h) => h.scheduledId))
  const students = (await sql<{ id: number }[]>`SELECT id FROM users WHERE user_type = 'student' ORDER BY id LIMIT ${o.students}`).map((r) => r.id)
  return {
    blockId: block.id, date: block.date, letter: block.blockLetter, keptSignups: kept, students, hot,
    targets: rows.map((r) => ({ activityId: r.activityId, scheduledId: r.scheduledId, name: r.name, open: r.open, hot: hotIds.has(r.scheduledId) })),
  }
}

/** One real session per student, written where the server reads them (same Redis db and prefix). */
export async function makeSessions(redis: Redis, students: number[]): Promise<Map<number, string>> {
  const tokens = new Map<number, string>()
  for (let i = 0; i < students.length; i += 200) {
    const batch = students.slice(i, i + 200)
    const made = await Promise.all(batch.map((id) => createSession(redis, id, Date.now(), { trusted: false, ua: 'rush-bench', ip: '127.0.0.1' })))
    batch.forEach((id, k) => tokens.set(id, made[k]!.token))
  }
  return tokens
}

// ------------------------------------------------------------------ burst ---

export type Endpoint = 'contract' | 'api'
export type Kind = 'single' | 'double' | 'tabs' | 'switch'
export type Plan = { userId: number; kind: Kind; first: Target; second: Target | null }
export type Outcome = {
  userId: number; kind: Kind; target: Target; status: number | 'timeout' | 'error' | 'not sent'; ms: number; reason: string; start: number; end: number
  /** The answer's Retry-After and Set-Cookie headers (the fault tests check them). */
  retryAfter: string | null; setCookie: string | null
}

/** Each student's part of the burst, from a seeded PRNG (the same seed gives the same plan). */
export function planRush(stage: Stage, seed: number, hotShare: number): Plan[] {
  const rand = mulberry32(seed)
  const hot = stage.targets.filter((t) => t.hot)
  const pick = (not?: Target): Target => {
    for (;;) {
      const t = rand() < hotShare ? hot[Math.floor(rand() * hot.length)]! : stage.targets[Math.floor(rand() * stage.targets.length)]!
      if (t !== not) return t
    }
  }
  const plans = stage.students.map((userId): Plan => {
    const r = rand()
    const first = pick()
    const kind: Kind = r < 0.10 ? 'double' : r < 0.15 ? 'tabs' : r < 0.30 ? 'switch' : 'single'
    return { userId, kind, first, second: kind === 'double' ? first : kind === 'single' ? null : pick(first) }
  })
  // Arrival order is random, not by user id.
  for (let i = plans.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[plans[i], plans[j]] = [plans[j]!, plans[i]!]
  }
  return plans
}

/** At most `max` requests in flight; waiters are served in arrival order. */
class Gate {
  private inflight = 0
  private waiting: { n: number; go: () => void }[] = []
  constructor(private max: number) {}
  acquire(n: number): Promise<void> {
    if (!this.waiting.length && this.inflight + n <= this.max) {
      this.inflight += n
      return Promise.resolve()
    }
    return new Promise((go) => this.waiting.push({ n, go }))
  }
  release(n: number): void {
    this.inflight -= n
    while (this.waiting.length && this.inflight + this.waiting[0]!.n <= this.max) {
      const w = this.waiting.shift()!
      this.inflight += w.n
      w.go()
    }
  }
}

/** The failure reasons in an answer, as short names (Ion reports every reason at once). */
export function reasonsOf(text: string): string {
  const found = [
    [/is full/i, 'full'], [/restricted/i, 'restricted'], [/sticky/i, 'sticky'], [/once per day/i, 'one-a-day'],
    [/may not sign up for this activity until/i, 'presign'], [/cancelled/i, 'cancelled'], [/locked/i, 'locked'],
    [/blacklisted/i, 'blacklisted'], [/deleted/i, 'deleted'], [/not scheduled/i, 'not scheduled'],
  ].filter(([re]) => (re as RegExp).test(text)).map(([, n]) => n as string)
  return found.length ? found.join('+') : text.slice(0, 60)
}

export type BurstOptions = { concurrency: number; timeoutMs: number; limitMs: number; onAnswer?: (o: Outcome) => void }

/** The burst over HTTP against `origin`: at most `concurrency` requests in flight, each bounded, the whole bounded. */
export async function rush(origin: string, endpoint: Endpoint, stage: Stage, tokens: Map<number, string>, plans: Plan[], opts: BurstOptions) {
  const gate = new Gate(opts.concurrency)
  const stop = new AbortController()
  const outcomes: Outcome[] = []

  const send = async (p: Plan, t: Target, kind: Kind): Promise<void> => {
    const start = performance.now()
    const o: Outcome = { userId: p.userId, kind, target: t, status: 'error', ms: 0, reason: '', start, end: start, retryAfter: null, setCookie: null }
    if (stop.signal.aborted) {
      o.status = 'not sent'
      outcomes.push(o)
      return
    }
    const headers: Record<string, string> = { cookie: `${SESSION_COOKIE}=${tokens.get(p.userId)}`, origin, accept: '*/*' }
    const req = endpoint === 'contract'
      ? { url: `${origin}/eighth/signup`, body: new URLSearchParams({ uid: String(p.userId), bid: String(stage.blockId), aid: String(t.activityId) }).toString(), type: 'application/x-www-form-urlencoded' }
      : { url: `${origin}/api/signups/user`, body: JSON.stringify({ block: stage.blockId, activity: t.activityId }), type: 'application/json' }
    try {
      const res = await fetch(req.url, {
        method: 'POST', headers: { ...headers, 'content-type': req.type }, body: req.body, redirect: 'manual', // a 303 to /login is not a signup
        signal: AbortSignal.any([stop.signal, AbortSignal.timeout(opts.timeoutMs)]),
      })
      const text = await res.text()
      o.status = res.status
      o.retryAfter = res.headers.get('retry-after')
      o.setCookie = res.headers.get('set-cookie')
      if (res.status >= 300 && res.status < 500) o.reason = reasonsOf(text)
    } catch (e) {
      const name = (e as Error).name
      o.status = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'error'
      o.reason = String((e as Error).message).slice(0, 80)
    }
    o.end = performance.now()
    o.ms = o.end - start
    outcomes.push(o)
    opts.onAnswer?.(o)
  }

  const student = async (p: Plan): Promise<void> => {
    if (p.kind === 'double' || p.kind === 'tabs') {
      await gate.acquire(2)
      try {
        await Promise.all([send(p, p.first, p.kind), send(p, p.second!, p.kind)])
      } finally {
        gate.release(2)
      }
      return
    }
    await gate.acquire(1)
    try {
      await send(p, p.first, p.kind)
    } finally {
      gate.release(1)
    }
    if (p.kind === 'switch') {
      await gate.acquire(1)
      try {
        await send(p, p.second!, p.kind)
      } finally {
        gate.release(1)
      }
    }
  }

  const limit = setTimeout(() => stop.abort(), opts.limitMs)
  const t0 = performance.now()
  await Promise.all(plans.map(student))
  const wall = performance.now() - t0
  clearTimeout(limit)
  return { outcomes, wall, cutOff: stop.signal.aborted }
}

// ------------------------------------------------------------- invariants ---

export async function invariants(sql: Sql, stage: Stage) {
  const rows = await sql<{ id: number; blockId: number; saCapacity: number | null; saRoomCaps: number[]; activityDefaultCapacity: number | null; activityRoomCaps: number[]; count: number }[]>`
    SELECT sa.id, sa.block_id, sa.capacity AS sa_capacity,
           ARRAY(SELECT r.capacity FROM eighth_scheduled_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.scheduled_activity_id = sa.id) AS sa_room_caps,
           a.default_capacity AS activity_default_capacity,
           ARRAY(SELECT r.capacity FROM eighth_activity_rooms x JOIN eighth_rooms r ON r.id = x.room_id WHERE x.activity_id = a.id) AS activity_room_caps,
           (SELECT count(*) FROM eighth_signups s WHERE s.scheduled_activity_id = sa.id)::int AS count
    FROM eighth_scheduled_activities sa JOIN eighth_activities a ON a.id = sa.activity_id`
  let overCapacity = 0
  const over: { id: number; count: number; capacity: number }[] = []
  const byId = new Map<number, { count: number; capacity: number }>()
  for (const r of rows) {
    const capacity = trueCapacity(r)
    byId.set(r.id, { count: r.count, capacity })
    const extra = capacity === -1 ? 0 : Math.max(0, r.count - capacity)
    if (extra) over.push({ id: r.id, count: r.count, capacity })
    overCapacity += extra
  }
  const [dup] = await sql<{ users: number; blockUsers: number }[]>`
    SELECT count(DISTINCT user_id)::int AS users,
           count(DISTINCT user_id) FILTER (WHERE block_id = ${stage.blockId})::int AS block_users
    FROM (SELECT user_id, block_id FROM eighth_signups GROUP BY user_id, block_id HAVING count(*) > 1) d`
  const [inBlockRow] = await sql<{ inBlock: number }[]>`SELECT count(*)::int AS in_block FROM eighth_signups WHERE block_id = ${stage.blockId}`
  const inBlock = inBlockRow!.inBlock
  return {
    overCapacity, over, duplicates: dup!.users, duplicatesInBlock: dup!.blockUsers, signupsInBlock: inBlock,
    hot: stage.hot.map((h) => ({ name: h.name, capacity: h.capacity, count: byId.get(h.scheduledId)?.count ?? 0 })),
  }
}
