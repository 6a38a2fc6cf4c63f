import { zonedInstant, addDays } from '../../platform/zoned.ts'
import { localParts } from '../../platform/clock.ts'
import { dateFormat } from '../../platform/intl.ts'

// The effective ("true") values of a scheduled activity (ion-eighth.md §1.5): one function each.
// −1 means unlimited everywhere.

export const UNLIMITED = -1

/** Sum of room capacities; any −1 room makes the whole −1; no rooms is 0. */
export function roomsCapacity(caps: number[]): number {
  if (caps.includes(UNLIMITED)) return UNLIMITED
  return caps.reduce((a, b) => a + b, 0)
}

export type CapacityInputs = {
  saCapacity: number | null
  saRoomCaps: number[]
  activityDefaultCapacity: number | null
  activityRoomCaps: number[]
}

/** Own capacity → own rooms → the activity's default capacity (when non-zero) → the activity's rooms. */
export function trueCapacity(i: CapacityInputs): number {
  if (i.saCapacity !== null) return i.saCapacity
  if (i.saRoomCaps.length) return roomsCapacity(i.saRoomCaps)
  if (i.activityDefaultCapacity) return i.activityDefaultCapacity
  return roomsCapacity(i.activityRoomCaps)
}

export const isFull = (count: number, capacity: number) => capacity !== UNLIMITED && count >= capacity
export const seatsLeft = (count: number, capacity: number) => (capacity === UNLIMITED ? Infinity : Math.max(0, capacity - count))

/** Overrides replace the defaults (rooms and sponsors alike). */
export function effectiveList<T>(own: T[], defaults: T[]): T[] {
  return own.length ? own : defaults
}

export type FlagInputs = {
  sa: { bothBlocks: boolean; special: boolean; administrative: boolean; restricted: boolean; sticky: boolean }
  activity: { bothBlocks: boolean; special: boolean; administrative: boolean; restricted: boolean; sticky: boolean; presign: boolean; oneADay: boolean }
}
export type Flags = { bothBlocks: boolean; special: boolean; administrative: boolean; restricted: boolean; sticky: boolean; presign: boolean; oneADay: boolean }

/** The flag columns every scheduled-activity row selects: the schedule's (sa*) and the activity's (act*). */
export type FlagColumns = {
  saBothBlocks: boolean
  saSpecial: boolean
  saAdministrative: boolean
  saRestricted: boolean
  saSticky: boolean
  actBothBlocks: boolean
  actSpecial: boolean
  actAdministrative: boolean
  actRestricted: boolean
  actSticky: boolean
  presign: boolean
  oneADay: boolean
}

/** A restricted activity's grade allow flags. */
export type GradeColumns = { freshmenAllowed: boolean; sophomoresAllowed: boolean; juniorsAllowed: boolean; seniorsAllowed: boolean }

/** A room as rows carry it. */
export type RoomRef = { name: string; capacity: number }

/** effectiveFlags for a selected row. */
export const flagsOfRow = (r: FlagColumns): Flags => effectiveFlags({
  sa: { bothBlocks: r.saBothBlocks, special: r.saSpecial, administrative: r.saAdministrative, restricted: r.saRestricted, sticky: r.saSticky },
  activity: { bothBlocks: r.actBothBlocks, special: r.actSpecial, administrative: r.actAdministrative, restricted: r.actRestricted, sticky: r.actSticky, presign: r.presign, oneADay: r.oneADay },
})

/** A restricted activity lets a student in by grade (9–12) when that grade's flag is set. */
export function gradeAllowed(r: GradeColumns, grade: number): boolean {
  return (grade === 9 && r.freshmenAllowed) || (grade === 10 && r.sophomoresAllowed) || (grade === 11 && r.juniorsAllowed) || (grade === 12 && r.seniorsAllowed)
}

/** Scheduled flags OR the activity's; presign and one-a-day live only on the activity. */
export function effectiveFlags({ sa, activity }: FlagInputs): Flags {
  return {
    bothBlocks: sa.bothBlocks || activity.bothBlocks,
    special: sa.special || activity.special,
    administrative: sa.administrative || activity.administrative,
    restricted: sa.restricted || activity.restricted,
    sticky: sa.sticky || activity.sticky,
    presign: activity.presign,
    oneADay: activity.oneADay,
  }
}

/** The both-blocks sibling exists only for letters exactly A and B. */
export const siblingLetter = (letter: string) => (letter === 'A' ? 'B' : letter === 'B' ? 'A' : null)

/** Presign activities open at 20:00 two days before the block's date, in the school's zone. */
export function presignOpensAt(blockDate: string, tz: string): Date {
  return zonedInstant(addDays(blockDate, -2), '20:00', tz)
}

/** "Monday, October 5 at 8:00 PM" */
export function formatOpening(d: Date, tz: string): string {
  const day = dateFormat('en-US', { timeZone: tz, weekday: 'long', month: 'long', day: 'numeric' }).format(d)
  const time = dateFormat('en-US', { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(d)
  return `${day} at ${time}`
}

/** Upcoming: dated after today, or today while the local time is before 17:00. */
export function isUpcoming(blockDate: string, now: Date, tz: string): boolean {
  return upcomingTest(now, tz)(blockDate)
}

/** isUpcoming for many blocks: the local time is worked out once. */
export function upcomingTest(now: Date, tz: string): (blockDate: string) => boolean {
  const p = localParts(now, tz)
  return (blockDate) => blockDate > p.date || (blockDate === p.date && p.hour < 17)
}

/** Attendance locks for non-office users at 22:00 on the block's date. */
export function attendanceLocked(blockDate: string, now: Date, tz: string): boolean {
  const p = localParts(now, tz)
  return p.date > blockDate || (p.date === blockDate && p.hour >= 22)
}

export type SponsorName = { firstName: string; lastName: string; showFullName: boolean }
/** "Last, First" when show_full_name and a first name exist, else the last name. */
export const sponsorName = (s: SponsorName) => (s.showFullName && s.firstName ? `${s.lastName}, ${s.firstName}` : s.lastName)

/** "Rm. 214" for names starting with a digit or "Room X"; others unchanged. */
export function formattedRoomName(name: string): string {
  if (/^\d/.test(name)) return `Rm. ${name}`
  const m = /^Room\s+(.*)$/i.exec(name)
  return m ? `Rm. ${m[1]}` : name
}

/** "Special: Name - Title (R) (BB) (A) (S) (Deleted)" */
export function nameWithFlags(name: string, o: { title?: string; special?: boolean; restricted?: boolean; bothBlocks?: boolean; administrative?: boolean; sticky?: boolean; deleted?: boolean; cancelled?: boolean }): string {
  let s = (o.special ? 'Special: ' : '') + name
  if (o.title) s += ` - ${o.title}`
  if (o.restricted) s += ' (R)'
  if (o.bothBlocks) s += ' (BB)'
  if (o.administrative) s += ' (A)'
  if (o.sticky) s += ' (S)'
  if (o.deleted) s += ' (Deleted)'
  if (o.cancelled) s += ' (Cancelled)'
  return s
}
