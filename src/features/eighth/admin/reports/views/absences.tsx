import { lastFirst } from '../../../../users/names.ts'
import { sponsorName } from '../../../effective.ts'
import { blockText } from '../../../format.ts'
import type { AbsenceLine, DelinquentRow } from '../absences.sql.ts'
import { queryString } from '../common.ts'
import { activityName } from '../rosters.ts'

// The office's absence reports: delinquents (students with at least N absences) and the list of
// every absence in a date range. Filters are a GET form; the same query gives the CSV.

export type DelinquentFilters = { start: string; end: string; min: number; max: number | null; grades: number[] }

function DateRange({ start, end }: { start: string; end: string }) {
  return (
    <>
      <div class="field"><label for="f-start">From</label><input id="f-start" type="date" name="start" value={start} required /></div>
      <div class="field"><label for="f-end">To</label><input id="f-end" type="date" name="end" value={end} required /></div>
    </>
  )
}

export function DelinquentsPage({ f, rows, grade }: { f: DelinquentFilters; rows: DelinquentRow[]; grade: (gy: number | null) => number | '' }) {
  const qs = queryString({ start: f.start, end: f.end, min: f.min, max: f.max, grade: f.grades.map(String) })
  return (
    <section class="report" aria-labelledby="dq-title">
      <h1 id="dq-title">Absences by student</h1>
      <form method="get" action="/eighth/admin/delinquents" class="report-filters card">
        <DateRange start={f.start} end={f.end} />
        <div class="field"><label for="f-min">At least</label><input id="f-min" type="number" name="min" min="1" max="999" value={String(f.min)} /></div>
        <div class="field"><label for="f-max">At most</label><input id="f-max" type="number" name="max" min="1" max="999" value={f.max === null ? undefined : String(f.max)} /></div>
        <fieldset class="grades">
          <legend>Grades</legend>
          {[9, 10, 11, 12].map((g) => (
            <label class="check" for={`f-g${g}`}><input type="checkbox" id={`f-g${g}`} name="grade" value={String(g)} checked={f.grades.includes(g)} /><span safe>{String(g)}</span></label>
          ))}
        </fieldset>
        <button type="submit">Show</button>
      </form>
      <p class="actions">
        <span safe>{`${rows.length} ${rows.length === 1 ? 'student' : 'students'}`}</span>
        <a class="button secondary" href={`/eighth/admin/delinquents/csv${qs}`}>Download CSV</a>
        <a href={`/eighth/admin/absences${queryString({ start: f.start, end: f.end })}`}>Every absence in this range</a>
      </p>
      {rows.length ? (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Student</th><th scope="col">Grade</th><th scope="col">Absences</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td><a href={`/eighth/absences/${r.userId}`} safe>{`${lastFirst(r)} (${r.studentId ?? r.username})`}</a></td>
                  <td safe>{String(grade(r.graduationYear))}</td>
                  <td class="num" safe>{String(r.absences)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="muted">No students match.</p>}
    </section>
  )
}

export function AbsenceListPage({ start, end, rows, limit }: { start: string; end: string; rows: AbsenceLine[]; limit: number }) {
  return (
    <section class="report" aria-labelledby="al-title">
      <h1 id="al-title">Absences</h1>
      <form method="get" action="/eighth/admin/absences" class="report-filters card">
        <DateRange start={start} end={end} />
        <button type="submit">Show</button>
      </form>
      <p class="actions">
        <span safe>{rows.length >= limit ? `The first ${limit} absences` : `${rows.length} ${rows.length === 1 ? 'absence' : 'absences'}`}</span>
        <a class="button secondary" href={`/eighth/admin/absences/csv${queryString({ start, end })}`}>Download CSV</a>
        <a href={`/eighth/admin/delinquents${queryString({ start, end })}`}>By student</a>
      </p>
      {rows.length ? (
        <div class="table-wrap">
          <table class="stack-table">
            <thead><tr><th scope="col">Block</th><th scope="col">Student</th><th scope="col">Activity</th><th scope="col">Sponsors</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td data-label="Block" safe>{blockText(r)}</td>
                  <td data-label="Student"><a href={`/eighth/absences/${r.userId}`} safe>{lastFirst(r)}</a></td>
                  <td data-label="Activity"><a href={`/eighth/attendance/${r.scheduledActivityId}`} safe>{activityName(r)}</a></td>
                  <td data-label="Sponsors" safe>{r.sponsors.map(sponsorName).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p class="muted">No absences in this range.</p>}
    </section>
  )
}
