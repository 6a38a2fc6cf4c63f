import type { PollListRow } from '../polls.sql.ts'
import { statusOf } from '../types.ts'
import { resultsOpenTo } from '../access.ts'
import { PollCss, StatusBadge, statusText } from './common.tsx'

// /polls: open polls the viewer may vote in (newest end first); ?show_all=1 adds past and future
// ones (and, for polls admins, hidden polls and other groups' polls).

export function PollList({ rows, all, admin, now, tz, flash }: { rows: PollListRow[]; all: boolean; admin: boolean; now: Date; tz: string; flash?: string }) {
  return (
    <div class="polls">
      <PollCss />
      <h1>Polls</h1>
      {flash ? <p class="alert ok" role="status" safe>{flash}</p> : ''}
      <p class="actions">
        {all ? <a href="/polls">Show open polls only</a> : <a href="/polls?show_all=1">Show past and upcoming polls too</a>}
        {admin ? <a class="button" href="/polls/new">New poll</a> : ''}
      </p>
      {rows.length === 0 ? <p class="muted">{all ? 'There are no polls yet.' : 'No polls are open for you right now.'}</p> : (
        <ul class="poll-list">
          {rows.map((p) => {
            const status = statusOf(p, now)
            const results = resultsOpenTo(p, status, p.eligible && p.visible, admin)
            return (
              <li class="card">
                <h2><a href={`/polls/${p.id}`} safe>{p.title}</a></h2>
                <p class="poll-meta">
                  <StatusBadge status={status} /> <span safe>{statusText(p, status, tz)}</span>
                  {p.voted ? <> <span class="badge ok">you voted</span></> : status === 'open' && p.eligible && p.visible ? <> <span class="badge warn">not voted yet</span></> : ''}
                  {!p.visible ? <> <span class="badge warn">hidden from voters</span></> : ''}
                  {admin && !p.eligible ? <> <span class="badge">other groups</span></> : ''}
                </p>
                <p class="actions">
                  <span class="muted" safe>{`${p.questions} ${p.questions === 1 ? 'question' : 'questions'}`}</span>
                  {results ? <a href={`/polls/${p.id}/results`}>Results</a> : ''}
                  {admin ? <a href={`/polls/${p.id}/edit`}>Edit</a> : ''}
                </p>
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
