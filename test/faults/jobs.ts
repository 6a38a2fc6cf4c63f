// What the job fault tests share: the preloaded `fault.tick` job (fixtures/fault-job.ts) and what
// job_runs and its body rows say about each slot. Never imported by the test suite.
import type { Sql } from '../../src/platform/db.ts'

export const FAULT_JOB = 'fault.tick'

/** The env that makes `ion serve` load the fault job: schedule (6-field cron) and body time. */
export function faultJobEnv(o: { schedule: string; bodyMs: number; leaseSeconds?: number }): Record<string, string> {
  return {
    BUN_OPTIONS: `--preload ${new URL('./fixtures/fault-job.ts', import.meta.url).pathname}`,
    FAULT_JOB_SCHEDULE: o.schedule,
    FAULT_JOB_MS: String(o.bodyMs),
    ...(o.leaseSeconds ? { JOB_LEASE_SECONDS: String(o.leaseSeconds) } : {}),
  }
}

export type SlotRecord = {
  slot: string
  run: { instance: string; outcome: string | null; error: string | null; startedAt: Date; finishedAt: Date | null } | null
  /** pids of the bodies that began / finished this slot. */
  starts: number[]
  ends: number[]
}

/** Every slot of `job` that has a job_runs row or a body row, oldest first. */
export async function slotRecords(sql: Sql, job = FAULT_JOB): Promise<SlotRecord[]> {
  const runs = await sql<{ slot: string; instance: string; outcome: string | null; error: string | null; startedAt: Date; finishedAt: Date | null }[]>`
    SELECT slot, instance, outcome, error, started_at, finished_at FROM job_runs WHERE job = ${job}`
  const bodies = await sql<{ slot: string; phase: string; pid: number }[]>`
    SELECT target_id AS slot, target_type AS phase, (details->>'pid')::int AS pid FROM audit_log WHERE action = ${job} ORDER BY id`
  const by = new Map<string, SlotRecord>()
  const rec = (slot: string) => {
    let r = by.get(slot)
    if (!r) by.set(slot, (r = { slot, run: null, starts: [], ends: [] }))
    return r
  }
  for (const r of runs) rec(r.slot).run = { instance: r.instance, outcome: r.outcome, error: r.error, startedAt: r.startedAt, finishedAt: r.finishedAt }
  for (const b of bodies) (b.phase === 'start' ? rec(b.slot).starts : rec(b.slot).ends).push(b.pid)
  return [...by.values()].sort((a, b) => a.slot.localeCompare(b.slot))
}

/** Polls `fn` every 50 ms until it returns a truthy value. */
export async function waitFor<T>(fn: () => Promise<T> | T, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await Bun.sleep(50)
  }
}
