import type { Config } from '../../config.ts'
import type { Db } from '../../platform/db.ts'
import { isRestricted, type Viewer } from '../../platform/viewer.ts'
import { canSee } from '../directory/privacy.ts'
import { gradeOf } from './grade.ts'
import { fullName, schoolEmail, shortName, displayName } from './names.ts'
import { emailsOf, userById, type UserRecord } from './users.sql.ts'

// GET /api/profile[/<id>|/<username>] in Ion's shape and rules (ion-apps.md §19.1).

type Brief = { id: number; url: string; user_type: string; username: string; full_name: string; first_name: string; last_name: string }

export const apiProfileUrl = (config: Config, id: number) => `${config.baseUrl}/api/profile/${id}`

function brief(u: UserRecord, config: Config): Brief {
  return { id: u.id, url: apiProfileUrl(config, u.id), user_type: u.userType, username: u.username, full_name: fullName(u), first_name: u.firstName, last_name: u.lastName }
}

export type ProfileAnswer = { status: 200; body: Record<string, unknown> } | { status: 403 | 404; body: { detail: string; details: string[] } }

const err = (status: 403 | 404, detail: string): ProfileAnswer => ({ status, body: { detail, details: [detail] } })

export async function apiProfile(db: Db, config: Config, viewer: Viewer, today: string, target: number | null, canUseApi: boolean): Promise<ProfileAnswer> {
  const id = target ?? viewer.id
  if (id !== viewer.id) {
    if (isRestricted(viewer)) return err(404, 'Not found.')
    if (!canUseApi) return err(403, 'You do not have permission to perform this action.')
  }
  const u = await userById(db, id)
  if (!u || !u.active) return err(404, 'Not found.')
  // What the viewer may see of u: the directory's one privacy rule (canSee).
  const see = { email: canSee(viewer, u, 'email'), counselor: canSee(viewer, u, 'counselor'), studentId: canSee(viewer, u, 'studentId') }
  const [emails, counselor] = await Promise.all([
    see.email ? emailsOf(db, u.id) : [],
    see.counselor && u.counselorId ? userById(db, u.counselorId) : null,
  ])
  const grade = gradeOf(u.userType === 'student' ? u.graduationYear : null, today, config.yearTurnoverMonth)
  const body: Record<string, unknown> = {
    id: u.id,
    ion_username: u.username,
    sex: u.gender === 'male' ? 'Male' : u.gender === 'female' ? 'Female' : u.gender === 'non-binary' ? 'Non-binary' : '',
    title: u.title || null,
    display_name: displayName(u),
    full_name: fullName(u),
    short_name: shortName(u),
    first_name: u.firstName,
    last_name: u.lastName,
    nickname: u.nickname || null,
    tj_email: see.email ? schoolEmail(emails, config.schoolEmailDomains) : null,
    grade,
    graduation_year: u.graduationYear,
    user_type: u.userType,
    counselor: counselor ? brief(counselor, config) : null,
    administrator: null,
    picture: `${apiProfileUrl(config, u.id)}/picture`,
    is_eighth_admin: false,
    is_teacher: u.userType === 'teacher' || u.userType === 'counselor',
    is_student: u.userType === 'student',
  }
  // Ion strips middle_name, absences, address, emails, phones, websites, is_announcements_admin;
  // student_id only for teachers, counselors and eighth admins.
  if (see.studentId) body.student_id = u.studentId
  return { status: 200, body }
}
