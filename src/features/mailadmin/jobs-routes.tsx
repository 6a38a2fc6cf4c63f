import { Elysia, t } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { isPartial, page } from '../../platform/html/page.tsx'
import { notFound } from '../../platform/errors.ts'
import { findJob, registeredJobs, runNow, type RunResult } from '../../platform/jobs/index.ts'
import { latestRuns } from '../../platform/jobs/jobs.sql.ts'
import { nextOccurrence } from '../../platform/jobs/slots.ts'
import { JobsAdmin, type JobLine } from './jobs-views.tsx'
import type { Flash } from './mail-views.tsx'

const FLASH: Record<string, Flash> = {
  ok: { kind: 'ok', text: 'The job ran.' },
  error: { kind: 'error', text: 'The job failed; its error is shown below.' },
  running: { kind: 'info', text: 'The job started and is still running.' },
  taken: { kind: 'info', text: 'That job was just started by someone else.' },
}

/** /admin/jobs: every registered job with its next and last runs, and "run now". */
export function jobsAdminRoutes(base: Base) {
  type Ctx = Parameters<typeof page>[0]
  const render = async (c: Ctx, flash: Flash) => {
    const { deps } = c
    const jobs = registeredJobs().sort((a, b) => a.name.localeCompare(b.name))
    const last = new Map((await latestRuns(deps.sql, jobs.map((j) => j.name))).map((r) => [r.job, r]))
    const now = deps.clock.now()
    const lines: JobLine[] = jobs.map((j) => ({
      name: j.name, description: j.description, schedule: j.schedule, catchUp: j.catchUp,
      next: nextOccurrence(j.schedule, deps.config.schoolTz, now), last: last.get(j.name) ?? null,
    }))
    return page(c, 'Scheduled jobs', <JobsAdmin jobs={lines} tz={deps.config.schoolTz} flash={flash} />)
  }

  return new Elysia({ name: 'jobs-admin' })
    .use(base)
    .get('/admin/jobs', (c) => render(c, FLASH[String(c.query.done ?? '')] ?? null), { policy: 'admin_all' })
    .post('/admin/jobs/:name/run', async (c) => {
      const job = findJob(c.params.name)
      if (!job) throw notFound('There is no such job.')
      const { sql, redis, clock, config, log } = c.deps
      const started = await runNow({ sql, redis, clock, config, log }, job)
      log.info('job run by hand', { job: job.name, by: c.viewer.id, slot: started?.slot })
      // Wait a little so a quick job's result shows at once; a long one keeps running.
      const result: RunResult | 'running' | 'taken' = started
        ? await Promise.race([started.done, Bun.sleep(3000).then(() => 'running' as const)])
        : 'taken'
      const done = typeof result === 'string' ? result : result.status
      return isPartial(c.request) ? render(c, FLASH[done] ?? null) : new Response(null, { status: 303, headers: { location: `/admin/jobs?done=${done}` } })
    }, { policy: 'admin_all', params: t.Object({ name: t.String({ pattern: '^[a-z][a-z0-9_.-]{0,100}$' }) }) })
}
