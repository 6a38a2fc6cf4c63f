import type { Deps } from '../../platform/http.ts'
import type { FeedCtx, FeedItem } from '../announcements/index.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'
import { feedEvents, publicUpcoming, type EventRow } from './events.sql.ts'
import { scopeOf } from './service.ts'
import { renderMemo } from '../../platform/html/render-memo.ts'
import { EventFeedCard, eventCardKey, whenText } from './views/item.tsx'

// What events add to pages other features own: the login page's upcoming public events (Ion: the
// next 7 days, 3 sports and 3 school events) and the dashboard feed's event cards.

const LOGIN_DAYS = 7
const LOGIN_EACH = 3

function LoginList({ title, events, tz }: { title: string; events: EventRow[]; tz: string }) {
  if (!events.length) return ''
  return (
    <section class="card" aria-label={title}>
      <h2 safe>{title}</h2>
      <ul>
        {events.map((e) => (
          <li>
            <strong safe>{e.title}</strong>
            <br /><span class="muted" safe>{`${whenText(e, tz)}${e.location ? ` · ${e.location}` : ''}`}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Upcoming public events for anonymous visitors: no links to event pages (they need a login). */
export async function loginEvents(deps: Deps, now: Date, today: string): Promise<string> {
  const to = zonedInstant(addDays(today, LOGIN_DAYS + 1), '00:00', deps.config.schoolTz)
  const [sports, school] = await Promise.all([
    publicUpcoming(deps.sql, 'sports', now, to, LOGIN_EACH),
    publicUpcoming(deps.sql, 'school', now, to, LOGIN_EACH),
  ])
  const tz = deps.config.schoolTz
  return ((<><LoginList title="Upcoming sports" events={sports} tz={tz} /><LoginList title="Upcoming school events" events={school} tz={tz} /></>) as string)
}

/** Event cards as many viewers see them in the feed, rendered once per key (render-memo.ts). */
const cards = renderMemo(1000)

/** The dashboard feed's event items: visible, approved, on the dashboard, not over before today. */
export async function feedItems(ctx: FeedCtx): Promise<FeedItem[]> {
  const since = zonedInstant(ctx.today, '00:00', ctx.deps.config.schoolTz)
  const rows = await feedEvents(ctx.deps.sql, { ...scopeOf(ctx.viewer), admin: false }, since, ctx.limit)
  const tz = ctx.deps.config.schoolTz
  return rows.map((e) => ({
    key: `event-${String(e.id).padStart(10, '0')}`,
    pinned: false,
    at: e.added,
    render: () => cards.get(eventCardKey(e, tz), '', () => (<EventFeedCard e={e} tz={tz} />) as string),
  }))
}
