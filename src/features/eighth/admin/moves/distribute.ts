import type { Deps } from '../../../../platform/http.ts'
import type { Viewer } from '../../../../platform/viewer.ts'
import { membersOf } from '../../../groups/index.ts'
import { seniorYear } from '../../../users/grade.ts'
import { capacityOf } from '../../signup.ts'
import { isCurrent, by, record, refuse, seatsChanged, uniq, type Actor, type MoveOutcome } from './common.ts'
import { findGroup, type GroupRef } from './group-signup.ts'
import { BUSY, withMovers } from './locking.ts'
import { blockById, placements, schactOptions, type Placement, type SchactOption } from './moves.sql.ts'
import { placedDetails, placedMessages, placeLocked, type Assignment } from './place.ts'
import { unsignedIds } from './unsigned.sql.ts'

// Spread a group, or the unsigned students of a block (optionally only the first N), across
// several scheduled activities of one block. The page proposes an assignment (round-robin, or
// fill each activity's free seats in order) that the office can change student by student; the
// POST performs forced, no-pass signups with the group signup's sticky rule.

export type Mode = 'round' | 'fill'
export type Source = { kind: 'group'; groupId: number } | { kind: 'unsigned'; limit: number | null }
export const MAX_STUDENTS = 2000

export type Proposal = Placement & { current: boolean; stuck: boolean; to: number | null }
export type DistributionPlan = { group: GroupRef | null; targets: SchactOption[]; students: Proposal[] }

/** Round-robin, or fill in order (each activity up to its free seats; unlimited takes the rest). */
export function propose(ids: number[], targets: SchactOption[], mode: Mode): Map<number, number | null> {
  const to = new Map<number, number | null>()
  if (!targets.length) return to
  if (mode === 'round') {
    ids.forEach((id, i) => to.set(id, targets[i % targets.length]!.id))
    return to
  }
  const free = targets.map((t) => (capacityOf(t) === -1 ? Infinity : Math.max(0, capacityOf(t) - t.count)))
  let k = 0
  for (const id of ids) {
    while (k < targets.length && free[k]! <= 0) k++
    if (k === targets.length) to.set(id, null)
    else {
      to.set(id, targets[k]!.id)
      free[k]!--
    }
  }
  return to
}

export async function planDistribution(deps: Deps, viewer: Viewer, blockId: number, source: Source, targetIds: number[], mode: Mode): Promise<DistributionPlan | null> {
  const options = await schactOptions(deps.sql, blockId)
  const targets = targetIds.map((id) => options.find((o) => o.id === id)).filter((o): o is SchactOption => !!o)
  let group: GroupRef | null = null
  let ids: number[]
  if (source.kind === 'group') {
    group = await findGroup(deps, viewer, source.groupId)
    if (!group) return null
    ids = (await membersOf(deps.sql, source.groupId)).map((m) => m.id)
  } else {
    ids = await unsignedIds(deps.sql, blockId, seniorYear(deps.clock.today(), deps.config.yearTurnoverMonth), source.limit)
  }
  const today = deps.clock.today()
  const all = (await placements(deps.sql, ids.slice(0, MAX_STUDENTS), blockId)).map((p) => ({ ...p, current: isCurrent(p, today, deps.config.yearTurnoverMonth) }))
  // Free students are proposed first, then those a sticky activity holds (moved only if ticked).
  const movable = all.filter((p) => p.current && !p.holds.length).map((p) => p.userId)
  const held = all.filter((p) => p.current && p.holds.length).map((p) => p.userId)
  const proposal = propose([...movable, ...held], targets, mode)
  const studentsOut = all.map((p) => ({ ...p, stuck: p.holds.length > 0, to: proposal.get(p.userId) ?? null }))
  return { group, targets, students: studentsOut }
}

export async function distribute(deps: Deps, actor: Actor, blockId: number, pairs: Assignment[], removeFromSticky: number[], source: Source): Promise<MoveOutcome> {
  if (!pairs.length) return refuse(422, 'Choose an activity for at least one student.')
  if (pairs.length > MAX_STUDENTS) return refuse(422, `At most ${MAX_STUDENTS} students at a time.`)
  if (new Set(pairs.map((p) => p.userId)).size !== pairs.length) return refuse(422, 'A student is listed twice.')
  if (!(await blockById(deps.sql, blockId))) return refuse(404, 'That block does not exist.')
  const options = await schactOptions(deps.sql, blockId)
  const bad = pairs.filter((p) => !options.some((o) => o.id === p.schactId))
  if (bad.length) return refuse(422, 'Every activity must be scheduled in this block.')
  const targetIds = uniq(pairs.map((p) => p.schactId)).sort((a, b) => a - b)
  const userIds = pairs.map((p) => p.userId).sort((a, b) => a - b)
  const r = await withMovers(deps.sql, async () => userIds, targetIds, async (tx) => {
    const placed = await placeLocked(tx, deps, blockId, pairs, { removeFromSticky: new Set(removeFromSticky), onlyUnsigned: source.kind === 'unsigned' })
    await record(tx, deps, by(actor), 'eighth.distribute', null, { blockId, source, targets: targetIds, ...placedDetails(placed, pairs) })
    return placed
  })
  if (!r.ok) return refuse(409, BUSY)
  const names = targetIds.map((id) => options.find((o) => o.id === id)!.name)
  const out: MoveOutcome = {
    ok: true, messages: placedMessages(r.value, `across ${names.join(', ')}`),
    blockIds: uniq([blockId, ...r.value.blockIds]), scheduledIds: uniq([...targetIds, ...r.value.scheduledIds]),
  }
  seatsChanged(deps, out)
  return out
}
