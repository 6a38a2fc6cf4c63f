import { Elysia } from 'elysia'
import { depsOf, type Base } from '../../../../platform/http.ts'
import { isEighthAdmin } from '../../../../platform/viewer.ts'
import { officeRoutes } from './office-routes.tsx'
import { reportRoutes } from './report-routes.tsx'

// The office's reports (issue 7, items 7 and 8), each linked from the admin index and from the
// office dashboard under "Eighth period".
const LINKS: [string, string][] = [
  ['/eighth/admin', 'Office dashboard'],
  ['/eighth/admin/rosters', 'Rosters'],
  ['/eighth/admin/delinquents', 'Absences by student'],
  ['/eighth/admin/absences', 'Absences'],
  ['/eighth/admin/passes', 'Passes'],
  ['/eighth/admin/statistics', 'Activity statistics'],
  ['/eighth/admin/history', 'History of office actions'],
]

export function reportsFeature(base: Base) {
  const admin = depsOf(base).registries.admin
  for (const [href, label] of LINKS) admin.push({ href, label, group: 'Eighth period', visible: isEighthAdmin })
  return new Elysia({ name: 'eighth-reports-feature' })
    .use(officeRoutes(base))
    .use(reportRoutes(base))
}
