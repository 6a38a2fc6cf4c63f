import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { fixedClock, type Clock } from '../../src/platform/clock.ts'
import { addDays } from '../../src/platform/zoned.ts'
import { createSponsor, setActivityDeleted, setActivityUsers, setBlockLocked, setGroupsAllowed } from '../../src/features/eighth/catalog.sql.ts'
import { signupMessages } from '../../src/features/eighth/errors.ts'
import { removeSignup, type Requester, type SignupOutcome } from '../../src/features/eighth/signup.ts'
import { addToGroups } from '../../src/features/users/create.sql.ts'
import { addActivity, addBlock, asAdmin, asStudent, bulkStudents, membersOf, schedule, signup } from '../helpers/eighth.ts'

// Real PostgreSQL on a shared machine: allow slow moments.
setDefaultTimeout(30_000)

// Each signup rule of ion-eighth.md §2.2 alone, then combined (every failure reported, sorted by
// code, student vs office text), force, switching, both-blocks and removal (§2.3) — on PostgreSQL.

let db: TestDb
let sql: TestDb['sql']
// Tue 1 Dec 2026, 10:00 EST: seniors graduate in 2027 (grade 12), 2026 graduated (grade 13).
const clock = fixedClock('2026-12-01T15:00:00Z')
beforeAll(async () => { db = await createTestDb(); sql = db.sql })
afterAll(async () => { await db.drop() })

// Every test gets its own day, far enough ahead that no presign window is open.
let dayN = 0
const nextDate = () => addDays('2027-03-01', dayN++)

const adminStudent = (id: number): Requester => ({ id, isEighthAdmin: true, isStudent: true })
const student = async (gradYear = 2027) => (await bulkStudents(sql, 1, gradYear))[0]!
const admin = async () => (await bulkStudents(sql, 1, 2027, 'adm'))[0]! // any user id; the role is in the Requester

const su = (userId: number, scheduledId: number, requester: Requester = asStudent(userId), extra: { force?: boolean; noAfterDeadline?: boolean } = {}, c: Clock = clock) =>
  signup(sql, c, { userId, scheduledId, requester, ...extra })

/** Sorted codes of a refusal (fails the test if it was accepted). */
function codes(out: SignupOutcome): string[] {
  if (out.ok) throw new Error('expected the signup to be refused, it succeeded')
  return [...new Set(out.errors.map((e) => e.code))].sort()
}
function messages(out: SignupOutcome): string[] {
  if (out.ok) throw new Error('expected the signup to be refused, it succeeded')
  return out.messages
}

type Row = { id: number; scheduledActivityId: number; blockId: number; afterDeadline: boolean; ownSignup: boolean; wasAbsent: boolean; passAccepted: boolean; absenceAcknowledged: boolean; previousActivityName: string | null; previousActivitySponsors: string | null; time: Date }
async function rowOf(userId: number, blockId: number): Promise<Row | null> {
  const [r] = await sql<Row[]>`SELECT * FROM eighth_signups WHERE user_id = ${userId} AND block_id = ${blockId}`
  return r ?? null
}
async function signupCount(userId: number): Promise<number> {
  const [r] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE user_id = ${userId}`
  return r!.n
}
/** A signup row written directly (a state that existed before flags changed). */
async function put(userId: number, blockId: number, saId: number): Promise<number> {
  const [r] = await sql<{ id: number }[]>`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${userId}, ${blockId}, ${saId}, ${clock.now()}) RETURNING id`
  return r!.id
}
async function stickIndividually(saId: number, userId: number) {
  await sql`INSERT INTO eighth_sticky_students (scheduled_activity_id, user_id) VALUES (${saId}, ${userId})`
}
/** A block with one open activity (capacity 30), plus any extra fields. */
async function oneActivity(f: Parameters<typeof addActivity>[2] = {}, s: Parameters<typeof schedule>[3] = {}, letter = 'A') {
  const date = nextDate()
  const block = await addBlock(sql, date, letter)
  const act = await addActivity(sql, `Act ${date}`, { defaultCapacity: 30, ...f })
  const sa = await schedule(sql, block, act, s)
  return { date, block, act, sa }
}

describe('grade check (always, even when forced)', () => {
  test('a senior (grade 12) may sign up', async () => {
    const { block, sa } = await oneActivity()
    const u = await student(2027)
    expect((await su(u, sa)).ok).toBe(true)
    expect((await rowOf(u, block))?.scheduledActivityId).toBe(sa)
  })
  test('a freshman (grade 9) may sign up', async () => {
    const { sa } = await oneActivity()
    const u = await student(2030)
    expect((await su(u, sa)).ok).toBe(true)
  })
  test('a graduate (grade 13) is refused, even forced by an admin, and gets no row', async () => {
    const { block, sa } = await oneActivity()
    const u = await student(2026)
    const a = await admin()
    expect(codes(await su(u, sa))).toEqual(['SignupForbidden'])
    const forced = await su(u, sa, asAdmin(a), { force: true })
    expect(codes(forced)).toEqual(['SignupForbidden'])
    expect(messages(forced)).toEqual(['You may not sign this student up for activities. This should not be happening – contact an Intranet administrator.'])
    expect(await rowOf(u, block)).toBeNull()
  })
  test('a student with no graduation year is refused, even by the system with force', async () => {
    const { block, sa } = await oneActivity()
    const u = await student()
    await sql`UPDATE users SET graduation_year = NULL WHERE id = ${u}`
    expect(codes(await su(u, sa, null))).toEqual(['SignupForbidden'])
    expect(codes(await su(u, sa, null, { force: true }))).toEqual(['SignupForbidden'])
    expect(codes(await su(u, sa, asAdmin(await admin()), { force: true }))).toEqual(['SignupForbidden'])
    expect(messages(await su(u, sa))).toEqual(['You may not sign this student up for activities.'])
    expect(await rowOf(u, block)).toBeNull()
  })
  test('a teacher (no graduation year) can never be signed up', async () => {
    const { block, sa } = await oneActivity()
    const [t] = await sql<{ id: number }[]>`INSERT INTO users (username, user_type, first_name, last_name) VALUES ('teach-rules', 'teacher', 'T', 'Eacher') RETURNING id`
    expect(codes(await su(t!.id, sa, asAdmin(await admin()), { force: true }))).toEqual(['SignupForbidden'])
    expect(await rowOf(t!.id, block)).toBeNull()
  })
})

describe('permission', () => {
  test('a student may not sign up another student', async () => {
    const { block, sa } = await oneActivity()
    const [u, other] = await bulkStudents(sql, 2)
    const out = await su(u!, sa, asStudent(other!))
    expect(codes(out)).toEqual(['SignupForbidden'])
    expect(messages(out)).toEqual(['You may not sign this student up for activities.'])
    expect(await rowOf(u!, block)).toBeNull()
  })
  test('an admin may (own_signup=false); the student themselves (own_signup=true); the system (no requester)', async () => {
    const { block, sa } = await oneActivity()
    const [u1, u2, u3] = await bulkStudents(sql, 3)
    expect((await su(u1!, sa, asAdmin(await admin()))).ok).toBe(true)
    expect((await su(u2!, sa)).ok).toBe(true)
    expect((await su(u3!, sa, null)).ok).toBe(true)
    expect((await rowOf(u1!, block))!.ownSignup).toBe(false)
    expect((await rowOf(u2!, block))!.ownSignup).toBe(true)
    expect((await rowOf(u3!, block))!.ownSignup).toBe(false)
  })
})

describe('deleted activity', () => {
  test('ActivityDeleted, with the office text for a non-student admin', async () => {
    const { block, act, sa } = await oneActivity()
    await setActivityDeleted(sql, act, true)
    const u = await student()
    const out = await su(u, sa)
    expect(codes(out)).toEqual(['ActivityDeleted'])
    expect(messages(out)).toEqual(['This activity has been deleted. Refresh the page to see the current list of activities.'])
    expect(messages(await su(u, sa, asAdmin(await admin())))).toEqual(['This activity has been deleted.'])
    expect(await rowOf(u, block)).toBeNull()
  })
})

describe('sticky lock-in', () => {
  async function twoActivities(stickyAct: boolean, stickySa: boolean) {
    const date = nextDate()
    const block = await addBlock(sql, date, 'A')
    const x = await addActivity(sql, `Sticky ${date}`, { sticky: stickyAct })
    const y = await addActivity(sql, `Other ${date}`)
    const sx = await schedule(sql, block, x, { capacity: 10, sticky: stickySa })
    const sy = await schedule(sql, block, y, { capacity: 10 })
    return { date, block, x, y, sx, sy }
  }
  test('in an activity-level sticky activity: Sticky, and the row is unchanged', async () => {
    const { block, sx, sy } = await twoActivities(true, false)
    const u = await student()
    expect((await su(u, sx)).ok).toBe(true)
    const before = await rowOf(u, block)
    const out = await su(u, sy)
    expect(codes(out)).toEqual(['Sticky'])
    expect(messages(out)).toEqual(['You may not switch out of a sticky activity.'])
    expect(messages(await su(u, sy, asAdmin(await admin())))).toEqual(['This student is already in a sticky activity.'])
    expect(await rowOf(u, block)).toEqual(before)
    expect(await membersOf(sql, sy)).toEqual([])
  })
  test('a scheduled-level sticky flag locks in too', async () => {
    const { sx, sy } = await twoActivities(false, true)
    const u = await student()
    expect((await su(u, sx)).ok).toBe(true)
    expect(codes(await su(u, sy))).toEqual(['Sticky'])
  })
  test('signing up again for the sticky activity itself is not a Sticky failure', async () => {
    const { block, sx } = await twoActivities(true, false)
    const u = await student()
    expect((await su(u, sx)).ok).toBe(true)
    expect((await su(u, sx)).ok).toBe(true)
    expect((await rowOf(u, block))!.scheduledActivityId).toBe(sx)
  })
  test('individually stickied: Sticky, even though neither activity is sticky', async () => {
    const { block, sx, sy } = await twoActivities(false, false)
    const u = await student()
    expect((await su(u, sx)).ok).toBe(true)
    await stickIndividually(sx, u)
    expect(codes(await su(u, sy))).toEqual(['Sticky'])
    expect((await rowOf(u, block))!.scheduledActivityId).toBe(sx)
  })
  test('a cancelled sticky activity releases the student (activity-level and individual)', async () => {
    const a = await twoActivities(true, false)
    const b = await twoActivities(false, false)
    const [u1, u2] = await bulkStudents(sql, 2)
    expect((await su(u1!, a.sx)).ok).toBe(true)
    expect((await su(u2!, b.sx)).ok).toBe(true)
    await stickIndividually(b.sx, u2!)
    await sql`UPDATE eighth_scheduled_activities SET cancelled = true WHERE id IN (${a.sx}, ${b.sx})`
    expect((await su(u1!, a.sy)).ok).toBe(true)
    expect((await su(u2!, b.sy)).ok).toBe(true)
    expect((await rowOf(u1!, a.block))!.scheduledActivityId).toBe(a.sy)
    expect((await rowOf(u2!, b.block))!.scheduledActivityId).toBe(b.sy)
  })
  test('a sticky activity in another block of the day does not lock this block', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const x = await addActivity(sql, `Sticky A ${date}`, { sticky: true, defaultCapacity: 5 })
    const y = await addActivity(sql, `Free B ${date}`, { defaultCapacity: 5 })
    const sx = await schedule(sql, ba, x)
    const sy = await schedule(sql, bb, y)
    const u = await student()
    expect((await su(u, sx)).ok).toBe(true)
    expect((await su(u, sy)).ok).toBe(true)
  })
  test('a both-blocks signup is refused when the student is stuck in the other half\'s block', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const st = await addActivity(sql, `Sticky B ${date}`, { sticky: true, defaultCapacity: 5 })
    const both = await addActivity(sql, `Both ${date}`, { bothBlocks: true, defaultCapacity: 5 })
    const sst = await schedule(sql, bb, st)
    const sbA = await schedule(sql, ba, both)
    await schedule(sql, bb, both)
    const u = await student()
    expect((await su(u, sst)).ok).toBe(true)
    expect(codes(await su(u, sbA))).toEqual(['Sticky'])
    expect(await rowOf(u, ba)).toBeNull()
    expect((await rowOf(u, bb))!.scheduledActivityId).toBe(sst)
  })
})

describe('locked block', () => {
  test('BlockLocked', async () => {
    const { block, sa } = await oneActivity()
    await setBlockLocked(sql, block, true)
    const u = await student()
    const out = await su(u, sa)
    expect(codes(out)).toEqual(['BlockLocked'])
    expect(messages(out)).toEqual(['This block has been locked. Signups are not allowed at this time.'])
    expect(messages(await su(u, sa, asAdmin(await admin())))).toEqual(['This block has been locked.'])
    expect(await rowOf(u, block)).toBeNull()
  })
  test('a both-blocks activity is refused when only the other half\'s block is locked (one message)', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B', true)
    const both = await addActivity(sql, `Both Locked ${date}`, { bothBlocks: true, defaultCapacity: 5 })
    const sA = await schedule(sql, ba, both)
    await schedule(sql, bb, both)
    const u = await student()
    const out = await su(u, sA)
    expect(codes(out)).toEqual(['BlockLocked'])
    expect(messages(out)).toHaveLength(1)
    expect(await rowOf(u, ba)).toBeNull()
  })
})

describe('cancelled', () => {
  test('ScheduledActivityCancelled', async () => {
    const { block, sa } = await oneActivity({}, { cancelled: true })
    const u = await student()
    const out = await su(u, sa)
    expect(codes(out)).toEqual(['ScheduledActivityCancelled'])
    expect(messages(out)).toEqual(['This activity has been cancelled for this block.'])
    expect(await rowOf(u, block)).toBeNull()
  })
})

describe('capacity', () => {
  test('full when the other members reach the capacity', async () => {
    const { block, sa } = await oneActivity({}, { capacity: 2 })
    const [u1, u2, u3] = await bulkStudents(sql, 3)
    expect((await su(u1!, sa)).ok).toBe(true)
    expect((await su(u2!, sa)).ok).toBe(true)
    const out = await su(u3!, sa)
    expect(codes(out)).toEqual(['ActivityFull'])
    expect(messages(out)).toEqual(['This activity is full. You may not sign up for it at this time.'])
    expect(messages(await su(u3!, sa, asAdmin(await admin())))).toEqual(['This activity is full.'])
    expect(await rowOf(u3!, block)).toBeNull()
    expect(await membersOf(sql, sa)).toHaveLength(2)
  })
  test('capacity 0 means no student signups', async () => {
    const { sa } = await oneActivity({}, { capacity: 0 })
    const u = await student()
    expect(codes(await su(u, sa))).toEqual(['ActivityFull'])
    expect(await membersOf(sql, sa)).toEqual([])
  })
  test('−1 is unlimited', async () => {
    const { sa } = await oneActivity({ defaultCapacity: -1 })
    const us = await bulkStudents(sql, 40)
    for (const u of us) expect((await su(u, sa)).ok).toBe(true)
    expect(await membersOf(sql, sa)).toHaveLength(40)
  })
  test('a member re-signing for a full activity is not refused (they hold their own seat)', async () => {
    const { sa } = await oneActivity({}, { capacity: 1 })
    const u = await student()
    expect((await su(u, sa)).ok).toBe(true)
    expect((await su(u, sa)).ok).toBe(true)
  })
  test('a both-blocks activity whose other half is full is refused', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const both = await addActivity(sql, `Both Full ${date}`, { bothBlocks: true })
    const sA = await schedule(sql, ba, both, { capacity: 10 })
    const sB = await schedule(sql, bb, both, { capacity: 0 })
    const u = await student()
    expect(codes(await su(u, sA))).toEqual(['ActivityFull'])
    expect(await membersOf(sql, sA)).toEqual([])
    expect(await membersOf(sql, sB)).toEqual([])
  })
})

describe('presign (20:00 two days before, America/New_York)', () => {
  async function presignOn(date: string) {
    const block = await addBlock(sql, date, 'A')
    const act = await addActivity(sql, `Presign ${date}`, { presign: true, defaultCapacity: 10 })
    return { block, sa: await schedule(sql, block, act) }
  }
  test('one minute before Monday 20:00 EDT: refused with the opening time; at 20:00: allowed', async () => {
    const { block, sa } = await presignOn('2026-10-07') // Wednesday
    const u = await student()
    const c = fixedClock('2026-10-05T23:59:00Z') // Mon 19:59 EDT
    const out = await su(u, sa, asStudent(u), {}, c)
    expect(codes(out)).toEqual(['Presign'])
    expect(messages(out)).toEqual(['You may not sign up for this activity until Monday, October 5 at 8:00 PM.'])
    expect(messages(await su(u, sa, asAdmin(await admin()), {}, c))).toEqual(["This activity can't be signed up for until Monday, October 5 at 8:00 PM."])
    expect(await rowOf(u, block)).toBeNull()
    c.set('2026-10-06T00:00:00Z') // Mon 20:00 EDT
    expect((await su(u, sa, asStudent(u), {}, c)).ok).toBe(true)
    expect((await rowOf(u, block))!.scheduledActivityId).toBe(sa)
  })
  test('across the end of DST: Sunday Nov 1 20:00 EST (01:00 UTC), not 20:00 EDT', async () => {
    const { block, sa } = await presignOn('2026-11-03') // Tuesday
    const u = await student()
    const c = fixedClock('2026-11-02T00:59:00Z') // Sun 19:59 EST — already 20:59 in EDT terms
    const out = await su(u, sa, asStudent(u), {}, c)
    expect(messages(out)).toEqual(['You may not sign up for this activity until Sunday, November 1 at 8:00 PM.'])
    c.set('2026-11-02T01:00:00Z')
    expect((await su(u, sa, asStudent(u), {}, c)).ok).toBe(true)
    expect((await rowOf(u, block))!.scheduledActivityId).toBe(sa)
  })
  test('across the start of DST: Sunday Mar 8 20:00 EDT (00:00 UTC)', async () => {
    const { sa } = await presignOn('2026-03-10')
    const u = await student()
    const c = fixedClock('2026-03-08T23:59:00Z')
    expect(messages(await su(u, sa, asStudent(u), {}, c))).toEqual(['You may not sign up for this activity until Sunday, March 8 at 8:00 PM.'])
    c.set('2026-03-09T00:00:00Z')
    expect((await su(u, sa, asStudent(u), {}, c)).ok).toBe(true)
  })
  test('a non-presign activity on the same far-away date is open', async () => {
    const date = nextDate()
    const block = await addBlock(sql, date, 'A')
    const p = await schedule(sql, block, await addActivity(sql, `P ${date}`, { presign: true, defaultCapacity: 5 }))
    const n = await schedule(sql, block, await addActivity(sql, `N ${date}`, { defaultCapacity: 5 }))
    const u = await student()
    expect(codes(await su(u, p))).toEqual(['Presign'])
    expect((await su(u, n)).ok).toBe(true)
  })
})

describe('one-a-day', () => {
  async function aAndB(f: Parameters<typeof addActivity>[2]) {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const n = await addActivity(sql, `Daily ${date}`, { defaultCapacity: 10, ...f })
    return { date, ba, bb, n, sA: await schedule(sql, ba, n), sB: await schedule(sql, bb, n) }
  }
  test('in N on A, N on B of the same day is refused and no B signup exists', async () => {
    const { bb, sA, sB } = await aAndB({ oneADay: true })
    const u = await student()
    expect((await su(u, sA)).ok).toBe(true)
    const out = await su(u, sB)
    expect(codes(out)).toEqual(['OneADay'])
    expect(messages(out)).toEqual(['You may only sign up for this activity once per day. Change your signup in the other block first.'])
    expect(await rowOf(u, bb)).toBeNull()
  })
  test('without the flag the student may attend both blocks', async () => {
    const { bb, sA, sB } = await aAndB({})
    const u = await student()
    expect((await su(u, sA)).ok).toBe(true)
    expect((await su(u, sB)).ok).toBe(true)
    expect((await rowOf(u, bb))!.scheduledActivityId).toBe(sB)
  })
  test('another day does not count', async () => {
    const a = await aAndB({ oneADay: true })
    const otherDay = await addBlock(sql, nextDate(), 'A')
    const sOther = await schedule(sql, otherDay, a.n)
    const u = await student()
    expect((await su(u, a.sA)).ok).toBe(true)
    expect((await su(u, sOther)).ok).toBe(true)
  })
  test('both-blocks activities do not count (a BB + one-a-day activity joins both halves)', async () => {
    const { ba, bb, sA, sB } = await aAndB({ oneADay: true, bothBlocks: true })
    const u = await student()
    const out = await su(u, sA)
    expect(out.ok).toBe(true)
    expect((await rowOf(u, ba))!.scheduledActivityId).toBe(sA)
    expect((await rowOf(u, bb))!.scheduledActivityId).toBe(sB)
    // and re-signing through the other half is fine too
    expect((await su(u, sB)).ok).toBe(true)
  })
})

describe('restricted', () => {
  test('not allowed: Restricted', async () => {
    const { block, sa } = await oneActivity({ restricted: true })
    const u = await student()
    const out = await su(u, sa)
    expect(codes(out)).toEqual(['Restricted'])
    expect(messages(out)).toEqual(['This activity is restricted. You are not on the list of students allowed to sign up.'])
    expect(messages(await su(u, sa, asAdmin(await admin())))).toEqual(['This activity is restricted for this student.'])
    expect(await rowOf(u, block)).toBeNull()
  })
  test('allowed by user', async () => {
    const { act, sa } = await oneActivity({ restricted: true })
    const [ok, no] = await bulkStudents(sql, 2)
    await setActivityUsers(sql, act, 'allowed', [ok!])
    expect((await su(ok!, sa)).ok).toBe(true)
    expect(codes(await su(no!, sa))).toEqual(['Restricted'])
  })
  test('allowed by group', async () => {
    const { act, sa } = await oneActivity({ restricted: true })
    const [ok, no] = await bulkStudents(sql, 2)
    await addToGroups(sql, ok!, ['Robotics Team'])
    await addToGroups(sql, no!, ['Chess Team'])
    const [g] = await sql<{ id: number }[]>`SELECT id FROM groups WHERE name = 'Robotics Team'`
    await setGroupsAllowed(sql, act, [g!.id])
    expect((await su(ok!, sa)).ok).toBe(true)
    expect(codes(await su(no!, sa))).toEqual(['Restricted'])
  })
  test('allowed by grade flag (seniors only)', async () => {
    const { sa } = await oneActivity({ restricted: true, seniorsAllowed: true })
    const senior = await student(2027)
    const junior = await student(2028)
    expect((await su(senior, sa)).ok).toBe(true)
    expect(codes(await su(junior, sa))).toEqual(['Restricted'])
  })
  test('each grade flag matches its own grade', async () => {
    const flags = { freshmenAllowed: 2030, sophomoresAllowed: 2029, juniorsAllowed: 2028, seniorsAllowed: 2027 } as const
    for (const [flag, year] of Object.entries(flags)) {
      const { sa } = await oneActivity({ restricted: true, [flag]: true })
      expect((await su(await student(year), sa)).ok).toBe(true)
      const wrong = year === 2027 ? 2028 : 2027
      expect(codes(await su(await student(wrong), sa))).toEqual(['Restricted'])
    }
  })
  test('restricted only on the schedule (not the activity) still applies', async () => {
    const { act, sa } = await oneActivity({}, { restricted: true })
    const [ok, no] = await bulkStudents(sql, 2)
    await setActivityUsers(sql, act, 'allowed', [ok!])
    expect((await su(ok!, sa)).ok).toBe(true)
    expect(codes(await su(no!, sa))).toEqual(['Restricted'])
  })
})

describe('blacklisted', () => {
  test('Blacklisted, even on an unrestricted activity', async () => {
    const { block, act, sa } = await oneActivity()
    const [bad, good] = await bulkStudents(sql, 2)
    await setActivityUsers(sql, act, 'blacklisted', [bad!])
    const out = await su(bad!, sa)
    expect(codes(out)).toEqual(['Blacklisted'])
    expect(messages(out)).toEqual(['You are blacklisted from this activity.'])
    expect(messages(await su(bad!, sa, asAdmin(await admin())))).toEqual(['This student is blacklisted from this activity.'])
    expect(await rowOf(bad!, block)).toBeNull()
    expect((await su(good!, sa)).ok).toBe(true)
  })
  test('blacklisted beats being on the allowed list of a restricted activity', async () => {
    const { act, sa } = await oneActivity({ restricted: true })
    const u = await student()
    await setActivityUsers(sql, act, 'allowed', [u])
    await setActivityUsers(sql, act, 'blacklisted', [u])
    expect(codes(await su(u, sa))).toEqual(['Blacklisted'])
  })
})

describe('several failures are reported together, sorted by code name', () => {
  // Everything wrong at once: deleted, full, blacklisted, locked, one-a-day, presign, restricted,
  // cancelled, sticky (+ forbidden when another student asks).
  async function everythingWrong() {
    const date = '2027-02-03' // Wednesday: presign opens Monday, February 1 at 8:00 PM
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const n = await addActivity(sql, 'Everything Wrong', { oneADay: true, presign: true, restricted: true })
    const x = await addActivity(sql, 'Sticky Home', { sticky: true, defaultCapacity: 10 })
    const target = await schedule(sql, ba, n, { capacity: 0, cancelled: true })
    const otherHalf = await schedule(sql, bb, n, { capacity: 10 })
    const sx = await schedule(sql, ba, x)
    const u = await student()
    await put(u, bb, otherHalf) // in N on B already (one-a-day)
    await put(u, ba, sx) // stuck in a sticky activity in A
    await setActivityUsers(sql, n, 'blacklisted', [u])
    await setActivityDeleted(sql, n, true)
    await setBlockLocked(sql, ba, true)
    return { ba, bb, target, sx, u }
  }
  const ALL = ['ActivityDeleted', 'ActivityFull', 'Blacklisted', 'BlockLocked', 'OneADay', 'Presign', 'Restricted', 'ScheduledActivityCancelled', 'SignupForbidden', 'Sticky']

  let w: Awaited<ReturnType<typeof everythingWrong>>
  beforeAll(async () => { w = await everythingWrong() })

  test('another student asking: all ten, student texts, in code order', async () => {
    const other = await student()
    const out = await su(w.u, w.target, asStudent(other))
    expect(codes(out)).toEqual(ALL)
    expect(out.ok ? 0 : out.status).toBe(403)
    expect(messages(out)).toEqual([
      'This activity has been deleted. Refresh the page to see the current list of activities.',
      'This activity is full. You may not sign up for it at this time.',
      'You are blacklisted from this activity.',
      'This block has been locked. Signups are not allowed at this time.',
      'You may only sign up for this activity once per day. Change your signup in the other block first.',
      'You may not sign up for this activity until Monday, February 1 at 8:00 PM.',
      'This activity is restricted. You are not on the list of students allowed to sign up.',
      'This activity has been cancelled for this block.',
      'You may not sign this student up for activities.',
      'You may not switch out of a sticky activity.',
    ])
    expect((await rowOf(w.u, w.ba))!.scheduledActivityId).toBe(w.sx)
  })
  test('a non-student eighth admin: nine (no forbidden), office texts', async () => {
    const out = await su(w.u, w.target, asAdmin(await admin()))
    expect(codes(out)).toEqual(ALL.filter((c) => c !== 'SignupForbidden'))
    expect(messages(out)).toEqual([
      'This activity has been deleted.',
      'This activity is full.',
      'This student is blacklisted from this activity.',
      'This block has been locked.',
      'This is a one-a-day activity, and the student is in it in another block on this day.',
      "This activity can't be signed up for until Monday, February 1 at 8:00 PM.",
      'This activity is restricted for this student.',
      'This activity has been cancelled for this block.',
      'This student is already in a sticky activity.',
    ])
  })
  test('an eighth admin who is also a student gets the student texts', async () => {
    const a = await student()
    const out = await su(w.u, w.target, adminStudent(a))
    expect(messages(out)[0]).toBe('This activity has been deleted. Refresh the page to see the current list of activities.')
    expect(messages(out)).toHaveLength(9)
  })
  test('the student themselves: nine, student texts; nothing was written', async () => {
    const out = await su(w.u, w.target)
    expect(codes(out)).toEqual(ALL.filter((c) => c !== 'SignupForbidden'))
    expect(await signupCount(w.u)).toBe(2)
    expect(await membersOf(sql, w.target)).toEqual([])
  })
  test('forced by an admin: everything bypassed, the row moves and becomes a pass', async () => {
    const out = await su(w.u, w.target, asAdmin(await admin()), { force: true })
    expect(out.ok).toBe(true)
    const row = (await rowOf(w.u, w.ba))!
    expect(row.scheduledActivityId).toBe(w.target)
    expect(row.afterDeadline).toBe(true)
    expect(row.ownSignup).toBe(false)
    expect(row.previousActivityName).toBe('Sticky Home (S)')
    expect(await signupCount(w.u)).toBe(2) // still one per block
  })
})

describe('signupMessages', () => {
  test('sorted by code, duplicates once, office vs student text', () => {
    const errs = [{ code: 'Sticky' as const }, { code: 'ActivityFull' as const }, { code: 'BlockLocked' as const }, { code: 'ActivityFull' as const }]
    expect(signupMessages(errs, false)).toEqual([
      'This activity is full. You may not sign up for it at this time.',
      'This block has been locked. Signups are not allowed at this time.',
      'You may not switch out of a sticky activity.',
    ])
    expect(signupMessages(errs, true)).toEqual(['This activity is full.', 'This block has been locked.', 'This student is already in a sticky activity.'])
    expect(signupMessages([], true)).toEqual([])
  })
})

describe('force', () => {
  test('an admin\'s force bypasses every check but the grade check', async () => {
    const { block, act, sa } = await oneActivity({ restricted: true, presign: true }, { capacity: 0, cancelled: true })
    const u = await student()
    await setActivityUsers(sql, act, 'blacklisted', [u])
    await setActivityDeleted(sql, act, true)
    expect(codes(await su(u, sa, asAdmin(await admin())))).toEqual(['ActivityDeleted', 'ActivityFull', 'Blacklisted', 'Presign', 'Restricted', 'ScheduledActivityCancelled'])
    const out = await su(u, sa, asAdmin(await admin()), { force: true })
    expect(out.ok).toBe(true)
    expect(await membersOf(sql, sa)).toEqual([u])
    expect((await rowOf(u, block))!.afterDeadline).toBe(false) // the block is not locked: no pass
  })
  test('a forced signup into a locked block is a pass; noAfterDeadline makes none', async () => {
    const { block, sa } = await oneActivity()
    await setBlockLocked(sql, block, true)
    const [u1, u2] = await bulkStudents(sql, 2)
    const a = await admin()
    expect((await su(u1!, sa, asAdmin(a), { force: true })).ok).toBe(true)
    expect((await su(u2!, sa, asAdmin(a), { force: true, noAfterDeadline: true })).ok).toBe(true)
    expect((await rowOf(u1!, block))!.afterDeadline).toBe(true)
    expect((await rowOf(u2!, block))!.afterDeadline).toBe(false)
  })
  test('a non-admin\'s force is ignored (their own signup and someone else\'s)', async () => {
    const { block, sa } = await oneActivity({}, { capacity: 0 })
    const [u, other] = await bulkStudents(sql, 2)
    expect(codes(await su(u!, sa, asStudent(u!), { force: true }))).toEqual(['ActivityFull'])
    expect(codes(await su(u!, sa, asStudent(other!), { force: true }))).toEqual(['ActivityFull', 'SignupForbidden'])
    expect(await rowOf(u!, block)).toBeNull()
  })
  test('the system (no request) may force, like Ion\'s add_user without a request', async () => {
    const { block, sa } = await oneActivity({}, { capacity: 0 })
    const u = await student()
    expect(codes(await su(u, sa, null))).toEqual(['ActivityFull'])
    expect((await su(u, sa, null, { force: true })).ok).toBe(true)
    expect((await rowOf(u, block))!.scheduledActivityId).toBe(sa)
  })
  test('a forced signup out of a sticky activity keeps one signup per block', async () => {
    const date = nextDate()
    const block = await addBlock(sql, date, 'A')
    const sx = await schedule(sql, block, await addActivity(sql, `Stuck ${date}`, { sticky: true, defaultCapacity: 5 }))
    const sy = await schedule(sql, block, await addActivity(sql, `Free ${date}`, { defaultCapacity: 5 }))
    const u = await student()
    expect((await su(u, sx)).ok).toBe(true)
    expect((await su(u, sy, asAdmin(await admin()), { force: true })).ok).toBe(true)
    expect(await membersOf(sql, sx)).toEqual([])
    expect(await membersOf(sql, sy)).toEqual([u])
  })
})

describe('switching', () => {
  test('reuses the row (same id) and records the previous name with flags and sponsors (sorted Last, First)', async () => {
    const date = nextDate()
    const block = await addBlock(sql, date, 'A')
    // inserted in reverse alphabetical order on purpose
    const zeta = await createSponsor(sql, { lastName: 'Zeta' })
    const adams = await createSponsor(sql, { lastName: 'Adams', firstName: 'Ann', showFullName: true })
    const x = await addActivity(sql, 'Chess Club', { special: true, administrative: true, defaultCapacity: 10, sponsors: [zeta, adams] })
    const y = await addActivity(sql, 'Go Club', { defaultCapacity: 10 })
    const sx = await schedule(sql, block, x, { title: 'Finals' })
    const sy = await schedule(sql, block, y)
    const u = await student()
    expect((await su(u, sx)).ok).toBe(true)
    const before = (await rowOf(u, block))!
    await sql`UPDATE eighth_signups SET was_absent = true, pass_accepted = true, absence_acknowledged = true WHERE id = ${before.id}`
    clock.advance(60_000)
    const out = await su(u, sy)
    expect(out.ok).toBe(true)
    if (out.ok) {
      expect(out.message).toBe('Successfully signed up for activity.')
      expect(out.blockIds).toEqual([block])
      expect([...out.scheduledIds].sort()).toEqual([sx, sy].sort())
    }
    const after = (await rowOf(u, block))!
    expect(after.id).toBe(before.id)
    expect(after.scheduledActivityId).toBe(sy)
    expect(after.previousActivityName).toBe('Special: Chess Club - Finals (A)')
    expect(after.previousActivitySponsors).toBe('Adams, Ann, Zeta')
    expect(after.wasAbsent).toBe(false)
    expect(after.passAccepted).toBe(false)
    expect(after.absenceAcknowledged).toBe(false)
    expect(after.afterDeadline).toBe(false)
    expect(after.time.getTime()).toBe(clock.now().getTime())
    expect(await membersOf(sql, sx)).toEqual([])
    expect(await membersOf(sql, sy)).toEqual([u])
  })
  test('override sponsors replace the activity\'s in previous_activity_sponsors', async () => {
    const date = nextDate()
    const block = await addBlock(sql, date, 'A')
    const dflt = await createSponsor(sql, { lastName: 'Default' })
    const ovr1 = await createSponsor(sql, { lastName: 'Override', firstName: 'Olive', showFullName: true })
    const ovr2 = await createSponsor(sql, { lastName: 'Boyd' })
    const x = await addActivity(sql, `Ovr ${date}`, { defaultCapacity: 10, sponsors: [dflt], restricted: true })
    const sx = await schedule(sql, block, x, { sponsors: [ovr1, ovr2], sticky: false })
    const sy = await schedule(sql, block, await addActivity(sql, `Next ${date}`, { defaultCapacity: 10 }))
    const u = await student()
    await setActivityUsers(sql, x, 'allowed', [u])
    expect((await su(u, sx)).ok).toBe(true)
    expect((await su(u, sy)).ok).toBe(true)
    const row = (await rowOf(u, block))!
    expect(row.previousActivityName).toBe(`Ovr ${date} (R)`)
    expect(row.previousActivitySponsors).toBe('Boyd, Override, Olive')
  })
  test('a first signup has no previous activity', async () => {
    const { block, sa } = await oneActivity()
    const u = await student()
    expect((await su(u, sa)).ok).toBe(true)
    const row = (await rowOf(u, block))!
    expect(row.previousActivityName).toBeNull()
    expect(row.previousActivitySponsors).toBeNull()
  })
})

describe('both blocks', () => {
  async function pair(name: string) {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const both = await addActivity(sql, `${name} ${date}`, { bothBlocks: true, defaultCapacity: 10 })
    const x = await addActivity(sql, `X ${date}`, { defaultCapacity: 10 })
    const z = await addActivity(sql, `Z ${date}`, { defaultCapacity: 10 })
    return {
      date, ba, bb, both,
      bA: await schedule(sql, ba, both), bB: await schedule(sql, bb, both),
      xA: await schedule(sql, ba, x), zB: await schedule(sql, bb, z),
    }
  }
  test('signing up for a BB activity joins both halves, reports both, and records each block\'s previous activity', async () => {
    const p = await pair('Field Trip')
    const u = await student()
    expect((await su(u, p.xA)).ok).toBe(true)
    expect((await su(u, p.zB)).ok).toBe(true)
    const out = await su(u, p.bB) // through the B half
    expect(out.ok).toBe(true)
    if (out.ok) {
      expect([...out.blockIds].sort()).toEqual([p.ba, p.bb].sort())
      expect(out.scheduledIds).toEqual(expect.arrayContaining([p.bA, p.bB, p.xA, p.zB]))
    }
    const a = (await rowOf(u, p.ba))!
    const b = (await rowOf(u, p.bb))!
    expect(a.scheduledActivityId).toBe(p.bA)
    expect(b.scheduledActivityId).toBe(p.bB)
    expect(a.previousActivityName).toBe(`X ${p.date}`)
    expect(b.previousActivityName).toBe(`Z ${p.date}`)
    expect(await membersOf(sql, p.xA)).toEqual([])
    expect(await membersOf(sql, p.zB)).toEqual([])
  })
  test('the scheduled-level both_blocks flag pairs the halves too', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const act = await addActivity(sql, `SaBB ${date}`, { defaultCapacity: 10 })
    const sA = await schedule(sql, ba, act, { bothBlocks: true })
    const sB = await schedule(sql, bb, act, { bothBlocks: true })
    const u = await student()
    expect((await su(u, sA)).ok).toBe(true)
    expect(await membersOf(sql, sA)).toEqual([u])
    expect(await membersOf(sql, sB)).toEqual([u])
  })
  test('switching out of a BB pair into a single-block activity leaves the other block empty', async () => {
    const p = await pair('Retreat')
    const u = await student()
    expect((await su(u, p.bA)).ok).toBe(true)
    const out = await su(u, p.xA)
    expect(out.ok).toBe(true)
    if (out.ok) expect(out.scheduledIds).toEqual(expect.arrayContaining([p.xA, p.bA, p.bB]))
    const a = (await rowOf(u, p.ba))!
    expect(a.scheduledActivityId).toBe(p.xA)
    expect(a.previousActivityName).toBe(`Retreat ${p.date} (BB)`)
    expect(await rowOf(u, p.bb)).toBeNull()
    expect(await membersOf(sql, p.bA)).toEqual([])
    expect(await membersOf(sql, p.bB)).toEqual([])
  })
  test('switching from one BB activity to another moves both halves', async () => {
    const p = await pair('Trip One')
    const other = await addActivity(sql, `Trip Two ${p.date}`, { bothBlocks: true, defaultCapacity: 10 })
    const oA = await schedule(sql, p.ba, other)
    const oB = await schedule(sql, p.bb, other)
    const u = await student()
    expect((await su(u, p.bA)).ok).toBe(true)
    expect((await su(u, oB)).ok).toBe(true)
    expect((await rowOf(u, p.ba))!.scheduledActivityId).toBe(oA)
    expect((await rowOf(u, p.bb))!.scheduledActivityId).toBe(oB)
    expect((await rowOf(u, p.bb))!.previousActivityName).toBe(`Trip One ${p.date} (BB)`)
    expect(await signupCount(u)).toBe(2)
  })
  test('without a scheduled sibling only the one half is joined', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const lone = await schedule(sql, ba, await addActivity(sql, `Lone ${date}`, { bothBlocks: true, defaultCapacity: 10 }))
    const u = await student()
    expect((await su(u, lone)).ok).toBe(true)
    expect((await rowOf(u, ba))!.scheduledActivityId).toBe(lone)
    expect(await rowOf(u, bb)).toBeNull()
  })
  test('letters other than A and B have no sibling', async () => {
    const date = nextDate()
    const b1 = await addBlock(sql, date, 'A1')
    const b2 = await addBlock(sql, date, 'A2')
    const act = await addActivity(sql, `Odd ${date}`, { bothBlocks: true, defaultCapacity: 10 })
    const s1 = await schedule(sql, b1, act)
    const s2 = await schedule(sql, b2, act)
    const u = await student()
    expect((await su(u, s1)).ok).toBe(true)
    expect(await membersOf(sql, s1)).toEqual([u])
    expect(await membersOf(sql, s2)).toEqual([])
  })
})

describe('removal', () => {
  test('the owner removes their signup while the block is open and they are not stuck', async () => {
    const { date, block, sa } = await oneActivity()
    const u = await student()
    expect((await su(u, sa)).ok).toBe(true)
    const out = await removeSignup(sql, clock, { userId: u, blockId: block, requester: asStudent(u) })
    expect(out).toMatchObject({ ok: true, existed: true, blockIds: [block], scheduledIds: [sa] })
    if (out.ok) expect(out.message).toMatch(new RegExp(`^Successfully removed signup for \\w{3}, \\w+ \\d+, ${date.slice(0, 4)} \\(A\\)\\.$`))
    expect(await rowOf(u, block)).toBeNull()
  })
  test('"The signup did not exist." when there is none', async () => {
    const { block } = await oneActivity()
    const u = await student()
    const out = await removeSignup(sql, clock, { userId: u, blockId: block, requester: asStudent(u) })
    expect(out).toEqual({ ok: true, message: 'The signup did not exist.', existed: false, blockIds: [], scheduledIds: [] })
  })
  test('a locked block: BlockLocked, the row stays; an admin\'s force removes it', async () => {
    const { block, sa } = await oneActivity()
    const u = await student()
    expect((await su(u, sa)).ok).toBe(true)
    await setBlockLocked(sql, block, true)
    const out = await removeSignup(sql, clock, { userId: u, blockId: block, requester: asStudent(u) })
    expect(out).toMatchObject({ ok: false, status: 403, messages: ['This block has been locked. Signups are not allowed at this time.'] })
    const a = await admin()
    expect(await removeSignup(sql, clock, { userId: u, blockId: block, requester: asAdmin(a) })).toMatchObject({ ok: false, messages: ['This block has been locked.'] })
    expect(await removeSignup(sql, clock, { userId: u, blockId: block, requester: asStudent(u), force: true })).toMatchObject({ ok: false })
    expect(await rowOf(u, block)).not.toBeNull()
    expect(await removeSignup(sql, clock, { userId: u, blockId: block, requester: asAdmin(a), force: true })).toMatchObject({ ok: true, existed: true })
    expect(await rowOf(u, block)).toBeNull()
  })
  test('another student may not remove it (SignupForbidden); an admin may', async () => {
    const { block, sa } = await oneActivity()
    const [u, other] = await bulkStudents(sql, 2)
    expect((await su(u!, sa)).ok).toBe(true)
    const out = await removeSignup(sql, clock, { userId: u!, blockId: block, requester: asStudent(other!) })
    expect(out).toMatchObject({ ok: false, messages: ['You may not sign this student up for activities.'] })
    expect(await rowOf(u!, block)).not.toBeNull()
    expect((await removeSignup(sql, clock, { userId: u!, blockId: block, requester: asAdmin(await admin()) })).ok).toBe(true)
    expect(await rowOf(u!, block)).toBeNull()
  })
  test('stuck (activity sticky or individually): Sticky — the owner\'s stickiness, whoever asks', async () => {
    const date = nextDate()
    const block = await addBlock(sql, date, 'A')
    const st = await schedule(sql, block, await addActivity(sql, `St ${date}`, { sticky: true, defaultCapacity: 5 }))
    const ind = await schedule(sql, block, await addActivity(sql, `Ind ${date}`, { defaultCapacity: 5 }))
    const [u1, u2] = await bulkStudents(sql, 2)
    expect((await su(u1!, st)).ok).toBe(true)
    expect((await su(u2!, ind)).ok).toBe(true)
    await stickIndividually(ind, u2!)
    for (const u of [u1!, u2!]) {
      const out = await removeSignup(sql, clock, { userId: u, blockId: block, requester: asStudent(u) })
      expect(out).toMatchObject({ ok: false, messages: ['You may not switch out of a sticky activity.'] })
    }
    // a non-stuck admin asking does not make the owner unstuck (Ion's requester bug is not copied)
    expect(await removeSignup(sql, clock, { userId: u1!, blockId: block, requester: asAdmin(await admin()) }))
      .toMatchObject({ ok: false, messages: ['This student is already in a sticky activity.'] })
    expect(await rowOf(u1!, block)).not.toBeNull()
    expect(await rowOf(u2!, block)).not.toBeNull()
  })
  test('a cancelled sticky activity no longer holds the owner', async () => {
    const { block, sa } = await oneActivity({ sticky: true })
    const u = await student()
    expect((await su(u, sa)).ok).toBe(true)
    await sql`UPDATE eighth_scheduled_activities SET cancelled = true WHERE id = ${sa}`
    expect((await removeSignup(sql, clock, { userId: u, blockId: block, requester: asStudent(u) })).ok).toBe(true)
    expect(await rowOf(u, block)).toBeNull()
  })
  test('a deleted activity: ActivityDeleted', async () => {
    const { block, act, sa } = await oneActivity()
    const u = await student()
    expect((await su(u, sa)).ok).toBe(true)
    await setActivityDeleted(sql, act, true)
    expect(await removeSignup(sql, clock, { userId: u, blockId: block, requester: asStudent(u) })).toMatchObject({ ok: false, errors: [{ code: 'ActivityDeleted' }] })
  })
  test('removing a BB signup removes both halves and reports both', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const both = await addActivity(sql, `BB Remove ${date}`, { bothBlocks: true, defaultCapacity: 10 })
    const sA = await schedule(sql, ba, both)
    const sB = await schedule(sql, bb, both)
    const u = await student()
    expect((await su(u, sA)).ok).toBe(true)
    const out = await removeSignup(sql, clock, { userId: u, blockId: bb, requester: asStudent(u) })
    expect(out.ok).toBe(true)
    if (out.ok) {
      expect([...out.blockIds].sort()).toEqual([ba, bb].sort())
      expect([...out.scheduledIds].sort()).toEqual([sA, sB].sort())
    }
    expect(await rowOf(u, ba)).toBeNull()
    expect(await rowOf(u, bb)).toBeNull()
  })
  test('the system (no requester) removes without checks only when forced', async () => {
    const { block, sa } = await oneActivity({ sticky: true })
    const u = await student()
    expect((await su(u, sa)).ok).toBe(true)
    expect((await removeSignup(sql, clock, { userId: u, blockId: block, requester: null })).ok).toBe(false)
    expect((await removeSignup(sql, clock, { userId: u, blockId: block, requester: null, force: true })).ok).toBe(true)
    expect(await rowOf(u, block)).toBeNull()
  })
})
