import type { Deps } from '../../../../platform/http.ts'
import type { Viewer } from '../../../../platform/viewer.ts'
import { groupsVisibleTo, membersOf } from '../../../groups/index.ts'
import { isCurrent, by, record, refuse, schactWhere, seatsChanged, stuckElsewhere, type Actor, type MoveOutcome } from './common.ts'
import { BUSY, withMovers } from './locking.ts'
import { placements, schactById, type Placement, type SchactOption } from './moves.sql.ts'
import { placedDetails, placedMessages, placeLocked } from './place.ts'

// Sign a group up for one scheduled activity (Ion's groups/signup wizard and its confirm page):
// every member gets a forced, no-pass signup; members held by a sticky activity in that block
// are listed on the confirm page and skipped unless ticked in "remove from sticky".

export type GroupRef = { id: number; name: string }
export type MemberRow = Placement & { current: boolean; stuck: boolean }
export type GroupPreview = { group: GroupRef; target: SchactOption; members: MemberRow[] }

export async function findGroup(deps: Deps, viewer: Viewer, groupId: number): Promise<GroupRef | null> {
  const g = (await groupsVisibleTo(deps.sql, viewer)).find((x) => x.id === groupId)
  return g ? { id: g.id, name: g.name } : null
}

export async function previewGroupSignup(deps: Deps, viewer: Viewer, groupId: number, schactId: number): Promise<GroupPreview | null> {
  const [group, target] = await Promise.all([findGroup(deps, viewer, groupId), schactById(deps.sql, schactId)])
  if (!group || !target || target.deleted) return null
  const ids = (await membersOf(deps.sql, groupId)).map((m) => m.id)
  const today = deps.clock.today()
  const members = (await placements(deps.sql, ids, target.blockId)).map((p) => ({
    ...p, current: isCurrent(p, today, deps.config.yearTurnoverMonth), stuck: stuckElsewhere(p, target.id),
  }))
  return { group, target, members }
}

export async function groupSignup(deps: Deps, actor: Actor, groupId: number, schactId: number, removeFromSticky: number[]): Promise<MoveOutcome> {
  const [group, target] = await Promise.all([findGroup(deps, actor.viewer, groupId), schactById(deps.sql, schactId)])
  if (!group) return refuse(404, 'That group does not exist.')
  if (!target || target.deleted) return refuse(404, 'That activity is not scheduled.')
  const tick = new Set(removeFromSticky)
  const r = await withMovers(deps.sql, async (db) => (await membersOf(db, groupId)).map((m) => m.id), [schactId], async (tx, { movers }) => {
    const pairs = movers.map((userId) => ({ userId, schactId }))
    const placed = await placeLocked(tx, deps, target.blockId, pairs, { removeFromSticky: tick })
    await record(tx, deps, by(actor), 'eighth.group_signup', schactId, { groupId, group: group.name, blockId: target.blockId, ...placedDetails(placed, pairs) })
    return placed
  })
  if (!r.ok) return refuse(409, BUSY)
  const out: MoveOutcome = {
    ok: true,
    messages: placedMessages(r.value, `from ${group.name} for ${schactWhere(target)}`),
    blockIds: r.value.blockIds, scheduledIds: r.value.scheduledIds,
  }
  seatsChanged(deps, out)
  return out
}
