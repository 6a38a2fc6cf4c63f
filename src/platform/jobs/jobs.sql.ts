import type { Db } from '../db.ts'

export type JobRun = {
  id: string
  job: string
  slot: string
  instance: string
  startedAt: Date
  finishedAt: Date | null
  outcome: 'ok' | 'error' | null
  detail: string | null
  error: string | null
}

/** The one statement that decides who runs a slot: the instance whose insert succeeded. */
export async function claimRun(db: Db, job: string, slot: string, instance: string, at: Date): Promise<string | null> {
  const [r] = await db<{ id: string }[]>`
    INSERT INTO job_runs (job, slot, instance, started_at) VALUES (${job}, ${slot}, ${instance}, ${at})
    ON CONFLICT (job, slot) DO NOTHING RETURNING id`
  return r?.id ?? null
}

export async function finishRun(db: Db, id: string, at: Date, outcome: 'ok' | 'error', detail: string | null, error: string | null): Promise<void> {
  await db`
    UPDATE job_runs SET finished_at = ${at}, outcome = ${outcome}, detail = ${detail}, error = ${error}
    WHERE id = ${id}`
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
