import type { Deps } from '../../platform/http.ts'
import { hasPerm, type Viewer } from '../../platform/viewer.ts'
import { gradeNumber } from '../users/grade.ts'
import { blockList, countsOf, type SharedActivity } from './block-list.ts'
import { blockLive } from './block-list.sql.ts'
import { formatOpening, gradeAllowed, isFull, presignOpensAt, upcomingTest, type Flags } from './effective.ts'
import { pageData, type BlockRow, type StudentRow } from './signup-page.sql.ts'

// The signup page's view model: which block, which student, and every activity with what the
// student may do with it. One statement (blocks, student and the block's live counts together);
// the block's static list comes from the versioned cache (block-list.ts), one more on a miss.

export type ActivityView = {
  schactId: number
  activityId: number
  name: string
  /** "Name - Title" */
  fullName: string
  description: string
  comments: string
  cancelled: boolean
  flags: Flags
  count: number
  capacity: number
  rooms: string[]
  sponsors: string[]
  favorite: boolean
  restrictedForYou: boolean
  blacklisted: boolean
  /** Sticky for this student: the activity is sticky, or they are stickied into it. */
  stickyForYou: boolean
  /** "Monday, October 5 at 8:00 PM" while a presign activity is not open yet. */
  opensAt: string | null
  selected: boolean
  section: 'favorites' | 'special' | 'all'
  /** The cached, shared part of the row (block-list.ts), with its memoised HTML. */
  shared: SharedActivity
}

export type BlockView = BlockRow & { upcoming: boolean }

export type SignupModel = {
  viewerId: number
  student: StudentRow
  forSelf: boolean
  admin: boolean
  /** The upcoming blocks (and the shown one, when it is not upcoming). */
  picker: BlockView[]
  block: BlockView | null
  /** Visible activities in page order (favorites, special, the rest; each alphabetical). */
  activities: ActivityView[]
  current: ActivityView | null
  /** The student cannot leave their activity (sticky, not cancelled). */
  stuck: boolean
  q: string
}

export type PageResult = { kind: 'page'; model: SignupModel } | { kind: 'notFound'; message: string } | { kind: 'redirect'; to: string }

const digits = (s: string | undefined) => (s !== undefined && /^\d{1,9}$/.test(s) ? Number(s) : null)

export const isEighthAdmin = (v: Viewer) => hasPerm(v, 'admin_eighth')

/** Who the page is for: an eighth admin may name a student with ?user=; others see themselves. */
export function pageStudent(viewer: Viewer, userParam: string | undefined): { id: number } | { notFound: true } | { redirect: string } {
  if (isEighthAdmin(viewer) && userParam !== undefined && userParam !== '') {
    const id = digits(userParam)
    return id === null ? { notFound: true } : { id }
  }
  if (viewer.userType === 'student') return { id: viewer.id }
  return { redirect: '/' }
}

export async function loadSignupPage(deps: Deps, viewer: Viewer, p: { block?: string; user?: string; q?: string }): Promise<PageResult> {
  const who = pageStudent(viewer, p.user)
  if ('redirect' in who) return { kind: 'redirect', to: who.redirect }
  if ('notFound' in who) return { kind: 'notFound', message: 'That user does not exist.' }
  let requested: number | null = null
  if (p.block !== undefined) {
    requested = digits(p.block)
    if (requested === null) return { kind: 'notFound', message: 'That block does not exist.' }
  }
  const model = await loadModel(deps, viewer, who.id, requested, p.q ?? '')
  if (model === 'no-student') return { kind: 'notFound', message: 'That user does not exist.' }
  if (model === 'no-block') return { kind: 'notFound', message: 'That block does not exist.' }
  return { kind: 'page', model }
}

/** The model for one student and block (requested, else the first upcoming, else the latest). */
export async function loadModel(deps: Deps, viewer: Viewer, studentId: number, requested: number | null, q: string): Promise<SignupModel | 'no-student' | 'no-block'> {
  const now = deps.clock.now()
  const tz = deps.config.schoolTz
  const upcoming = upcomingTest(now, tz)
  const today = deps.clock.today()
  const { blocks: rows, student, live: pageLive } = await pageData(deps.sql, studentId, today, requested, upcoming(today))
  if (!student) return 'no-student'
  const blocks: BlockView[] = rows.map((b) => ({ ...b, upcoming: upcoming(b.date) }))
  const block = requested !== null ? blocks.find((b) => b.id === requested) : blocks.find((b) => b.upcoming) ?? blocks.at(-1)
  if (requested !== null && !block) return 'no-block'
  const admin = isEighthAdmin(viewer)
  const picker = blocks.filter((b) => b.upcoming || b.id === block?.id)
  const base = { viewerId: viewer.id, student, forSelf: student.id === viewer.id, admin, picker, q }
  if (!block) return { ...base, block: null, activities: [], current: null, stuck: false }
  // The statement chose the same block (same snapshot, same rule); read again only if it did not.
  const live = pageLive?.id === block.id ? pageLive : await blockLive(deps.sql, block.id, studentId)
  const list = live && await blockList(deps, block.id, live.version)
  if (!live || !list) return 'no-block' // deleted since the first read
  const counts = countsOf(live.countIds, live.countNs)
  const grade = gradeNumber(student.graduationYear, today, deps.config.yearTurnoverMonth)
  const opens = presignOpening(block.date, tz)
  const ctx: Ctx = { student, grade, block, opensAt: now < opens.at ? opens.text : null }
  const all = list.activities.map((s) => toView(s, counts.get(s.row.scheduledId) ?? 0, live.stuck.includes(s.row.scheduledId), ctx))
  const current = all.find((a) => a.selected) ?? null
  const visible = all.filter((a) => admin || !a.flags.administrative)
  return {
    ...base, block, current,
    activities: orderForPage(visible),
    stuck: !!current && current.stickyForYou && !current.cancelled,
  }
}

/**
 * When a block's presign activities open, and that instant as text: two time-zone conversions and
 * two date formats that a block's date alone decides, so worked out once per date and zone.
 */
const openings = new Map<string, { at: Date; text: string }>()
function presignOpening(date: string, tz: string): { at: Date; text: string } {
  const key = `${date}|${tz}`
  let o = openings.get(key)
  if (o === undefined) {
    const at = presignOpensAt(date, tz)
    if (openings.size >= 2000) openings.clear()
    openings.set(key, (o = { at, text: formatOpening(at, tz) }))
  }
  return o
}

/** `opensAt`: when presign activities open, while they are not open yet. */
type Ctx = { student: StudentRow; grade: number; block: BlockView; opensAt: string | null }

/** The shared row (cached) with this request's counts and the student's own state. */
function toView(s: SharedActivity, count: number, userStuck: boolean, c: Ctx): ActivityView {
  const r = s.row
  const flags = s.flags
  // For the student the page is about (an admin acting for them sees what the student would).
  const restrictedForYou = flags.restricted && !(c.student.allowed.includes(r.activityId) || gradeAllowed(r, c.grade))
  const favorite = c.student.favorites.includes(r.activityId)
  return {
    schactId: r.scheduledId, activityId: r.activityId, name: r.name, fullName: s.fullName,
    description: r.description, comments: r.comments, cancelled: r.cancelled, flags, count, capacity: s.capacity,
    rooms: s.rooms, sponsors: s.sponsors,
    favorite, restrictedForYou,
    blacklisted: c.student.blacklisted.includes(r.activityId),
    stickyForYou: flags.sticky || userStuck,
    opensAt: flags.presign ? c.opensAt : null,
    selected: c.block.schactId === r.scheduledId,
    section: favorite ? 'favorites' : flags.special ? 'special' : 'all',
    shared: s,
  }
}

const SECTION_ORDER = { favorites: 0, special: 1, all: 2 } as const

/** Favorites, then specials, then the rest; alphabetical inside each (the query's order). */
export function orderForPage(list: ActivityView[]): ActivityView[] {
  return list.map((a, i) => ({ a, i })).sort((x, y) => SECTION_ORDER[x.a.section] - SECTION_ORDER[y.a.section] || x.i - y.i).map((x) => x.a)
}

/** Search-as-you-type: every word must match the name, title, a sponsor, a room, the description or the activity id. */
export function searchActivities(list: ActivityView[], q: string): ActivityView[] {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10)
  if (!words.length) return list
  return list.filter((a) => {
    const hay = [a.fullName, a.description, ...a.sponsors, ...a.rooms].join('\n').toLowerCase()
    return words.every((w) => hay.includes(w) || String(a.activityId) === w)
  })
}

export type RowAction = { kind: 'signup' } | { kind: 'leave' } | { kind: 'none'; reason: string } | { kind: 'current-locked' }

/** What the row offers the viewer: sign up, leave, or why neither. The service decides in the end. */
export function rowAction(m: SignupModel, a: ActivityView): RowAction {
  const locked = !!m.block?.locked
  if (a.selected) {
    if (m.admin) return { kind: 'leave' }
    if (locked || (a.stickyForYou && !a.cancelled)) return { kind: 'current-locked' }
    return { kind: 'leave' }
  }
  if (m.admin) return { kind: 'signup' }
  if (locked) return { kind: 'none', reason: 'Signups are closed for this block.' }
  if (a.cancelled) return { kind: 'none', reason: '' } // the Cancelled badge says it
  if (m.stuck) return { kind: 'none', reason: 'You are in a sticky activity.' }
  if (a.restrictedForYou) return { kind: 'none', reason: 'Restricted: you are not on the list.' }
  if (a.blacklisted) return { kind: 'none', reason: 'Not available to you.' }
  if (a.opensAt) return { kind: 'none', reason: `Opens ${a.opensAt}` }
  if (isFull(a.count, a.capacity)) return { kind: 'none', reason: '' } // the seat count says Full
  return { kind: 'signup' }
}
