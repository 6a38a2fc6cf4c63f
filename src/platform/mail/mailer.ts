import type { Config } from '../../config.ts'
import type { Logger } from '../log.ts'
import type { FromWorker, ToWorker, WorkerStart } from './protocol.ts'
import { DEFAULT_DELIVERY, type DeliveryOptions } from './types.ts'

// The main thread's handle on the mail worker thread. Config goes to the worker explicitly
// (postMessage; env is copied too): a Bun Worker does not see run-time process.env changes.

export type MailWorkerOptions = {
  /** How often the worker looks for due mail without a nudge (default 3 s). */
  pollMs?: number
  delivery?: Partial<DeliveryOptions>
  /** Every message from the worker (sent, retry, failed, ready, …): tests and benchmarks. */
  onEvent?: (e: FromWorker) => void
}

export type MailWorker = {
  /** Resolves when the worker has its pool and transport. */
  ready: Promise<{ smtp: boolean }>
  /** Wake the worker: new mail was enqueued. */
  nudge(): void
  /** Lets the message in flight finish, closes the pool and the transport. */
  stop(): Promise<void>
}

export function startMailWorker(
  config: Pick<Config, 'databaseUrl' | 'smtpUrl' | 'mailFrom' | 'schoolTz'>,
  log: Logger,
  opts: MailWorkerOptions = {},
): MailWorker {
  const init: WorkerStart = {
    type: 'start',
    databaseUrl: config.databaseUrl,
    smtpUrl: config.smtpUrl,
    mailFrom: config.mailFrom,
    schoolTz: config.schoolTz,
    pollMs: opts.pollMs ?? 3000,
    delivery: { ...DEFAULT_DELIVERY, ...opts.delivery },
  }
  let stopping = false
  let worker: Worker
  let onStopped: (() => void) | null = null
  let readyResolve!: (v: { smtp: boolean }) => void
  const ready = new Promise<{ smtp: boolean }>((r) => { readyResolve = r })

  const spawn = () => {
    const w = new Worker(new URL('./worker.ts', import.meta.url).href, { env: { ...process.env } as Record<string, string> })
    w.onmessage = (ev: MessageEvent<FromWorker>) => {
      const m = ev.data
      if (m.type === 'ready') {
        readyResolve({ smtp: m.smtp })
        if (!m.smtp) log.warn('mail: SMTP_URL is unset; mail stays in the outbox and is written to the log')
      } else if (m.type === 'stopped') onStopped?.()
      else if (m.type === 'error') log.error('mail worker error', { error: m.error })
      opts.onEvent?.(m)
    }
    w.addEventListener('error', (e) => log.error('mail worker crashed', { error: String((e as ErrorEvent).message ?? e) }))
    w.addEventListener('close', () => {
      if (stopping) return onStopped?.()
      if (w !== worker) return
      // Unexpected exit: start a new one; the outbox is in PostgreSQL, nothing is lost.
      log.error('mail worker exited; restarting')
      setTimeout(() => { if (!stopping) spawn() }, 1000)
    })
    worker = w
    w.postMessage(init satisfies ToWorker)
  }
  spawn()

  return {
    ready,
    nudge() {
      if (!stopping) worker.postMessage({ type: 'nudge' } satisfies ToWorker)
    },
    async stop() {
      if (stopping) return
      stopping = true
      const w = worker
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 10_000)
        onStopped = () => { clearTimeout(t); resolve() }
        w.postMessage({ type: 'stop' } satisfies ToWorker)
      })
      w.terminate()
    },
  }
}
