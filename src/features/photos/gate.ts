import type { Viewer } from '../../platform/viewer.ts'
import { canSee } from '../directory/privacy.ts'
import { gradeNumber } from '../users/grade.ts'
import type { PictureOwner } from './photos.sql.ts'

// The privacy rule is the directory's, one for every surface (ion-apps.md §4): pictures are
// visible when the parent AND the self flag are on, or to the owner, teachers, counselors and the
// eighth office. Anyone else gets the default avatar.
export const picturesVisible = (viewer: Viewer, owner: PictureOwner): boolean => canSee(viewer, owner, 'pictures')

/**
 * Where the "most recent photo" walk starts: a student's current grade (a graduate's stops at
 * senior year), staff at 13. Photos of later grades than today's are never shown as current.
 */
export function walkFrom(owner: PictureOwner, today: string, turnoverMonth: number): number {
  if (owner.userType !== 'student' || owner.graduationYear === null) return 13
  return Math.min(gradeNumber(owner.graduationYear, today, turnoverMonth), 12)
}
