import type { Clock } from '../../platform/clock.ts'
import { RICH_TEXT_MAX, RICH_TEXT_STORED_MAX, richTextToPlain, sanitizeRichText, type RichTextConfig } from '../../platform/richtext.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'

// Reading the announcement forms (post, edit, request, approve, club post): every field checked,
// every problem collected, the content sanitized here, on save.

import { many, one, ticked, type Form } from '../../platform/form.ts'
export { formOf, many, one, ticked, type Form } from '../../platform/form.ts'

/** "Never" in Ion: the year 3000. */
export const NEVER = new Date('3000-01-01T00:00:00Z')
export const isNever = (d: Date) => d.getTime() >= NEVER.getTime()

/** The form's default: 14 days from today at 23:59 in the school's time zone. */
export function defaultExpiration(clock: Clock): { local: string; at: Date } {
  const day = addDays(clock.today(), 14)
  return { local: `${day}T23:59`, at: zonedInstant(day, '23:59', clock.tz) }
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/

/** 'YYYY-MM-DDTHH:MM' (a date alone means 23:59) in the school's zone; null when not a real date and time. */
export function parseLocal(raw: string, tz: string): Date | null {
  const m = LOCAL.exec(raw.trim())
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (y < 2000 || y > 3000 || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null
  const hh = m[4] === undefined ? 23 : Number(m[4])
  const mm = m[5] === undefined ? 59 : Number(m[5])
  if (hh > 23 || mm > 59 || Number(m[6] ?? 0) > 59) return null
  return zonedInstant(`${m[1]}-${m[2]}-${m[3]}`, `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:${m[6] ?? '00'}`, tz)
}

/** An instant as the form's 'YYYY-MM-DDTHH:MM' in tz. */
export function toLocalInput(d: Date, tz: string): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]))
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

export type Fields = {
  title: string
  content: string
  author: string
  expirationDate: Date
  notes: string
  groups: number[]
  teachers: number[]
  activityId: number | null
  pinned: boolean
  notifyPost: boolean
  notifyEmailAll: boolean
  public: boolean
}

export type Parsed = { ok: true; value: Fields } | { ok: false; errors: string[] }

type Opts = {
  clock: Clock
  rich: RichTextConfig
  /** A new post or request must expire in the future; an edit may keep any date. */
  future: boolean
  /** Which optional parts the form has. */
  with?: { notes?: boolean; teachers?: boolean; activity?: boolean }
}

const ID = /^\d{1,9}$/

function ids(f: Form, name: string): number[] | null {
  const raw = many(f, name)
  if (raw.some((s) => !ID.test(s) || Number(s) < 1)) return null
  return [...new Set(raw.map(Number))]
}

/** The whole form, or every reason it is refused. */
export function parseFields(f: Form, o: Opts): Parsed {
  const errors: string[] = []
  const line = (s: string) => s.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim()
  const title = line(one(f, 'title'))
  if (!title) errors.push('Give the announcement a title.')
  else if (title.length > 127) errors.push('A title is at most 127 characters.')
  const author = line(one(f, 'author'))
  if (author.length > 63) errors.push('The author’s name is at most 63 characters.')
  const raw = one(f, 'content')
  let content = ''
  if (raw.length > RICH_TEXT_MAX) errors.push(`The text is too long (at most ${RICH_TEXT_MAX.toLocaleString('en-US')} characters).`)
  else {
    content = sanitizeRichText(raw, o.rich)
    if (content.length > RICH_TEXT_STORED_MAX) errors.push('The text is too long once its links are added. Shorten it.')
    else if (!richTextToPlain(content).trim() && !/<(img|iframe)\b/.test(content)) errors.push('Write the text of the announcement.')
  }
  const notes = one(f, 'notes').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim()
  if (notes.length > 2000) errors.push('Notes are at most 2,000 characters.')

  let expirationDate = NEVER
  if (!ticked(f, 'no_expiration')) {
    const rawExp = one(f, 'expiration')
    const parsed = rawExp.trim() ? parseLocal(rawExp, o.clock.tz) : defaultExpiration(o.clock).at
    if (!parsed) errors.push('Enter the expiration as a date and time (for example 2026-12-14 23:59).')
    else if (o.future && parsed.getTime() <= o.clock.now().getTime()) errors.push('Choose an expiration in the future, or “Don’t expire”.')
    else expirationDate = parsed
  }

  const groups = ids(f, 'groups')
  if (!groups) errors.push('Choose groups from the list.')
  let teachers: number[] = []
  if (o.with?.teachers) {
    const t = ids(f, 'teachers')
    if (!t) errors.push('Choose teachers from the list.')
    else if (t.length === 0) errors.push('Choose a teacher to approve your announcement.')
    else if (t.length > 2) errors.push('Please select a maximum of 2 teachers.')
    else teachers = t
  }
  let activityId: number | null = null
  if (o.with?.activity) {
    const a = one(f, 'activity')
    if (!ID.test(a) || Number(a) < 1) errors.push('Choose the club this announcement is for.')
    else activityId = Number(a)
  }
  if (errors.length) return { ok: false, errors }
  const emailAll = ticked(f, 'notify_email_all')
  return {
    ok: true,
    value: {
      title, content, author, expirationDate, notes, groups: groups!, teachers, activityId,
      pinned: ticked(f, 'pinned'), notifyPost: ticked(f, 'notify_post') || emailAll, notifyEmailAll: emailAll, public: ticked(f, 'public'),
    },
  }
}
