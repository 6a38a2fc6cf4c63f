import { depsOf, type Base } from '../../platform/http.ts'
import { isGroupAdmin } from './membership.ts'
import { groupRoutes } from './routes.tsx'

export { groupsVisibleTo, isMember, membersOf, isGroupAdmin, mayManageGroup } from './membership.ts'

/** Groups: the read-only "your groups" page and the group editor (admin index link). */
export function groupsFeature(base: Base) {
  const deps = depsOf(base)
  deps.registries.admin.push({ href: '/groups', label: 'Groups', group: 'People', visible: (v) => isGroupAdmin(v) })
  return groupRoutes(base)
}
