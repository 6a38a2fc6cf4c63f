import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { createMail } from '../../src/platform/mail/enqueue.ts'
import { startMailWorker, type MailWorker } from '../../src/platform/mail/mailer.ts'
import type { FromWorker } from '../../src/platform/mail/protocol.ts'
import { startSink, until, type Sink } from './sink.ts'

// The real worker thread against a real SMTP sink: enqueue → nudge → SMTP.

let db: TestDb
let sink: Sink
let worker: MailWorker
const events: FromWorker[] = []
const log = memoryLogger()

beforeAll(async () => {
  db = await createTestDb()
  sink = await startSink()
})
afterAll(async () => {
  await worker?.stop()
  await sink.close()
  await db.drop()
})

test('a 2,000-recipient message goes out as 4 BCC messages of 500, To: MAIL_FROM', async () => {
  const config = testConfig({ DATABASE_URL: db.url, SMTP_URL: sink.url, MAIL_FROM: 'ion@school.example' })
  expect(config.mailBccBatch).toBe(500)
  worker = startMailWorker(config, log, { pollMs: 60_000, onEvent: (e) => events.push(e) })
  expect(await worker.ready).toEqual({ smtp: true })
  const mail = createMail({ config, clock: fixedClock(new Date()), nudge: worker.nudge })
  const to = Array.from({ length: 2000 }, (_, i) => `student${i}@school.example`)
  // pollMs is a minute: only the nudge (and its follow-up looks) can get this out quickly.
  const r = await db.sql.begin((tx) => mail.enqueue(tx, { kind: 'news.post', key: 'news-1', to, subject: 'Snow day', html: '<p>x</p>', text: 'x' }))
  expect(r.inserted).toBe(4)
  await sink.waitFor(4)
  await Bun.sleep(100)
  expect(sink.messages).toHaveLength(4)
  const ids = sink.messages.map((m) => m.messageId).sort()
  expect(ids).toEqual([1, 2, 3, 4].map((n) => `<news-1.batch${n}@localhost>`))
  for (const m of sink.messages) {
    expect(m.to).toHaveLength(500)
    expect(m.raw).toMatch(/^To: ion@school\.example\r?$/m)
    expect(m.raw).not.toMatch(/^Bcc:/im)
    expect(m.subject).toBe('[Ion] Snow day')
  }
  expect(new Set(sink.messages.flatMap((m) => m.to))).toEqual(new Set(to))
  await until(async () => (await db.sql`SELECT count(*)::int AS n FROM mail_outbox WHERE state = 'sent'`)[0]!.n === 4, 5000, 'sent rows')
  expect(events.filter((e) => e.type === 'sent')).toHaveLength(4)
})

test('the worker polls: a row inserted without a nudge is sent too', async () => {
  await worker.stop()
  events.length = 0
  const config = testConfig({ DATABASE_URL: db.url, SMTP_URL: sink.url })
  worker = startMailWorker(config, log, { pollMs: 200, onEvent: (e) => events.push(e) })
  await worker.ready
  const mail = createMail({ config, clock: fixedClock(new Date()) }) // no nudge
  const before = sink.messages.length
  await db.sql.begin((tx) => mail.enqueue(tx, { kind: 'test', key: 'polled', to: 'a@school.example', subject: 'Hi', html: '<p>hi</p>', text: 'hi' }))
  await sink.waitFor(before + 1, 5000)
  expect(sink.messages.at(-1)!.messageId).toBe('<polled@localhost>')
  expect(sink.messages.at(-1)!.raw).toMatch(/^To: a@school\.example\r?$/m)
})
