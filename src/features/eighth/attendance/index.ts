import { Elysia } from 'elysia'
import { depsOf, type Base } from '../../../platform/http.ts'
import { isEighthAdmin, isTeacher } from '../../../platform/viewer.ts'
import './absence-job.ts'
import { absenceRoutes } from './absence-routes.tsx'
import { attendanceRoutes } from './routes.tsx'
import { renderSponsorWidget } from './widget.tsx'

/** Sponsors' attendance and students' absences: routes, the sponsors' widget, the absence email job. */
export function attendanceFeature(base: Base) {
  const deps = depsOf(base)
  const reg = deps.registries
  reg.dashboard.push({
    id: 'eighth-sponsor', order: 11,
    visible: (v) => isTeacher(v) || v.userType === 'user',
    render: (ctx) => renderSponsorWidget(deps, ctx),
  })
  reg.admin.push({ href: '/eighth/attendance', label: 'Take attendance', group: 'Eighth period', visible: isEighthAdmin })
  return new Elysia({ name: 'eighth-attendance-feature' })
    .use(attendanceRoutes(base))
    .use(absenceRoutes(base))
}
