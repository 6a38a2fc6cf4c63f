import { afterAll, beforeAll, beforeEach, expect, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { createScheduler, findJob, runNow, runSlot, type JobDef, type JobEnv } from '../../src/platform/jobs/index.ts'
import { previousOccurrence } from '../../src/platform/jobs/slots.ts'

let db: TestDb
let env: JobEnv
const clock = fixedClock('2026-11-30T14:00:00Z') // 09:00 in New York
const config = testConfig()
let redis: Redis

beforeAll(async () => {
  db = await createTestDb()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  env = { sql: db.sql, redis, clock, config, log: memoryLogger() }
})
afterAll(async () => {
  redis.close()
  await db.drop()
})
beforeEach(async () => {
  await db.sql`DELETE FROM job_runs`
  clock.set('2026-11-30T14:00:00Z')
})

function counter(name: string, over: Partial<JobDef> = {}): JobDef & { calls: string[] } {
  const calls: string[] = []
  return {
    name, description: 'test', schedule: '0 3 * * *', catchUp: 'run-once', calls,
    run: async ({ slot }) => {
      calls.push(slot)
      await Bun.sleep(20)
      return `ran ${slot}`
    },
    ...over,
  }
}

const runs = (job: string) => db.sql<{ slot: string; outcome: string | null; detail: string | null; error: string | null; startedAt: Date; finishedAt: Date | null }[]>`
  SELECT * FROM job_runs WHERE job = ${job} ORDER BY started_at, id`

test('a slot is run by whoever inserts it first; the other is told it is taken', async () => {
  const job = counter('test.race')
  const results = await Promise.all(Array.from({ length: 5 }, (_, i) => runSlot(env, job, '2026-11-30T08:00:00.000Z', `instance-${i}`)))
  expect(results.filter((r) => r.status === 'ok')).toHaveLength(1)
  expect(results.filter((r) => r.status === 'taken')).toHaveLength(4)
  expect(job.calls).toEqual(['2026-11-30T08:00:00.000Z'])
  const [r] = await runs('test.race')
  expect(r).toMatchObject({ outcome: 'ok', detail: 'ran 2026-11-30T08:00:00.000Z', error: null })
  expect(r!.finishedAt).not.toBeNull()
})

test('a failing run records its error', async () => {
  const job = counter('test.fails', { run: async () => { throw new Error('disk full') } })
  const r = await runSlot(env, job, 'x')
  expect(r.status).toBe('error')
  const [row] = await runs('test.fails')
  expect(row!.outcome).toBe('error')
  expect(row!.error).toContain('disk full')
})

test('catch-up after a restart: run-once runs the missed slot once; skip waits', async () => {
  const daily = counter('test.daily-once')
  const skip = counter('test.daily-skip', { catchUp: 'skip' })
  const fresh = counter('test.daily-fresh')
  const twoDaysAgo = new Date(clock.now().getTime() - 2 * 86400_000)
  for (const j of [daily, skip]) {
    await db.sql`INSERT INTO job_runs (job, slot, instance, started_at, finished_at, outcome) VALUES (${j.name}, 'old', 'gone', ${twoDaysAgo}, ${twoDaysAgo}, 'ok')`
  }
  // fresh ran after today's 03:00 occurrence: nothing was missed
  await db.sql`INSERT INTO job_runs (job, slot, instance, started_at, finished_at, outcome) VALUES (${fresh.name}, 'today', 'x', ${new Date('2026-11-30T08:30:00Z')}, ${new Date('2026-11-30T08:31:00Z')}, 'ok')`

  // two instances restart together: the missed slot still runs once
  const a = createScheduler(env, [daily, skip, fresh], { instance: 'a' })
  const b = createScheduler(env, [daily, skip, fresh], { instance: 'b' })
  a.start()
  b.start()
  const [ra, rb] = await Promise.all([a.caughtUp, b.caughtUp])
  await Promise.all([a.stop(), b.stop()])
  // one ran it; the other found it taken (or already started)
  expect([...ra!, ...rb!].filter((r) => r.status !== 'taken').map((r) => r.status)).toEqual(['ok'])
  // 03:00 in New York on Nov 30 (EST) is 08:00 UTC
  expect(daily.calls).toEqual(['2026-11-30T08:00:00.000Z'])
  expect(skip.calls).toEqual([])
  expect(fresh.calls).toEqual([])
  expect((await runs('test.daily-once')).map((r) => r.slot)).toEqual(['old', '2026-11-30T08:00:00.000Z'])

  // restarting again the same day: nothing more
  const c = createScheduler(env, [daily], { instance: 'c' })
  c.start()
  expect(await c.caughtUp).toEqual([])
  await c.stop()
  expect(daily.calls).toHaveLength(1)
})

test('a run-once job that never ran runs at start', async () => {
  const never = counter('test.never-ran', { schedule: '*/15 * * * *' })
  const s = createScheduler(env, [never], { instance: 'x' })
  s.start()
  await s.caughtUp
  await s.stop()
  expect(never.calls).toEqual(['2026-11-30T14:00:00.000Z'])
})

test('occurrences follow the school time zone across DST', () => {
  expect(previousOccurrence('0 3 * * *', 'America/New_York', new Date('2026-07-01T12:00:00Z'))!.toISOString()).toBe('2026-07-01T07:00:00.000Z')
  expect(previousOccurrence('0 3 * * *', 'America/New_York', new Date('2026-12-01T12:00:00Z'))!.toISOString()).toBe('2026-12-01T08:00:00.000Z')
})

test('the scheduler fires on its cron and names the slot by the occurrence', async () => {
  const tick = counter('test.every-second', { schedule: '* * * * * *', catchUp: 'skip' })
  const s = createScheduler({ ...env, clock: fixedClock(new Date()) }, [tick], { instance: 'x' })
  s.start()
  await Bun.sleep(1100)
  await s.stop()
  expect(tick.calls.length).toBeGreaterThanOrEqual(1)
  for (const slot of tick.calls) expect(slot).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/)
  expect(new Set(tick.calls).size).toBe(tick.calls.length)
})

test('run now claims a manual slot', async () => {
  const job = counter('test.manual')
  const started = await runNow(env, job)
  expect(started!.slot).toBe('manual:2026-11-30T14:00:00.000Z')
  expect((await started!.done).status).toBe('ok')
  expect(await runNow(env, job)).toBeNull() // same instant: the same slot
  clock.advance(1000)
  expect(await runNow(env, job)).not.toBeNull()
})

test('built-in jobs: outbox retention (30 days) and job_runs cleanup (90 days)', async () => {
  const now = clock.now()
  const ago = (days: number) => new Date(now.getTime() - days * 86400_000)
  const insert = (key: string, state: string, at: Date) => db.sql`
    INSERT INTO mail_outbox (kind, idempotency_key, to_addrs, subject, html, text, state, created_at, next_attempt_at, updated_at, sent_at)
    VALUES ('t', ${`<${key}@localhost>`}, ${['a@b.example']}, 's', 'h', 't', ${state}, ${at}, ${at}, ${at}, ${state === 'sent' ? at : null})`
  await insert('old-sent', 'sent', ago(31))
  await insert('new-sent', 'sent', ago(29))
  await insert('old-failed', 'failed', ago(60))
  await insert('old-pending', 'pending', ago(60))
  await insert('old-discarded', 'discarded', ago(31))
  const retention = findJob('mail.outbox-retention')!
  expect(retention.catchUp).toBe('run-once')
  const r = await runSlot(env, retention, 'test')
  expect(r).toMatchObject({ status: 'ok', detail: 'deleted 2 messages' })
  expect((await db.sql<{ k: string }[]>`SELECT idempotency_key AS k FROM mail_outbox ORDER BY k`).map((x) => x.k))
    .toEqual(['<new-sent@localhost>', '<old-failed@localhost>', '<old-pending@localhost>'])

  await db.sql`INSERT INTO job_runs (job, slot, instance, started_at) VALUES ('x', 'a', 'i', ${ago(91)}), ('x', 'b', 'i', ${ago(89)})`
  const cleanup = findJob('jobs.runs-cleanup')!
  expect(await runSlot(env, cleanup, 'test')).toMatchObject({ status: 'ok', detail: 'deleted 1 runs' })
  expect((await db.sql`SELECT slot FROM job_runs WHERE job = 'x'`).map((x) => x.slot)).toEqual(['b'])
})
