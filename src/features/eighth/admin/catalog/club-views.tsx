import { effectiveList, formattedRoomName, nameWithFlags, sponsorName, trueCapacity, UNLIMITED } from '../../effective.ts'
import { blockText } from '../../format.ts'
import type { ActivityPageModel, SettingsModel } from './club.ts'
import { hxForm, type Flash } from './common.tsx'
import { Errors, Notice } from '../../../../platform/html/components.tsx'
import { PeoplePicker } from './people-views.tsx'
import type { Person } from './people.ts'

// /eighth/activity/<aid> (everyone) and /eighth/activity/<aid>/settings (the club's managers).

function Messages({ flash, errors }: { flash?: Flash | null; errors?: string[] }) {
  return (
    <>
      {flash ? (flash.kind === 'ok' ? <Notice kind="ok">{flash.messages.map((m) => <p safe>{m}</p>)}</Notice> : <Errors errors={flash.messages} />) : ''}
      <Errors errors={errors ?? []} />
    </>
  )
}

export function ActivityPage({ m, flash }: { m: ActivityPageModel; flash?: Flash | null }) {
  const { a } = m
  const base = `/eighth/activity/${a.id}`
  return (
    <section id="office" class="office activity-page" aria-labelledby="act-title">
      <h1 id="act-title" safe>{nameWithFlags(a.name, a)}</h1>
      <Messages flash={flash} />
      {a.description ? <p class="act-description" safe>{a.description}</p> : ''}
      <dl class="facts">
        <dt>Sponsors</dt><dd safe>{a.sponsors.map(sponsorName).join(', ') || 'None listed'}</dd>
        <dt>Rooms</dt><dd safe>{a.rooms.map(formattedRoomName).join(', ') || 'None listed'}</dd>
        <dt>Activity ID</dt><dd safe>{String(a.id)}</dd>
      </dl>
      <div class="actions">
        {m.canSubscribe || m.s.subscribed ? (
          <form {...hxForm(`${base}/${m.s.subscribed ? 'unsubscribe' : 'subscribe'}`)}>
            <button type="submit" class={m.s.subscribed ? 'secondary' : undefined}>{m.s.subscribed ? 'Unsubscribe from club announcements' : 'Subscribe to club announcements'}</button>
          </form>
        ) : ''}
        {m.canManage ? <a class="button secondary" href={`${base}/settings`}>Club settings</a> : ''}
      </div>
      <section class="card" aria-labelledby="when-title">
        <h2 id="when-title">{m.showAll ? 'Every scheduling' : 'Scheduled in the next 8 weeks'}</h2>
        {m.rows.length ? (
          <ul class="schedule">
            {m.rows.map((r) => {
              const cap = trueCapacity(r)
              const rooms = effectiveList(r.saRooms, r.actRooms).map(formattedRoomName).join(', ')
              const sponsors = effectiveList(r.saSponsors, r.actSponsors).map(sponsorName).join(', ')
              return (
                <li class="sched-item">
                  {m.isStudent ? <a class="sched-block" href={`/eighth/signup/${r.blockId}`} safe>{blockText(r)}</a> : <span class="sched-block" safe>{blockText(r)}</span>}
                  <span class="sched-act" safe>{[r.title, rooms, sponsors].filter(Boolean).join(' · ') || '—'}</span>
                  <span class="muted small" safe>{cap === UNLIMITED ? `${r.count} signed up` : `${r.count}/${cap} signed up`}</span>
                  {r.cancelled ? <span class="badge err">Cancelled</span> : ''}
                  {r.comments ? <span class="act-comments" safe>{r.comments}</span> : ''}
                </li>
              )
            })}
          </ul>
        ) : <p class="muted">{m.showAll ? 'This activity has never been scheduled.' : 'Not scheduled in the next 8 weeks.'}</p>}
        <p>{m.showAll ? <a href={base}>Only the next 8 weeks</a> : <a href={`${base}?show_all=1`}>Show every scheduling</a>}</p>
      </section>
    </section>
  )
}

export type SettingsView = { m: SettingsModel; role: string; q: string; candidates: Person[] | null; flash?: Flash | null; errors?: string[] }

export function SettingsPage({ m, role, q, candidates, flash, errors }: SettingsView) {
  const { a } = m
  const base = `/eighth/activity/${a.id}/settings`
  const picker = (r: 'officer' | 'club_sponsor', title: string, hint: string, people: Person[], empty: string) => (
    <PeoplePicker role={r} title={title} hint={hint} people={people} empty={empty} action={`${base}/people`} pageUrl={base}
      candidatesUrl={`${base}/candidates`} q={role === r ? q : ''} candidates={role === r ? candidates : null} />
  )
  return (
    <section id="office" class="office" aria-labelledby="club-title">
      <p class="crumbs"><a href={`/eighth/activity/${a.id}`} safe>{a.name}</a>{' ›'}</p>
      <h1 id="club-title" safe>{`Club settings: ${a.name}`}</h1>
      <Messages flash={flash} errors={errors} />
      <section class="card" aria-labelledby="subs-title">
        <h2 id="subs-title">Club announcements</h2>
        <p safe>{`${a.subscribers} ${a.subscribers === 1 ? 'subscriber' : 'subscribers'}. Subscriptions are ${a.subscriptionsEnabled ? 'on' : 'off'}.`}</p>
        <form {...hxForm(`${base}/subscriptions`)}>
          <input type="hidden" name="enabled" value={a.subscriptionsEnabled ? 'off' : 'on'} />
          <button type="submit" class={a.subscriptionsEnabled ? 'secondary' : undefined}>{a.subscriptionsEnabled ? 'Turn subscriptions off' : 'Let students subscribe'}</button>
        </form>
      </section>
      {picker('officer', 'Student officers', 'Officers are students who help run the club.', m.officers, 'No officers yet.')}
      {picker('club_sponsor', 'Club sponsors', 'Teachers or counselors who moderate the club’s announcements.', m.clubSponsors, 'No club sponsors yet.')}
    </section>
  )
}
