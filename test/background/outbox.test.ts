import { afterAll, beforeAll, beforeEach, expect, test } from 'bun:test'
import nodemailer from 'nodemailer'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { createMail, encodeKey, outboxRowsFor } from '../../src/platform/mail/enqueue.ts'
import { backoff, createDeliverer, type Transport } from '../../src/platform/mail/delivery.ts'
import { retryFailed } from '../../src/platform/mail/outbox.sql.ts'
import { DEFAULT_DELIVERY } from '../../src/platform/mail/types.ts'
import { startSink, type Sink } from './sink.ts'

// The outbox and delivery rules, in-process with an injected clock (the worker thread runs the
// same deliverer; mail-worker.test.ts covers the thread itself).

let db: TestDb
let sink: Sink
let transport: Transport
const config = testConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' })
const clock = fixedClock('2026-11-30T14:00:00Z')
const log = memoryLogger()
const msg = (over: Record<string, unknown> = {}) => ({ kind: 'test.note', to: 'ann@school.example', subject: 'Hello', html: '<p>Hello</p>', text: 'Hello', ...over })

beforeAll(async () => {
  db = await createTestDb()
  sink = await startSink()
  transport = nodemailer.createTransport({ url: sink.url, pool: true } as never) as unknown as Transport
})
afterAll(async () => {
  transport.close()
  await sink.close()
  await db.drop()
})
beforeEach(async () => {
  await db.sql`DELETE FROM mail_outbox`
  sink.messages.length = 0
  sink.setRefusal(null)
})

const deliverer = () => createDeliverer({ sql: db.sql, transport, from: config.mailFrom, log, now: () => clock.now(), delivery: DEFAULT_DELIVERY })
const rows = () => db.sql<{ state: string; attempts: number; lastError: string | null; nextAttemptAt: Date }[]>`SELECT * FROM mail_outbox ORDER BY id`

test('a message enqueued in a transaction that rolls back is never sent', async () => {
  let nudges = 0
  const mail = createMail({ config, clock, nudge: () => nudges++ })
  await expect(db.sql.begin(async (tx) => {
    await mail.enqueue(tx, msg({ key: 'rolled-back' }))
    throw new Error('the change failed')
  })).rejects.toThrow('the change failed')
  expect(await rows()).toHaveLength(0)
  expect(await deliverer().drain()).toBe(0)
  expect(sink.messages).toHaveLength(0)

  await db.sql.begin((tx) => mail.enqueue(tx, msg({ key: 'committed' })))
  expect(await deliverer().drain()).toBe(1)
  expect(sink.messages.map((m) => m.messageId)).toEqual(['<committed@localhost>'])
  expect((await rows())[0]!.state).toBe('sent')
})

test('the same idempotency key enqueued twice is one message', async () => {
  const mail = createMail({ config, clock })
  expect((await mail.enqueue(db.sql, msg({ key: 'once' }))).inserted).toBe(1)
  expect((await mail.enqueue(db.sql, msg({ key: 'once' }))).inserted).toBe(0)
  expect(await rows()).toHaveLength(1)
})

test('many recipients split into BCC batches of MAIL_BCC_BATCH at enqueue time', () => {
  const to = Array.from({ length: 1601 }, (_, i) => `s${i}@school.example`)
  const r = outboxRowsFor(msg({ to, key: 'k' }) as never, testConfig({ MAIL_BCC_BATCH: '800', MAIL_FROM: 'noreply@school.example', BASE_URL: 'https://ion.school.example' }))
  expect(r.map((x) => x.bccAddrs.length)).toEqual([800, 800, 1])
  expect(r.map((x) => x.idempotencyKey)).toEqual(['<k.batch1@ion.school.example>', '<k.batch2@ion.school.example>', '<k.batch3@ion.school.example>'])
  expect(r.every((x) => x.toAddrs.length === 1 && x.toAddrs[0] === 'noreply@school.example')).toBe(true)
  expect(r[0]!.headers.Precedence).toBe('bulk')
  expect(r[0]!.subject).toBe('[Ion] Hello')
  // duplicates and invalid addresses are left out; one address is personal
  const p = outboxRowsFor(msg({ to: ['Ann@school.example', 'ann@school.example', 'bad\r\nBcc: x@evil.example'], key: 'p' }) as never, config)
  expect(p).toHaveLength(1)
  expect(p[0]!.toAddrs).toEqual(['Ann@school.example'])
  expect(p[0]!.bccAddrs).toEqual([])
  expect(testConfig({ MAIL_SUBJECT_PREFIX: '' }).mailSubjectPrefix).toBe('')
})

test('keys are encoded into a valid Message-ID, injectively', () => {
  expect(encodeKey('eighth:signup/12 é')).toBe('eighth=3Asignup=2F12=20=C3=A9')
  expect(encodeKey('a-b')).not.toBe(encodeKey('a:b'))
})

test('a refusing server: retries with exponential backoff, then failed after 8 attempts', async () => {
  const mail = createMail({ config, clock })
  await mail.enqueue(db.sql, msg({ key: 'doomed' }))
  const d = deliverer()
  sink.setRefusal({ code: 451, message: 'Try again later' })
  const seen: number[] = []
  for (let attempt = 1; attempt <= 8; attempt++) {
    if (attempt === 4) sink.setRefusal({ code: 550, message: 'Mailbox unavailable' })
    expect(await d.drain()).toBe(1)
    const [r] = await rows()
    expect(r!.attempts).toBe(attempt)
    if (attempt < 8) {
      expect(r!.state).toBe('pending')
      const wait = r!.nextAttemptAt.getTime() - clock.now().getTime()
      seen.push(wait)
      // not due yet: nothing is claimed
      expect(await d.drain()).toBe(0)
      clock.advance(wait)
    } else {
      expect(r!.state).toBe('failed')
      expect(r!.lastError).toContain('550')
    }
  }
  expect(seen).toEqual([1, 2, 4, 8, 16, 32, 64].map((m) => m * 60_000))
  expect(seen[2]).toBe(backoff(3, DEFAULT_DELIVERY))
  expect(sink.messages).toHaveLength(0)
  expect(sink.refused).toBeGreaterThanOrEqual(8)
  expect(await d.drain()).toBe(0) // failed stays failed

  // an admin retries it; the server is back
  sink.setRefusal(null)
  const [row] = await db.sql<{ id: string }[]>`SELECT id FROM mail_outbox`
  expect(await retryFailed(db.sql, row!.id, clock.now())).toBe(true)
  expect(await d.drain()).toBe(1)
  expect((await rows())[0]!.state).toBe('sent')
  expect(sink.messages).toHaveLength(1)
})

test('an expired lease (a killed sender) makes the row claimable again; a live one does not', async () => {
  const mail = createMail({ config, clock })
  await mail.enqueue(db.sql, msg({ key: 'leased' }))
  // simulate a sender that claimed the row and died
  await db.sql`UPDATE mail_outbox SET locked_until = ${new Date(clock.now().getTime() + 120_000)}, attempts = 1`
  expect(await deliverer().drain()).toBe(0)
  clock.advance(120_000)
  expect(await deliverer().drain()).toBe(1)
  const [r] = await rows()
  expect(r!.state).toBe('sent')
  expect(r!.attempts).toBe(2)
})

test('without SMTP_URL mail stays in the outbox and is written to the log', async () => {
  const mail = createMail({ config, clock })
  await mail.enqueue(db.sql, msg({ key: 'before-start', subject: 'Old' }))
  const quiet = memoryLogger()
  const d = createDeliverer({ sql: db.sql, transport: null, from: config.mailFrom, log: quiet, now: () => clock.now(), delivery: DEFAULT_DELIVERY })
  expect(await d.drain()).toBe(0)
  await d.logPending()
  expect(quiet.lines.at(-1)).toMatchObject({ level: 'warn', pending: 1 })
  await mail.enqueue(db.sql, msg({ key: 'new-one', subject: 'New', text: 'Body text', to: ['a@school.example', 'b@school.example'] }))
  expect(await d.logPending()).toBe(1)
  expect(quiet.lines.at(-1)).toMatchObject({ kind: 'test.note', subject: '[Ion] New', text: 'Body text', bcc: 2 })
  expect(await d.logPending()).toBe(0) // logged once
  expect((await rows()).map((r) => r.state)).toEqual(['pending', 'pending'])
})

test('a long send renews its lease: no other worker takes the message meanwhile', async () => {
  const slow = await startSink({ delayMs: 1200 })
  const slowTransport = nodemailer.createTransport({ url: slow.url, pool: true } as never) as unknown as Transport
  try {
    const realNow = () => new Date()
    const delivery = { ...DEFAULT_DELIVERY, leaseMs: 400 }
    const mk = () => createDeliverer({ sql: db.sql, transport: slowTransport, from: config.mailFrom, log, now: realNow, delivery })
    await createMail({ config, clock: { ...clock, now: realNow } }).enqueue(db.sql, msg({ key: 'slow' }))
    const first = mk().drain()
    await Bun.sleep(900) // more than twice the lease
    expect(await mk().drain()).toBe(0)
    expect(await first).toBe(1)
    expect(slow.messages).toHaveLength(1)
    expect((await rows())[0]!.state).toBe('sent')
  } finally {
    slowTransport.close()
    await slow.close()
  }
})
