import { Elysia } from 'elysia'
import { depsOf, type Base } from '../../../../platform/http.ts'
import { page } from '../../../../platform/html/page.tsx'
import { hasPerm } from '../../../../platform/viewer.ts'
import { distributeMoveRoutes } from './distribute-routes.tsx'
import { groupMoveRoutes } from './group-routes.tsx'
import './jobs.ts'
import { studentMoveRoutes } from './student-routes.tsx'
import { transferMoveRoutes } from './transfer-routes.tsx'
import { unsignedRoutes } from './unsigned-routes.tsx'
import { TOOLS } from './views/common.tsx'

export { placeUnsignedInDefault } from './unsigned.ts'

/**
 * The office's tools for moving students (issue 7, items 5 and 6): group signup, distribute,
 * transfer, clear, sticky students, signing up one student with force, and unsigned students
 * (with the signup-status email jobs). Every route is for the eighth-period office.
 */
export function movesFeature(base: Base) {
  const deps = depsOf(base)
  for (const t of TOOLS) deps.registries.admin.push({ href: t.href, label: t.label, group: 'Eighth period', visible: (v) => hasPerm(v, 'admin_eighth') })
  return new Elysia({ name: 'eighth-moves' })
    .use(base)
    .get('/eighth/admin/moves', (c) => page(c, 'Moving students', (
      <section class="moves" aria-labelledby="moves-title">
        <h1 id="moves-title">Moving students</h1>
        <ul class="moves-tools">{TOOLS.map((t) => <li><a href={t.href} safe>{t.label}</a></li>)}</ul>
      </section>
    )), { policy: 'admin_eighth' })
    .use(groupMoveRoutes(base))
    .use(distributeMoveRoutes(base))
    .use(transferMoveRoutes(base))
    .use(studentMoveRoutes(base))
    .use(unsignedRoutes(base))
}
