import { Elysia } from 'elysia'
import './jobs.ts'
import { depsOf, type Base } from '../../platform/http.ts'
import { isRestricted } from '../../platform/viewer.ts'
import { busApiRoutes } from './api.ts'
import { isBusAdmin } from './board.ts'
import { lot } from './lot.ts'
import { busPreferenceRoutes, registerBusSection } from './preferences.tsx'
import { busRiderRoutes } from './riders.tsx'
import { busPageRoutes } from './routes.tsx'
import { busSocketRoutes } from './socket.ts'

// The live bus board (issue 9; ion-apps.md §12): the morning lists and the afternoon lot map at
// /bus, Ion's WebSocket protocol at /bus/ws (and Ion's own /bus/), the riders' routes in /preferences and for bus
// admins at /bus/riders, /api/bus, the route resets (jobs.ts) and `ion import routes`.

export function busFeature(base: Base) {
  const deps = depsOf(base)
  lot() // a broken lot map fails at startup, not on the first afternoon
  deps.registries.nav.push({ href: '/bus', label: 'Bus', order: 40, visible: (v) => v !== null && !isRestricted(v) })
  deps.registries.admin.push(
    { href: '/bus', label: 'Bus board', group: 'Bus', visible: isBusAdmin },
    { href: '/bus/riders', label: 'Bus riders', group: 'Bus', visible: isBusAdmin },
  )
  registerBusSection(deps.registries, deps)
  return new Elysia({ name: 'bus' })
    .use(busPageRoutes(base))
    .use(busSocketRoutes(base))
    .use(busPreferenceRoutes(base))
    .use(busRiderRoutes(base))
    .use(busApiRoutes(base))
}
