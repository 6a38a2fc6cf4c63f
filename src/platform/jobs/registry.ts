import type { Config } from '../../config.ts'
import type { Clock } from '../clock.ts'
import type { Sql } from '../db.ts'
import type { Logger } from '../log.ts'
import type { Redis } from '../redis.ts'
import { parsePattern } from './slots.ts'

// Features register their scheduled jobs at import time (like CLI commands); `ion serve`'s
// scheduler runs whatever is registered. Each job says what a missed run does after a restart.

/** What a job body gets: the app's dependencies, its slot and the time the run started. */
export type JobEnv = { sql: Sql; redis: Redis; clock: Clock; config: Config; log: Logger }
export type JobCtx = JobEnv & { slot: string; now: Date }

export type JobDef = {
  /** Unique, e.g. 'mail.outbox-retention'. */
  name: string
  description: string
  /** A cron pattern (5 or 6 fields) in SCHOOL_TZ. */
  schedule: string
  /**
   * After a restart: 'run-once' runs the job at start when its last run is older than its latest
   * scheduled time (one run, however many were missed); 'skip' waits for the next slot.
   */
  catchUp: 'run-once' | 'skip'
  /** The job body; the text it returns is kept with the run (e.g. "deleted 12 rows"). */
  run(ctx: JobCtx): Promise<string | void>
}

const jobs = new Map<string, JobDef>()

export function registerJob(job: JobDef): void {
  if (!/^[a-z][a-z0-9_.-]*$/.test(job.name)) throw new Error(`bad job name "${job.name}"`)
  if (jobs.has(job.name)) throw new Error(`duplicate job ${job.name}`)
  parsePattern(job.schedule) // throws on a bad pattern, at import time
  jobs.set(job.name, job)
}

export const registeredJobs = (): JobDef[] => [...jobs.values()]
export const findJob = (name: string): JobDef | undefined => jobs.get(name)
