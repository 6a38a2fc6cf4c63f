import type { Config } from '../../config.ts'
import type { Clock } from '../clock.ts'
import type { Db } from '../db.ts'
import type { Logger } from '../log.ts'
import { insertOutboxRows, type NewOutboxRow } from './outbox.sql.ts'
import type { EnqueueResult, MailMessage } from './types.ts'

export type MailConfig = Pick<Config, 'mailFrom' | 'mailSubjectPrefix' | 'mailBccBatch' | 'baseUrl'>

/** What features call: `mail.enqueue(tx, message)` inside the transaction that makes the change. */
export type Mail = {
  enqueue(db: Db, message: MailMessage): Promise<EnqueueResult>
  /** Wake the worker (enqueue does it; the worker also polls). */
  nudge(): void
}

export function createMail(opts: { config: MailConfig; clock: Clock; nudge?: () => void; log?: Logger }): Mail {
  const nudge = opts.nudge ?? (() => {})
  return {
    async enqueue(db, message) {
      const rows = outboxRowsFor(message, opts.config, (bad) => opts.log?.warn('mail: invalid address left out', { kind: message.kind, address: bad.slice(0, 200) }))
      const inserted = await insertOutboxRows(db, rows, opts.clock.now())
      // The row is visible once the caller commits; the worker looks again shortly after a nudge.
      if (inserted) nudge()
      return { messageIds: rows.map((r) => r.idempotencyKey), inserted }
    },
    nudge,
  }
}

/** The app's mail service: the one `ion serve` started, or one that only writes the outbox. */
export function mailOf(deps: { services: Record<string, unknown>; config: MailConfig; clock: Clock; log?: Logger }): Mail {
  const m = deps.services.mail as Mail | undefined
  if (m) return m
  let cached = fallback.get(deps.services)
  if (!cached) {
    cached = createMail({ config: deps.config, clock: deps.clock, log: deps.log })
    fallback.set(deps.services, cached)
  }
  return cached
}
const fallback = new WeakMap<object, Mail>()

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$|^[^\s@<>,;"]+@localhost$/i

export function normalizeAddresses(list: string | string[], onInvalid: (a: string) => void = () => {}): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of Array.isArray(list) ? list : [list]) {
    const a = raw.trim()
    if (!ADDRESS.test(a)) {
      if (a) onInvalid(a)
      continue
    }
    const k = a.toLowerCase()
    if (seen.has(k)) continue
    seen.add(k)
    out.push(a)
  }
  return out
}

/** Letters, digits, '_' and '-' stay; every other byte becomes =XX (injective, valid in a Message-ID). */
export function encodeKey(key: string): string {
  let out = ''
  for (const b of new TextEncoder().encode(key)) {
    const c = String.fromCharCode(b)
    out += /[A-Za-z0-9_-]/.test(c) ? c : '=' + b.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

export function messageIdHost(baseUrl: string): string {
  return new URL(baseUrl).hostname || 'localhost'
}

/**
 * One outbox row per SMTP message: a personal message is one row; a bulk one is one row per BCC
 * batch of MAIL_BCC_BATCH (To: MAIL_FROM), each with its own Message-ID `<key.batchN@host>`, so
 * each batch is retried on its own.
 */
export function outboxRowsFor(m: MailMessage, config: MailConfig, onInvalid?: (a: string) => void): NewOutboxRow[] {
  const recipients = normalizeAddresses(m.to, onInvalid)
  if (recipients.length === 0) return []
  const audience = m.audience ?? (recipients.length === 1 ? 'personal' : 'bulk')
  const key = encodeKey(m.key ?? crypto.randomUUID())
  const host = messageIdHost(config.baseUrl)
  const subject = (config.mailSubjectPrefix + m.subject).replace(/[\r\n]+/g, ' ').slice(0, 900)
  const headers: Record<string, string> = {
    'X-Ion-Kind': m.kind,
    'Auto-Submitted': 'auto-generated',
    'List-Unsubscribe': `<${config.baseUrl}/preferences>`,
    ...(audience === 'bulk' ? { Precedence: 'bulk' } : {}),
    ...m.headers,
  }
  const base = { kind: m.kind, subject, html: m.html, text: m.text, headers }
  if (audience === 'personal') return [{ ...base, idempotencyKey: `<${key}@${host}>`, toAddrs: recipients, bccAddrs: [] }]
  const size = Math.max(1, config.mailBccBatch)
  const rows: NewOutboxRow[] = []
  for (let i = 0; i < recipients.length; i += size) {
    rows.push({ ...base, idempotencyKey: `<${key}.batch${i / size + 1}@${host}>`, toAddrs: [config.mailFrom], bccAddrs: recipients.slice(i, i + size) })
  }
  return rows
}
