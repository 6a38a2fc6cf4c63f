import type { Deps } from '../../../../platform/http.ts'
import { mailOf } from '../../../../platform/mail/index.ts'
import { searchUsers, type UserHit } from '../../../users/admin/admin.sql.ts'
import { setStickyStudents } from '../../office.ts'
import { requesterOf } from '../../signup-actions.ts'
import { signUp } from '../../signup.ts'
import { cfgOf, personName, by, record, refuse, schactWhere, seatsChanged, students, type Actor, type MoveOutcome } from './common.ts'
import { peopleByIds, placements, schactById, stickyIds, usersByLogin, type PersonRef } from './moves.sql.ts'

// One student at a time: the office's signup form (with force) and the sticky-students page.

/** Type-ahead: students whose name, username, student ID or id matches every word. */
export async function findStudents(deps: Deps, q: string): Promise<{ q: string; rows: UserHit[] }> {
  const clean = q.trim().replace(/\s+/g, ' ').slice(0, 100)
  const words = clean.split(' ').filter(Boolean).slice(0, 6)
  if (!words.length) return { q: clean, rows: [] }
  const { rows } = await searchUsers(deps.sql, words, 30, 0)
  return { q: clean, rows: rows.filter((r) => r.userType === 'student').slice(0, 10) }
}

/**
 * Signs a student up as the office: without force every failing rule is reported (the office's
 * wording), with force the rules are bypassed and the bypass is audited by the signup service.
 */
export async function officeSignup(deps: Deps, actor: Actor, userId: number, schactId: number, force: boolean): Promise<MoveOutcome> {
  const [who] = await peopleByIds(deps.sql, [userId])
  if (!who) return refuse(404, 'That student does not exist.')
  const sa = await schactById(deps.sql, schactId)
  if (!sa || sa.deleted) return refuse(404, 'That activity is not scheduled.')
  const out = await signUp(deps.sql, deps.clock, cfgOf(deps), { userId, scheduledId: schactId, requester: requesterOf(actor.viewer), force })
  if (!out.ok) return refuse(out.status === 404 ? 404 : 409, ...out.messages)
  // A forced signup is audited by the signup service; an unforced one is recorded here.
  if (!force) await record(deps.sql, deps, by(actor), 'eighth.office_signup', schactId, { students: [userId], blockId: sa.blockId })
  const res: MoveOutcome = { ok: true, messages: [`Signed up ${personName(who)} for ${schactWhere(sa)}.`], blockIds: out.blockIds, scheduledIds: out.scheduledIds }
  seatsChanged(deps, res)
  return res
}

export type StickyModel = { sa: NonNullable<Awaited<ReturnType<typeof schactById>>>; people: PersonRef[] }

export async function stickyModel(deps: Deps, schactId: number): Promise<StickyModel | null> {
  const sa = await schactById(deps.sql, schactId)
  if (!sa || sa.deleted) return null
  return { sa, people: await peopleByIds(deps.sql, await stickyIds(deps.sql, schactId)) }
}

/** One username or student ID per line (commas and spaces separate too). */
export function parseLogins(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))]
}

export const MAX_STICKY = 500

/**
 * Replaces the activity's sticky students (office.ts's setStickyStudents: listed students are
 * moved in and stuck; students taken off are released; both are emailed). Unknown names change nothing.
 */
export async function saveSticky(deps: Deps, actor: Actor, schactId: number, text: string): Promise<MoveOutcome> {
  const sa = await schactById(deps.sql, schactId)
  if (!sa || sa.deleted) return refuse(404, 'That activity is not scheduled.')
  const logins = parseLogins(text)
  if (logins.length > MAX_STICKY) return refuse(422, `At most ${MAX_STICKY} sticky students.`)
  const found = await usersByLogin(deps.sql, logins)
  const unknown = logins.filter((l) => !found.some((f) => f.login === l))
  if (unknown.length) return refuse(422, `No account has the username or student ID: ${unknown.slice(0, 20).join(', ')}.`)
  const notStudents = found.filter((f) => f.userType !== 'student')
  if (notStudents.length) return refuse(422, `Only students can be sticky: ${notStudents.slice(0, 20).map(personName).join('; ')}.`)
  const ids = [...new Set(found.map((f) => f.id))]
  const before = await stickyIds(deps.sql, schactId)
  const was = (await placements(deps.sql, ids, sa.blockId)).map((p) => p.schactId).filter((x): x is number => x !== null)
  const r = await setStickyStudents({ sql: deps.sql, clock: deps.clock, config: deps.config, mail: mailOf(deps) }, schactId, ids, requesterOf(actor.viewer))
  if (!r.ok) return refuse(404, 'That activity is not scheduled.')
  const after = await stickyIds(deps.sql, schactId)
  await record(deps.sql, deps, by(actor), 'eighth.sticky_students', schactId, {
    blockId: sa.blockId, students: after, added: after.filter((u) => !before.includes(u)), removed: before.filter((u) => !after.includes(u)),
    failed: r.failures.map((f) => f.userId),
  })
  const messages = [`${schactWhere(sa)} now has ${students(after.length)} stuck in it.`]
  for (const f of r.failures) {
    const p = found.find((x) => x.id === f.userId)
    messages.push(`Not stuck: ${p ? personName(p) : f.userId}: ${f.outcome.ok ? '' : f.outcome.messages.join(' ')}`)
  }
  const out: MoveOutcome = { ok: true, messages, blockIds: [sa.blockId], scheduledIds: [...new Set([schactId, ...was])] }
  seatsChanged(deps, out)
  return out
}
