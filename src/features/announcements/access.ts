import type { Deps } from '../../platform/http.ts'
import { hasPerm, isRestricted, type Viewer } from '../../platform/viewer.ts'
import { gradeNumber } from '../users/grade.ts'
import type { AnnouncementRow, Scope } from './announcements.sql.ts'
import { mayModifyClub } from './club.sql.ts'

// Who may see and change announcements. Visibility itself is one SQL rule (announcements.sql.ts);
// this decides the viewer's scope and the modify permission (Ion's can_modify).

export type Refusal = { ok: false; status: 403 | 404 | 409 | 422; errors: string[] }
export type Outcome<T> = { ok: true; value: T } | Refusal
export const refuse = (status: Refusal['status'], ...errors: string[]): Refusal => ({ ok: false, status, errors })
export const done = <T>(value: T): Outcome<T> => ({ ok: true, value })

/** What every service takes: the dependencies, the viewer, and the client address for the audit. */
export type Act = { deps: Deps; viewer: Viewer; ip?: string }

export const isAnnouncementAdmin = (v: Viewer) => hasPerm(v, 'admin_announcements')

/** Null for restricted users: they see no announcements at all. */
export function scopeOf(deps: Deps, v: Viewer, showAll = false): Scope | null {
  if (isRestricted(v)) return null
  const n = gradeNumber(v.graduationYear, deps.clock.today(), deps.config.yearTurnoverMonth)
  return { userId: v.id, grade: n >= 9 && n <= 12 ? n : null, all: showAll && isAnnouncementAdmin(v) }
}

/** Admins change any post; officers, club sponsors and sponsors change their club's posts. */
export async function mayModify(deps: Deps, v: Viewer, row: Pick<AnnouncementRow, 'activityId'>): Promise<boolean> {
  if (isAnnouncementAdmin(v)) return true
  if (row.activityId === null || isRestricted(v)) return false
  return mayModifyClub(deps.sql, row.activityId, v.id)
}

export const NOT_FOUND = 'That announcement does not exist, or you cannot see it.'
