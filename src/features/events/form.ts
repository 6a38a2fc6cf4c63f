import { RICH_TEXT_MAX, sanitizeRichText, type RichTextConfig } from '../../platform/richtext.ts'
import { zonedInstant } from '../../platform/zoned.ts'
import type { EventFields } from './events.sql.ts'

// Reading the event form (add, request, modify): every field checked, every problem collected,
// the description sanitized here, on save.

import { many, one, ticked, type Form } from '../../platform/form.ts'
export { formOf, many, one, ticked, type Form } from '../../platform/form.ts'

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/

/** 'YYYY-MM-DDTHH:MM' in the school's zone; null when it is not a real date and time. */
export function parseLocal(raw: string, tz: string): Date | null {
  const m = LOCAL.exec(raw.trim())
  if (!m) return null
  const [y, mo, d, hh, mm] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (y < 2000 || y > 2200 || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d || hh > 23 || mm > 59) return null
  return zonedInstant(`${m[1]}-${m[2]}-${m[3]}`, `${m[4]}:${m[5]}`, tz)
}

/** An instant as the form's 'YYYY-MM-DDTHH:MM' in tz. */
export function toLocalInput(d: Date, tz: string): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

export type EventInput = { fields: EventFields; groups: number[] }
export type Parsed = { ok: true; value: EventInput } | { ok: false; errors: string[] }

/** The raw values, to refill the form after a refusal. */
export type Draft = Record<string, string | string[]>

export function draftOf(f: Form): Draft {
  const out: Draft = {}
  for (const k of ['title', 'description', 'location', 'starts_at', 'ends_at', 'category', 'open_to']) out[k] = one(f, k)
  for (const k of ['show_attending', 'show_on_dashboard', 'public']) out[k] = ticked(f, k) ? 'on' : ''
  out.groups = many(f, 'groups')
  return out
}

const MAX_EVENT_DAYS = 31

/**
 * Checks the form. `future`: a new event may not start in the past (Ion's request rule).
 * Groups must be among `allowedGroups` (groupsVisibleTo: student-visible ones unless a group admin).
 */
export function parseEvent(f: Form, o: { tz: string; now: Date; rich: RichTextConfig; future: boolean; allowedGroups: Set<number> }): Parsed {
  const errors: string[] = []
  const title = one(f, 'title').trim().replace(/\s+/g, ' ')
  if (!title) errors.push('Give the event a title.')
  else if (title.length > 127) errors.push('The title is at most 127 characters.')
  const rawDescription = one(f, 'description')
  if (rawDescription.length > RICH_TEXT_MAX) errors.push(`The description is too long (at most ${RICH_TEXT_MAX.toLocaleString('en-US')} characters).`)
  const location = one(f, 'location').trim().replace(/\s+/g, ' ')
  if (location.length > 127) errors.push('The location is at most 127 characters.')
  const startsRaw = one(f, 'starts_at')
  const startsAt = parseLocal(startsRaw, o.tz)
  if (!startsRaw.trim()) errors.push('Choose when the event starts.')
  else if (!startsAt) errors.push('The start is not a real date and time.')
  else if (o.future && startsAt.getTime() < o.now.getTime()) errors.push('The event cannot start in the past.')
  const endsRaw = one(f, 'ends_at').trim()
  const endsAt = endsRaw ? parseLocal(endsRaw, o.tz) : null
  if (endsRaw && !endsAt) errors.push('The end is not a real date and time.')
  else if (endsAt && startsAt && endsAt.getTime() <= startsAt.getTime()) errors.push('The event must end after it starts.')
  else if (endsAt && startsAt && endsAt.getTime() - startsAt.getTime() > MAX_EVENT_DAYS * 86_400_000) errors.push(`An event lasts at most ${MAX_EVENT_DAYS} days.`)
  const category = one(f, 'category') || 'school'
  if (category !== 'school' && category !== 'sports') errors.push('Choose a category: school or sports.')
  const openTo = one(f, 'open_to') || 'everyone'
  if (!['everyone', 'students', 'parents'].includes(openTo)) errors.push('Choose who the event is open to.')
  const rawGroups = many(f, 'groups')
  const groups = [...new Set(rawGroups.filter((g) => /^\d{1,9}$/.test(g)).map(Number))]
  if (groups.length !== new Set(rawGroups).size || groups.some((g) => !o.allowedGroups.has(g))) errors.push('One of the chosen groups does not exist or cannot be chosen.')
  if (errors.length || !startsAt) return { ok: false, errors }
  return {
    ok: true,
    value: {
      fields: {
        title, location, startsAt, endsAt,
        description: sanitizeRichText(rawDescription, o.rich),
        showAttending: ticked(f, 'show_attending'),
        showOnDashboard: ticked(f, 'show_on_dashboard'),
        public: ticked(f, 'public'),
        category: category as 'school' | 'sports',
        openTo: openTo as 'everyone' | 'students' | 'parents',
      },
      groups,
    },
  }
}
