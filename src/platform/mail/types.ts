/** What a feature hands to `mail.enqueue`. Bodies come from `renderEmail` (render.tsx). */
export type MailMessage = {
  /** What the message is about, e.g. 'eighth.cancelled' (shown to admins, used for opt-outs). */
  kind: string
  /**
   * Addresses. One address → a personal message (To: that address). Several → bulk: BCC batches
   * of MAIL_BCC_BATCH with To: MAIL_FROM. `audience` overrides the choice.
   */
  to: string | string[]
  /** Without the configured prefix (MAIL_SUBJECT_PREFIX is added). */
  subject: string
  html: string
  text: string
  /**
   * Idempotency key (letters, digits and any other characters; they are encoded). Enqueueing the
   * same key twice sends once. Defaults to a random one. Becomes the Message-ID
   * `<key.batchN@host>`.
   */
  key?: string
  audience?: 'personal' | 'bulk'
  headers?: Record<string, string>
}

export type EnqueueResult = {
  /** One Message-ID per outbox row (per BCC batch). */
  messageIds: string[]
  /** How many rows were new (a repeated key inserts nothing). */
  inserted: number
}

export type MailState = 'pending' | 'sent' | 'failed' | 'discarded'

/** An outbox row as the worker and the admin page see it. */
export type OutboxRow = {
  id: string
  kind: string
  idempotencyKey: string
  toAddrs: string[]
  bccAddrs: string[]
  subject: string
  html: string
  text: string
  headers: Record<string, string>
  state: MailState
  attempts: number
  createdAt: Date
  nextAttemptAt: Date
  lockedUntil: Date | null
  sentAt: Date | null
  lastError: string | null
  updatedAt: Date
}

/** The delivery policy (the worker's). */
export type DeliveryOptions = {
  /** How long a claim lasts; an unfinished claim (a killed process) is retried after it. */
  leaseMs: number
  /** After this many attempts the message is marked failed and shown to admins. */
  maxAttempts: number
  /** First retry delay; doubles each attempt, capped at maxBackoffMs. */
  backoffMs: number
  maxBackoffMs: number
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  leaseMs: 2 * 60_000,
  maxAttempts: 8,
  backoffMs: 60_000,
  maxBackoffMs: 6 * 3600_000,
}
