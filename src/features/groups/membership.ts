import type { Db } from '../../platform/db.ts'
import { hasPerm, type Viewer } from '../../platform/viewer.ts'
import { allGroups, memberExists, memberRows, type GroupBrief, type Member } from './groups.sql.ts'

// What other features use of groups (announcements, events, polls, eighth): read through these,
// never the tables.

export type { GroupBrief, Member }

/**
 * Who runs the group editor: admin_groups (admin_all implies it), the eighth office (Ion lets
 * eighth admins manage every group but the permission groups), and superusers.
 */
export const isGroupAdmin = (v: Viewer) => v.isSuperuser || hasPerm(v, 'admin_groups') || hasPerm(v, 'admin_eighth')

export const isPermissionGroup = (name: string) => name.toLowerCase().startsWith('admin_')

/** Permission groups (admin_*) are managed by superusers only. */
export const mayManageGroup = (v: Viewer, name: string) => isGroupAdmin(v) && (v.isSuperuser || !isPermissionGroup(name))

/**
 * The groups a person may pick as an audience (events, announcements): group admins every
 * group, everyone else the student-visible ones (Ion's rule).
 */
export function groupsVisibleTo(db: Db, viewer: Viewer): Promise<GroupBrief[]> {
  return allGroups(db, !isGroupAdmin(viewer))
}

export function isMember(db: Db, userId: number, groupId: number): Promise<boolean> {
  return memberExists(db, userId, groupId)
}

export function membersOf(db: Db, groupId: number): Promise<Member[]> {
  return memberRows(db, groupId)
}
