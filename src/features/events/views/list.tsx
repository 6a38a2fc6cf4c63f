import { dateInTz } from '../../../platform/clock.ts'
import { addDays } from '../../../platform/zoned.ts'
import type { EventRow } from '../events.sql.ts'
import { EventList } from './item.tsx'

// /events: what is coming up this week and in the month after it, the viewer's own waiting
// requests, and (events admins) the requests awaiting approval with Approve / Reject buttons.

export type ListModel = {
  tz: string
  week: EventRow[]
  later: EventRow[]
  pending: EventRow[]
  own: EventRow[]
  admin: boolean
}

export function EventsNav({ admin, current }: { admin: boolean; current: 'list' | 'week' | 'month' | 'ical' | 'add' }) {
  const here = (k: string) => (k === current ? 'page' : undefined)
  return (
    <nav class="tabs" aria-label="Events">
      <a href="/events" aria-current={here('list')}>Upcoming</a>
      <a href="/events/calendar?view=week" aria-current={here('week')}>Week</a>
      <a href="/events/calendar?view=month" aria-current={here('month')}>Month</a>
      <a href="/events/ical" aria-current={here('ical')}>Calendar feed</a>
      <a href={admin ? '/events/add' : '/events/request'} aria-current={here('add')}>{admin ? 'Add an event' : 'Request an event'}</a>
    </nav>
  )
}

export function DecideButtons({ e }: { e: EventRow }) {
  return (
    <div class="actions">
      <form method="post" action={`/events/approve/${e.id}`} class="inline-form">
        <button type="submit" aria-label={`Approve “${e.title}”`}>Approve</button>
      </form>
      <form method="post" action={`/events/reject/${e.id}`} class="inline-form">
        <button type="submit" class="secondary" aria-label={`Reject “${e.title}”`}>Reject</button>
      </form>
    </div>
  )
}

function Pending({ events, tz }: { events: EventRow[]; tz: string }) {
  return (
    <section class="card" aria-labelledby="pending-h">
      <h2 id="pending-h">Awaiting approval</h2>
      <ul class="event-list">
        {events.map((e) => (
          <li class="event-line">
            <h3><a href={`/events/${e.id}`} safe>{e.title}</a></h3>
            <p class="meta muted"><EventWhen e={e} tz={tz} /></p>
            <DecideButtons e={e} />
          </li>
        ))}
      </ul>
    </section>
  )
}

function EventWhen({ e, tz }: { e: EventRow; tz: string }) {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' })
  return <time datetime={e.startsAt.toISOString()} safe>{`${f.format(e.startsAt)}${e.location ? ` · ${e.location}` : ''}`}</time>
}

export function EventsPage({ m }: { m: ListModel }) {
  return (
    <section class="events-page" aria-labelledby="events-h">
      <h1 id="events-h">Events</h1>
      <EventsNav admin={m.admin} current="list" />
      {m.admin && m.pending.length ? <Pending events={m.pending} tz={m.tz} /> : ''}
      {m.own.length ? (
        <section class="card" aria-labelledby="own-h">
          <h2 id="own-h">Your requests</h2>
          <EventList events={m.own} tz={m.tz} empty="" />
        </section>
      ) : ''}
      <section class="card" aria-labelledby="week-h">
        <h2 id="week-h">This week</h2>
        <EventList events={m.week} tz={m.tz} empty="No events this week." />
      </section>
      <section class="card" aria-labelledby="later-h">
        <h2 id="later-h">Later this month</h2>
        <EventList events={m.later} tz={m.tz} empty="Nothing else in the next month." />
      </section>
    </section>
  )
}

/** Events grouped by the school-zone day they start on. */
export function byDay(events: EventRow[], tz: string): Map<string, EventRow[]> {
  const out = new Map<string, EventRow[]>()
  for (const e of events) {
    const d = dateInTz(e.startsAt, tz)
    out.set(d, [...(out.get(d) ?? []), e])
  }
  return out
}

/** Monday of the week holding `date`. */
export function mondayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return addDays(date, -((wd + 6) % 7))
}
