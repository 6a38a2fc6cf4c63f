import { Errors, trustedHtml } from '../../../platform/html/components.tsx'
import { displayName } from '../../users/names.ts'
import type { EventRow } from '../events.sql.ts'
import type { Roster } from '../service.ts'
import { creatorOf, EventBadges, whenText } from './item.tsx'
import { DecideButtons } from './list.tsx'

// /events/<id>: the event, its RSVP box (a partial that htmx swaps in place) and its roster.

export type DetailModel = {
  e: EventRow
  tz: string
  admin: boolean
  /** Why the viewer cannot RSVP now (null: they can). */
  rsvpBlocked: string | null
  roster: Roster | null
}

const OPEN_TO: Record<EventRow['openTo'], string> = { everyone: 'Everyone', students: 'Students', parents: 'Parents' }

/** RSVP and roster: the htmx target of the join/leave buttons. */
export function RsvpBox({ m, errors = [] }: { m: DetailModel; errors?: string[] }) {
  const { e, roster } = m
  if (!e.showAttending) return <div id="rsvp"></div>
  return (
    <section id="rsvp" class="card" aria-labelledby="rsvp-h">
      <h2 id="rsvp-h">Who is going</h2>
      <Errors errors={errors} />
      <p safe>{`${e.attendeeCount} ${e.attendeeCount === 1 ? 'person is' : 'people are'} going.${e.attending ? ' You are going.' : ''}`}</p>
      {m.rsvpBlocked ? <p class="muted" safe>{m.rsvpBlocked}</p> : (
        <form method="post" action={`/events/join/${e.id}`} hx-post={`/events/join/${e.id}`} hx-target="#rsvp" hx-swap="outerHTML">
          <input type="hidden" name="attending" value={e.attending ? 'false' : 'true'} />
          <button type="submit" class={e.attending ? 'secondary' : undefined}>{e.attending ? 'I’m not going' : 'I’m going'}</button>
        </form>
      )}
      {roster && roster.total ? (
        <>
          {roster.names.length ? (
            <ul class="roster">{roster.names.map((p) => <li safe>{displayName(p)}</li>)}</ul>
          ) : ''}
          {roster.hidden ? (
            <p class="muted small" safe>{`${roster.hidden} more ${roster.hidden === 1 ? 'person keeps' : 'people keep'} their plans private.`}</p>
          ) : ''}
        </>
      ) : ''}
    </section>
  )
}

export function EventDetail({ m }: { m: DetailModel }) {
  const { e } = m
  const by = creatorOf(e)
  return (
    <article class="events-page event-detail" aria-labelledby="event-h">
      <p class="crumbs"><a href="/events">Events</a></p>
      <h1 id="event-h" safe>{e.title}</h1>
      <p class="meta">
        <time datetime={e.startsAt.toISOString()} safe>{whenText(e, m.tz, true)}</time>
        {e.location ? <span safe>{` · ${e.location}`}</span> : ''}
        <EventBadges e={e} />
      </p>
      <dl class="facts">
        <dt>Open to</dt><dd safe>{OPEN_TO[e.openTo]}</dd>
        {by ? <><dt>Added by</dt><dd safe>{by}</dd></> : ''}
        {m.admin ? <><dt>Login page</dt><dd>{e.public ? 'Shown (public)' : 'Not shown'}</dd></> : ''}
      </dl>
      {e.description ? <div class="rich">{trustedHtml(e.description)}</div> : ''}
      {!e.approved && !e.rejected && !m.admin ? <p class="alert info">This event is waiting for an administrator’s approval.</p> : ''}
      {m.admin && !e.approved && !e.rejected ? <DecideButtons e={e} /> : ''}
      <RsvpBox m={m} />
      {m.admin ? (
        <p class="actions">
          <a href={`/events/modify/${e.id}`}>Edit</a>
          <a href={`/events/delete/${e.id}`}>Delete</a>
        </p>
      ) : ''}
    </article>
  )
}

export function DeleteConfirm({ e, tz }: { e: EventRow; tz: string }) {
  return (
    <section class="card events-page" aria-labelledby="del-h">
      <h1 id="del-h">Delete this event?</h1>
      <p><strong safe>{e.title}</strong> <span safe>{`· ${whenText(e, tz, true)}`}</span></p>
      <p>It disappears from every calendar and feed, with its RSVPs. This cannot be undone.</p>
      <form method="post" action={`/events/delete/${e.id}`} class="actions">
        <button type="submit">Delete the event</button>
        <a href={`/events/${e.id}`}>Keep it</a>
      </form>
    </section>
  )
}
