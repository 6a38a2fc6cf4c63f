import type { Deps } from '../../platform/http.ts'
import { hasPerm, isRestricted, type Viewer } from '../../platform/viewer.ts'
import { effectiveList, formattedRoomName, isUpcoming } from '../eighth/effective.ts'
import { blockText } from '../eighth/format.ts'
import { displayName, fullName, schoolEmail } from '../users/names.ts'
import { emailsOf, groupNamesOf, userById, type UserRecord } from '../users/users.sql.ts'
import { gradeTitle } from './people.ts'
import { canSee, isPublic, seesPastPrivacy } from './privacy.ts'
import { nextBlocksOf, sponsoredBy } from './profile.sql.ts'

// /profile[/<id>]: what the viewer may see of a person (the privacy rule is canSee, privacy.ts).

export const NEXT_BLOCKS = 6
const SPONSORED_LIMIT = 10

export type ScheduleEntry = { block: string; activity: string | null; rooms: string; cancelled: boolean }

export type ProfileModel = {
  id: number
  name: string
  displayName: string
  nickname: string
  username: string
  title: string
  label: string
  isStudent: boolean
  self: boolean
  /** Inactive or locked: only admins get this far. */
  inactive: boolean
  photo: boolean
  email: string | null
  studentId: string | null
  counselor: { id: number; name: string } | null
  /** null: not shown (not a student, or hidden from this viewer). */
  eighth: { entries: ScheduleEntry[]; restricted: boolean } | null
  sponsored: ScheduleEntry[] | null
  groups: { id: number; name: string }[] | null
  links: { eighthProfile: boolean; privacy: boolean; signup: boolean }
}

export type ProfileResult = { kind: 'ok'; model: ProfileModel } | { kind: 'forbidden' } | { kind: 'notFound' }

const seesInactive = (v: Viewer) => hasPerm(v, 'admin_eighth') || hasPerm(v, 'admin_all')
const seesGroups = (v: Viewer) => hasPerm(v, 'admin_groups') || hasPerm(v, 'admin_eighth')

function entry(r: { date: string; blockLetter: string; activityName?: string | null; name?: string; title: string | null; cancelled: boolean | null; saRooms: string[]; actRooms: string[] }): ScheduleEntry {
  const name = r.activityName ?? r.name ?? null
  return {
    block: blockText(r),
    activity: name ? (r.title ? `${name} - ${r.title}` : name) : null,
    rooms: effectiveList(r.saRooms, r.actRooms).map(formattedRoomName).join(', '),
    cancelled: !!r.cancelled,
  }
}

async function counselorOf(deps: Deps, u: UserRecord) {
  if (!u.counselorId) return null
  const c = await userById(deps.sql, u.counselorId)
  return c ? { id: c.id, name: fullName(c) } : null
}

export async function loadProfile(deps: Deps, viewer: Viewer, idParam: string | undefined): Promise<ProfileResult> {
  const id = idParam === undefined ? viewer.id : /^\d{1,9}$/.test(idParam) ? Number(idParam) : null
  if (id === null) return { kind: 'notFound' }
  if (id !== viewer.id && isRestricted(viewer)) return { kind: 'forbidden' }
  const u = await userById(deps.sql, id)
  if (!u) return { kind: 'notFound' }
  const inactive = !u.active || u.locked || u.userType === 'service'
  if (inactive && id !== viewer.id && !seesInactive(viewer)) return { kind: 'notFound' }

  const today = deps.clock.today()
  const isStudent = u.userType === 'student'
  const show = {
    eighth: isStudent && canSee(viewer, u, 'eighth'),
    email: canSee(viewer, u, 'email'),
    counselor: isStudent && canSee(viewer, u, 'counselor'),
  }
  const [emails, counselor, blocks, sponsored, groups] = await Promise.all([
    show.email ? emailsOf(deps.sql, u.id) : [],
    show.counselor ? counselorOf(deps, u) : null,
    show.eighth ? nextBlocksOf(deps.sql, u.id, today, NEXT_BLOCKS + 4) : [],
    isStudent ? null : sponsoredBy(deps.sql, u.id, today, SPONSORED_LIMIT),
    seesGroups(viewer) ? groupNamesOf(deps.sql, u.id) : null,
  ])
  const now = deps.clock.now()
  const upcoming = blocks.filter((b) => isUpcoming(b.date, now, deps.config.schoolTz)).slice(0, NEXT_BLOCKS)
  const staff = seesPastPrivacy(viewer)
  return {
    kind: 'ok',
    model: {
      id: u.id,
      name: fullName(u),
      displayName: displayName(u),
      nickname: u.nickname,
      username: u.username,
      title: u.title,
      label: gradeTitle(u, today, deps.config.yearTurnoverMonth),
      isStudent,
      self: u.id === viewer.id,
      inactive,
      photo: canSee(viewer, u, 'pictures'),
      email: show.email ? schoolEmail(emails, deps.config.schoolEmailDomains) : null,
      studentId: isStudent && canSee(viewer, u, 'studentId') ? u.studentId : null,
      counselor,
      eighth: show.eighth ? { entries: upcoming.map(entry), restricted: u.id !== viewer.id && !isPublic(u, 'eighth') } : null,
      sponsored: sponsored ? sponsored.map(entry) : null,
      groups: groups ? groups.map((g) => ({ id: g.id, name: g.name })) : null,
      links: {
        eighthProfile: isStudent && (u.id === viewer.id || staff),
        privacy: isStudent && hasPerm(viewer, 'admin_eighth'),
        signup: isStudent && (u.id === viewer.id || hasPerm(viewer, 'admin_eighth')),
      },
    },
  }
}
