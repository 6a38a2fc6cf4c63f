import { hostname } from 'node:os'
import { claimRun, finishRun, heartbeatRun } from './jobs.sql.ts'
import type { JobDef, JobEnv } from './registry.ts'
import { manualSlot } from './slots.ts'

export type RunResult =
  | { status: 'taken' }
  | { status: 'ok'; runId: string; detail: string | null }
  | { status: 'error'; runId: string; error: string }

export const instanceName = (): string => `${hostname()}:${process.pid}`

/**
 * Claims (job, slot); when this instance's insert won, starts the body and returns its completion
 * (wrapped: a returned promise would be awaited). Null when another instance has the slot.
 */
export async function claimSlot(env: JobEnv, job: JobDef, slot: string, instance = instanceName()): Promise<{ done: Promise<RunResult> } | null> {
  const now = env.clock.now()
  const runId = await claimRun(env.sql, job.name, slot, instance, now)
  if (!runId) return null
  return { done: execute(env, job, slot, runId, now) }
}

/** How long a run may go without a heartbeat before another scheduler calls it abandoned. */
export const jobLeaseMs = (env: JobEnv): number => env.config.jobLeaseSeconds * 1000

async function execute(env: JobEnv, job: JobDef, slot: string, runId: string, now: Date): Promise<RunResult> {
  let result: RunResult
  // The lease: beat three times per JOB_LEASE_SECONDS while the body runs (a failed beat is
  // retried at the next; only a silence of the whole lease marks the run abandoned).
  const beat = setInterval(() => {
    heartbeatRun(env.sql, runId, env.clock.now()).catch(() => {})
  }, Math.max(100, jobLeaseMs(env) / 3))
  try {
    const detail = (await job.run({ ...env, slot, now })) ?? null
    result = { status: 'ok', runId, detail: detail ? String(detail).slice(0, 2000) : null }
  } catch (e) {
    const error = String((e as Error)?.stack ?? e).slice(0, 4000)
    env.log.error('job failed', { job: job.name, slot, error: error.slice(0, 500) })
    result = { status: 'error', runId, error }
  } finally {
    clearInterval(beat)
  }
  try {
    await finishRun(env.sql, runId, env.clock.now(), result.status === 'ok' ? 'ok' : 'error', result.status === 'ok' ? result.detail : null, result.status === 'error' ? result.error : null)
  } catch (e) {
    env.log.error('job run not recorded', { job: job.name, slot, error: String((e as Error)?.message ?? e) })
  }
  return result
}

/** Claims a slot and waits for the run: 'taken' when another instance has it. */
export async function runSlot(env: JobEnv, job: JobDef, slot: string, instance?: string): Promise<RunResult> {
  const claimed = await claimSlot(env, job, slot, instance)
  return claimed ? claimed.done : { status: 'taken' }
}

/** "Run now" (admin): its own slot `manual:<iso time>`; resolves once claimed, with the run's completion. */
export async function runNow(env: JobEnv, job: JobDef): Promise<{ slot: string; done: Promise<RunResult> } | null> {
  const slot = manualSlot(env.clock.now())
  const claimed = await claimSlot(env, job, slot)
  return claimed ? { slot, done: claimed.done } : null
}
