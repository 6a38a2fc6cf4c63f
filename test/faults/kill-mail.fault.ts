// Fault: `ion serve` SIGKILLed in the middle of a 2,000-recipient announcement email. Run by
// `bun run faults` (test/faults/run.ts), never by the suite.
//
// The mail goes the real way: the announcements admin posts "email everyone" over HTTP, the post
// and its outbox rows (one per BCC batch, each with its own Message-ID) commit together, and the
// server's mail worker sends them to an SMTP sink that answers each message slowly. The process is
// killed after about a third of the batches; a new one is started. Afterwards every recipient has
// the message; a recipient has it twice only when their batch was in flight at the kill (sent,
// not yet recorded), and that copy carries the same Message-ID.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Sql } from '../../src/platform/db.ts'
import { SESSION_COOKIE } from '../../src/platform/session.ts'
import { Cleanup } from '../load/harness.ts'
import { startSink, type Sink } from '../background/sink.ts'
import { loadDemoSchool, mintSessions, openDb, startIonProcess, type IonProcess } from './ion.ts'
import { waitFor } from './jobs.ts'
import { faultLog, reportFigures } from './school.ts'
import { startServices, type Services } from './services.ts'

const log = faultLog('kill-mail')
const BCC_BATCH = 50
const LEASE_S = 5
const SINK_DELAY_MS = 120
/** The kill comes when this share of the batches has reached the sink. */
const KILL_AT = 0.35

const cleanup = new Cleanup()
let services: Services
let sql: Sql
let sink: Sink
const env = () => ({ SMTP_URL: sink.url, MAIL_BCC_BATCH: String(BCC_BATCH), MAIL_LEASE_SECONDS: String(LEASE_S) })

beforeAll(async () => {
  services = await startServices()
  cleanup.add('stop the services', () => services.stop())
  await loadDemoSchool(services.databaseUrl, services.redisUrl)
  sql = openDb(services.databaseUrl)
  cleanup.add('close the test pool', () => sql.end({ timeout: 2 }))
  sink = await startSink({ delayMs: SINK_DELAY_MS })
  cleanup.add('close the sink', () => sink.close())
}, 120_000)
afterAll(() => cleanup.run(), 60_000)

async function start(): Promise<IonProcess> {
  const ion = await startIonProcess({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, env: env() })
  cleanup.add(`stop ion ${ion.proc.pid}`, () => ion.stop())
  return ion
}

type Batch = { id: string; key: string; bcc: string[]; state: string; lockedUntil: Date | null }
const batches = (sql: Sql, kind: string, after: string) => sql<Batch[]>`
  SELECT id, idempotency_key AS key, bcc_addrs AS bcc, state, locked_until FROM mail_outbox WHERE kind = ${kind} AND id > ${after} ORDER BY id`

test('SIGKILL during a 2,000-recipient mail job: every recipient gets it; only the batch in flight twice', async () => {
  const first = await start()
  const [admin] = await sql<{ id: number }[]>`SELECT id FROM users WHERE username = 'admin'`
  const token = (await mintSessions(services.redisUrl, [admin!.id])).get(admin!.id)!
  const maxId = (await sql<{ maxId: string }[]>`SELECT coalesce(max(id), 0)::text AS max_id FROM mail_outbox`)[0]!.maxId

  const posted = await fetch(`${first.url}/announcements/add`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: first.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ title: 'Snow day tomorrow', content: '<p>School is closed tomorrow.</p>', no_expiration: 'on', notify_email_all: 'on' }),
  })
  expect(posted.status).toBe(303)
  const rows = await batches(sql, 'announcements.posted', maxId)
  const recipients = new Set(rows.flatMap((r) => r.bcc.map((a) => a.toLowerCase())))
  log(`posted (${posted.headers.get('location')}): ${recipients.size} recipients in ${rows.length} BCC batches of ${BCC_BATCH}`)
  expect(recipients.size).toBeGreaterThanOrEqual(2000)
  const keys = new Set(rows.map((r) => r.key))

  await waitFor(() => sink.messages.length >= Math.ceil(rows.length * KILL_AT), 60_000, 'a third of the batches')
  first.kill('SIGKILL')
  await first.exited
  const receivedAtKill = sink.messages.length
  const atKill = await batches(sql, 'announcements.posted', maxId)
  const sentAtKill = new Set(atKill.filter((r) => r.state === 'sent').map((r) => r.key))
  const inFlight = atKill.filter((r) => r.state === 'pending' && r.lockedUntil !== null).map((r) => r.key)
  log(`killed after ${receivedAtKill} messages reached the sink; recorded sent: ${sentAtKill.size}; in flight: ${inFlight.join(', ') || 'none'}`)
  expect(sentAtKill.size).toBeLessThan(rows.length)

  const restartedAt = performance.now()
  const second = await start()
  await waitFor(async () => (await batches(sql, 'announcements.posted', maxId)).every((r) => r.state === 'sent'), 90_000, 'every batch sent')
  const drainMs = Math.round(performance.now() - restartedAt)
  await Bun.sleep(500) // a stray extra copy would show by now
  const exit = await second.stop()

  const ours = sink.messages.filter((m) => m.messageId && keys.has(m.messageId))
  const perKey = new Map<string, number>()
  for (const m of ours) perKey.set(m.messageId!, (perKey.get(m.messageId!) ?? 0) + 1)
  const perRecipient = new Map<string, number>()
  for (const m of ours) for (const a of m.to) perRecipient.set(a.toLowerCase(), (perRecipient.get(a.toLowerCase()) ?? 0) + 1)
  const missing = [...recipients].filter((a) => !perRecipient.has(a))
  const dupKeys = [...perKey].filter(([, n]) => n > 1).map(([k]) => k)
  const dupRecipients = [...perRecipient].filter(([, n]) => n > 1).map(([a]) => a)
  const inFlightRecipients = new Set(atKill.filter((r) => inFlight.includes(r.key)).flatMap((r) => r.bcc.map((a) => a.toLowerCase())))
  const resentAfterRecorded = sink.messages.slice(receivedAtKill).filter((m) => sentAtKill.has(m.messageId!)).length
  const figures = {
    recipients: recipients.size, batches: rows.length, messagesReceived: ours.length, deliveries: [...perRecipient.values()].reduce((a, b) => a + b, 0),
    missing: missing.length, duplicateMessages: dupKeys.length, duplicateRecipients: dupRecipients.length, inFlightAtKill: inFlight.length,
    receivedBeforeKill: receivedAtKill, resentAfterRecorded, drainAfterRestartMs: drainMs, secondExit: exit,
  }
  log(JSON.stringify(figures))
  reportFigures('SIGKILL during a 2,000-recipient mail job', {
    delivered: `${recipients.size - missing.length} of ${recipients.size} recipients (${rows.length} BCC batches); ${missing.length} missing`,
    duplicates: `${dupKeys.length} message(s) twice (${dupRecipients.length} recipients), all in flight at the kill: ${dupKeys.join(', ') || 'none'}`,
    kill: `after ${receivedAtKill} of ${rows.length} batches; the rest sent ${(drainMs / 1000).toFixed(1)} s after the restart (lease ${LEASE_S} s)`,
  })

  expect(missing).toEqual([])
  expect(inFlight.length).toBeLessThanOrEqual(1) // one message at a time
  for (const k of dupKeys) expect(inFlight).toContain(k)
  for (const a of dupRecipients) expect(inFlightRecipients.has(a)).toBe(true)
  expect(Math.max(...perKey.values())).toBeLessThanOrEqual(2)
  expect(resentAfterRecorded).toBe(0) // nothing recorded as sent went out again
  expect([...perKey.keys()].sort()).toEqual([...keys].sort())
  expect(exit).toBe(0)
}, 180_000)
