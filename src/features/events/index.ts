import { Elysia } from 'elysia'
import eventsCss from '../../../public/events.css' with { type: 'file' }
import { registerAsset } from '../../platform/html/assets.ts'
import { depsOf, type Base } from '../../platform/http.ts'
import { isRestricted } from '../../platform/viewer.ts'
import { feedSources } from '../announcements/index.ts'
import { registerSearchSection } from '../directory/index.ts'
import { feedItems, loginEvents } from './public.tsx'
import { eventHideRoutes } from './routes-hide.tsx'
import { eventIcalRoutes } from './routes-ical.tsx'
import { eventManageRoutes } from './routes-manage.tsx'
import { eventReadRoutes } from './routes.tsx'
import { eventSearchSection } from './search.ts'
import { isEventsAdmin } from './service.ts'

// Events (issue 8, item 4; ion-apps.md §9): requests and approval, groups, RSVPs with a roster,
// the upcoming list and the week/month calendar, the login page's public events, the dashboard
// feed's event cards (hide/show per person), the directory search's event hits, and the
// iCalendar feeds (public, and private per user with eighth signups).

registerAsset('events.css', eventsCss)

export { eventsDemoSeed } from './seed.ts'

export function eventsFeature(base: Base) {
  const deps = depsOf(base)
  const reg = deps.registries
  reg.nav.push({ href: '/events', label: 'Events', order: 28, visible: (v) => v !== null && !isRestricted(v) })
  reg.admin.push(
    { href: '/events/add', label: 'Add an event', group: 'News', visible: isEventsAdmin },
    { href: '/events#pending-h', label: 'Event requests', group: 'News', visible: isEventsAdmin },
  )
  reg.loginExtras.push({ id: 'events', order: 20, render: ({ now, today }) => loginEvents(deps, now, today) })
  feedSources(deps).push({ id: 'events', items: feedItems })
  registerSearchSection(reg, eventSearchSection(deps))
  return new Elysia({ name: 'events' })
    .use(eventIcalRoutes(base))
    .use(eventHideRoutes(base))
    .use(eventManageRoutes(base))
    .use(eventReadRoutes(base))
}
