import { fmtDateTime } from '../../../../../platform/html/components.tsx'
import { lastFirst } from '../../../../users/names.ts'
import { blockText } from '../../../format.ts'
import type { PassLine } from '../absences.sql.ts'
import { queryString } from '../common.ts'
import { activityName } from '../rosters.ts'

// Passes: signups the office made after a block locked. Open ones wait for the sponsor (or the
// office) to accept or reject them; until then they count as absent.

export type PassFilters = { start: string; end: string; open: boolean }

export const passStatus = (p: PassLine) => (!p.passAccepted ? 'Open' : p.wasAbsent ? 'Rejected' : 'Accepted')

export function PassesPage({ f, rows, tz, limit, flash }: { f: PassFilters; rows: PassLine[]; tz: string; limit: number; flash?: string | null }) {
  const qs = queryString({ start: f.start, end: f.end, status: f.open ? 'open' : 'all' })
  const here = `/eighth/admin/passes${qs}`
  return (
    <section class="report" aria-labelledby="ps-title">
      <h1 id="ps-title">Passes</h1>
      {flash ? <p class="alert ok" role="status" safe>{flash}</p> : ''}
      <form method="get" action="/eighth/admin/passes" class="report-filters card">
        <div class="field"><label for="f-start">From</label><input id="f-start" type="date" name="start" value={f.start} required /></div>
        <div class="field"><label for="f-end">To</label><input id="f-end" type="date" name="end" value={f.end} required /></div>
        <div class="field">
          <label for="f-status">Show</label>
          <select id="f-status" name="status">
            <option value="open" selected={f.open}>Open passes</option>
            <option value="all" selected={!f.open}>Every after-deadline signup</option>
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      <p class="actions">
        <span safe>{rows.length >= limit ? `The first ${limit}` : `${rows.length} ${rows.length === 1 ? 'pass' : 'passes'}`}</span>
        <a class="button secondary" href={`/eighth/admin/passes/csv${qs}`}>Download CSV</a>
      </p>
      {rows.length ? (
        <div class="table-wrap">
          <table class="stack-table">
            <thead><tr><th scope="col">Block</th><th scope="col">Student</th><th scope="col">Activity</th><th scope="col">Signed up</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {rows.map((p) => (
                <tr>
                  <td data-label="Block" safe>{blockText(p)}</td>
                  <td data-label="Student" safe>{lastFirst(p)}</td>
                  <td data-label="Activity"><a href={`/eighth/attendance/${p.scheduledActivityId}`} safe>{activityName(p)}</a></td>
                  <td data-label="Signed up" safe>{fmtDateTime(p.time, tz)}</td>
                  <td data-label="Status"><div>
                    <span>{passStatus(p)}</span>
                    {!p.passAccepted && p.blockLocked ? (
                      <span class="actions">
                        {(['accept', 'reject'] as const).map((s) => (
                          <form method="post" action={`/eighth/attendance/pass/${p.signupId}`}>
                            <input type="hidden" name="status" value={s} />
                            <input type="hidden" name="next" value={here} />
                            <button type="submit" class={s === 'accept' ? '' : 'secondary'} aria-label={`${s === 'accept' ? 'Accept' : 'Reject'} the pass of ${lastFirst(p)}`}>{s === 'accept' ? 'Accept' : 'Reject'}</button>
                          </form>
                        ))}
                      </span>
                    ) : ''}
                  </div></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="muted">No passes in this range.</p>}
    </section>
  )
}
