import type { Deps } from '../../platform/http.ts'
import { renderMemo } from '../../platform/html/render-memo.ts'
import { hasPerm } from '../../platform/viewer.ts'
import { resolveDate } from './dates.ts'
import { scheduleWithText } from './service.ts'
import { BellWidget } from './views/day.tsx'

/** The widget as rendered from a day's cached text (render-memo.ts): the same for everyone that day. */
const widgets = renderMemo(64)

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
      const tz = deps.config.schoolTz
      const r = resolveDate(undefined, now, tz)!
      const { day, text } = await scheduleWithText(deps, r.date)
      const render = () => (<BellWidget day={day} r={r} base="/schedule/widget" tz={tz} />) as string
      return text === null ? render() : widgets.get(JSON.stringify([r.date, r.prev, r.next, tz]), text, render)
    },
  })
}
