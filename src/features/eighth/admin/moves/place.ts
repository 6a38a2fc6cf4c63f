import type { Tx } from '../../../../platform/db.ts'
import type { Deps } from '../../../../platform/http.ts'
import { signUpInTx } from '../../signup.ts'
import { cfgOf, isCurrent, nameList, students, stuckElsewhere } from './common.ts'
import { placements, releaseSticky, type Placement } from './moves.sql.ts'

// The heart of a group signup, a distribution and the default-activity placement: forced, no-pass
// signups (Ion's add_user(force, no_after_deadline)) for students already locked by the caller.
// Students held by a sticky activity elsewhere in the block are skipped unless the office ticked
// them ("remove from sticky"); accounts that are not current students are never placed.

export type Assignment = { userId: number; schactId: number }

export type Placed = {
  added: Placement[]
  /** Already where they were sent. */
  already: Placement[]
  skippedSticky: Placement[]
  notCurrent: Placement[]
  /** Signed up meanwhile (only when `onlyUnsigned`). */
  signedMeanwhile: Placement[]
  failed: { p: Placement; reason: string }[]
  blockIds: number[]
  scheduledIds: number[]
}

export async function placeLocked(
  tx: Tx, deps: Pick<Deps, 'clock' | 'config'>, blockId: number, pairs: Assignment[],
  opts: { removeFromSticky?: Set<number>; onlyUnsigned?: boolean },
): Promise<Placed> {
  const out: Placed = { added: [], already: [], skippedSticky: [], notCurrent: [], signedMeanwhile: [], failed: [], blockIds: [], scheduledIds: [] }
  const where = new Map(pairs.map((a) => [a.userId, a.schactId]))
  const today = deps.clock.today()
  const places = await placements(tx, [...where.keys()], blockId)
  const release = places.filter((p) => opts.removeFromSticky?.has(p.userId) && stuckElsewhere(p, where.get(p.userId)!))
  for (const p of places) {
    const target = where.get(p.userId)!
    if (!isCurrent(p, today, deps.config.yearTurnoverMonth)) out.notCurrent.push(p)
    else if (opts.onlyUnsigned && p.schactId !== null) out.signedMeanwhile.push(p)
    else if (p.schactId === target) out.already.push(p)
    else if (stuckElsewhere(p, target) && !opts.removeFromSticky?.has(p.userId)) out.skippedSticky.push(p)
    else {
      if (release.includes(p)) await releaseSticky(tx, [p.userId], blockId, target)
      const r = await signUpInTx(tx, deps.clock, cfgOf(deps), { userId: p.userId, scheduledId: target, requester: null, force: true, noAfterDeadline: true })
      if (r.ok) {
        out.added.push(p)
        out.blockIds.push(...r.blockIds)
        out.scheduledIds.push(...r.scheduledIds)
      } else out.failed.push({ p, reason: r.messages.join(' ') })
    }
  }
  out.blockIds = [...new Set(out.blockIds)]
  out.scheduledIds = [...new Set(out.scheduledIds)]
  return out
}

/** The office's summary of a placement, one line per kind of result. */
export function placedMessages(r: Placed, what: string): string[] {
  const m = [`Signed up ${students(r.added.length)} ${what}.`]
  if (r.already.length) m.push(`${students(r.already.length)} already there: ${nameList(r.already)}.`)
  if (r.skippedSticky.length) m.push(`Skipped ${students(r.skippedSticky.length)} in a sticky activity (tick "remove from sticky" to move them): ${nameList(r.skippedSticky)}.`)
  if (r.notCurrent.length) m.push(`Not moved, not current students: ${nameList(r.notCurrent)}.`)
  if (r.signedMeanwhile.length) m.push(`Not moved, signed up meanwhile: ${nameList(r.signedMeanwhile)}.`)
  for (const f of r.failed.slice(0, 20)) m.push(`Not moved: ${nameList([f.p])}: ${f.reason}`)
  return m
}

/** What the audit row keeps of a placement. */
export const placedDetails = (r: Placed, pairs: Assignment[]) => {
  const added = new Set(r.added.map((p) => p.userId))
  return {
    students: [...added],
    assignments: Object.fromEntries(pairs.filter((a) => added.has(a.userId)).map((a) => [a.userId, a.schactId])),
    skippedSticky: r.skippedSticky.map((p) => p.userId),
    notCurrent: r.notCurrent.map((p) => p.userId),
    failed: r.failed.map((f) => f.p.userId),
  }
}
