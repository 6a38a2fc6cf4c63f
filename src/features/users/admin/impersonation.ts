import type { Deps } from '../../../platform/http.ts'
import { saveSession } from '../../../platform/session.ts'
import type { Viewer } from '../../../platform/viewer.ts'
import { audit } from '../users.sql.ts'
import type { AdminUserRow } from './admin.sql.ts'
import type { Outcome } from './actions.ts'

// "View as this user" replaces Ion's master password. The admin's own session carries
// `actAs`; the session's userId stays the admin, so logout, re-authentication and the audit
// trail all stay theirs. The viewer becomes the target, so every policy applies the target's rights.

/** Why the admin cannot view as this user, or null when they can. */
export function impersonationRefusal(viewer: Viewer, target: Pick<AdminUserRow, 'id' | 'isSuperuser' | 'locked' | 'active'>): string | null {
  if (viewer.impersonatedBy) return 'Stop viewing as this user first.'
  if (target.id === viewer.id) return 'You cannot view the site as yourself.'
  if (target.isSuperuser) return 'Nobody can view the site as a superuser.'
  if (target.locked || !target.active) return 'This account is locked or inactive: unlock it first.'
  return null
}

export async function startImpersonation(deps: Deps, viewer: Viewer, target: AdminUserRow, ip: string): Promise<Outcome> {
  const session = viewer.session
  if (!session || viewer.via !== 'session') return { ok: false, status: 403, message: 'Viewing as another user needs a browser session.' }
  const why = impersonationRefusal(viewer, target)
  if (why) return { ok: false, status: 403, message: why }
  const now = deps.clock.now()
  session.actAs = { userId: target.id, startedAt: now.getTime() }
  await saveSession(deps.redis, session)
  await audit(deps.sql, { actorId: viewer.id, action: 'impersonate.start', targetType: 'user', targetId: target.id, at: now, ip, details: { username: target.username } })
  return { ok: true, value: null }
}

/** Back to the admin's own view. Returns the user who was being viewed, or null when nobody was. */
export async function stopImpersonation(deps: Deps, viewer: Viewer, ip: string): Promise<number | null> {
  const session = viewer.session
  if (!viewer.impersonatedBy || !session?.actAs) return null
  const { startedAt } = session.actAs
  delete session.actAs
  await saveSession(deps.redis, session)
  const now = deps.clock.now()
  await audit(deps.sql, {
    actorId: viewer.impersonatedBy.id, action: 'impersonate.stop', targetType: 'user', targetId: viewer.id, at: now, ip,
    details: { username: viewer.username, seconds: Math.round((now.getTime() - startedAt) / 1000) },
  })
  return viewer.id
}
