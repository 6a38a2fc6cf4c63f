import type { Deps } from '../../../../platform/http.ts'
import type { Viewer } from '../../../../platform/viewer.ts'
import { gradeNumber } from '../../../users/grade.ts'
import { lastFirst } from '../../../users/names.ts'
import { audit } from '../../../users/users.sql.ts'
import type { Db } from '../../../../platform/db.ts'
import { nameWithFlags } from '../../effective.ts'
import { blockText } from '../../format.ts'
import { notifySeats } from '../../live-seats.tsx'
import { capacityOf, type EighthCfg } from '../../signup.ts'
import type { Placement, SchactOption } from './moves.sql.ts'

// What every move shares: its outcome, who did it, the audit row, the seat-count update, and how
// people and activities read in messages.

export type MoveOutcome =
  | { ok: true; messages: string[]; blockIds: number[]; scheduledIds: number[] }
  | { ok: false; status: 404 | 409 | 422; errors: string[] }

export const refuse = (status: 404 | 409 | 422, ...errors: string[]): MoveOutcome => ({ ok: false, status, errors })

/** The office member acting, and from where (the audit row keeps both). */
export type Actor = { viewer: Viewer; ip?: string }

export const cfgOf = (deps: Pick<Deps, 'config'>): EighthCfg => ({ tz: deps.config.schoolTz, turnoverMonth: deps.config.yearTurnoverMonth })

/** Current students: user_type student, active, grade 9–12. Only they are moved by the office. */
export function isCurrent(p: { userType: string; active: boolean; graduationYear: number | null }, today: string, turnoverMonth: number): boolean {
  if (p.userType !== 'student' || !p.active || p.graduationYear === null) return false
  const g = gradeNumber(p.graduationYear, today, turnoverMonth)
  return g >= 9 && g <= 12
}

export const personName = (p: { firstName: string; lastName: string; nickname: string | null }) => lastFirst(p)

/** "Chess Club - Title (Cancelled)" */
export const schactName = (s: Pick<SchactOption, 'name' | 'title' | 'cancelled'>) => nameWithFlags(s.name, { title: s.title, cancelled: s.cancelled })

/** "Chess Club on Wed, December 2, 2026 (A)" */
export const schactWhere = (s: SchactOption) => `${schactName(s)} on ${blockText(s)}`

export const capacityText = (s: SchactOption) => {
  const cap = capacityOf(s)
  return cap === -1 ? `${s.count} signed up (unlimited)` : `${s.count} of ${cap} seats taken`
}

/** Another activity of the block holds this student (a sticky signup or an individual sticky). */
export const stuckElsewhere = (p: Placement, targetId: number) => p.holds.some((h) => h !== targetId)

/** "3 students" / "1 student" */
export const students = (n: number) => `${n} student${n === 1 ? '' : 's'}`

/** A list of names for a message, shortened after 20. */
export function nameList(ps: Placement[]): string {
  const names = ps.slice(0, 20).map(personName)
  return names.join('; ') + (ps.length > 20 ? `; and ${ps.length - 20} more` : '')
}

/** Who did it, for the audit row: an office member (with the request's address) or the system (null). */
export type By = { id: number | null; ip?: string }
export const by = (a: Actor): By => ({ id: a.viewer.id, ip: a.ip })

export async function record(db: Db, deps: Pick<Deps, 'clock'>, who: By, action: string, schactId: number | null, details: Record<string, unknown>): Promise<void> {
  await audit(db, {
    actorId: who.id, action, at: deps.clock.now(), ip: who.ip,
    targetType: schactId === null ? undefined : 'scheduled_activity', targetId: schactId ?? undefined, details,
  })
}

/** After a move commits: the live seat counts of every block it touched. */
export function seatsChanged(deps: Deps, out: MoveOutcome): void {
  if (out.ok && out.blockIds.length) notifySeats(deps, out.blockIds, out.scheduledIds)
}

export const uniq = (xs: number[]) => [...new Set(xs)]
