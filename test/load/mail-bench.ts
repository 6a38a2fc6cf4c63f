// On demand (`bun test/load/mail-bench.ts [N]`), never part of the suite.
//  1. What mail.enqueue adds to a request-like transaction (median µs over N), against the same
//     transaction without it.
//  2. How long a committed 2,000-recipient message takes to reach an SMTP sink through the real
//     worker thread (4 BCC messages of 500).
import '../setup.ts'
import { createTestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { silentLogger } from '../../src/platform/log.ts'
import { createMail } from '../../src/platform/mail/enqueue.ts'
import { startMailWorker } from '../../src/platform/mail/mailer.ts'
import { composeEmail, defineEmail } from '../../src/platform/mail/render.tsx'
import { startSink } from '../background/sink.ts'

const N = Number(process.argv[2] ?? 2000)
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
const fmt = (us: number) => `${us.toFixed(0)} µs`

const db = await createTestDb({ max: 4 })
const sink = await startSink()
const config = testConfig({ DATABASE_URL: db.url, SMTP_URL: sink.url })
const clock = systemClock(config.schoolTz)
const notice = defineEmail('bench.notice', (d: { name: string; activity: string }) => ({
  subject: `You were moved to ${d.activity}`,
  heading: `You were moved to ${d.activity}`,
  greeting: `Hello ${d.name},`,
  blocks: [{ p: `An eighth-period sponsor moved you to ${d.activity}.` }, { link: { href: '/eighth', label: 'See your signups' } }],
}))

try {
  await db.sql`CREATE TABLE bench_signups (id serial PRIMARY KEY, user_id int NOT NULL, activity text NOT NULL)`
  const mail = createMail({ config, clock })
  const plain: number[] = []
  const withMail: number[] = []
  const enqueueOnly: number[] = []
  const renderOnly: number[] = []
  for (let i = 0; i < N + 200; i++) {
    const warm = i < 200
    // the change alone
    let t = performance.now()
    await db.sql.begin(async (tx) => {
      await tx`INSERT INTO bench_signups (user_id, activity) VALUES (${i}, 'Chess')`
    })
    if (!warm) plain.push((performance.now() - t) * 1000)
    // the same change with its email, rendered and enqueued in the same transaction
    t = performance.now()
    await db.sql.begin(async (tx) => {
      await tx`INSERT INTO bench_signups (user_id, activity) VALUES (${i}, 'Chess')`
      const r = performance.now()
      const message = composeEmail(notice, { name: `Student ${i}`, activity: 'Chess <Club>' }, { to: `s${i}@school.example`, key: `bench-${i}` }, config)
      const e = performance.now()
      await mail.enqueue(tx, message)
      if (!warm) {
        renderOnly.push((e - r) * 1000)
        enqueueOnly.push((performance.now() - e) * 1000)
      }
    })
    if (!warm) withMail.push((performance.now() - t) * 1000)
  }
  const m = (xs: number[]) => pct(xs, 0.5)
  console.log(`mail.enqueue (one INSERT) inside a transaction, N=${N}: median ${fmt(m(enqueueOnly))}, p95 ${fmt(pct(enqueueOnly, 0.95))}`)
  console.log(`rendering the email (HTML + text): median ${fmt(m(renderOnly))}, p95 ${fmt(pct(renderOnly, 0.95))}`)
  console.log(`whole transaction without mail: median ${fmt(m(plain))}; with mail: median ${fmt(m(withMail))} (x${(m(withMail) / m(plain)).toFixed(2)})`)
  await db.sql`DELETE FROM mail_outbox`

  // 2,000 recipients through the worker thread to the sink
  const worker = startMailWorker(config, silentLogger, { pollMs: 3000 })
  await worker.ready
  const live = createMail({ config, clock, nudge: worker.nudge })
  const to = Array.from({ length: 2000 }, (_, i) => `student${i}@school.example`)
  const times: number[] = []
  for (let run = 0; run < 5; run++) {
    const before = sink.messages.length
    const t = performance.now()
    await db.sql.begin((tx) => live.enqueue(tx, composeEmail(notice, { name: 'everyone', activity: 'Assembly' }, { to, key: `bulk-${run}` }, config)))
    await sink.waitFor(before + 4, 30_000)
    times.push(sink.messages[before + 3]!.at - t)
  }
  await worker.stop()
  console.log(`2,000-recipient message, commit → 4th BCC batch at the sink: median ${m(times).toFixed(0)} ms (runs: ${times.map((x) => x.toFixed(0)).join(', ')} ms)`)
  console.log(JSON.stringify({
    bench: 'mail', enqueueMedianUs: Math.round(m(enqueueOnly)), renderMedianUs: Math.round(m(renderOnly)),
    recipients: to.length, toSinkMedianMs: Math.round(m(times)), toSinkMaxMs: Math.round(Math.max(...times)), runsMs: times.map((x) => Math.round(x)),
  }))
} finally {
  await sink.close()
  await db.drop()
}
process.exit(0)
