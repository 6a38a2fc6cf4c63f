import { dateInTz } from '../../../platform/clock.ts'
import { dateFormat } from '../../../platform/intl.ts'
import { displayName } from '../../users/names.ts'
import type { EventRow } from '../events.sql.ts'

// One event in a list (the week, the month, the dashboard feed, the login page): its title
// linking to its page, when and where, and small badges. Every value is escaped.

const fmt = (tz: string, o: Intl.DateTimeFormatOptions) => dateFormat('en-US', { timeZone: tz, ...o })

/** "Tue, Dec 1 · 2:00 – 3:30 PM", spanning days when it does. */
export function whenText(e: Pick<EventRow, 'startsAt' | 'endsAt'>, tz: string, withYear = false): string {
  const day = fmt(tz, { weekday: 'short', month: 'short', day: 'numeric', ...(withYear ? { year: 'numeric' } : {}) })
  const time = fmt(tz, { hour: 'numeric', minute: '2-digit' })
  const start = `${day.format(e.startsAt)} · ${time.format(e.startsAt)}`
  if (!e.endsAt) return start
  if (dateInTz(e.endsAt, tz) === dateInTz(e.startsAt, tz)) return `${start} – ${time.format(e.endsAt)}`
  return `${start} – ${day.format(e.endsAt)} · ${time.format(e.endsAt)}`
}

export const creatorOf = (e: Pick<EventRow, 'creatorFirst' | 'creatorLast' | 'creatorNickname'>) =>
  e.creatorLast === null ? '' : displayName({ firstName: e.creatorFirst ?? '', lastName: e.creatorLast ?? '', nickname: e.creatorNickname })

export function EventBadges({ e }: { e: EventRow }) {
  return (
    <>
      {e.category === 'sports' ? <> <span class="badge">Sports</span></> : ''}
      {!e.approved && !e.rejected ? <> <span class="badge warn">Awaiting approval</span></> : ''}
      {e.rejected ? <> <span class="badge warn">Rejected</span></> : ''}
      {e.attending ? <> <span class="badge ok">Going</span></> : ''}
      {e.groups.length ? <span class="muted" safe>{` · For ${e.groups.map((g) => g.name).join(', ')}`}</span> : ''}
    </>
  )
}

/** A compact line-item: `level` is the heading level inside its list. */
export function EventLine({ e, tz, level = 3, withYear = false }: { e: EventRow; tz: string; level?: 2 | 3 | 4; withYear?: boolean }) {
  const title = <a href={`/events/${e.id}`} safe>{e.title}</a>
  return (
    <li class="event-line">
      {level === 2 ? <h2>{title}</h2> : level === 3 ? <h3>{title}</h3> : <h4>{title}</h4>}
      <p class="meta muted">
        <time datetime={e.startsAt.toISOString()} safe>{whenText(e, tz, withYear)}</time>
        {e.location ? <span safe>{` · ${e.location}`}</span> : ''}
        <EventBadges e={e} />
      </p>
    </li>
  )
}

export function EventList({ events, tz, empty, level = 3 }: { events: EventRow[]; tz: string; empty: string; level?: 2 | 3 | 4 }) {
  if (!events.length) return <p class="muted" safe>{empty}</p>
  return <ul class="event-list">{events.map((e) => <EventLine e={e} tz={tz} level={level} />)}</ul>
}

/** Hide or show the card for this viewer (htmx swaps the card; without JavaScript, back to `next`). */
function HideForm({ e, next }: { e: EventRow; next: string }) {
  const action = e.hidden ? '/events/show' : '/events/hide'
  return (
    <form method="post" action={action} hx-post={action} hx-target={`#event-${e.id}`} hx-swap="outerHTML">
      <input type="hidden" name="event_id" value={String(e.id)} />
      <input type="hidden" name="next" value={next} />
      <button type="submit" class="link" aria-label={`${e.hidden ? 'Show' : 'Hide'} “${e.title}”`}>{e.hidden ? 'Show' : 'Hide'}</button>
    </form>
  )
}

/** Everything EventFeedCard shows (the feed's memo key, events/public.tsx): a field the card starts to show belongs here too. */
export function eventCardKey(e: EventRow, tz: string, next = '/'): string {
  return JSON.stringify([
    e.id, e.title, e.startsAt.getTime(), e.endsAt?.getTime() ?? null, e.location, e.category, e.approved, e.rejected, e.attending,
    e.groups.map((g) => g.name), e.hidden, e.showAttending, e.attendeeCount, tz, next,
  ])
}

/**
 * The dashboard feed's card for an event (the feed sorts it among announcements by when it was
 * added). A card the viewer hid stays in the feed collapsed to its title, with "Show", as hidden
 * announcements do. One partial, two uses: in the feed, and the htmx answer to hide/show.
 */
export function EventFeedCard({ e, tz, next = '/' }: { e: EventRow; tz: string; next?: string }) {
  return (
    <article class={`announcement card event-card${e.hidden ? ' collapsed' : ''}`} id={`event-${e.id}`} aria-labelledby={`event-${e.id}-title`}>
      <header>
        <h3 id={`event-${e.id}-title`}><span class="badge">Event</span> <a href={`/events/${e.id}`} safe>{e.title}</a></h3>
        {e.hidden ? '' : (
          <p class="meta muted">
            <time datetime={e.startsAt.toISOString()} safe>{whenText(e, tz)}</time>
            {e.location ? <span safe>{` · ${e.location}`}</span> : ''}
            <EventBadges e={e} />
          </p>
        )}
      </header>
      <footer class="actions">
        <HideForm e={e} next={next} />
        <a href={`/events/${e.id}`} aria-label={`Details of “${e.title}”`}>Details</a>
        {e.showAttending && !e.hidden ? <span class="muted" safe>{`${e.attendeeCount} going`}</span> : ''}
      </footer>
    </article>
  )
}
