import { effectiveList, roomsCapacity, sponsorName, UNLIMITED } from '../../effective.ts'
import type { SanityRow } from './sanity.sql.ts'

// A block's sanity check: rooms shared by several live activities, rooms with more students
// than seats (activities with the same rooms share them), sponsors booked twice.

export type Conflict = { name: string; activities: { id: number; activityId: number; name: string; count: number }[] }
export type Overfull = { rooms: string; capacity: number; count: number; activities: string[] }
export type Sanity = { rooms: Conflict[]; overfull: Overfull[]; sponsors: Conflict[] }

export function sanityOf(rows: SanityRow[]): Sanity {
  const byRoom = new Map<number, Conflict>()
  const bySponsor = new Map<number, Conflict>()
  const bySet = new Map<string, Overfull>()
  for (const r of rows) {
    const ref = { id: r.id, activityId: r.activityId, name: r.name, count: r.count }
    const rooms = effectiveList(r.saRooms, r.actRooms)
    for (const room of rooms) {
      const c = byRoom.get(room.id) ?? { name: room.name, activities: [] }
      c.activities.push(ref)
      byRoom.set(room.id, c)
    }
    for (const s of effectiveList(r.saSponsors, r.actSponsors)) {
      const c = bySponsor.get(s.id) ?? { name: sponsorName(s), activities: [] }
      c.activities.push(ref)
      bySponsor.set(s.id, c)
    }
    if (!rooms.length) continue
    const key = rooms.map((x) => x.id).sort((a, b) => a - b).join(',')
    const o = bySet.get(key) ?? { rooms: rooms.map((x) => x.name).join(', '), capacity: roomsCapacity(rooms.map((x) => x.capacity)), count: 0, activities: [] }
    o.count += r.count
    o.activities.push(`${r.name} (${r.count})`)
    bySet.set(key, o)
  }
  const many = (m: Map<number, Conflict>) => [...m.values()].filter((c) => c.activities.length > 1).sort((a, b) => a.name.localeCompare(b.name))
  return {
    rooms: many(byRoom),
    overfull: [...bySet.values()].filter((o) => o.capacity !== UNLIMITED && o.count > o.capacity).sort((a, b) => a.rooms.localeCompare(b.rooms)),
    sponsors: many(bySponsor),
  }
}
