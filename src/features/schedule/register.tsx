import type { Deps } from '../../platform/http.ts'
import { hasPerm } from '../../platform/viewer.ts'
import { resolveDate } from './dates.ts'
import { scheduleFor } from './service.ts'
import { BellWidget } from './views/day.tsx'

/** The schedule's entries in the shared pages: the nav link, the admin link and the dashboard widget (everyone). */
export function registerScheduleShared(deps: Deps): void {
  const reg = deps.registries
  reg.nav.push({ href: '/schedule', label: 'Schedule', order: 20, visible: (v) => v !== null })
  reg.admin.push({ href: '/schedule/admin', label: 'Bell schedule', group: 'Schedule', visible: (v) => hasPerm(v, 'admin_schedule') })
  reg.dashboard.push({
    id: 'schedule',
    order: 5,
    visible: () => true,
    render: async ({ now }) => {
      const r = resolveDate(undefined, now, deps.config.schoolTz)!
      const day = await scheduleFor(deps, r.date)
      return (<BellWidget day={day} r={r} base="/schedule/widget" tz={deps.config.schoolTz} />) as string
    },
  })
}
