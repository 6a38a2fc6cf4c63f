import type { Tx } from '../../../../platform/db.ts'
import type { Deps } from '../../../../platform/http.ts'
import type { Viewer } from '../../../../platform/viewer.ts'
import { blockText } from '../../format.ts'
import { notifySeats } from '../../live-seats.tsx'
import { cancelScheduledInTx } from '../../office.ts'
import { setCancelled } from '../../office.sql.ts'
import { officeAudit } from '../catalog/audit.sql.ts'
import type { Outcome } from '../catalog/blocks.ts'
import { idsOf, intOf, many, officeDepsOf, one, ticked, type Form } from '../catalog/common.tsx'
import { existingRoomIds } from '../catalog/rooms.sql.ts'
import { existingSponsorIds } from '../catalog/sponsors.sql.ts'
import {
  deleteScheduled, gridCells, insertScheduled, isCancelled, lockCells, replaceLists, roomNamesOf, siblingOf, signupCount, updateOverrides,
  type Cell, type Overrides, type Pair,
} from './grid.sql.ts'
import { sendRoomChange } from './room-change.ts'

// Saving a scheduling grid: many cells in one POST, one transaction. Ticked → scheduled (created
// or uncancelled); unticked → cancelled through cancelScheduled (with a both-blocks sibling);
// "unschedule" → deleted only when cancelled and nobody (nor the sibling's members) is signed up.
// A change of rooms emails the members of that block.

export type CellInput = Pair & {
  scheduled: boolean; unschedule: boolean; rooms: string[]; sponsors: string[]; capacity: string; title: string; comments: string
  bothBlocks: boolean; special: boolean; administrative: boolean; restricted: boolean; sticky: boolean
}
type Ready = Pair & { scheduled: boolean; unschedule: boolean; rooms: number[]; sponsors: number[]; o: Overrides }

export const cellKey = (p: Pair) => `${p.blockId}_${p.activityId}`

/** The grid's cells from the form (`cell` = "block:activity", then `<field>_<block>_<activity>`); null when malformed. */
export function readGrid(f: Form): CellInput[] | null {
  const cells = many(f, 'cell')
  if (!cells.length || cells.length > 400 || cells.some((c) => !/^\d{1,9}:\d{1,9}$/.test(c))) return null
  const seen = new Set<string>()
  const out: CellInput[] = []
  for (const c of cells) {
    if (seen.has(c)) continue
    seen.add(c)
    const [blockId, activityId] = c.split(':').map(Number) as [number, number]
    const k = cellKey({ blockId, activityId })
    const v = (n: string) => one(f, `${n}_${k}`)
    out.push({
      blockId, activityId, scheduled: ticked(f, `scheduled_${k}`), unschedule: ticked(f, `unschedule_${k}`),
      rooms: many(f, `rooms_${k}`).slice(0, 200), sponsors: many(f, `sponsors_${k}`).slice(0, 200), capacity: v('capacity').slice(0, 20),
      title: v('title').slice(0, 3000).replace(/\\/g, '/'), comments: v('comments').slice(0, 3000).replace(/\\/g, '/'),
      bothBlocks: ticked(f, `both_blocks_${k}`), special: ticked(f, `special_${k}`), administrative: ticked(f, `administrative_${k}`),
      restricted: ticked(f, `restricted_${k}`), sticky: ticked(f, `sticky_${k}`),
    })
  }
  return out
}

const label = (c: Cell) => `${c.name} on ${blockText(c)}`
const same = (a: number[], b: number[]) => a.join() === b.join()
const students = (n: number) => (n === 1 ? 'there is 1 student signed up' : `there are ${n} students signed up`)
const bb = (c: Cell) => c.saBothBlocks || c.actBothBlocks

async function check(deps: Deps, inputs: CellInput[], cells: Map<string, Cell>): Promise<Outcome<Ready[]>> {
  const errors: string[] = []
  const ready: Ready[] = []
  const roomIds = new Set<number>()
  const sponsorIds = new Set<number>()
  for (const i of inputs) {
    const c = cells.get(cellKey(i))
    if (!c) { errors.push('A block or activity in the form no longer exists. Reload the page.'); continue }
    const rooms = idsOf(i.rooms)
    const sponsors = idsOf(i.sponsors)
    if (!rooms || !sponsors) errors.push(`${label(c)}: a room or sponsor was not understood.`)
    let capacity: number | null = null
    if (i.capacity.trim()) {
      capacity = intOf(i.capacity)
      if (capacity === null || capacity < -1 || capacity > 32767) errors.push(`${label(c)}: the capacity must be a whole number of at least −1 (−1 is unlimited), or empty.`)
    }
    if (i.title.length > 1000) errors.push(`${label(c)}: the title may be at most 1000 characters long.`)
    if (i.comments.length > 1000) errors.push(`${label(c)}: the comments may be at most 1000 characters long.`)
    if (i.scheduled && c.deleted && c.saId === null) errors.push(`${label(c)}: the activity is deleted; restore it before scheduling it.`)
    for (const r of rooms ?? []) roomIds.add(r)
    for (const s of sponsors ?? []) sponsorIds.add(s)
    ready.push({ blockId: i.blockId, activityId: i.activityId, scheduled: i.scheduled, unschedule: i.unschedule, rooms: rooms ?? [], sponsors: sponsors ?? [],
      o: { title: i.title.trim(), comments: i.comments.trim(), capacity, bothBlocks: i.bothBlocks, special: i.special, administrative: i.administrative, restricted: i.restricted, sticky: i.sticky } })
  }
  const [okRooms, okSponsors] = await Promise.all([existingRoomIds(deps.sql, [...roomIds]), existingSponsorIds(deps.sql, [...sponsorIds])])
  if (okRooms.length !== roomIds.size) errors.push('A chosen room no longer exists. Reload the page.')
  if (okSponsors.length !== sponsorIds.size) errors.push('A chosen sponsor no longer exists. Reload the page.')
  return errors.length ? { ok: false, status: 422, errors: [...new Set(errors)] } : { ok: true, value: ready }
}

function overridesChanged(c: Cell, r: Ready): string[] {
  const before: Overrides = { title: c.title, comments: c.comments, capacity: c.saCapacity, bothBlocks: c.saBothBlocks, special: c.saSpecial, administrative: c.saAdministrative, restricted: c.saRestricted, sticky: c.saSticky }
  const changed = (Object.keys(r.o) as (keyof Overrides)[]).filter((k) => before[k] !== r.o[k])
  if (!same(c.roomIds, r.rooms)) changed.push('rooms' as never)
  if (!same(c.sponsorIds, r.sponsors)) changed.push('sponsors' as never)
  return changed
}

type Run = { tx: Tx; deps: Deps; actorId: number; ip?: string; now: Date; messages: string[]; blocks: Set<number>; schacts: Set<number>; counts: Record<string, number> }

async function write(run: Run, c: Cell, r: Ready, id: number, changed: string[]): Promise<void> {
  const { tx, now } = run
  await updateOverrides(tx, id, r.o, now)
  await replaceLists(tx, id, r.rooms, r.sponsors)
  let told: number[] = []
  const from = c.roomIds.length ? c.roomIds : c.actRoomIds
  const to = r.rooms.length ? r.rooms : c.actRoomIds
  if (!same(from, to) && r.scheduled) {
    told = await sendRoomChange(tx, officeDepsOf(run.deps), { id, activity: c.name, block: blockText(c), from: await roomNamesOf(tx, from), to: await roomNamesOf(tx, to) })
    if (told.length) run.messages.push(`${label(c)}: emailed ${told.length} ${told.length === 1 ? 'student' : 'students'} about the room change.`)
  }
  if (changed.some((k) => k === 'capacity' || k === 'rooms')) { run.blocks.add(c.blockId); run.schacts.add(id) }
  await officeAudit(tx, { actorId: run.actorId, action: 'eighth.schedule.edit', targetType: 'scheduled_activity', targetId: id, at: now, ip: run.ip,
    details: { blockId: c.blockId, activityId: c.activityId, changed, rooms: same(from, to) ? undefined : { from, to }, students: told.length ? told : undefined } })
  run.counts.updated!++
}

/** Saves every cell or none; the messages say what happened (and what was refused). */
export async function saveGrid(deps: Deps, viewer: Viewer, inputs: CellInput[], ip?: string): Promise<Outcome<string[]>> {
  const pairs: Pair[] = inputs.map((i) => ({ blockId: i.blockId, activityId: i.activityId }))
  const cellsBefore = new Map((await gridCells(deps.sql, pairs)).map((c) => [cellKey(c), c]))
  const checked = await check(deps, inputs, cellsBefore)
  if (!checked.ok) return checked
  const d = officeDepsOf(deps)
  const run: Omit<Run, 'tx'> = { deps, actorId: viewer.id, ip, now: deps.clock.now(), messages: [], blocks: new Set(), schacts: new Set(), counts: { created: 0, updated: 0, cancelled: 0, uncancelled: 0, deleted: 0 } }
  await deps.sql.begin(async (tx) => {
    const r: Run = { ...run, tx }
    await lockCells(tx, pairs)
    const cells = new Map((await gridCells(tx, pairs)).map((c) => [cellKey(c), c]))
    const cancelledNow = new Set<number>()
    const cancel = async (id: number) => {
      const res = await cancelScheduledInTx(tx, d, id, viewer.id)
      if (res.ok) { cancelledNow.add(id); r.counts.cancelled!++ }
    }
    // Unticked first: a both-blocks cancellation takes its sibling along.
    for (const x of checked.value.filter((x) => !x.scheduled)) {
      const c = cells.get(cellKey(x))!
      if (c.saId === null) continue
      if (!c.cancelled && !cancelledNow.has(c.saId)) {
        await cancel(c.saId)
        const sib = bb(c) ? await siblingOf(tx, c.saId) : null
        if (sib && !sib.cancelled && !cancelledNow.has(sib.id)) {
          await cancel(sib.id)
          r.messages.push(`${c.name} on ${blockText(sib)} was cancelled too: it runs in both blocks.`)
        }
        r.blocks.add(c.blockId)
      }
      const changed = overridesChanged(c, x)
      if (changed.length) await write(r, c, x, c.saId, changed)
    }
    for (const x of checked.value.filter((x) => x.scheduled)) {
      const c = cells.get(cellKey(x))!
      if (c.saId === null) {
        const id = await insertScheduled(tx, x, x.o, r.now)
        await replaceLists(tx, id, x.rooms, x.sponsors)
        await officeAudit(tx, { actorId: viewer.id, action: 'eighth.schedule.add', targetType: 'scheduled_activity', targetId: id, at: r.now, ip, details: { blockId: x.blockId, activityId: x.activityId, ...x.o, rooms: x.rooms, sponsors: x.sponsors } })
        r.counts.created!++
        r.blocks.add(x.blockId)
        r.schacts.add(id)
        continue
      }
      if (cancelledNow.has(c.saId)) r.messages.push(`${label(c)} stays cancelled: its both-blocks pair was cancelled.`)
      else if (c.cancelled) {
        await setCancelled(tx, c.saId, false, r.now)
        await officeAudit(tx, { actorId: viewer.id, action: 'eighth.uncancel', targetType: 'scheduled_activity', targetId: c.saId, at: r.now, ip })
        r.counts.uncancelled!++
        r.blocks.add(c.blockId)
      }
      const changed = overridesChanged(c, x)
      if (changed.length) await write(r, c, x, c.saId, changed)
    }
    const deleted = new Set<number>()
    for (const x of checked.value.filter((x) => x.unschedule)) await unschedule(r, cells.get(cellKey(x))!, deleted)
  })
  notifySeats(deps, [...run.blocks], [...run.schacts])
  const n = run.counts
  const summary = [`${n.created} scheduled`, `${n.updated} changed`, `${n.cancelled} cancelled`, `${n.uncancelled} uncancelled`, `${n.deleted} unscheduled`]
  return { ok: true, value: [`Saved: ${summary.join(', ')}.`, ...run.messages] }
}

async function unschedule(r: Run, c: Cell, deleted: Set<number>): Promise<void> {
  if (c.saId === null || deleted.has(c.saId)) return
  const cancelled = await isCancelled(r.tx, c.saId)
  if (cancelled === null) return
  if (!cancelled) {
    r.messages.push(`Did not unschedule ${label(c)} because it is not cancelled: untick “Scheduled” to cancel it first.`)
    return
  }
  const sib = bb(c) ? await siblingOf(r.tx, c.saId) : null
  const n = (await signupCount(r.tx, c.saId)) + (sib?.count ?? 0)
  if (n > 0) {
    r.messages.push(`Did not unschedule ${label(c)} because ${students(n)}.`)
    return
  }
  const ids = [c.saId, ...(sib?.cancelled ? [sib.id] : [])]
  await deleteScheduled(r.tx, ids)
  for (const id of ids) deleted.add(id)
  for (const id of ids) await officeAudit(r.tx, { actorId: r.actorId, action: 'eighth.unschedule', targetType: 'scheduled_activity', targetId: id, at: r.now, ip: r.ip, details: { blockId: c.blockId, activityId: c.activityId } })
  r.counts.deleted! += ids.length
  r.blocks.add(c.blockId)
}
