import { Cron } from 'croner'
import { abandonStaleRuns, lastRunStart } from './jobs.sql.ts'
import { registeredJobs, type JobDef, type JobEnv } from './registry.ts'
import { instanceName, jobLeaseMs, runSlot, type RunResult } from './run.ts'
import { previousOccurrence, slotOf } from './slots.ts'

// croner in SCHOOL_TZ with protect (no overlap on one instance); job_runs (UNIQUE job+slot)
// makes one instance run each slot across all of them. A run whose instance died (no heartbeat for
// JOB_LEASE_SECONDS) is marked abandoned at start and then every half lease, by whichever looks first.

export type Scheduler = {
  /** Schedules every job and starts catching up missed runs (see `caughtUp`). */
  start(): void
  /** Resolves when the start-time catch-up runs are done. */
  readonly caughtUp: Promise<RunResult[]>
  /** Stops scheduling and waits (up to `graceMs`) for runs in progress. */
  stop(graceMs?: number): Promise<void>
}

export function createScheduler(env: JobEnv, jobs: JobDef[] = registeredJobs(), opts: { instance?: string } = {}): Scheduler {
  const tz = env.config.schoolTz
  const instance = opts.instance ?? instanceName()
  const crons: Cron[] = []
  let sweeper: ReturnType<typeof setInterval> | null = null
  const running = new Set<Promise<unknown>>()
  let caughtUp: Promise<RunResult[]> = Promise.resolve([])

  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p)
    void p.finally(() => running.delete(p)).catch(() => {})
    return p
  }

  async function fire(job: JobDef, cron: Cron) {
    // The occurrence this trigger is for (croner fires at or just after it), identical on every instance.
    const firedAt = cron.currentRun() ?? new Date()
    const occurrence = cron.previousRuns(1, new Date(firedAt.getTime() + 1))[0] ?? firedAt
    await track(runSlot(env, job, slotOf(occurrence), instance))
  }

  async function sweep(): Promise<void> {
    try {
      const now = env.clock.now()
      const gone = await abandonStaleRuns(env.sql, new Date(now.getTime() - jobLeaseMs(env)), now)
      for (const r of gone) env.log.warn('job run abandoned', { job: r.job, slot: r.slot, instance: r.instance })
    } catch (e) {
      env.log.error('job sweep failed', { error: String((e as Error)?.message ?? e) })
    }
  }

  async function catchUpOne(job: JobDef): Promise<RunResult | null> {
    if (job.catchUp !== 'run-once') return null
    const now = env.clock.now()
    const due = previousOccurrence(job.schedule, tz, now)
    if (!due) return null
    const last = await lastRunStart(env.sql, job.name)
    if (last && last.getTime() >= due.getTime()) return null
    env.log.info('job catch-up', { job: job.name, missed: slotOf(due), last: last?.toISOString() ?? null })
    return runSlot(env, job, slotOf(due), instance)
  }

  return {
    start() {
      for (const job of jobs) {
        const cron: Cron = new Cron(job.schedule, {
          timezone: tz,
          protect: true,
          catch: (e) => env.log.error('job error', { job: job.name, error: String((e as Error)?.message ?? e) }),
        }, () => fire(job, cron))
        crons.push(cron)
      }
      sweeper = setInterval(() => void sweep(), Math.max(500, jobLeaseMs(env) / 2))
      // An abandoned run still counts as its slot's run: catch-up does not run that slot again.
      caughtUp = track(sweep().then(() => Promise.all(jobs.map((j) => catchUpOne(j).catch((e) => {
        env.log.error('job catch-up failed', { job: j.name, error: String((e as Error)?.message ?? e) })
        return null
      })))).then((rs) => rs.filter((r): r is RunResult => r !== null)))
    },
    get caughtUp() {
      return caughtUp
    },
    async stop(graceMs = 10_000) {
      for (const c of crons) c.stop()
      crons.length = 0
      if (sweeper) clearInterval(sweeper)
      sweeper = null
      if (running.size) await Promise.race([Promise.allSettled([...running]), Bun.sleep(graceMs)])
    },
  }
}
