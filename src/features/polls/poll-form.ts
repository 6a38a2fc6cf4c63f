import { dateInTz, localParts } from '../../platform/clock.ts'
import { zonedInstant } from '../../platform/zoned.ts'
import type { PollFields } from './polls.sql.ts'
import { RESULTS_VISIBILITY, type Poll, type ResultsVisibility } from './types.ts'

// The poll settings form: what the admin typed (kept to redisplay after an error) and the checked
// fields. Start and end are wall-clock times in SCHOOL_TZ (datetime-local inputs).

export type PollFormValues = {
  title: string
  description: string
  start: string
  end: string
  visible: boolean
  isSecret: boolean
  isAnonymous: boolean
  isElection: boolean
  resultsVisibility: string
  groupIds: number[]
}

export const DESCRIPTION_MAX = 10_000
const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?$/

const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v))
const many = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null || v === '' ? [] : [String(v)])
const on = (v: unknown) => one(v) === 'on' || one(v) === 'true'

/** An instant as the value of a datetime-local input in tz. */
export function localInput(d: Date, tz: string): string {
  const p = localParts(d, tz)
  return `${p.date}T${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
}

export function valuesOf(p: Poll, tz: string): PollFormValues {
  return {
    title: p.title, description: p.description, start: localInput(p.startTime, tz), end: localInput(p.endTime, tz),
    visible: p.visible, isSecret: p.isSecret, isAnonymous: p.isAnonymous, isElection: p.isElection,
    resultsVisibility: p.resultsVisibility, groupIds: p.groupIds,
  }
}

/** A new poll: opens at the next full hour, closes a week later at 23:59. */
export function newPollValues(now: Date, tz: string): PollFormValues {
  const next = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000)
  const week = new Date(next.getTime() + 7 * 86_400_000)
  return {
    title: '', description: '', start: localInput(next, tz), end: `${dateInTz(week, tz)}T23:59`,
    visible: true, isSecret: false, isAnonymous: false, isElection: false, resultsVisibility: 'admins', groupIds: [],
  }
}

export type ParsedPollForm =
  | { ok: true; values: PollFormValues; fields: Omit<PollFields, 'description'> & { description: string } }
  | { ok: false; values: PollFormValues; errors: string[] }

export function readPollForm(body: Record<string, unknown>, tz: string): ParsedPollForm {
  const values: PollFormValues = {
    title: one(body.title).trim().replace(/\s+/g, ' '),
    description: one(body.description).replace(/\r\n/g, '\n').trim(),
    start: one(body.start).trim(),
    end: one(body.end).trim(),
    visible: on(body.visible),
    isSecret: on(body.is_secret),
    isAnonymous: on(body.is_anonymous) || on(body.is_secret),
    isElection: on(body.is_election),
    resultsVisibility: one(body.results_visibility) || 'admins',
    groupIds: [],
  }
  const errors: string[] = []
  const groups = many(body.groups)
  if (groups.some((g) => !/^\d{1,9}$/.test(g))) errors.push('One of the groups is not a group.')
  values.groupIds = [...new Set(groups.filter((g) => /^\d{1,9}$/.test(g)).map(Number))]
  if (!values.title) errors.push('Enter a title.')
  else if (values.title.length > 200) errors.push('A title is at most 200 characters.')
  if (values.description.length > DESCRIPTION_MAX) errors.push(`The description is at most ${DESCRIPTION_MAX} characters.`)
  const at = (s: string, what: string): Date | null => {
    const m = LOCAL.exec(s)
    if (!m) { errors.push(`Enter the ${what} as a date and time.`); return null }
    const d = zonedInstant(m[1]!, m[2]!, tz)
    if (Number.isNaN(d.getTime()) || localInput(d, tz) !== `${m[1]}T${m[2]}`) { errors.push(`The ${what} is not a real date and time.`); return null }
    return d
  }
  const startTime = at(values.start, 'start')
  const endTime = at(values.end, 'end')
  if (startTime && endTime && endTime.getTime() <= startTime.getTime()) errors.push('The poll must close after it opens.')
  if (!(RESULTS_VISIBILITY as readonly string[]).includes(values.resultsVisibility)) errors.push('Choose who sees the results.')
  if (errors.length || !startTime || !endTime) return { ok: false, values, errors }
  return {
    ok: true, values,
    fields: {
      title: values.title, description: values.description, startTime, endTime, visible: values.visible,
      isSecret: values.isSecret, isAnonymous: values.isAnonymous, isElection: values.isElection,
      resultsVisibility: values.resultsVisibility as ResultsVisibility, groupIds: values.groupIds,
    },
  }
}
