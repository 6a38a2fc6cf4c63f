import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { cleanEnv, ROOT } from '../helpers/cli.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { createMail } from '../../src/platform/mail/enqueue.ts'
import { registeredJobs } from '../../src/platform/jobs/index.ts'
import '../../src/features/index.ts'
import { startSink, until, type Sink } from './sink.ts'

// `ion worker` is `serve`'s background half without HTTP: it sends the outbox AND runs the
// scheduled jobs (each slot claimed once, so it is safe beside any number of `serve`s), and it
// stops cleanly on SIGTERM.

let db: TestDb
let sink: Sink
beforeAll(async () => {
  db = await createTestDb()
  sink = await startSink()
})
afterAll(async () => {
  await sink.close()
  await db.drop()
})

test('ion worker sends mail, catches up the scheduled jobs, and exits 0 on SIGTERM', async () => {
  const proc = Bun.spawn([process.execPath, '--no-env-file', 'src/main.ts', 'worker'], {
    cwd: ROOT,
    env: cleanEnv({ DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `t:${db.name}:`, SMTP_URL: sink.url, NODE_ENV: 'test' }),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = new Response(proc.stdout).text()
  try {
    // a fresh database has never run anything: every run-once job catches up at start
    const runOnce = registeredJobs().filter((j) => j.catchUp === 'run-once').map((j) => j.name).sort()
    expect(runOnce.length).toBeGreaterThan(2)
    await until(async () => (await db.sql`SELECT count(*)::int AS n FROM job_runs WHERE finished_at IS NOT NULL`)[0]!.n >= runOnce.length, 20_000, 'catch-up runs')
    const ran = await db.sql<{ job: string }[]>`SELECT DISTINCT job FROM job_runs ORDER BY job`
    expect(ran.map((r) => r.job)).toEqual(runOnce)

    const mail = createMail({ config: testConfig({ DATABASE_URL: db.url }), clock: fixedClock(new Date()) })
    await mail.enqueue(db.sql, { kind: 'test.worker', key: 'worker-1', to: 'a@school.example', subject: 'hi', html: '<p>x</p>', text: 'x' })
    await sink.waitFor(1, 10_000) // no nudge from this process: the worker's poll finds it
    expect(sink.messages[0]!.messageId).toBe('<worker-1@localhost>')
  } finally {
    const t = performance.now()
    proc.kill('SIGTERM')
    const code = await Promise.race([proc.exited, Bun.sleep(12_000).then(() => 'hung')])
    if (code === 'hung') proc.kill('SIGKILL')
    expect(code).toBe(0)
    expect(performance.now() - t).toBeLessThan(10_000)
  }
  const log = (await out).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string })
  expect(log.some((l) => l.msg === 'worker started')).toBe(true)
  expect(log.some((l) => l.msg === 'stopped')).toBe(true)
}, 60_000)
