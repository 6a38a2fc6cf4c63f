import type { DeliveryEvent } from './delivery.ts'
import type { DeliveryOptions } from './types.ts'

// Messages between the main thread and the mail worker thread (worker.ts).

/** Config travels explicitly: a Bun Worker does not see run-time process.env edits. */
export type WorkerStart = {
  type: 'start'
  databaseUrl: string
  smtpUrl: string | null
  mailFrom: string
  schoolTz: string
  pollMs: number
  delivery: DeliveryOptions
}

export type ToWorker = WorkerStart | { type: 'nudge' } | { type: 'stop' }

export type FromWorker =
  | { type: 'ready'; smtp: boolean }
  | { type: 'stopped' }
  | { type: 'error'; error: string }
  | DeliveryEvent
