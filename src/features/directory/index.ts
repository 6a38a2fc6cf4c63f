import { Elysia } from 'elysia'
import { depsOf, type Base, type Deps } from '../../platform/http.ts'
import type { Registries, SearchSection } from '../../platform/registry.ts'
import { hasPerm, isRestricted } from '../../platform/viewer.ts'
import { userById } from '../users/users.sql.ts'
import { activitiesMatching } from './activities.sql.ts'
import { flagsOf } from './privacy-edit.ts'
import { privacyRoutes } from './privacy-routes.tsx'
import { profileRoutes } from './profile-routes.tsx'
import { searchRoutes } from './search-routes.tsx'
import { privacySection } from './views/privacy.tsx'

export { canSee } from './privacy.ts'

/**
 * Adds a section to the directory search's results. News registers announcements and events:
 *   registerSearchSection(deps.registries, { id: 'announcements', title: 'Announcements', order: 20,
 *     visible: (v) => true, find: ({ viewer, words, today }) => … })
 * Each branch of `words` is ANDed, branches are a union; hits hold a one-person search on the
 * results page unless `holdsRedirect: false` (Ion: events don't).
 */
export function registerSearchSection(reg: Registries, section: SearchSection): void {
  reg.search.push(section)
}

const ACTIVITY_HITS = 20

function registerDirectoryShared(deps: Deps): void {
  const reg = deps.registries
  reg.nav.push({ href: '/search', label: 'Directory', order: 20, visible: (v) => v !== null && !isRestricted(v) })
  reg.admin.push({ href: '/preferences/privacy', label: 'Student privacy', group: 'Eighth period', visible: (v) => hasPerm(v, 'admin_eighth') })
  registerSearchSection(reg, {
    id: 'activities', title: 'Eighth-period activities', order: 10, visible: () => true,
    find: async ({ viewer, words }) => (await activitiesMatching(deps.sql, words, ACTIVITY_HITS)).map((a) => ({
      title: a.name,
      detail: a.description || undefined,
      href: viewer.userType === 'student' ? `/eighth/signup?q=${encodeURIComponent(a.name)}` : undefined,
    })),
  })
  reg.preferences.push({
    id: 'privacy', title: 'Privacy', order: 40,
    visible: (v) => v.userType === 'student' || hasPerm(v, 'admin_eighth'),
    render: async ({ viewer }) => {
      const u = viewer.userType === 'student' ? await userById(deps.sql, viewer.id) : null
      return privacySection(u ? flagsOf(u) : null, hasPerm(viewer, 'admin_eighth'))
    },
  })
}

/** The directory: search, profiles with privacy, the privacy editor and the search API. */
export function directoryFeature(base: Base) {
  registerDirectoryShared(depsOf(base))
  return new Elysia({ name: 'directory' })
    .use(searchRoutes(base))
    .use(profileRoutes(base))
    .use(privacyRoutes(base))
}
