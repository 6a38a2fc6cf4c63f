import type { ProfileModel, ScheduleEntry } from '../profile.ts'

// /profile[/<id>]. Only what the model holds is drawn: hidden fields never reach the page.

const initials = (name: string) => name.split(/\s+/).filter(Boolean).map((w) => w[0]!.toUpperCase()).slice(0, 2).join('')

/** The default avatar: drawn here, so a hidden photo is never even requested. */
function Avatar({ name }: { name: string }) {
  return (
    <svg class="avatar" viewBox="0 0 172 215" width="172" height="215" role="img" aria-label="No photo shown">
      <rect class="avatar-bg" width="172" height="215" rx="8" />
      <circle class="avatar-fg" cx="86" cy="82" r="38" />
      <path class="avatar-fg" d="M22 215c0-44 29-72 64-72s64 28 64 72z" />
      <text class="avatar-text" x="86" y="96" text-anchor="middle" safe>{initials(name)}</text>
    </svg>
  )
}

function Schedule({ entries, empty }: { entries: ScheduleEntry[]; empty: string }) {
  if (!entries.length) return <p class="muted" safe>{empty}</p>
  return (
    <ul class="schedule">
      {entries.map((e) => (
        <li class="sched-item">
          <span class="sched-block" safe>{e.block}</span>
          <span class={e.activity ? 'sched-act' : 'sched-act warn-text'} safe>{e.activity ?? 'Not signed up'}</span>
          {e.rooms ? <span class="muted" safe>{e.rooms}</span> : ''}
          {e.cancelled ? <span class="badge err">Cancelled</span> : ''}
        </li>
      ))}
    </ul>
  )
}

function Facts({ m }: { m: ProfileModel }) {
  return (
    <dl class="facts profile-facts">
      {m.nickname ? <><dt>Nickname</dt><dd safe>{m.nickname}</dd></> : ''}
      <dt>Username</dt><dd class="mono" safe>{m.username}</dd>
      {m.title ? <><dt>Title</dt><dd safe>{m.title}</dd></> : ''}
      {m.email ? <><dt>Email</dt><dd><a href={`mailto:${m.email}`} class="mono" safe>{m.email}</a></dd></> : ''}
      {m.studentId ? <><dt>Student ID</dt><dd class="mono" safe>{m.studentId}</dd></> : ''}
      {m.counselor ? <><dt>Counselor</dt><dd><a href={`/profile/${m.counselor.id}`} safe>{m.counselor.name}</a></dd></> : ''}
    </dl>
  )
}

export function ProfilePage({ m }: { m: ProfileModel }) {
  return (
    <article class="profile" aria-labelledby="profile-title">
      <header class="profile-head">
        <div class="profile-photo">
          {m.photo ? <img src={`/profile/picture/${m.id}`} alt={`Photo of ${m.name}`} width="172" height="215" /> : <Avatar name={m.displayName} />}
        </div>
        <div class="profile-who">
          <h1 id="profile-title" safe>{m.name}</h1>
          <p class="muted" safe>{m.label}</p>
          {m.inactive ? <p><span class="badge err">Locked or inactive</span></p> : ''}
        </div>
        <Facts m={m} />
      </header>

      {m.eighth ? (
        <section class="card" aria-labelledby="eighth-title">
          <h2 id="eighth-title">Eighth period</h2>
          {m.eighth.restricted ? <p class="muted">Not public: other students cannot see this schedule.</p> : ''}
          <Schedule entries={m.eighth.entries} empty="No upcoming blocks." />
        </section>
      ) : ''}

      {m.sponsored ? (
        <section class="card" aria-labelledby="sponsored-title">
          <h2 id="sponsored-title">Sponsored activities</h2>
          <Schedule entries={m.sponsored} empty="No upcoming activities." />
        </section>
      ) : ''}

      {m.groups ? (
        <section class="card" aria-labelledby="groups-title">
          <h2 id="groups-title">Groups</h2>
          {m.groups.length ? <ul class="tags">{m.groups.map((g) => <li safe>{g.name}</li>)}</ul> : <p class="muted">Not in any group.</p>}
        </section>
      ) : ''}

      {m.links.eighthProfile || m.links.privacy || m.links.signup ? (
        <nav class="actions profile-links" aria-label="Profile actions">
          {m.links.eighthProfile ? <a class="button secondary" href={m.self ? '/eighth/profile' : `/eighth/profile/${m.id}`}>Eighth-period history</a> : ''}
          {m.links.signup ? <a class="button secondary" href={m.self ? '/eighth/signup' : `/eighth/signup?user=${m.id}`}>Eighth-period signups</a> : ''}
          {m.links.privacy ? <a class="button secondary" href={`/preferences/privacy?user=${m.id}`}>Privacy settings</a> : ''}
        </nav>
      ) : ''}
    </article>
  )
}
