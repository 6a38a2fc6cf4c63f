import { isStudent, isEighthAdmin, isTeacher, type Viewer } from '../../platform/viewer.ts'
import { gradeNumber } from '../users/grade.ts'
import { fullName } from '../users/names.ts'
import type { ActivityDetailRow, ViewerOverlay } from './api.sql.ts'
import type { BlockLive } from './block-list.sql.ts'
import type { BlockList, SharedActivity } from './block-list.ts'
import type { RosterRow, TitleParts, UserSignupRow } from './api-signups.sql.ts'
import { orderedObject, type RawJson, type Urls } from './api-common.ts'
import { effectiveList, gradeAllowed, nameWithFlags, trueCapacity, type SponsorName } from './effective.ts'

// The JSON objects of Ion's eighth API (ion-eighth.md §4.2–§4.3), built from rows already loaded.

/** Ion's API sponsor name: "First Last" when show_full_name, else the last name. */
export const apiSponsorName = (s: SponsorName) => (s.showFullName && s.firstName ? `${s.firstName} ${s.lastName}` : s.lastName)

/** A scheduled activity's title with flags: "Special: Name - Title (R) (BB) (A) (S) (Deleted) (Cancelled)". */
export const titleWithFlags = (t: TitleParts) => nameWithFlags(t.name, t)

export type BlockCtx = { viewer: Viewer; overlay: ViewerOverlay; today: string; turnoverMonth: number; presignTime: string; urls: Urls }

/** The §4.3 activity object for one scheduled activity (its cached shared part), seen by the viewer. */
export function blockActivity(s: SharedActivity, signupCount: number, ctx: BlockCtx) {
  const { viewer, overlay } = ctx
  const r = s.row
  const flags = s.flags
  const nonStudentAdmin = isEighthAdmin(viewer) && !isStudent(viewer)
  const grade = gradeNumber(viewer.userType === 'student' ? viewer.graduationYear : null, ctx.today, ctx.turnoverMonth)
  const allowed = overlay.allowed.includes(r.activityId) || gradeAllowed(r, grade)
  const restrictedForUser = flags.restricted && !nonStudentAdmin && !allowed
  const userSticky = overlay.stuck.includes(r.scheduledId)
  const prefix = (flags.special ? 'Special: ' : '') + r.name + (r.title ? ` - ${r.title}` : '')
  const suffix = (flags.bothBlocks ? ' (BB)' : '') + (flags.administrative ? ' (A)' : '')
  const rooms = effectiveList(r.saRooms, r.actRooms)
  const rosterUrl = ctx.urls.roster(r.scheduledId)
  return {
    id: r.activityId,
    aid: r.activityId,
    scheduled_activity: { id: r.scheduledId, url: rosterUrl },
    url: ctx.urls.activity(r.activityId),
    name: r.name,
    name_with_flags: prefix + (flags.restricted ? ' (R)' : '') + (flags.sticky ? ' (S)' : '') + suffix,
    name_with_flags_for_user: prefix + (restrictedForUser ? ' (R)' : '') + (flags.sticky || userSticky ? ' (S)' : '') + suffix,
    description: r.description,
    cancelled: r.cancelled,
    favorited: overlay.favorites.includes(r.activityId),
    subscribed_to: overlay.subscribed.includes(r.activityId),
    subscriptions_enabled: r.subscriptionsEnabled,
    roster: {
      count: signupCount,
      // One shared rule (trueCapacity, computed with the cached list): −1 stays −1 (unlimited);
      // Ion's copy here summed it like a number.
      capacity: s.capacity,
      url: rosterUrl,
    },
    rooms: rooms.map((x) => x.name),
    sponsors: effectiveList(r.saSponsors, r.actSponsors).map(apiSponsorName),
    restricted: flags.restricted,
    restricted_for_user: restrictedForUser,
    both_blocks: flags.bothBlocks,
    one_a_day: flags.oneADay,
    special: flags.special,
    administrative: flags.administrative,
    presign: flags.presign,
    presign_time: ctx.presignTime,
    sticky: flags.sticky,
    user_sticky: userSticky,
    finance: '',
    title: r.title,
    comments: r.comments,
    display_text: '',
    waitlist_count: 0,
    waitlisted: false,
    waitlist_position: 0,
    is_recommended: false,
  }
}

export type ApiBlockActivity = ReturnType<typeof blockActivity>

/** `{id, date, block_letter, comments, activities}`; activities keyed by activity id, in Ion's order. */
export function blockDetail(b: BlockLive, list: BlockList, counts: Map<number, number>, ctx: BlockCtx): { id: number; date: string; block_letter: string; comments: string; activities: RawJson } {
  return {
    id: b.id,
    date: b.date,
    block_letter: b.blockLetter,
    comments: b.comments,
    activities: orderedObject(list.apiOrder.map((s) => [s.row.activityId, blockActivity(s, counts.get(s.row.scheduledId) ?? 0, ctx)])),
  }
}

/** GET /api/activities/<id>: the activity's own flags and every scheduling, keyed by block id by date. */
export function activityPayload(a: ActivityDetailRow, urls: Urls) {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    administrative: a.administrative,
    restricted: a.restricted,
    presign: a.presign,
    one_a_day: a.oneADay,
    both_blocks: a.bothBlocks,
    sticky: a.sticky,
    special: a.special,
    scheduled_on: orderedObject(a.scheduled.map((s) => [s.blockId, {
      id: s.blockId,
      date: s.date,
      block_letter: s.blockLetter,
      url: urls.block(s.blockId),
      roster: { id: s.scheduledId, url: urls.roster(s.scheduledId) },
    }])),
  }
}

/** One item of GET /api/signups/user. */
export function signupItem(s: UserSignupRow, urls: Urls) {
  return {
    id: s.id,
    block: { id: s.blockId, date: s.date, url: urls.block(s.blockId), block_letter: s.blockLetter },
    activity: { id: s.activityId, title: titleWithFlags(s), url: urls.activity(s.activityId) },
    scheduled_activity: s.scheduledActivityId,
    user: s.userId,
  }
}

/** Admins, the office and teachers see every member; others see public members and themselves. */
export const seesWholeRoster = (v: Viewer) => isEighthAdmin(v) || isTeacher(v)

/** GET /api/signups/scheduled_activity/<id>. */
export function rosterPayload(r: RosterRow, viewer: Viewer, urls: Urls) {
  const all = seesWholeRoster(viewer)
  const members = r.members
    .filter((m) => all || m.isPublic || m.id === viewer.id)
    .map((m) => ({ id: m.id, full_name: fullName({ firstName: m.firstName, lastName: m.lastName, nickname: null }), username: m.username, url: urls.profile(m.id) }))
  const title = titleWithFlags(r)
  return {
    id: r.id,
    name: title,
    block: { id: r.blockId, date: r.date, url: urls.block(r.blockId) },
    activity: { id: r.activityId, title, url: urls.activity(r.activityId) },
    signups: { members, count: r.members.length, viewable_count: members.length },
    capacity: trueCapacity({ saCapacity: r.saCapacity, saRoomCaps: r.saRoomCaps, activityDefaultCapacity: r.defaultCapacity, activityRoomCaps: r.actRoomCaps }),
  }
}
