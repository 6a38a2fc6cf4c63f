import { depsOf, type Base } from '../../platform/http.ts'
import { hasPerm } from '../../platform/viewer.ts'
import { feedBanners } from '../announcements/index.ts'
import { EmergencyBanner, renderWarnings } from './banners.tsx'
import './jobs.ts'
import { emergRoutes } from './routes.tsx'
import { bannerState, warningsAt } from './warnings.ts'

// Emergency and warnings (issue 8, item 6; ion-apps.md §14): the emergency message (configured,
// or the newest item of an external alert feed read by a 5-minute job) and the every-page
// warnings in the layout's banner slot; dashboard warnings above the feed; login warnings on the
// login page; /api/emerg; /admin/warnings for announcement admins.

export { currentEmergency, refreshEmergency } from './state.ts'

export function emergFeature(base: Base) {
  const deps = depsOf(base)
  const reg = deps.registries
  reg.banners.push({
    id: 'emergency', order: 10,
    render: async () => {
      const { emergency, warnings } = await bannerState(deps)
      return ((<EmergencyBanner s={emergency} />) as string) + renderWarnings(warnings) || null
    },
  })
  reg.loginExtras.push({ id: 'warnings', order: 10, render: async () => renderWarnings(await warningsAt(deps, ['login', 'dashboard_login'])) })
  feedBanners(deps).push({ id: 'warnings', order: 10, render: async () => renderWarnings(await warningsAt(deps, ['dashboard', 'dashboard_login'])) })
  reg.admin.push({ href: '/admin/warnings', label: 'Warnings and emergency', group: 'News', visible: (v) => hasPerm(v, 'admin_announcements') })
  return emergRoutes(base)
}
