import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { createMail } from '../../src/platform/mail/enqueue.ts'
import { startSink, until, type Sink } from './sink.ts'

// At-least-once across a SIGKILL: a worker process is killed mid-batch and started again; every
// message arrives, and the only one that may arrive twice is the one that was in flight.

let db: TestDb
let sink: Sink
const N = 40

beforeAll(async () => {
  db = await createTestDb()
  sink = await startSink({ delayMs: 60 }) // slow: each message's "250 OK" comes 60 ms after its data
})
afterAll(async () => {
  await sink.close()
  await db.drop()
})

function spawnWorker() {
  return Bun.spawn(['bun', 'test/background/fixtures/mail-worker.ts'], {
    env: { ...process.env, DATABASE_URL: db.url, SMTP_URL: sink.url, LEASE_MS: '1000', NODE_ENV: 'test' },
    stdout: 'pipe',
    stderr: 'inherit',
  })
}

test('SIGKILL mid-batch, restart: every key arrives; only the in-flight one may repeat', async () => {
  const config = testConfig({ DATABASE_URL: db.url })
  const mail = createMail({ config, clock: fixedClock(new Date()) })
  const keys = Array.from({ length: N }, (_, i) => `<crash-${i}@localhost>`)
  await db.sql.begin(async (tx) => {
    for (let i = 0; i < N; i++) await mail.enqueue(tx, { kind: 'test.crash', key: `crash-${i}`, to: `s${i}@school.example`, subject: `#${i}`, html: '<p>x</p>', text: 'x' })
  })

  const first = spawnWorker()
  await sink.waitFor(10, 15_000)
  first.kill('SIGKILL') // the 10th message's data is in; its 250 has not been answered yet
  await first.exited
  const beforeRestart = sink.messages.length
  const inFlight = (await db.sql<{ idempotencyKey: string }[]>`
    SELECT idempotency_key FROM mail_outbox WHERE state = 'pending' AND locked_until IS NOT NULL`).map((r) => r.idempotencyKey)
  const sentBeforeKill = (await db.sql<{ idempotencyKey: string }[]>`
    SELECT idempotency_key FROM mail_outbox WHERE state = 'sent'`).map((r) => r.idempotencyKey)
  expect(inFlight.length).toBeLessThanOrEqual(1)
  expect(sentBeforeKill.length).toBeGreaterThan(0)
  expect(sentBeforeKill.length).toBeLessThan(N)

  const second = spawnWorker()
  try {
    await until(async () => (await db.sql`SELECT count(*)::int AS n FROM mail_outbox WHERE state = 'sent'`)[0]!.n === N, 20_000, 'all sent')
  } finally {
    second.kill('SIGTERM')
    await second.exited
  }

  const counts = new Map<string, number>()
  for (const m of sink.messages) counts.set(m.messageId!, (counts.get(m.messageId!) ?? 0) + 1)
  expect([...counts.keys()].sort()).toEqual([...keys].sort())
  const repeated = [...counts].filter(([, n]) => n > 1).map(([k]) => k)
  expect(repeated.length).toBeLessThanOrEqual(1)
  for (const k of repeated) expect(inFlight).toContain(k)
  // nothing already marked sent went out again
  for (const m of sink.messages.slice(beforeRestart)) expect(sentBeforeKill).not.toContain(m.messageId!)
  console.log(`killed after ${beforeRestart} deliveries; in flight: ${inFlight.join(', ') || 'none'}; repeated: ${repeated.join(', ') || 'none'}`)
}, 60_000)
