// Fault: SIGTERM to a busy `ion serve` (a graceful restart). Run by `bun run faults`
// (test/faults/run.ts), never by the suite.
//
// At the signal: requests in flight (held up by a table lock, like a slow query), open WebSockets
// (the bus board and live seat counts) and a mail batch going out to a slow SMTP server. Then:
// new connections are refused at once; every request in flight still answers 200; every socket is
// closed with 1012 "service restart" (what hx-ws and bus.js reconnect on); the message being sent
// finishes and is recorded, the rest wait in the outbox (none lost, none left claimed); and the
// process exits 0 within 10 s.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Sql } from '../../src/platform/db.ts'
import { SESSION_COOKIE } from '../../src/platform/session.ts'
import { loadConfig } from '../../src/config.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { createMail } from '../../src/platform/mail/enqueue.ts'
import { Cleanup } from '../load/harness.ts'
import { startSink, type Sink } from '../background/sink.ts'
import { client, type Client } from '../bus/helpers.ts'
import { loadDemoSchool, mintSessions, openDb, startIonProcess, type IonProcess } from './ion.ts'
import { waitFor } from './jobs.ts'
import { faultLog, reportFigures } from './school.ts'
import { startServices, type Services } from './services.ts'

const log = faultLog('shutdown')
const IN_FLIGHT = 8
const SOCKETS = 12
const MAILS = 40
const HOLD_MS = 2500
const LIMIT_MS = 10_000

const cleanup = new Cleanup()
let services: Services
let sql: Sql
let sink: Sink
let ion: IonProcess

beforeAll(async () => {
  services = await startServices()
  cleanup.add('stop the services', () => services.stop())
  await loadDemoSchool(services.databaseUrl, services.redisUrl)
  sql = openDb(services.databaseUrl)
  cleanup.add('close the test pool', () => sql.end({ timeout: 2 }))
  sink = await startSink({ delayMs: 150 })
  cleanup.add('close the sink', () => sink.close())
  ion = await startIonProcess({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, env: { SMTP_URL: sink.url, ION_LOG_REQUESTS: 'on' } })
  cleanup.add('stop ion', () => ion.stop())
}, 120_000)
afterAll(() => cleanup.run(), 60_000)

/** True when a fresh TCP connection to the port is accepted. */
async function accepts(port: number): Promise<boolean> {
  try {
    const s = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } })
    s.end()
    return true
  } catch {
    return false
  }
}

test('SIGTERM: stops accepting, finishes requests in flight, closes sockets with 1012, loses no mail, exits 0 within 10 s', async () => {
  const students = (await sql<{ id: number }[]>`SELECT id FROM users WHERE user_type = 'student' ORDER BY id LIMIT ${IN_FLIGHT + SOCKETS}`).map((r) => r.id)
  const tokens = await mintSessions(services.redisUrl, students)
  const cookie = (i: number) => `${SESSION_COOKIE}=${tokens.get(students[i]!)}`
  const [block] = await sql<{ id: number }[]>`SELECT id FROM eighth_blocks ORDER BY date DESC LIMIT 1`

  // Open sockets: half on the bus board (each gets its snapshot first), half on live seat counts.
  const wsUrl = ion.url.replace('http', 'ws')
  const sockets: Client[] = await Promise.all(Array.from({ length: SOCKETS }, (_, i) =>
    client(i % 2 ? `${wsUrl}/eighth/live/${block!.id}` : `${wsUrl}/bus/ws`, { cookie: cookie(IN_FLIGHT + i), origin: ion.url })))
  await Promise.all(sockets.filter((_, i) => i % 2 === 0).map((s) => s.next(5000)))

  // Mail going out slowly when the signal comes.
  const mail = createMail({ config: loadConfig({ ...process.env, DATABASE_URL: services.databaseUrl, REDIS_URL: services.redisUrl }), clock: systemClock('America/New_York') })
  await sql.begin(async (tx) => {
    for (let i = 0; i < MAILS; i++) await mail.enqueue(tx, { kind: 'fault.shutdown', key: `shutdown-${i}`, to: `s${i}@example.org`, subject: `#${i}`, html: '<p>x</p>', text: 'x' })
  })
  await waitFor(() => sink.messages.length >= 3, 15_000, 'mail to start going out')

  // Requests in flight: the announcements page waits on a lock this test holds.
  let release!: () => void
  const held = new Promise<void>((r) => { release = r })
  const locked = new Promise<void>((resolveLocked) => {
    void sql.begin(async (tx) => {
      await tx`LOCK TABLE announcements IN ACCESS EXCLUSIVE MODE`
      resolveLocked()
      await held
    })
  })
  await locked
  const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) => fetch(`${ion.url}/announcements`, { headers: { cookie: cookie(i), accept: 'text/html' } })
    .then(async (r) => ({ status: r.status, bytes: (await r.text()).length, at: performance.now() }), (e) => ({ status: String(e?.code ?? e), bytes: 0, at: performance.now() })))
  await Bun.sleep(500)
  const answeredEarly = await Promise.race([Promise.any(inFlight).then(() => true), Bun.sleep(10).then(() => false)])
  expect(answeredEarly).toBe(false) // really in flight

  const t0 = performance.now()
  ion.kill('SIGTERM')
  const closes = sockets.map((s) => s.closed.then((code) => ({ code, ms: performance.now() - t0 })))
  await Bun.sleep(300)
  const acceptedDuring = await accepts(ion.port)
  const upgradeDuring = await client(`${wsUrl}/bus/ws`, { cookie: cookie(IN_FLIGHT), origin: ion.url }).then((c) => { c.ws.close(); return true }, () => false)
  await Bun.sleep(HOLD_MS - 300)
  release()
  const answers = await Promise.all(inFlight)
  const exitCode = await Promise.race([ion.exited, Bun.sleep(LIMIT_MS + 2000).then(() => 'hung' as const)])
  const exitMs = Math.round(performance.now() - t0)
  const closed = await Promise.all(closes.map((c) => Promise.race([c, Bun.sleep(100).then(() => ({ code: 'open', ms: NaN }))])))

  const outbox = await sql<{ state: string; n: number; claimed: number }[]>`
    SELECT state, count(*)::int AS n, (count(*) FILTER (WHERE locked_until IS NOT NULL))::int AS claimed FROM mail_outbox WHERE kind = 'fault.shutdown' GROUP BY state ORDER BY state`
  const byState = Object.fromEntries(outbox.map((r) => [r.state, r.n]))
  const claimed = outbox.reduce((n, r) => n + r.claimed, 0)
  const sentKeys = new Set(sink.messages.map((m) => m.messageId))
  const logs = ion.logs().map((l) => { try { return JSON.parse(l) as Record<string, unknown> } catch { return { msg: l } } })
  const unhandled = logs.filter((l) => /unhandled/i.test(String(l.msg)))
  const late = logs.filter((l) => l.msg === 'shutdown: not stopped in time')
  const figures = {
    exitCode, exitMs, acceptedDuring, upgradeDuring,
    inFlight: answers.map((a) => a.status), inFlightAnsweredAfterMs: Math.round(Math.max(...answers.map((a) => a.at)) - t0),
    socketCodes: [...new Set(closed.map((c) => c.code))], socketsClosedWithinMs: Math.round(Math.max(...closed.map((c) => c.ms))),
    mail: byState, mailClaimedAfterExit: claimed, mailDeliveredToSink: sink.messages.length, unhandled: unhandled.length, late: late.length,
  }
  log(JSON.stringify(figures))
  reportFigures('graceful shutdown (SIGTERM)', {
    exit: `code ${exitCode} after ${(exitMs / 1000).toFixed(2)} s (requests held ${HOLD_MS} ms; limit 10 s)`,
    'in flight': `${answers.filter((a) => a.status === 200).length} of ${IN_FLIGHT} answered 200; new connections during shutdown: ${acceptedDuring ? 'ACCEPTED' : 'refused'}`,
    websockets: `${closed.filter((c) => c.code === 1012).length} of ${SOCKETS} closed with 1012 within ${figures.socketsClosedWithinMs} ms`,
    mail: `${byState.sent ?? 0} sent, ${byState.pending ?? 0} waiting in the outbox, ${claimed} left claimed, ${(byState.failed ?? 0)} failed`,
  })

  expect(exitCode).toBe(0)
  expect(exitMs).toBeLessThan(LIMIT_MS)
  expect(acceptedDuring).toBe(false)
  expect(upgradeDuring).toBe(false)
  expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200))
  expect(answers.every((a) => a.bytes > 0)).toBe(true)
  expect(closed.map((c) => c.code)).toEqual(closed.map(() => 1012))
  expect(figures.socketsClosedWithinMs).toBeLessThan(1000)
  // No mail lost: every message is sent or still pending; the one in flight finished and was recorded.
  expect((byState.sent ?? 0) + (byState.pending ?? 0)).toBe(MAILS)
  expect(claimed).toBe(0)
  for (const m of await sql<{ key: string }[]>`SELECT idempotency_key AS key FROM mail_outbox WHERE kind = 'fault.shutdown' AND state = 'sent'`) expect(sentKeys.has(m.key)).toBe(true)
  expect(unhandled).toEqual([])
  expect(late).toEqual([])
}, 120_000)
