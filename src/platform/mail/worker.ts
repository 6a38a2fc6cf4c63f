// The mail worker thread: its own small PostgreSQL pool (max 2), one nodemailer transport, a loop
// that drains due outbox rows, woken by a nudge from the main thread or every `pollMs`.
// A separate build entry point (scripts/build.ts), started by mailer.ts.
import nodemailer from 'nodemailer'
import { connectDb, type Sql } from '../db.ts'
import { jsonLogger } from '../log.ts'
import { createDeliverer, type Deliverer, type Transport } from './delivery.ts'
import type { FromWorker, ToWorker, WorkerStart } from './protocol.ts'

declare var self: Worker

const post = (m: FromWorker) => self.postMessage(m)
const log = jsonLogger()

let sql: Sql | null = null
let transport: Transport | null = null
let deliverer: Deliverer | null = null
let stopping = false
let loop: Promise<void> | null = null
let wake: (() => void) | null = null
/**
 * A nudge comes from inside the enqueuing transaction, before its commit: after one, look again
 * a few times at growing intervals (one cheap indexed query each) before going back to polling.
 */
const AFTER_NUDGE_MS = [10, 25, 50, 100, 200, 400]
let burst: number[] = []

function start(cfg: WorkerStart) {
  sql = connectDb(cfg.databaseUrl, { max: 2, tz: cfg.schoolTz, appName: 'ion-mail' })
  // The url goes inside the options object: createTransport(url, x) reads x as message defaults,
  // so pool and timeouts given that way are silently ignored (a new connection per message).
  // Timeouts stay well inside the claim's lease.
  transport = cfg.smtpUrl
    ? (nodemailer.createTransport({
        url: cfg.smtpUrl, pool: true, maxConnections: 2, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000,
      } as never) as unknown as Transport)
    : null
  deliverer = createDeliverer({
    sql, transport, from: cfg.mailFrom, log, now: () => new Date(), delivery: cfg.delivery, onEvent: post,
  })
  loop = run(cfg.pollMs)
  post({ type: 'ready', smtp: Boolean(transport) })
}

async function run(pollMs: number) {
  let failures = 0
  while (!stopping) {
    try {
      if (transport) await deliverer!.drain(() => stopping)
      else await deliverer!.logPending()
      failures = 0
    } catch (e) {
      // PostgreSQL down or restarting: keep polling, with a quieter log.
      if (failures++ % 20 === 0) log.error('mail worker: database error', { error: String((e as Error)?.message ?? e).slice(0, 500) })
    }
    if (stopping) break
    const wait = burst.shift() ?? pollMs
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, wait)
      wake = () => { clearTimeout(t); resolve() }
    })
    wake = null
  }
}

async function stop() {
  stopping = true
  wake?.()
  try { await loop } catch {}
  try { transport?.close() } catch {}
  try { await sql?.end({ timeout: 2 }) } catch {}
  post({ type: 'stopped' })
  process.exit(0)
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const m = ev.data
  try {
    if (m.type === 'start' && !deliverer) start(m)
    else if (m.type === 'nudge') {
      burst = [...AFTER_NUDGE_MS]
      wake?.()
    } else if (m.type === 'stop') void stop()
  } catch (e) {
    post({ type: 'error', error: String((e as Error)?.message ?? e) })
  }
}
