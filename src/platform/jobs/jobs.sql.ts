import type { Db } from '../db.ts'

export type JobRun = {
  id: string
  job: string
  slot: string
  instance: string
  startedAt: Date
  /** Moved forward while the body runs; a stale one means the instance died (see abandonStaleRuns). */
  heartbeatAt: Date | null
  finishedAt: Date | null
  outcome: 'ok' | 'error' | 'abandoned' | null
  detail: string | null
  error: string | null
}

/** The one statement that decides who runs a slot: the instance whose insert succeeded. */
export async function claimRun(db: Db, job: string, slot: string, instance: string, at: Date): Promise<string | null> {
  const [r] = await db<{ id: string }[]>`
    INSERT INTO job_runs (job, slot, instance, started_at, heartbeat_at) VALUES (${job}, ${slot}, ${instance}, ${at}, ${at})
    ON CONFLICT (job, slot) DO NOTHING RETURNING id`
  return r?.id ?? null
}

export async function finishRun(db: Db, id: string, at: Date, outcome: 'ok' | 'error', detail: string | null, error: string | null): Promise<void> {
  await db`
    UPDATE job_runs SET finished_at = ${at}, outcome = ${outcome}, detail = ${detail}, error = ${error}
    WHERE id = ${id}`
}

/** The running instance's "still alive" for one run. */
export async function heartbeatRun(db: Db, id: string, at: Date): Promise<void> {
  await db`UPDATE job_runs SET heartbeat_at = ${at} WHERE id = ${id} AND finished_at IS NULL`
}

/**
 * Runs whose instance stopped beating before `staleBefore` (killed, or cut off from PostgreSQL)
 * are finished as 'abandoned'. Their (job, slot) rows stay, so no one runs those slots again.
 */
export async function abandonStaleRuns(db: Db, staleBefore: Date, at: Date): Promise<Pick<JobRun, 'job' | 'slot' | 'instance'>[]> {
  return db<Pick<JobRun, 'job' | 'slot' | 'instance'>[]>`
    UPDATE job_runs SET finished_at = ${at}, outcome = 'abandoned',
      error = 'The instance running it stopped (no heartbeat since ' || to_char(coalesce(heartbeat_at, started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '); the slot is not run again.'
    WHERE finished_at IS NULL AND coalesce(heartbeat_at, started_at) < ${staleBefore}
    RETURNING job, slot, instance`
}

export async function lastRunStart(db: Db, job: string): Promise<Date | null> {
  const [r] = await db<{ at: Date | null }[]>`SELECT max(started_at) AS at FROM job_runs WHERE job = ${job}`
  return r?.at ?? null
}

/** Each job's latest run. */
export async function latestRuns(db: Db, jobs: string[]): Promise<JobRun[]> {
  if (jobs.length === 0) return []
  return db<JobRun[]>`
    SELECT DISTINCT ON (job) * FROM job_runs WHERE job = ANY(${jobs})
    ORDER BY job, started_at DESC, id DESC`
}

export async function runsOf(db: Db, job: string, limit: number): Promise<JobRun[]> {
  return db<JobRun[]>`SELECT * FROM job_runs WHERE job = ${job} ORDER BY started_at DESC, id DESC LIMIT ${limit}`
}

export async function deleteRunsBefore(db: Db, before: Date): Promise<number> {
  const r = await db`DELETE FROM job_runs WHERE started_at < ${before}`
  return r.count
}
