import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import {
  attendanceLocked, effectiveFlags, effectiveList, formatOpening, formattedRoomName, isFull, isUpcoming, nameWithFlags,
  presignOpensAt, roomsCapacity, seatsLeft, siblingLetter, sponsorName, trueCapacity, UNLIMITED,
} from '../../src/features/eighth/effective.ts'
import { capacityOf } from '../../src/features/eighth/signup.ts'
import { scheduledDetails } from '../../src/features/eighth/signup.sql.ts'
import { addActivity, addBlock, addRoom, asStudent, bulkStudents, membersOf, schedule, signup } from '../helpers/eighth.ts'

// Real PostgreSQL on a shared machine: allow slow moments.
setDefaultTimeout(30_000)

// The effective ("true") values of a scheduled activity (ion-eighth.md §1.5, acceptance case 20)
// and the time helpers (§0.4): pure functions first, then the same values read from PostgreSQL.

const TZ = 'America/New_York'
const NO_FLAGS = { bothBlocks: false, special: false, administrative: false, restricted: false, sticky: false }

describe('roomsCapacity (total capacity of a set of rooms)', () => {
  test('an empty set is 0', () => expect(roomsCapacity([])).toBe(0))
  test('the sum of the rooms', () => expect(roomsCapacity([1, 10, 5])).toBe(16))
  test('zero-capacity rooms add nothing', () => expect(roomsCapacity([0, 0, 7])).toBe(7))
  test('any −1 room makes the whole set unlimited (−1)', () => {
    expect(roomsCapacity([1, -1, 5])).toBe(-1)
    expect(roomsCapacity([-1])).toBe(-1)
    expect(UNLIMITED).toBe(-1)
  })
})

describe('trueCapacity precedence (case 20)', () => {
  const base = { saCapacity: null, saRoomCaps: [], activityDefaultCapacity: null, activityRoomCaps: [] }
  test('own capacity wins whatever the rooms', () => {
    expect(trueCapacity({ saCapacity: 10, saRoomCaps: [1, 10, 5], activityDefaultCapacity: 13, activityRoomCaps: [30] })).toBe(10)
  })
  test('own capacity 0 is respected (not treated as "unset")', () => {
    expect(trueCapacity({ saCapacity: 0, saRoomCaps: [20], activityDefaultCapacity: 13, activityRoomCaps: [30] })).toBe(0)
  })
  test('own capacity −1 is unlimited', () => {
    expect(trueCapacity({ ...base, saCapacity: -1, saRoomCaps: [5], activityDefaultCapacity: 13 })).toBe(-1)
  })
  test('no own capacity: the override rooms 1+10+5 = 16, beating the activity default', () => {
    expect(trueCapacity({ ...base, saRoomCaps: [1, 10, 5], activityDefaultCapacity: 13, activityRoomCaps: [30] })).toBe(16)
  })
  test('override rooms with a −1 room are unlimited', () => {
    expect(trueCapacity({ ...base, saRoomCaps: [1, -1], activityDefaultCapacity: 13 })).toBe(-1)
  })
  test('no override rooms: the activity default capacity 13', () => {
    expect(trueCapacity({ ...base, activityDefaultCapacity: 13, activityRoomCaps: [30, 40] })).toBe(13)
  })
  test('an activity default of 0 is "not set": the activity rooms count', () => {
    expect(trueCapacity({ ...base, activityDefaultCapacity: 0, activityRoomCaps: [30, 40] })).toBe(70)
  })
  test('an activity default of −1 is unlimited', () => {
    expect(trueCapacity({ ...base, activityDefaultCapacity: -1, activityRoomCaps: [30] })).toBe(-1)
  })
  test('only the activity rooms: their sum, or −1 if any is −1', () => {
    expect(trueCapacity({ ...base, activityRoomCaps: [12, 8] })).toBe(20)
    expect(trueCapacity({ ...base, activityRoomCaps: [12, -1] })).toBe(-1)
  })
  test('nothing at all: 0 seats', () => expect(trueCapacity(base)).toBe(0))
})

describe('isFull / seatsLeft', () => {
  test('full at capacity, not below', () => {
    expect(isFull(5, 5)).toBe(true)
    expect(isFull(6, 5)).toBe(true)
    expect(isFull(4, 5)).toBe(false)
  })
  test('capacity 0 is always full', () => expect(isFull(0, 0)).toBe(true))
  test('−1 is never full', () => {
    expect(isFull(0, -1)).toBe(false)
    expect(isFull(100000, -1)).toBe(false)
  })
  test('seats left', () => {
    expect(seatsLeft(3, 5)).toBe(2)
    expect(seatsLeft(7, 5)).toBe(0)
    expect(seatsLeft(1000, -1)).toBe(Infinity)
  })
})

describe('effectiveList (rooms and sponsors overrides)', () => {
  test('own entries replace the defaults', () => expect(effectiveList(['Rm. 1'], ['Rm. 2', 'Rm. 3'])).toEqual(['Rm. 1']))
  test('no own entries: the defaults', () => expect(effectiveList([], ['Rm. 2', 'Rm. 3'])).toEqual(['Rm. 2', 'Rm. 3']))
  test('neither: empty', () => expect(effectiveList([], [])).toEqual([]))
})

describe('effectiveFlags (scheduled OR activity; presign and one-a-day only on the activity)', () => {
  const act = { ...NO_FLAGS, presign: false, oneADay: false }
  for (const f of ['bothBlocks', 'special', 'administrative', 'restricted', 'sticky'] as const) {
    test(`${f}: scheduled only, activity only, both, neither`, () => {
      expect(effectiveFlags({ sa: { ...NO_FLAGS, [f]: true }, activity: act })[f]).toBe(true)
      expect(effectiveFlags({ sa: NO_FLAGS, activity: { ...act, [f]: true } })[f]).toBe(true)
      expect(effectiveFlags({ sa: { ...NO_FLAGS, [f]: true }, activity: { ...act, [f]: true } })[f]).toBe(true)
      expect(effectiveFlags({ sa: NO_FLAGS, activity: act })[f]).toBe(false)
      // one flag does not leak into another
      const other = f === 'sticky' ? 'special' : 'sticky'
      expect(effectiveFlags({ sa: { ...NO_FLAGS, [f]: true }, activity: act })[other]).toBe(false)
    })
  }
  test('presign and one-a-day come from the activity', () => {
    expect(effectiveFlags({ sa: NO_FLAGS, activity: { ...act, presign: true } })).toEqual({ ...NO_FLAGS, presign: true, oneADay: false })
    expect(effectiveFlags({ sa: NO_FLAGS, activity: { ...act, oneADay: true } })).toEqual({ ...NO_FLAGS, presign: false, oneADay: true })
  })
})

describe('names', () => {
  test('sponsorName: "Last, First" only with show_full_name and a first name', () => {
    expect(sponsorName({ firstName: 'Angela', lastName: 'William', showFullName: true })).toBe('William, Angela')
    expect(sponsorName({ firstName: 'Angela', lastName: 'William', showFullName: false })).toBe('William')
    expect(sponsorName({ firstName: '', lastName: 'William', showFullName: true })).toBe('William')
  })
  test('formattedRoomName', () => {
    expect(formattedRoomName('214')).toBe('Rm. 214')
    expect(formattedRoomName('1A')).toBe('Rm. 1A')
    expect(formattedRoomName('Room 5')).toBe('Rm. 5')
    expect(formattedRoomName('Library')).toBe('Library')
    expect(formattedRoomName('Auditorium 2')).toBe('Auditorium 2')
  })
  test('nameWithFlags: prefix, title and the flag suffixes in Ion\'s order', () => {
    expect(nameWithFlags('Chess', {})).toBe('Chess')
    expect(nameWithFlags('Chess', { special: true, title: 'Finals', restricted: true, bothBlocks: true, administrative: true, sticky: true, deleted: true }))
      .toBe('Special: Chess - Finals (R) (BB) (A) (S) (Deleted)')
    expect(nameWithFlags('Chess', { sticky: true, restricted: true })).toBe('Chess (R) (S)')
    expect(nameWithFlags('Chess', { title: '' })).toBe('Chess')
  })
  test('siblingLetter: only A and B pair up', () => {
    expect(siblingLetter('A')).toBe('B')
    expect(siblingLetter('B')).toBe('A')
    expect(siblingLetter('A1')).toBeNull()
    expect(siblingLetter('a')).toBeNull()
  })
})

describe('presign opening (20:00 two days before, school zone)', () => {
  test('a Wednesday block opens Monday at 8:00 PM EDT', () => {
    const o = presignOpensAt('2026-10-07', TZ)
    expect(o.toISOString()).toBe('2026-10-06T00:00:00.000Z')
    expect(formatOpening(o, TZ)).toBe('Monday, October 5 at 8:00 PM')
  })
  test('across the end of DST (Nov 1 2026) it is still 20:00 local', () => {
    // opens Sat Oct 31 (EDT, −4) and Sun Nov 1 (EST, −5)
    expect(presignOpensAt('2026-11-02', TZ).toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(presignOpensAt('2026-11-03', TZ).toISOString()).toBe('2026-11-02T01:00:00.000Z')
    expect(formatOpening(presignOpensAt('2026-11-03', TZ), TZ)).toBe('Sunday, November 1 at 8:00 PM')
  })
  test('across the start of DST (Mar 8 2026)', () => {
    expect(presignOpensAt('2026-03-09', TZ).toISOString()).toBe('2026-03-08T01:00:00.000Z')
    expect(presignOpensAt('2026-03-10', TZ).toISOString()).toBe('2026-03-09T00:00:00.000Z')
    expect(formatOpening(presignOpensAt('2026-03-10', TZ), TZ)).toBe('Sunday, March 8 at 8:00 PM')
  })
  test('across a month and a year boundary', () => {
    expect(formatOpening(presignOpensAt('2027-01-01', TZ), TZ)).toBe('Wednesday, December 30 at 8:00 PM')
    expect(presignOpensAt('2027-01-01', TZ).toISOString()).toBe('2026-12-31T01:00:00.000Z')
  })
  test('the message uses plain spaces (no U+202F before PM)', () => {
    expect(formatOpening(presignOpensAt('2026-10-07', TZ), TZ)).toMatch(/^[\x20-\x7e]+$/)
  })
})

describe('isUpcoming (after today, or today before 17:00 local)', () => {
  test('today before 17:00 EST is upcoming, at 17:00 it is not', () => {
    expect(isUpcoming('2026-12-01', new Date('2026-12-01T21:59:00Z'), TZ)).toBe(true) // 16:59 EST
    expect(isUpcoming('2026-12-01', new Date('2026-12-01T22:00:00Z'), TZ)).toBe(false) // 17:00 EST
    expect(isUpcoming('2026-12-01', new Date('2026-12-01T05:00:00Z'), TZ)).toBe(true) // local midnight
  })
  test('in summer time the cut-off is still 17:00 local', () => {
    expect(isUpcoming('2026-06-10', new Date('2026-06-10T20:59:00Z'), TZ)).toBe(true) // 16:59 EDT
    expect(isUpcoming('2026-06-10', new Date('2026-06-10T21:00:00Z'), TZ)).toBe(false)
  })
  test('tomorrow is upcoming, yesterday is not', () => {
    const now = new Date('2026-12-01T23:00:00Z') // 18:00 EST
    expect(isUpcoming('2026-12-02', now, TZ)).toBe(true)
    expect(isUpcoming('2026-11-30', now, TZ)).toBe(false)
  })
  test('"today" is the local date, not the UTC one', () => {
    const now = new Date('2026-12-02T03:00:00Z') // Dec 1, 22:00 EST; already Dec 2 in UTC
    expect(isUpcoming('2026-12-02', now, TZ)).toBe(true)
    expect(isUpcoming('2026-12-01', now, TZ)).toBe(false)
  })
})

describe('attendanceLocked (22:00 on the block date)', () => {
  test('21:59 open, 22:00 locked', () => {
    expect(attendanceLocked('2026-12-01', new Date('2026-12-02T02:59:00Z'), TZ)).toBe(false) // 21:59 EST
    expect(attendanceLocked('2026-12-01', new Date('2026-12-02T03:00:00Z'), TZ)).toBe(true) // 22:00 EST
  })
  test('any later day is locked, an earlier day is not', () => {
    expect(attendanceLocked('2026-12-01', new Date('2026-12-02T15:00:00Z'), TZ)).toBe(true)
    expect(attendanceLocked('2026-12-01', new Date('2026-11-30T15:00:00Z'), TZ)).toBe(false)
    expect(attendanceLocked('2026-12-01', new Date('2026-12-01T15:00:00Z'), TZ)).toBe(false)
  })
  test('summer time: 22:00 EDT', () => {
    expect(attendanceLocked('2026-06-10', new Date('2026-06-11T01:59:00Z'), TZ)).toBe(false)
    expect(attendanceLocked('2026-06-10', new Date('2026-06-11T02:00:00Z'), TZ)).toBe(true)
  })
})

// The same precedence, read from PostgreSQL the way the signup rules read it.
describe('capacity from the database (case 20)', () => {
  let db: TestDb
  const clock = fixedClock('2026-12-01T15:00:00Z')
  beforeAll(async () => { db = await createTestDb() })
  afterAll(async () => { await db.drop() })

  const capOf = async (saId: number) => capacityOf((await scheduledDetails(db.sql, [saId], 0))[0]!)

  test('the five cases of the precedence, and −1 rooms', async () => {
    const { sql } = db
    const block = await addBlock(sql, '2027-01-06', 'A')
    const r1 = await addRoom(sql, 'R1', 1)
    const r10 = await addRoom(sql, 'R10', 10)
    const r5 = await addRoom(sql, 'R5', 5)
    const r30 = await addRoom(sql, 'R30', 30)
    const unl = await addRoom(sql, 'Gym', -1)

    const a1 = await addActivity(sql, 'Own Capacity', { defaultCapacity: 13, rooms: [r30] })
    expect(await capOf(await schedule(sql, block, a1, { capacity: 10, rooms: [r1, r10, r5] }))).toBe(10)

    const a2 = await addActivity(sql, 'Override Rooms', { defaultCapacity: 13, rooms: [r30] })
    expect(await capOf(await schedule(sql, block, a2, { rooms: [r1, r10, r5] }))).toBe(16)

    const a3 = await addActivity(sql, 'Default Capacity', { defaultCapacity: 13, rooms: [r30] })
    expect(await capOf(await schedule(sql, block, a3))).toBe(13)

    const a4 = await addActivity(sql, 'Activity Rooms', { rooms: [r10, r5] })
    expect(await capOf(await schedule(sql, block, a4))).toBe(15)

    const a5 = await addActivity(sql, 'Unlimited Room', { rooms: [r10, unl] })
    expect(await capOf(await schedule(sql, block, a5))).toBe(-1)

    const a6 = await addActivity(sql, 'Override Unlimited', { defaultCapacity: 13 })
    expect(await capOf(await schedule(sql, block, a6, { rooms: [r5, unl] }))).toBe(-1)

    const a7 = await addActivity(sql, 'No Rooms At All')
    expect(await capOf(await schedule(sql, block, a7))).toBe(0)

    const a8 = await addActivity(sql, 'Zero Default', { defaultCapacity: 0, rooms: [r5] })
    expect(await capOf(await schedule(sql, block, a8))).toBe(5)
  })

  test('the signup rules enforce the computed capacity (override rooms 1 + 1 = 2 seats)', async () => {
    const { sql } = db
    const block = await addBlock(sql, '2027-01-08', 'A')
    const small1 = await addRoom(sql, 'Closet 1', 1)
    const small2 = await addRoom(sql, 'Closet 2', 1)
    const big = await addRoom(sql, 'Hall', 100)
    const act = await addActivity(sql, 'Tiny Club', { defaultCapacity: 50, rooms: [big] })
    const sa = await schedule(sql, block, act, { rooms: [small1, small2] })
    const [u1, u2, u3] = await bulkStudents(sql, 3)
    for (const u of [u1!, u2!]) expect((await signup(sql, clock, { userId: u, scheduledId: sa, requester: asStudent(u) })).ok).toBe(true)
    const third = await signup(sql, clock, { userId: u3!, scheduledId: sa, requester: asStudent(u3!) })
    expect(third.ok).toBe(false)
    if (!third.ok) expect(third.errors.map((e) => e.code)).toEqual(['ActivityFull'])
    expect(await membersOf(sql, sa)).toEqual([u1!, u2!].sort((a, b) => a - b))
  })
})
