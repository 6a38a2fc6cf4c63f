import type { Deps } from '../../platform/http.ts'
import { renderEighthWidget } from './widget.tsx'

/** Eighth's entries in the shared pages: the nav link and the students' dashboard widget. */
export function registerEighthShared(deps: Deps): void {
  const reg = deps.registries
  reg.nav.push({ href: '/eighth/signup', label: 'Eighth', order: 10, visible: (v) => v !== null && v.userType === 'student' })
  reg.dashboard.push({ id: 'eighth', order: 2, visible: (v) => v.userType === 'student', render: (ctx) => renderEighthWidget(deps, ctx) })
}
