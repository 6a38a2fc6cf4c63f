import { afterAll, beforeAll, beforeEach, expect, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { createScheduler, runSlot, type JobDef, type JobEnv } from '../../src/platform/jobs/index.ts'

// A run whose process died (SIGKILL) stays "running" in job_runs: its heartbeat stops, and after
// JOB_LEASE_SECONDS the next scheduler marks it abandoned. The slot is not run again (not even
// by catch-up), and the job's next slot runs as usual. A live run keeps beating and is left alone.

let db: TestDb
let env: JobEnv
const clock = fixedClock('2026-11-30T14:00:00Z') // 09:00 in New York
const config = testConfig({ JOB_LEASE_SECONDS: '3' })
let redis: Redis
const log = memoryLogger()

beforeAll(async () => {
  db = await createTestDb()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  env = { sql: db.sql, redis, clock, config, log }
})
afterAll(async () => {
  redis.close()
  await db.drop()
})
beforeEach(async () => {
  await db.sql`DELETE FROM job_runs`
  clock.set('2026-11-30T14:00:00Z')
})

type Row = { slot: string; instance: string; outcome: string | null; error: string | null; finishedAt: Date | null; heartbeatAt: Date | null }
const runs = (job: string) => db.sql<Row[]>`SELECT * FROM job_runs WHERE job = ${job} ORDER BY started_at, id`

function daily(name: string, calls: string[]): JobDef {
  return { name, description: 'test', schedule: '0 3 * * *', catchUp: 'run-once', run: async ({ slot }) => { calls.push(slot) } }
}

/** A scheduler start is when a dead instance's runs are swept: start one and wait for its catch-up. */
async function restart(jobs: JobDef[], instance: string) {
  const s = createScheduler(env, jobs, { instance })
  s.start()
  const caught = await s.caughtUp
  await s.stop()
  return caught
}

test("a killed instance's running slot is marked abandoned at the next start, not run again; the next slot runs", async () => {
  const calls: string[] = []
  const job = daily('test.killed', calls)
  const slot = '2026-11-30T08:00:00.000Z' // today's 03:00 in New York
  // What a SIGKILL during the body leaves: claimed, beating until 13:59:50, never finished.
  await db.sql`INSERT INTO job_runs (job, slot, instance, started_at, heartbeat_at)
    VALUES (${job.name}, ${slot}, 'dead:1', ${new Date('2026-11-30T13:59:00Z')}, ${new Date('2026-11-30T13:59:50Z')})`

  const caught = await restart([job], 'fresh:2')
  const [row] = await runs(job.name)
  expect(row).toMatchObject({ slot, instance: 'dead:1', outcome: 'abandoned' })
  expect(row!.finishedAt!.toISOString()).toBe(clock.now().toISOString())
  expect(row!.error).toContain('no heartbeat since 2026-11-30T13:59:50Z')
  expect(log.lines.some((l) => l.msg === 'job run abandoned' && l.job === job.name)).toBe(true)
  // catch-up (run-once) sees the slot as run: the body is not started again
  expect(caught).toEqual([])
  expect(calls).toEqual([])
  // the slot stays claimed for any instance; the next day's slot runs normally
  expect((await runSlot(env, job, slot, 'other:3')).status).toBe('taken')
  clock.set('2026-12-01T08:00:05Z')
  expect((await runSlot(env, job, '2026-12-01T08:00:00.000Z', 'fresh:2')).status).toBe('ok')
  expect(calls).toEqual(['2026-12-01T08:00:00.000Z'])
  expect((await runs(job.name)).map((r) => [r.slot, r.outcome])).toEqual([[slot, 'abandoned'], ['2026-12-01T08:00:00.000Z', 'ok']])
})

test('a run that is still beating is not abandoned, however long it takes', async () => {
  let release!: () => void
  const gate = new Promise<void>((r) => { release = r })
  const job: JobDef = { name: 'test.long', description: 'test', schedule: '0 3 * * *', catchUp: 'skip', run: async () => { await gate; return 'done' } }
  const done = runSlot(env, job, 'long-1', 'busy:1')
  // 10 s of job time pass in steps shorter than the 3 s lease; the body beats once a second (lease / 3)
  for (let i = 0; i < 5; i++) {
    clock.advance(2000)
    await Bun.sleep(1100)
    await restart([], `sweeper:${i}`)
    const [row] = await runs(job.name)
    expect(row!.outcome).toBeNull()
    expect(row!.heartbeatAt!.getTime()).toBe(clock.now().getTime())
  }
  release()
  expect(await done).toMatchObject({ status: 'ok', detail: 'done' })
  expect((await runs(job.name))[0]!.outcome).toBe('ok')
}, 20_000)

test('a run older than the lease whose heartbeat is fresh is kept; one silent for the lease is abandoned', async () => {
  const now = clock.now().getTime()
  await db.sql`INSERT INTO job_runs (job, slot, instance, started_at, heartbeat_at) VALUES
    ('test.a', 's', 'i', ${new Date(now - 3600_000)}, ${new Date(now - 1000)}),
    ('test.b', 's', 'i', ${new Date(now - 3600_000)}, ${new Date(now - 3001)}),
    ('test.c', 's', 'i', ${new Date(now - 3001)}, NULL)`
  await restart([], 'sweeper')
  const rows = await db.sql<{ job: string; outcome: string | null }[]>`SELECT job, outcome FROM job_runs ORDER BY job`
  expect(rows.map((r) => [r.job, r.outcome])).toEqual([['test.a', null], ['test.b', 'abandoned'], ['test.c', 'abandoned']])
})

test('/admin/jobs shows an abandoned last run as such, with its reason', async () => {
  const { JobsAdmin } = await import('../../src/features/mailadmin/jobs-views.tsx')
  const now = clock.now()
  await db.sql`INSERT INTO job_runs (job, slot, instance, started_at, heartbeat_at) VALUES ('test.shown', 's', 'dead:9', ${new Date(now.getTime() - 60_000)}, ${new Date(now.getTime() - 60_000)})`
  await restart([], 'sweeper')
  const [last] = await db.sql<import('../../src/platform/jobs/jobs.sql.ts').JobRun[]>`SELECT * FROM job_runs WHERE job = 'test.shown'`
  const html = String(JobsAdmin({ jobs: [{ name: 'test.shown', description: 'd', schedule: '0 3 * * *', catchUp: 'skip', next: null, last: last! }], tz: config.schoolTz, flash: null }))
  expect(html).toContain('<span class="badge err">abandoned</span>')
  expect(html).toContain('The instance running it stopped')
  expect(html).not.toContain('running</span>')
})
