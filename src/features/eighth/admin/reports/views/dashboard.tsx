import type { AdminLink } from '../../../../../platform/registry.ts'
import { sponsorName } from '../../../effective.ts'
import { blockText } from '../../../format.ts'
import type { DashBlock, NotTaken } from '../dashboard.sql.ts'
import { activityName } from '../rosters.ts'

// /eighth/admin: the office's day at a glance, then every office tool (the admin registry's
// "Eighth period" links, whoever registered them).

export type DashboardModel = { today: string; blocks: DashBlock[]; notTaken: NotTaken[]; notTakenLimit: number; openPasses: number; links: AdminLink[] }

function BlockCard({ b, today }: { b: DashBlock; today: string }) {
  const unsigned = Math.max(0, b.students - b.signed)
  return (
    <li class="card dash-block">
      <h3 class="dash-block-title">
        <span safe>{blockText(b)}</span>
        {b.date === today ? <span class="badge ok">Today</span> : ''}
        {b.locked ? <span class="badge">Locked</span> : <span class="badge warn">Open for signups</span>}
      </h3>
      <label class="dash-meter" for={`meter-${b.id}`} safe>{`${b.signed} of ${b.students} students signed up`}</label>
      <meter id={`meter-${b.id}`} min="0" max={String(Math.max(1, b.students))} value={String(b.signed)}></meter>
      <dl class="facts">
        <dt>Not signed up</dt><dd safe>{String(unsigned)}</dd>
        <dt>In a cancelled activity</dt><dd safe>{String(b.inCancelled)}</dd>
        <dt>Activities</dt><dd safe>{String(b.activities)}</dd>
        <dt>Open passes</dt><dd safe>{String(b.openPasses)}</dd>
      </dl>
      <p class="actions">
        <a href={`/eighth/admin/rosters/${b.id}`}>Rosters</a>
        <a href={`/eighth/attendance?block=${b.id}`}>Attendance</a>
      </p>
    </li>
  )
}

export function DashboardPage({ m }: { m: DashboardModel }) {
  const groups = [...new Set(m.links.map((l) => l.group))]
  return (
    <section class="office-dash" aria-labelledby="od-title">
      <h1 id="od-title">Eighth-period office</h1>
      <section aria-labelledby="od-blocks">
        <h2 id="od-blocks">Today and the next blocks</h2>
        {m.blocks.length ? <ul class="dash-blocks">{m.blocks.map((b) => <BlockCard b={b} today={m.today} />)}</ul> : <p class="muted">No upcoming blocks.</p>}
      </section>
      <div class="grid two">
        <section class="card" aria-labelledby="od-att">
          <h2 id="od-att" safe>{`Attendance not taken (${m.notTaken.length >= m.notTakenLimit ? `${m.notTakenLimit}+` : m.notTaken.length})`}</h2>
          <p class="muted">Activities with students in the last two weeks.</p>
          {m.notTaken.length ? (
            <ul class="report-list">
              {m.notTaken.map((n) => (
                <li>
                  <a href={`/eighth/attendance/${n.id}`} safe>{activityName(n)}</a>
                  <span class="muted" safe>{`${blockText(n)} · ${n.members} students · ${n.sponsors.map(sponsorName).join(', ') || 'no sponsor'}`}</span>
                </li>
              ))}
            </ul>
          ) : <p>Every activity's attendance is in.</p>}
        </section>
        <section class="card" aria-labelledby="od-pass">
          <h2 id="od-pass">Open passes</h2>
          <p>{m.openPasses ? `${m.openPasses} ${m.openPasses === 1 ? 'pass waits' : 'passes wait'} for a decision.` : 'No open passes.'}</p>
          <p><a href="/eighth/admin/passes">Passes</a></p>
        </section>
      </div>
      <section class="card" aria-labelledby="od-tools">
        <h2 id="od-tools">Office tools</h2>
        {groups.map((g) => (
          <>
            {groups.length > 1 ? <h3 safe>{g}</h3> : ''}
            <ul class="tool-links">{m.links.filter((l) => l.group === g).map((l) => <li><a href={l.href} safe>{l.label}</a></li>)}</ul>
          </>
        ))}
      </section>
    </section>
  )
}
