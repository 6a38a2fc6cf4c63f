import type { Db } from '../../platform/db.ts'
import type { SessionData } from '../../platform/session.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { viewerRow, type ViewerRow } from './users.sql.ts'

export function toViewer(row: ViewerRow, via: Viewer['via'], session: SessionData | null, impersonatedBy: Viewer['impersonatedBy'] = null): Viewer {
  return {
    id: row.id, username: row.username, userType: row.userType, firstName: row.firstName, lastName: row.lastName,
    nickname: row.nickname || null, graduationYear: row.graduationYear, isSuperuser: row.isSuperuser, perms: row.perms,
    darkMode: row.darkMode, totpEnabled: row.totpEnabled, via, session, impersonatedBy,
  }
}

/**
 * The session's user — or, while an admin views as someone, that user — unless locked or inactive.
 * `actAsGone` says the person being viewed as can no longer be (locked, inactive, deleted): the
 * admin is then themselves again.
 */
export async function loadSessionViewer(db: Db, userId: number, session: SessionData): Promise<{ viewer: Viewer | null; actAsGone: boolean }> {
  const row = await viewerRow(db, userId)
  if (!row || row.locked || !row.active) return { viewer: null, actAsGone: false }
  if (!session.actAs) return { viewer: toViewer(row, 'session', session), actAsGone: false }
  const target = await viewerRow(db, session.actAs.userId)
  if (!target || target.locked || !target.active) return { viewer: toViewer(row, 'session', session), actAsGone: true }
  return { viewer: toViewer(target, 'session', session, { id: row.id, username: row.username }), actAsGone: false }
}
