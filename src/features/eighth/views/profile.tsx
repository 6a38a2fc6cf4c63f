import { blockText } from '../format.ts'
import type { ProfileEntry, ProfileModel } from '../profile.ts'

// /eighth/profile: upcoming blocks (each linking to its signup page), absences, past signups.

function Entry({ e, href }: { e: ProfileEntry; href?: string }) {
  const meta = [e.rooms.join(', '), e.sponsors.join('; ')].filter(Boolean).join(' · ')
  return (
    <li class="sched-item">
      {href ? <a class="sched-block" href={href} safe>{blockText(e)}</a> : <span class="sched-block" safe>{blockText(e)}</span>}
      <span class={e.activity ? 'sched-act' : 'sched-act warn-text'} safe>{e.activity ?? 'Not signed up'}</span>
      {meta ? <span class="muted" safe>{meta}</span> : ''}
      <span class="badges">
        {e.cancelled ? <span class="badge err">Cancelled</span> : ''}
        {e.absent ? <span class="badge err">Absent</span> : ''}
      </span>
    </li>
  )
}

export function ProfilePage({ m }: { m: ProfileModel }) {
  const name = `${m.user.firstName} ${m.user.lastName}`
  const user = m.self ? '' : `?user=${m.user.id}`
  const student = m.user.userType === 'student'
  return (
    <section class="eighth-profile" aria-labelledby="profile-title">
      <h1 id="profile-title" safe>{m.self ? 'Your eighth period' : `Eighth period: ${name}`}</h1>
      <p class="muted" safe>{`School year ${m.year}`}</p>
      <section class="card" aria-labelledby="up-title">
        <h2 id="up-title">Upcoming</h2>
        {m.upcoming.length
          ? <ul class="schedule">{m.upcoming.map((e) => <Entry e={e} href={student ? `/eighth/signup/${e.blockId}${user}` : undefined} />)}</ul>
          : <p class="muted">No upcoming blocks.</p>}
      </section>
      <section class="card" aria-labelledby="abs-title">
        <h2 id="abs-title" safe>{`Absences (${m.absences.length})`}</h2>
        {m.absences.length ? <ul class="schedule">{m.absences.map((e) => <Entry e={e} />)}</ul> : <p class="muted">No absences this year.</p>}
        {m.self ? <p><a href="/eighth/absences">All your absences and how to clear one</a></p> : ''}
      </section>
      <section class="card" aria-labelledby="past-title">
        <h2 id="past-title">Past signups</h2>
        {m.past.length ? <ul class="schedule">{m.past.map((e) => <Entry e={e} />)}</ul> : <p class="muted">No past signups this year.</p>}
      </section>
    </section>
  )
}
