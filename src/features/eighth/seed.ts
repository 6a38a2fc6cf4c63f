import type { SeedStep } from '../../platform/registry.ts'
import { prng } from '../users/demo-people.ts'
import { trueCapacity } from './effective.ts'
import { DEMO_ACTIVITIES } from './seed-data.ts'
import { activityRow, allowedStudents, demoDates, demoRooms, demoSponsors, meets, roomsFor, scheduleExtras } from './seed-plan.ts'
import {
  activityCount, demoPeople, ensureBlocks, ensureSponsors, insertActivities, insertActivityLinks, insertRooms, insertScheduled,
  insertSignups, insertStickyStudents, type ScheduledRow,
} from './seed.sql.ts'

// `seed --demo` for eighth period: 160 activities in ~125 rooms with sponsors (the demo teachers
// when the accounts seed ran, name-only sponsors otherwise), A and B blocks on Wednesdays and
// Fridays for the next 8 weeks, nearly every activity in every block, and signups for about
// half the students in the first block. Bulk inserts in one transaction; when activities exist
// already the step adds nothing.

export const eighthDemoSeed: SeedStep = {
  name: 'eighth period demo',
  order: 20,
  run: async ({ sql, clock }) => sql.begin(async (tx) => {
    if ((await activityCount(tx)) > 0) return '0 new (activities exist)'
    const now = clock.now()
    const { teachers, students } = await demoPeople(tx)

    const rooms = await insertRooms(tx, demoRooms())
    const roomByName = new Map(rooms.map((r) => [r.name, r]))
    const classrooms = rooms.filter((r) => /^\d/.test(r.name)).map((r) => r.name)
    const sponsors = await ensureSponsors(tx, demoSponsors(teachers))

    const rows = DEMO_ACTIVITIES.map(activityRow)
    const ids = await insertActivities(tx, rows)
    const acts = rows.map((row, i) => ({ row, i, id: ids.get(row.name)!, rooms: roomsFor(row.name, i, classrooms).map((n) => roomByName.get(n)!) }))
    const studentIds = students.map((s) => s.id)
    const allowed = new Map(acts.map((a) => [a.id, allowedStudents(a.row, a.i, studentIds)]))
    const demoStudent = students.find((s) => s.username === 'student')
    await insertActivityLinks(
      tx,
      acts.flatMap((a) => a.rooms.map((r) => ({ activityId: a.id, roomId: r.id }))),
      acts.flatMap((a) => [sponsors[a.i % sponsors.length]!, ...(a.i % 6 === 0 ? [sponsors[(a.i + 7) % sponsors.length]!] : [])]
        .filter((s, k, xs) => xs.indexOf(s) === k).map((sponsorId) => ({ activityId: a.id, sponsorId }))),
      [
        ...acts.flatMap((a) => allowed.get(a.id)!.map((userId) => ({ activityId: a.id, userId, role: 'allowed' }))),
        ...(demoStudent ? acts.filter((a) => [3, 20, 26].includes(a.i)).map((a) => ({ activityId: a.id, userId: demoStudent.id, role: 'favorite' })) : []),
      ],
    )

    const dates = demoDates(clock.today())
    const blocks = await ensureBlocks(tx, dates.flatMap((date) => [{ date, blockLetter: 'A' }, { date, blockLetter: 'B' }]))
    const planned: ScheduledRow[] = []
    for (const b of blocks) {
      const d = dates.indexOf(b.date)
      for (const a of acts) if (meets(a.row, a.i, d)) planned.push({ blockId: b.id, activityId: a.id, ...scheduleExtras(a.i, d) })
    }
    const scheduled = await insertScheduled(tx, planned)

    const signups = await firstBlockSignups(tx, now, blocks[0]?.id, scheduled, planned, acts, allowed, studentIds)
    return `${acts.length} activities, ${rooms.length} rooms, ${sponsors.length} sponsors${teachers.length ? ' (teachers)' : ' (name only)'}, ` +
      `${blocks.length} blocks, ${scheduled.length} scheduled, ${signups} signups`
  }),
}

type Act = { row: ReturnType<typeof activityRow>; i: number; id: number; rooms: { capacity: number }[] }

/**
 * About half the students get a seat in the first block, never past an activity's capacity and
 * never twice in the block: the sticky groups are placed in their activities first, then every
 * other student goes to a random open activity with seats left.
 */
async function firstBlockSignups(
  tx: Parameters<typeof insertSignups>[0], now: Date, blockId: number | undefined, scheduled: { id: number; blockId: number; activityId: number }[],
  planned: ScheduledRow[], acts: Act[], allowed: Map<number, number[]>, students: number[],
): Promise<number> {
  if (blockId === undefined || !students.length) return 0
  const plan = new Map(planned.filter((p) => p.blockId === blockId).map((p) => [p.activityId, p]))
  const actById = new Map(acts.map((a) => [a.id, a]))
  const seats = scheduled.filter((s) => s.blockId === blockId).map((s) => {
    const a = actById.get(s.activityId)!
    const p = plan.get(s.activityId)!
    const cap = trueCapacity({ saCapacity: p.capacity, saRoomCaps: [], activityDefaultCapacity: a.row.defaultCapacity, activityRoomCaps: a.rooms.map((r) => r.capacity) })
    return { id: s.id, a, cancelled: p.cancelled, left: cap === -1 ? Infinity : cap }
  })
  const taken = new Set<number>()
  const rows: { userId: number; blockId: number; scheduledActivityId: number; time: Date }[] = []
  const sticky: { scheduledActivityId: number; userId: number }[] = []
  const place = (userId: number, seat: (typeof seats)[number]) => {
    if (taken.has(userId) || seat.left <= 0) return false
    taken.add(userId)
    seat.left--
    rows.push({ userId, blockId, scheduledActivityId: seat.id, time: now })
    return true
  }
  for (const seat of seats) if (seat.a.row.sticky && seat.a.row.restricted && !seat.a.row.administrative && !seat.cancelled)
    for (const u of allowed.get(seat.a.id) ?? []) place(u, seat)
  const open = seats.filter((s) => !s.cancelled && !s.a.row.restricted && !s.a.row.administrative && !s.a.row.bothBlocks && !s.a.row.presign && s.left > 0)
  const rand = prng(0x5eed8)
  const studyHall = seats.find((s) => s.a.row.name === 'Study Hall')
  students.forEach((u, k) => {
    if (k % 2 !== 0 || taken.has(u)) return
    // A few students are stickied into Study Hall by the office.
    if (studyHall && k % 200 === 0 && place(u, studyHall)) return void sticky.push({ scheduledActivityId: studyHall.id, userId: u })
    for (let tries = 0; tries < 8 && open.length; tries++) if (place(u, open[Math.floor(rand() * open.length)]!)) return
    for (const s of open) if (place(u, s)) return
  })
  const n = await insertSignups(tx, rows)
  await insertStickyStudents(tx, sticky)
  return n
}
