import type { Db } from '../db.ts'
import type { Logger } from '../log.ts'
import { claimNext, extendLease, markFailed, markRetry, markSent, pendingAfter, pendingSummary } from './outbox.sql.ts'
import type { DeliveryOptions, OutboxRow } from './types.ts'

// What the worker thread runs: claim one due row under a lease, send it, record the outcome.
// One message at a time, so after a SIGKILL at most the one in flight can go out twice.

/** The part of a nodemailer transport we use (tests may pass their own). */
export type Transport = {
  sendMail(m: {
    from: string
    to: string[]
    bcc?: string[]
    subject: string
    html: string
    text: string
    messageId: string
    headers: Record<string, string>
    envelope: { from: string; to: string[] }
  }): Promise<{ accepted?: unknown[]; rejected?: unknown[]; response?: string }>
  close(): void
}

export type DeliveryEvent =
  | { type: 'sent'; id: string; messageId: string }
  | { type: 'retry'; id: string; messageId: string; attempts: number; error: string; nextAttemptAt: string }
  | { type: 'failed'; id: string; messageId: string; attempts: number; error: string }

export type Deliverer = {
  /**
   * Sends every due message, one at a time, until none is due or `stop()` says so (a shutdown:
   * the message in flight finishes, the rest wait in the outbox); returns how many were handled.
   * Database errors are thrown.
   */
  drain(stop?: () => boolean): Promise<number>
  /** Without SMTP: writes messages not yet logged to the log (they stay in the outbox). */
  logPending(): Promise<number>
}

export function backoff(attempts: number, o: DeliveryOptions): number {
  return Math.min(o.maxBackoffMs, o.backoffMs * 2 ** Math.max(0, attempts - 1))
}

export function smtpErrorText(e: unknown): string {
  const err = e as { responseCode?: number; response?: string; code?: string; message?: string }
  const text = err?.response || err?.message || String(e)
  const code = err?.responseCode ? `${err.responseCode} ` : err?.code && !text.includes(err.code) ? `${err.code}: ` : ''
  return (code + text).replace(/\s+/g, ' ').slice(0, 1000)
}

export function createDeliverer(opts: {
  sql: Db
  transport: Transport | null
  from: string
  log: Logger
  now: () => Date
  delivery: DeliveryOptions
  onEvent?: (e: DeliveryEvent) => void
}): Deliverer {
  const { sql, transport, log, now, delivery } = opts
  const emit = opts.onEvent ?? (() => {})
  let loggedUpTo: string | null = null

  async function deliver(row: OutboxRow): Promise<void> {
    const bulk = row.bccAddrs.length > 0
    let info: Awaited<ReturnType<Transport['sendMail']>>
    // Renew the lease while sending, so a slow send is never taken over by another worker.
    const renew = setInterval(() => {
      extendLease(sql, row.id, new Date(now().getTime() + delivery.leaseMs)).catch(() => {})
    }, Math.max(250, delivery.leaseMs / 3))
    try {
      info = await transport!.sendMail({
        from: opts.from,
        to: row.toAddrs,
        ...(bulk ? { bcc: row.bccAddrs } : {}),
        subject: row.subject,
        html: row.html,
        text: row.text,
        messageId: row.idempotencyKey,
        headers: row.headers,
        // A bulk message shows To: MAIL_FROM but goes only to its BCC batch.
        envelope: { from: opts.from, to: bulk ? row.bccAddrs : row.toAddrs },
      })
    } catch (e) {
      return failed(row, smtpErrorText(e))
    } finally {
      clearInterval(renew)
    }
    // A database error here leaves the row claimed: it is sent again after the lease (at-least-once).
    const rejected = (info.rejected ?? []).map(String)
    const note = rejected.length ? `rejected by the server: ${rejected.slice(0, 20).join(', ')}${rejected.length > 20 ? ' …' : ''}` : null
    await markSent(sql, row.id, now(), note)
    emit({ type: 'sent', id: row.id, messageId: row.idempotencyKey })
  }

  async function failed(row: OutboxRow, error: string): Promise<void> {
    const t = now()
    if (row.attempts >= delivery.maxAttempts) {
      await markFailed(sql, row.id, t, error)
      log.error('mail failed', { id: row.id, kind: row.kind, messageId: row.idempotencyKey, attempts: row.attempts, error })
      emit({ type: 'failed', id: row.id, messageId: row.idempotencyKey, attempts: row.attempts, error })
    } else {
      const next = new Date(t.getTime() + backoff(row.attempts, delivery))
      await markRetry(sql, row.id, t, next, error)
      log.warn('mail retry', { id: row.id, kind: row.kind, attempts: row.attempts, next: next.toISOString(), error })
      emit({ type: 'retry', id: row.id, messageId: row.idempotencyKey, attempts: row.attempts, error, nextAttemptAt: next.toISOString() })
    }
  }

  return {
    async drain(stop = () => false) {
      if (!transport) return 0
      let n = 0
      while (!stop()) {
        const t = now()
        const row = await claimNext(sql, t, new Date(t.getTime() + delivery.leaseMs))
        if (!row) return n
        await deliver(row)
        n++
      }
      return n
    },
    async logPending() {
      if (loggedUpTo === null) {
        const s = await pendingSummary(sql)
        loggedUpTo = s.maxId
        if (s.n) log.warn('mail not sent: SMTP_URL is unset; messages wait in the outbox', { pending: s.n })
        return 0
      }
      const rows = await pendingAfter(sql, loggedUpTo, 100)
      for (const r of rows) {
        log.info('mail (not sent: SMTP_URL is unset; kept in the outbox)', {
          id: r.id, kind: r.kind, messageId: r.idempotencyKey, to: r.toAddrs, bcc: r.bccAddrs.length, subject: r.subject, text: r.text.slice(0, 4000),
        })
        loggedUpTo = r.id
      }
      return rows.length
    },
  }
}
