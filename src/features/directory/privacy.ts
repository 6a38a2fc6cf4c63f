import { hasPerm, isTeacher, type Viewer } from '../../platform/viewer.ts'

// Who sees what of whom (ion-apps.md §4). The one rule every surface uses — the profile page,
// the profile API, search results, rosters — so they cannot disagree.
//
//   pictures, eighth, schedule: visible when the parent AND the self flag are on, or the viewer
//     is the owner, or the viewer is a teacher, a counselor or an eighth admin. Flags default
//     closed: a missing flag counts as off.
//   studentId, counselor: staff only (teachers, counselors, eighth admins) — not even the owner.
//   email (the school address): staff, and the owner.

export const PRIVACY_ATTRS = ['pictures', 'eighth', 'schedule'] as const
export type PrivacyAttr = (typeof PRIVACY_ATTRS)[number]
export type PrivateField = PrivacyAttr | 'studentId' | 'counselor' | 'email'

export type PrivacyFlags = {
  selfShowPictures: boolean
  parentShowPictures: boolean
  selfShowEighth: boolean
  parentShowEighth: boolean
  selfShowSchedule: boolean
  parentShowSchedule: boolean
}

/** The owner as far as privacy goes: an id and (optionally) the flag pairs. */
export type PrivacyOwner = { id: number } & Partial<PrivacyFlags>

export type PrivacyViewer = Pick<Viewer, 'id' | 'userType' | 'perms' | 'isSuperuser'>

const FLAGS: Record<PrivacyAttr, [keyof PrivacyFlags, keyof PrivacyFlags]> = {
  pictures: ['parentShowPictures', 'selfShowPictures'],
  eighth: ['parentShowEighth', 'selfShowEighth'],
  schedule: ['parentShowSchedule', 'selfShowSchedule'],
}

/** Teachers, counselors and the eighth-period office see past the flags. */
export const seesPastPrivacy = (v: PrivacyViewer) => isTeacher(v as Viewer) || hasPerm(v as Viewer, 'admin_eighth')

/** Both the parent and the student allowed it: anyone may see it. */
export function isPublic(owner: PrivacyOwner, attr: PrivacyAttr): boolean {
  const [parent, self] = FLAGS[attr]
  return owner[parent] === true && owner[self] === true
}

export function canSee(viewer: PrivacyViewer, owner: PrivacyOwner, field: PrivateField): boolean {
  const staff = seesPastPrivacy(viewer)
  switch (field) {
    case 'studentId':
    case 'counselor':
      return staff
    case 'email':
      return staff || viewer.id === owner.id
    default:
      return staff || viewer.id === owner.id || isPublic(owner, field)
  }
}
