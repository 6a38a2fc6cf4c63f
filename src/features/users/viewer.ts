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

/** The session's user — or, while an admin views as someone, that user — unless locked or inactive. */
export async function loadSessionViewer(db: Db, userId: number, session: SessionData): Promise<Viewer | null> {
  const row = await viewerRow(db, session.actAs?.userId ?? userId)
  if (!row || row.locked || !row.active) return null
  if (!session.actAs) return toViewer(row, 'session', session)
  const admin = await viewerRow(db, userId)
  if (!admin || admin.locked || !admin.active) return null
  return toViewer(row, 'session', session, { id: admin.id, username: admin.username })
}
