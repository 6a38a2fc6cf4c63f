import { lastFirst } from '../../../../users/names.ts'
import { formattedRoomName, sponsorName } from '../../../effective.ts'
import { blockText } from '../../../format.ts'
import { activityName, type BlockRosters } from '../rosters.ts'
import type { BlockBrief } from '../rosters.sql.ts'

// Rosters on screen and on paper: one section per activity; the print stylesheet (app.css,
// "@media print") starts each on a new page and hides the page's chrome.

export function RosterPicker({ blocks }: { blocks: BlockBrief[] }) {
  return (
    <section class="report" aria-labelledby="rp-title">
      <h1 id="rp-title">Rosters</h1>
      <p class="muted">Choose a block to see, print or download its rosters.</p>
      {blocks.length === 0 ? <p class="muted">No blocks in the coming weeks.</p> : (
        <ul class="report-list">
          {blocks.map((b) => (
            <li>
              <a href={`/eighth/admin/rosters/${b.id}`} safe>{blockText(b)}</a>
              <span class="muted" safe>{`${b.activities} activities · ${b.signups} signups`}</span>
              {b.locked ? <span class="badge">Locked</span> : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

export function BlockRostersPage({ m, grade }: { m: BlockRosters; grade: (gy: number | null) => number | '' }) {
  const b = m.block
  const chosen = new Set(m.rosters.map((r) => r.activity.id))
  return (
    <section class="report rosters" aria-labelledby="br-title">
      <h1 id="br-title" safe>{`Rosters: ${blockText(b)}`}</h1>
      <p class="no-print actions">
        <a class="button secondary" href={`/eighth/admin/rosters/${b.id}/csv`}>Download CSV</a>
        <a href="/eighth/admin/rosters">Other blocks</a>
      </p>
      <details class="no-print card">
        <summary>Choose rosters to print</summary>
        <form method="get" action={`/eighth/admin/rosters/${b.id}`} class="roster-choice">
          <fieldset>
            <legend>Activities</legend>
            {m.all.map((a) => (
              <label class="check" for={`sa-${a.id}`}>
                <input type="checkbox" id={`sa-${a.id}`} name="sa" value={String(a.id)} checked={chosen.has(a.id) && chosen.size !== m.all.length} />
                <span safe>{`${activityName(a)} (${a.members})`}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit">Show these rosters</button>
        </form>
      </details>
      <p class="no-print muted">Use your browser's Print command: each roster prints on its own page.</p>
      {m.rosters.length === 0 ? <p class="muted">No activities are scheduled in this block.</p> : ''}
      {m.rosters.map(({ activity: a, members }) => (
        <section class="roster-sheet" aria-labelledby={`roster-${a.id}`}>
          <header class="roster-head">
            <span class="roster-letter" aria-hidden="true" safe>{b.blockLetter}</span>
            <div>
              <h2 id={`roster-${a.id}`} safe>{activityName(a)}</h2>
              <p class="muted" safe>{`${blockText(b)} · AID ${a.activityId} · #${a.id}`}</p>
              <p safe>{[a.rooms.map((r) => formattedRoomName(r.name)).join(', '), a.sponsors.map(sponsorName).join('; ')].filter(Boolean).join(' · ')}</p>
              <p><strong safe>{`${members.length} ${members.length === 1 ? 'student' : 'students'}`}</strong>{a.cancelled ? <span class="badge err">Cancelled</span> : ''}</p>
            </div>
          </header>
          {members.length ? (
            <table class="roster-table">
              <thead><tr><th scope="col" class="box-col">Present</th><th scope="col">Student</th><th scope="col">Grade</th></tr></thead>
              <tbody>
                {members.map((s) => (
                  <tr>
                    <td class="box-col"><span class="paper-box" aria-hidden="true"></span></td>
                    <td safe>{`${lastFirst(s)} (${s.studentId ?? s.userId})`}</td>
                    <td safe>{String(grade(s.graduationYear))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : <p class="muted">Nobody is signed up.</p>}
          <p class="print-only roster-note">Mark each student present, sign, and return this sheet to the eighth-period office, or take attendance online.</p>
        </section>
      ))}
    </section>
  )
}
