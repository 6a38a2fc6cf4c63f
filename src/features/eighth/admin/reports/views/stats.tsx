import { lastFirst } from '../../../../users/names.ts'
import { blockText } from '../../../format.ts'
import type { StatsModel } from '../stats.ts'
import type { ActivityPick } from '../stats.sql.ts'
import { BarChart, type Bar } from './chart.tsx'

// Per-activity statistics: totals, a chart of signups and attendance per block (with its data
// table), and the students who came most often.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const yearLabel = (y: number) => `${y}–${y + 1}`

export function StatsPicker({ q, rows, year }: { q: string; rows: ActivityPick[]; year: number }) {
  return (
    <section class="report" aria-labelledby="sp-title">
      <h1 id="sp-title">Activity statistics</h1>
      <form method="get" action="/eighth/admin/statistics" class="report-filters card" role="search">
        <div class="field"><label for="f-q">Activity name or ID</label><input id="f-q" type="search" name="q" value={q} maxlength={100} /></div>
        <button type="submit">Search</button>
      </form>
      <p class="muted" safe>{`Schedulings in ${yearLabel(year)}.`}</p>
      {rows.length ? (
        <ul class="report-list">
          {rows.map((a) => (
            <li>
              <a href={`/eighth/admin/statistics/${a.id}`} safe>{a.name}</a>
              <span class="muted" safe>{`AID ${a.id} · ${a.scheduled} ${a.scheduled === 1 ? 'block' : 'blocks'}`}</span>
              {a.deleted ? <span class="badge err">Deleted</span> : ''}
            </li>
          ))}
        </ul>
      ) : <p class="muted">No activities match.</p>}
    </section>
  )
}

export function StatsPage({ m }: { m: StatsModel }) {
  const t = m.totals
  let lastMonth = ''
  const bars: Bar[] = m.points.map((p) => {
    const month = MONTHS[Number(p.date.slice(5, 7)) - 1]!
    const tick = month !== lastMonth ? month : undefined
    lastMonth = month
    return { label: blockText(p), value: p.total, overlay: p.attendanceTaken ? p.present : null, tick, muted: p.cancelled }
  })
  const attendance = t.present + t.absent ? Math.round((t.present / (t.present + t.absent)) * 100) : null
  const desc = m.points.length
    ? `${t.scheduled} blocks from ${blockText(m.points[0]!)} to ${blockText(m.points.at(-1)!)}; ${t.signups} signups in all, ${t.perBlock} per block on average`
      + (attendance === null ? '.' : `; ${attendance}% present where attendance was taken.`)
    : 'No blocks.'
  return (
    <section class="report stats" aria-labelledby="st-title">
      <h1 id="st-title" safe>{`${m.activity.name}: statistics`}</h1>
      <nav class="actions" aria-label="School years">
        <a href={`/eighth/admin/statistics/${m.activity.id}?year=${m.year - 1}`} safe>{`← ${yearLabel(m.year - 1)}`}</a>
        <strong safe>{yearLabel(m.year)}</strong>
        <a href={`/eighth/admin/statistics/${m.activity.id}?year=${m.year + 1}`} safe>{`${yearLabel(m.year + 1)} →`}</a>
      </nav>
      <dl class="facts stats-facts card">
        <dt>Blocks</dt><dd safe>{`${t.blocks} (${t.scheduled} held, ${t.cancelled} cancelled, ${t.empty} empty)`}</dd>
        <dt>Signups</dt><dd safe>{String(t.signups)}</dd>
        <dt>Students</dt><dd safe>{String(m.unique)}</dd>
        <dt>Per block</dt><dd safe>{String(t.perBlock)}</dd>
        <dt>Per student</dt><dd safe>{String(t.perStudent)}</dd>
        <dt>Attendance</dt><dd safe>{attendance === null ? 'not taken yet' : `${attendance}% present (${t.present} present, ${t.absent} absent, in ${t.attendanceTaken} ${t.attendanceTaken === 1 ? 'block' : 'blocks'})`}</dd>
      </dl>
      {m.points.length ? (
        <section class="card" aria-labelledby="st-chart">
          <h2 id="st-chart">Signups and attendance per block</h2>
          <BarChart id="stats-chart" title={`${m.activity.name}: signups and attendance per block, ${yearLabel(m.year)}`} desc={desc} bars={bars} valueName="signed up" overlayName="present" />
          <details>
            <summary>The numbers</summary>
            <div class="table-wrap">
              <table>
                <caption class="visually-hidden">Signups and attendance per block</caption>
                <thead><tr><th scope="col">Block</th><th scope="col">Signed up</th><th scope="col">Capacity</th><th scope="col">Present</th><th scope="col">Absent</th></tr></thead>
                <tbody>
                  {m.points.map((p) => (
                    <tr>
                      <th scope="row"><a href={`/eighth/attendance/${p.scheduledId}`} safe>{blockText(p)}</a>{p.cancelled ? <span class="badge err">Cancelled</span> : ''}</th>
                      <td class="num" safe>{String(p.total)}</td>
                      <td class="num" safe>{p.capacity === -1 ? 'Unlimited' : String(p.capacity)}</td>
                      <td class="num">{p.attendanceTaken ? String(p.present) : '—'}</td>
                      <td class="num">{p.attendanceTaken ? String(p.absent) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </section>
      ) : <p class="muted">This activity was not scheduled that year.</p>}
      {m.top.length ? (
        <section class="card" aria-labelledby="st-top">
          <h2 id="st-top">Most frequent students</h2>
          <ol class="stats-top">{m.top.map((s) => <li><span safe>{lastFirst(s)}</span> <span class="muted" safe>{`${s.signups} ${s.signups === 1 ? 'block' : 'blocks'}`}</span></li>)}</ol>
        </section>
      ) : ''}
    </section>
  )
}
