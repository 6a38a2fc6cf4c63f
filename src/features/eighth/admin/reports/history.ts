import type { Deps } from '../../../../platform/http.ts'
import { lastFirst } from '../../../users/names.ts'
import { historyPage, peopleByIds, userIdOf, type HistoryRow, type Person } from './history.sql.ts'

// The office's audit trail: who did what, when, to which students. Filterable by action (a
// prefix after "eighth."), by who did it, by an affected student and by dates; 50 a page.

export const PAGE_SIZE = 50

export type HistoryQuery = { action: string; actor: string; student: string; from: string | null; to: string | null; page: number }
export type HistoryEntry = HistoryRow & { actorName: string; students: { id: number; name: string }[]; moreStudents: number; facts: [string, string][] }
export type HistoryModel = { q: HistoryQuery; entries: HistoryEntry[]; hasNext: boolean; unknown: string | null }

const LABELS: Record<string, string> = {
  'eighth.attendance': 'Took attendance',
  'eighth.attendance_all_present': 'Marked everyone present',
  'eighth.attendance_mark': 'Marked a student',
  'eighth.attendance_cancelled': 'Took attendance for a cancelled activity',
  'eighth.pass_accept': 'Accepted a pass',
  'eighth.pass_reject': 'Rejected a pass',
  'eighth.absence_clear': 'Cleared an absence',
  'eighth.cancel': 'Cancelled an activity',
  'eighth.uncancel': 'Uncancelled an activity',
  'eighth.force_signup': 'Signed up a student (forced)',
  'eighth.force_remove': 'Removed a signup (forced)',
}
export const actionLabel = (a: string) => LABELS[a] ?? a.replace(/^eighth\./, '').replace(/[._]/g, ' ')

const SHOWN_STUDENTS = 8

function studentIds(r: HistoryRow): number[] {
  const list = Array.isArray(r.details?.students) ? (r.details.students as unknown[]) : []
  const ids = list.filter((x): x is number => typeof x === 'number' && Number.isInteger(x))
  if (r.targetType === 'user' && r.targetId && /^\d{1,9}$/.test(r.targetId)) ids.unshift(Number(r.targetId))
  return [...new Set(ids)]
}

/**
 * The other details, as short label/value pairs (never more than 200 characters each). A list of
 * user ids reads as their names when they are known, else as a count.
 */
function factsOf(details: Record<string, unknown>, nameOf: (id: number) => string | null): [string, string][] {
  return Object.entries(details ?? {})
    .filter(([k]) => k !== 'students')
    .slice(0, 8)
    .map(([k, v]): [string, string] => {
      if (Array.isArray(v) && v.every((x) => Number.isInteger(x))) {
        const names = v.map((id) => nameOf(id as number))
        const text = !v.length ? 'none' : names.every((n) => n !== null) ? names.join('; ') : `${v.length} ${v.length === 1 ? 'student' : 'students'}`
        return [k, text.slice(0, 200)]
      }
      return [k, (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 200)]
    })
}

export async function loadHistory(deps: Deps, q: HistoryQuery): Promise<HistoryModel> {
  const [actorId, studentId] = await Promise.all([
    q.actor ? userIdOf(deps.sql, q.actor) : Promise.resolve(null),
    q.student ? userIdOf(deps.sql, q.student) : Promise.resolve(null),
  ])
  const unknown = q.actor && actorId === null ? q.actor : q.student && studentId === null ? q.student : null
  if (unknown !== null) return { q, entries: [], hasNext: false, unknown }
  const rows = await historyPage(deps.sql, { action: q.action, actorId, studentId, from: q.from, to: q.to }, PAGE_SIZE, (q.page - 1) * PAGE_SIZE)
  const page = rows.slice(0, PAGE_SIZE)
  const perRow = page.map((r) => studentIds(r))
  const people = new Map<number, Person>((await peopleByIds(deps.sql, [...new Set(perRow.flatMap((ids) => ids.slice(0, SHOWN_STUDENTS)))])).map((p) => [p.id, p]))
  const entries = page.map((r, i) => {
    const ids = perRow[i]!
    const actorName = r.actorUsername ? `${r.actorFirstName ?? ''} ${r.actorLastName ?? ''}`.trim() || r.actorUsername : r.actorId === null ? 'System' : `User #${r.actorId}`
    const students = ids.slice(0, SHOWN_STUDENTS).map((id) => {
      const p = people.get(id)
      return { id, name: p ? lastFirst(p) : `User #${id}` }
    })
    const nameOf = (id: number) => students.find((x) => x.id === id && people.has(id))?.name ?? null
    return { ...r, actorName, students, moreStudents: Math.max(0, ids.length - SHOWN_STUDENTS), facts: factsOf(r.details, nameOf) }
  })
  return { q, entries, hasNext: rows.length > PAGE_SIZE, unknown: null }
}
