import { Elysia } from 'elysia'
import { depsOf, type Base } from '../../../../platform/http.ts'
import { isEighthAdmin } from '../../../../platform/viewer.ts'
import { scheduleRoutes } from '../schedule/routes.tsx'
import { activityRoutes } from './activities-routes.tsx'
import { blockRoutes } from './blocks-routes.tsx'
import { clubRoutes } from './club-routes.tsx'
import { roomRoutes } from './rooms-routes.tsx'
import { sponsorRoutes } from './sponsors-routes.tsx'

/**
 * The eighth-period office's catalogue (blocks, activities, rooms, sponsors), the scheduling
 * grids and sanity check, and each activity's public page and club settings (issue 7, items 3, 4, 9).
 */
export function officeCatalogFeature(base: Base) {
  const admin = depsOf(base).registries.admin
  const links: [string, string][] = [
    ['/eighth/admin/blocks', 'Blocks'], ['/eighth/admin/activities', 'Activities'],
    ['/eighth/admin/rooms', 'Rooms'], ['/eighth/admin/sponsors', 'Sponsors'],
  ]
  for (const [href, label] of links) admin.push({ href, label, group: 'Eighth period', visible: (v) => isEighthAdmin(v) })
  return new Elysia({ name: 'eighth-office-catalog' })
    .use(blockRoutes(base))
    .use(activityRoutes(base))
    .use(roomRoutes(base))
    .use(sponsorRoutes(base))
    .use(scheduleRoutes(base))
    .use(clubRoutes(base))
}
