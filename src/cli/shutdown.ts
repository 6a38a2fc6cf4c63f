import type { Logger } from '../platform/log.ts'

// What `ion serve` and `ion worker` share on SIGTERM/SIGINT: every stop runs at once, each bounded
// by one budget, and a hard exit if even that hangs, so a restart never waits more than ~10 s.

/** The whole shutdown, from the signal to the exit. */
export const SHUTDOWN_LIMIT_MS = 9_500
/** What the stops (requests in flight, the mail in flight, running jobs) may take together. */
export const STOP_BUDGET_MS = 7_500

export type Stop = { name: string; stop: () => Promise<unknown> | unknown }

/** Runs the stops in parallel; resolves when all are done or the budget is spent (logging what was not). */
export async function stopWithin(stops: Stop[], budgetMs: number, log: Logger): Promise<void> {
  const pending = new Set(stops.map((s) => s.name))
  const all = Promise.allSettled(stops.map(async (s) => {
    try {
      await s.stop()
    } catch (e) {
      log.error('shutdown: stop failed', { service: s.name, error: String((e as Error)?.message ?? e) })
    } finally {
      pending.delete(s.name)
    }
  }))
  await Promise.race([all, Bun.sleep(budgetMs)])
  if (pending.size) log.warn('shutdown: not stopped in time', { services: [...pending], budgetMs })
}

/**
 * Calls `shutdown` once on the first SIGTERM or SIGINT, then exits 0 (or 1 when it throws or
 * overruns SHUTDOWN_LIMIT_MS).
 */
export function onTermination(log: Logger, shutdown: (signal: string) => Promise<void>): void {
  let stopping = false
  const handle = (signal: string) => {
    if (stopping) return
    stopping = true
    const started = performance.now()
    log.info('shutting down', { signal })
    const hard = setTimeout(() => {
      log.error('shutdown: over the time limit; exiting', { limitMs: SHUTDOWN_LIMIT_MS })
      process.exit(1)
    }, SHUTDOWN_LIMIT_MS)
    shutdown(signal).then(
      () => {
        clearTimeout(hard)
        log.info('stopped', { signal, ms: Math.round(performance.now() - started) })
        process.exit(0)
      },
      (e) => {
        log.error('shutdown failed', { error: String((e as Error)?.message ?? e) })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => handle('SIGTERM'))
  process.on('SIGINT', () => handle('SIGINT'))
}
