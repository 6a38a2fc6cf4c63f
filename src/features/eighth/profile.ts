import type { Deps } from '../../platform/http.ts'
import { isTeacher, type Viewer } from '../../platform/viewer.ts'
import { seniorYear } from '../users/grade.ts'
import { effectiveList, formattedRoomName, isUpcoming, sponsorName } from './effective.ts'
import { isEighthAdmin } from './signup-page.ts'
import { profileBlocks, profileUser, type ProfileUser } from './student.sql.ts'

// A student's eighth-period schedule: upcoming blocks, past signups and absences, this school year.

export type ProfileEntry = {
  blockId: number
  date: string
  blockLetter: string
  activity: string | null
  cancelled: boolean
  rooms: string[]
  sponsors: string[]
  /** Ion's absence: marked absent on an activity whose attendance was taken. */
  absent: boolean
}

export type ProfileModel = { user: ProfileUser; self: boolean; upcoming: ProfileEntry[]; past: ProfileEntry[]; absences: ProfileEntry[]; year: string }

export type ProfileResult = { kind: 'ok'; model: ProfileModel } | { kind: 'forbidden' } | { kind: 'notFound' }

/**
 * The school year runs Aug 1 – Jul 31 (Ion's get_date_range_this_year): it is the one whose
 * seniors graduate in seniorYear(), counted with the year turning over once the turnover
 * month (July) has ended.
 */
export function schoolYear(today: string, turnoverMonth: number): { start: string; end: string } {
  const grad = seniorYear(today, turnoverMonth + 1)
  return { start: `${grad - 1}-08-01`, end: `${grad}-07-31` }
}

export const mayView = (viewer: Viewer, userId: number) => viewer.id === userId || isTeacher(viewer) || isEighthAdmin(viewer)

export async function loadProfile(deps: Deps, viewer: Viewer, uidParam: string | undefined): Promise<ProfileResult> {
  const uid = uidParam === undefined ? viewer.id : /^\d{1,9}$/.test(uidParam) ? Number(uidParam) : null
  if (uid === null) return { kind: 'notFound' }
  if (!mayView(viewer, uid)) return { kind: 'forbidden' }
  const today = deps.clock.today()
  const { start, end } = schoolYear(today, deps.config.yearTurnoverMonth)
  const [user, rows] = await Promise.all([profileUser(deps.sql, uid), profileBlocks(deps.sql, uid, start, end, today)])
  if (!user) return { kind: 'notFound' }
  const now = deps.clock.now()
  const entries = rows.map((r) => ({
    blockId: r.blockId, date: r.date, blockLetter: r.blockLetter,
    activity: r.activityName ? (r.title ? `${r.activityName} - ${r.title}` : r.activityName) : null,
    cancelled: !!r.cancelled,
    rooms: effectiveList(r.saRooms, r.actRooms).map(formattedRoomName),
    sponsors: effectiveList(r.saSponsors, r.actSponsors).map(sponsorName),
    absent: !!r.wasAbsent && !!r.attendanceTaken,
    upcoming: isUpcoming(r.date, now, deps.config.schoolTz),
  }))
  return {
    kind: 'ok',
    model: {
      user, self: uid === viewer.id, year: `${start.slice(0, 4)}–${end.slice(0, 4)}`,
      upcoming: entries.filter((e) => e.upcoming),
      past: entries.filter((e) => !e.upcoming && e.activity !== null).reverse(),
      absences: entries.filter((e) => !e.upcoming && e.absent),
    },
  }
}
