import type { Deps } from '../../../../platform/http.ts'
import { notifySeats } from '../../live-seats.tsx'
import { officeAudit } from './audit.sql.ts'
import type { Outcome } from './blocks.ts'
import { blocksUsingRoom, deleteRoom, insertRoom, roomRow, updateRoom, type RoomFields } from './rooms.sql.ts'
import { intOf } from './common.tsx'

// Rooms: capacity −1 is unlimited, 0 takes no student signups.

export type RoomInput = { name: string; capacity: string; available: boolean }
type Act = { deps: Deps; actorId: number; ip?: string }

export function parseRoom(i: RoomInput): Outcome<RoomFields> {
  const errors: string[] = []
  const name = i.name.trim()
  if (name.length < 1 || name.length > 100) errors.push('The room name must be 1 to 100 characters long.')
  const cap = intOf(i.capacity)
  if (cap === null || cap < -1 || cap > 32767) errors.push('Capacity must be a whole number: −1 for unlimited, 0 for no signups, or the number of seats.')
  if (errors.length) return { ok: false, status: 422, errors }
  return { ok: true, value: { name, capacity: cap!, availableForEighth: i.available } }
}

export async function createRoom(a: Act, i: RoomInput): Promise<Outcome<number>> {
  const p = parseRoom(i)
  if (!p.ok) return p
  const now = a.deps.clock.now()
  return a.deps.sql.begin(async (tx) => {
    const id = await insertRoom(tx, p.value, now)
    await officeAudit(tx, { actorId: a.actorId, action: 'eighth.room.add', targetType: 'eighth_room', targetId: id, at: now, ip: a.ip, details: p.value })
    return { ok: true as const, value: id }
  })
}

export async function editRoom(a: Act, id: number, i: RoomInput): Promise<Outcome<string>> {
  const p = parseRoom(i)
  if (!p.ok) return p
  const now = a.deps.clock.now()
  const out = await a.deps.sql.begin(async (tx) => {
    const before = await roomRow(tx, id)
    if (!before || !(await updateRoom(tx, id, p.value, now))) return null
    await officeAudit(tx, { actorId: a.actorId, action: 'eighth.room.edit', targetType: 'eighth_room', targetId: id, at: now, ip: a.ip,
      details: { before: { name: before.name, capacity: before.capacity, availableForEighth: before.availableForEighth }, after: p.value } })
    return before
  })
  if (!out) return { ok: false, status: 404, errors: ['That room does not exist.'] }
  // Seats shown on the signup pages depend on room capacities.
  if (out.capacity !== p.value.capacity) notifySeats(a.deps, await blocksUsingRoom(a.deps.sql, id, a.deps.clock.today()))
  return { ok: true, value: `Saved ${p.value.name}.` }
}

export async function removeRoom(a: Act, id: number): Promise<Outcome<string>> {
  const now = a.deps.clock.now()
  const blocks = await blocksUsingRoom(a.deps.sql, id, a.deps.clock.today())
  const out = await a.deps.sql.begin(async (tx) => {
    const r = await roomRow(tx, id)
    if (!r || !(await deleteRoom(tx, id))) return null
    await officeAudit(tx, { actorId: a.actorId, action: 'eighth.room.delete', targetType: 'eighth_room', targetId: id, at: now, ip: a.ip,
      details: { name: r.name, capacity: r.capacity, activities: r.activities, scheduled: r.scheduled } })
    return r
  })
  if (!out) return { ok: false, status: 404, errors: ['That room does not exist.'] }
  notifySeats(a.deps, blocks)
  return { ok: true, value: `Deleted ${out.name}.` }
}
