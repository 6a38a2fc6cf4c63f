import ical, { ICalEventStatus, type ICalCalendar } from 'ical-generator'
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding'
import { sha256 } from '@oslojs/crypto/sha2'
import type { Deps } from '../../platform/http.ts'
import { richTextToPlain } from '../../platform/richtext.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'
import { profileBlocks } from '../eighth/student.sql.ts'
import { scheduleFor } from '../schedule/index.ts'
import type { EventRow } from './events.sql.ts'
import { calendarEvents, ownerOfToken, saveTokenHash } from './ical.sql.ts'

// iCalendar feeds (a feature Ion lacks), generated with ical-generator:
//   /events/ical/public.ics   approved public events with no groups (what the login page shows)
//   /events/ical/<token>.ics  one person's calendar: the events they may see (those they joined
//                             marked so) and their eighth-period signups, each at its bell-schedule
//                             time (the "8A"/"8B" block of that day) or all day when the schedule has none.
// The token is 20 random bytes (base32); only its SHA-256 is stored, so "reset link" is the only
// way to get a URL again, and the old one stops at once.

const PAST_DAYS = 60
const FUTURE_DAYS = 366

export const hashToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)))
export const TOKEN_FILE = /^([a-z2-7]{32})\.ics$/

export async function newFeedToken(deps: Pick<Deps, 'sql' | 'clock'>, userId: number): Promise<string> {
  const token = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)))
  await saveTokenHash(deps.sql, userId, hashToken(token), deps.clock.now())
  return token
}

function calendar(deps: Deps, name: string): ICalCalendar {
  return ical({ name, prodId: { company: deps.config.schoolName, product: 'Ion events' }, ttl: 3600 })
}

const host = (deps: Deps) => new URL(deps.config.baseUrl).host

function addEvent(deps: Deps, cal: ICalCalendar, e: EventRow, now: Date, attending = false) {
  const description = richTextToPlain(e.description, deps.config.baseUrl)
  cal.createEvent({
    id: `event-${e.id}@${host(deps)}`,
    stamp: now,
    start: e.startsAt,
    end: e.endsAt ?? new Date(e.startsAt.getTime() + 3_600_000),
    summary: e.title,
    description: attending ? `You are going.${description ? `\n\n${description}` : ''}` : description || null,
    location: e.location || null,
    url: `${deps.config.baseUrl}/events/${e.id}`,
    categories: [{ name: e.category === 'sports' ? 'Sports' : 'School' }],
  })
}

const span = (deps: Deps) => {
  const today = deps.clock.today()
  return { from: zonedInstant(addDays(today, -PAST_DAYS), '00:00', deps.config.schoolTz), to: zonedInstant(addDays(today, FUTURE_DAYS), '00:00', deps.config.schoolTz) }
}

export async function publicCalendar(deps: Deps): Promise<string> {
  const { from, to } = span(deps)
  const cal = calendar(deps, `${deps.config.schoolName} events`)
  const now = deps.clock.now()
  for (const e of await calendarEvents(deps.sql, null, from, to)) addEvent(deps, cal, e, now)
  return cal.toString()
}

/** The private feed for a token's owner, or null when the token is unknown (revoked, reset, or never made). */
export async function privateCalendar(deps: Deps, token: string): Promise<string | null> {
  const owner = await ownerOfToken(deps.sql, hashToken(token))
  if (!owner) return null
  const { from, to } = span(deps)
  const now = deps.clock.now()
  const cal = calendar(deps, `${deps.config.schoolName}: my calendar`)
  if (!owner.restricted) for (const e of await calendarEvents(deps.sql, owner.id, from, to)) addEvent(deps, cal, e, now, e.attending)
  if (owner.userType === 'student') await addEighth(deps, cal, owner.id, now)
  return cal.toString()
}

async function addEighth(deps: Deps, cal: ICalCalendar, userId: number, now: Date) {
  const today = deps.clock.today()
  const rows = (await profileBlocks(deps.sql, userId, addDays(today, -PAST_DAYS), addDays(today, FUTURE_DAYS), today)).filter((r) => r.schactId !== null)
  const days = new Map(await Promise.all([...new Set(rows.map((r) => r.date))].map(async (d) => [d, await scheduleFor(deps, d)] as const)))
  const tz = deps.config.schoolTz
  for (const r of rows) {
    const block = days.get(r.date)?.dayType?.blocks.find((b) => b.name.replace(/\s+/g, '').toUpperCase() === `8${r.blockLetter}`.toUpperCase())
    const name = r.title ? `${r.activityName}: ${r.title}` : r.activityName ?? 'Eighth period'
    const rooms = r.saRooms.length ? r.saRooms : r.actRooms
    const timing = block
      ? { start: zonedInstant(r.date, block.start, tz), end: zonedInstant(r.date, block.end, tz) }
      : { start: r.date, end: addDays(r.date, 1), allDay: true }
    cal.createEvent({
      id: `eighth-${r.blockId}-${userId}@${host(deps)}`,
      stamp: now,
      ...timing,
      summary: `Eighth ${r.blockLetter}: ${name}`,
      location: rooms.join(', ') || null,
      status: r.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      url: `${deps.config.baseUrl}/eighth/signup/${r.blockId}`,
    })
  }
}
