import { fmtDateTime } from '../../platform/html/components.tsx'
import type { JobRun } from '../../platform/jobs/jobs.sql.ts'
import type { Flash } from './mail-views.tsx'

export type JobLine = {
  name: string
  description: string
  schedule: string
  catchUp: 'run-once' | 'skip'
  next: Date | null
  last: JobRun | null
}

export function JobsAdmin({ jobs, tz, flash }: { jobs: JobLine[]; tz: string; flash: Flash }) {
  return (
    <div id="jobs-admin">
      <h1>Scheduled jobs</h1>
      {flash ? <p class={`alert ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'} safe>{flash.text}</p> : ''}
      <p class="muted" safe>{`Times are in ${tz}. Each run is claimed by one instance.`}</p>
      {jobs.length === 0 ? <p>No jobs are registered.</p> : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Schedule</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr>
                  <td>
                    <code safe>{j.name}</code>
                    <br />
                    <span class="muted" safe>{j.description}</span>
                  </td>
                  <td>
                    <code safe>{j.schedule}</code>
                    <br />
                    <span class="muted">{j.catchUp === 'run-once' ? 'A missed run runs once at start' : 'A missed run is skipped'}</span>
                  </td>
                  <td safe>{fmtDateTime(j.next, tz)}</td>
                  <td><LastRun run={j.last} tz={tz} /></td>
                  <td>
                    <form method="post" action={`/admin/jobs/${j.name}/run`} hx-post={`/admin/jobs/${j.name}/run`} hx-target="#jobs-admin" hx-swap="outerHTML">
                      <button type="submit" class="secondary" aria-label={`Run ${j.name} now`}>Run now</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}

function LastRun({ run, tz }: { run: JobRun | null; tz: string }) {
  if (!run) return <span class="muted">Never</span>
  const badge = run.outcome === 'ok' ? <span class="badge">ok</span>
    : run.outcome === 'error' ? <span class="badge err">error</span>
    : run.outcome === 'abandoned' ? <span class="badge err">abandoned</span>
    : <span class="badge warn">running</span>
  return (
    <>
      <span safe>{fmtDateTime(run.startedAt, tz)}</span> {badge}
      <br />
      <span class="muted" safe>{run.slot.startsWith('manual:') ? `run by hand on ${run.instance}` : `on ${run.instance}`}</span>
      {run.detail ? <><br /><span safe>{run.detail}</span></> : ''}
      {run.error ? <><br /><code safe>{run.error.split('\n')[0] ?? ''}</code></> : ''}
    </>
  )
}
