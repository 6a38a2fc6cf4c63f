import { lastFirst } from '../../../users/names.ts'
import { sponsorName } from '../../effective.ts'
import { blockText } from '../../format.ts'
import { CLEAR_ABSENCE_DAYS, type AbsencesModel } from '../absences.ts'

// /eighth/absences[/<uid>]: a student's absences, ordered by block. Students read how to clear
// one; the office sees a Clear button on each.

export function AbsencesPage({ m, flash }: { m: AbsencesModel; flash?: { kind: 'ok' | 'error'; text: string } | null }) {
  const name = lastFirst(m.user)
  return (
    <section class="absences" aria-labelledby="abs-page-title">
      <h1 id="abs-page-title" safe>{m.self ? 'Your eighth-period absences' : `Absences: ${name}`}</h1>
      {flash ? <p class={`alert ${flash.kind}`} role="status" safe>{flash.text}</p> : ''}
      {!m.self ? <p><a href={`/eighth/profile/${m.user.id}`}>Eighth-period schedule</a></p> : ''}
      {m.absences.length === 0 ? <p class="muted">No absences.</p> : (
        <div class="table-wrap">
          <table class="abs-table stack-table">
            <caption class="visually-hidden" safe>{`Absences of ${name}`}</caption>
            <thead><tr><th scope="col">Block</th><th scope="col">Activity</th><th scope="col">Sponsors</th>{m.office ? <th scope="col"><span class="visually-hidden">Action</span></th> : ''}</tr></thead>
            <tbody>
              {m.absences.map((a) => (
                <tr>
                  <td data-label="Block" safe>{blockText(a)}</td>
                  <td data-label="Activity" safe>{a.title ? `${a.name} - ${a.title}` : a.name}</td>
                  <td data-label="Sponsors" safe>{a.sponsors.map(sponsorName).join(', ')}</td>
                  {m.office ? (
                    <td>
                      <form method="post" action={`/eighth/absences/clear/${a.signupId}`}>
                        <button type="submit" class="secondary" aria-label={`Clear the absence on ${blockText(a)}`}>Clear</button>
                      </form>
                    </td>
                  ) : ''}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {m.self && m.user.userType === 'student' ? (
        <section class="card abs-help" aria-labelledby="abs-help-title">
          <h2 id="abs-help-title">How to clear an absence</h2>
          <ol>
            <li>Print this page.</li>
            <li>Ask the sponsor of the activity to sign next to the absence.</li>
            <li>{`Bring it to the eighth-period office within ${CLEAR_ABSENCE_DAYS} days of the block.`}</li>
          </ol>
          <p class="muted">Absences from a substitute's roster or a sticky activity cannot be cleared this way; ask the office.</p>
          {m.absences.some((a) => a.clearable) ? '' : m.absences.length ? <p class="muted">{`These absences are older than ${CLEAR_ABSENCE_DAYS} days.`}</p> : ''}
        </section>
      ) : ''}
    </section>
  )
}
