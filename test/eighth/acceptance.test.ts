import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { addDays } from '../../src/platform/zoned.ts'
import { createMail, type Mail } from '../../src/platform/mail/enqueue.ts'
import { createSponsor, setActivityDeleted, setActivityUsers, setBlockLocked } from '../../src/features/eighth/catalog.sql.ts'
import { cancelScheduled, decideOnPass, setStickyStudents, uncancelScheduled, type OfficeDeps } from '../../src/features/eighth/office.ts'
import { hasOpenPasses } from '../../src/features/eighth/office.sql.ts'
import { capacityOf, type Requester, type SignupOutcome } from '../../src/features/eighth/signup.ts'
import { scheduledDetails } from '../../src/features/eighth/signup.sql.ts'
import { addActivity, addBlock, addRoom, asAdmin, asStudent, bulkStudents, membersOf, schedule, signup } from '../helpers/eighth.ts'

// Real PostgreSQL on a shared machine: allow slow moments.
setDefaultTimeout(30_000)

// Ion's acceptance cases 1–20 (ion-eighth.md §6.2) on PostgreSQL with the injected clock; 16, 17
// and 19 through the office services. Then the office services themselves (cancel emails through
// the outbox in the same transaction, uncancel, sticky students, pass decisions).

let db: TestDb
let sql: TestDb['sql']
let deps: OfficeDeps
const clock = fixedClock('2026-12-01T15:00:00Z') // Tue 10:00 EST; seniors are the class of 2027
const config = testConfig()
const mail = createMail({ config, clock })
beforeAll(async () => {
  db = await createTestDb()
  sql = db.sql
  deps = { sql, clock, config, mail }
})
afterAll(async () => { await db.drop() })

let dayN = 0
const nextDate = () => addDays('2027-04-01', dayN++)
const student = async (gradYear = 2027) => (await bulkStudents(sql, 1, gradYear))[0]!
const ADMIN_ID = () => bulkStudents(sql, 1, 2027, 'admin').then((r) => r[0]!)
const su = (userId: number, scheduledId: number, requester: Requester = asStudent(userId), extra: { force?: boolean } = {}) =>
  signup(sql, clock, { userId, scheduledId, requester, ...extra })

function codes(out: SignupOutcome): string[] {
  if (out.ok) throw new Error('expected a refusal, got a signup')
  return [...new Set(out.errors.map((e) => e.code))].sort()
}
type Row = { id: number; scheduledActivityId: number; afterDeadline: boolean; passAccepted: boolean; wasAbsent: boolean; ownSignup: boolean; previousActivityName: string | null; previousActivitySponsors: string | null }
async function rowOf(userId: number, blockId: number): Promise<Row | null> {
  const [r] = await sql<Row[]>`SELECT * FROM eighth_signups WHERE user_id = ${userId} AND block_id = ${blockId}`
  return r ?? null
}
async function signupsOf(userId: number): Promise<{ blockId: number; scheduledActivityId: number }[]> {
  return sql<{ blockId: number; scheduledActivityId: number }[]>`SELECT block_id, scheduled_activity_id FROM eighth_signups WHERE user_id = ${userId} ORDER BY block_id`
}
async function withEmail(userId: number, address: string, receiveEighth = true) {
  await sql`INSERT INTO emails (user_id, address, is_primary) VALUES (${userId}, ${address}, true)`
  await sql`UPDATE users SET receive_eighth_emails = ${receiveEighth} WHERE id = ${userId}`
}
type Outbox = { id: number; kind: string; subject: string; text: string; toAddrs: string[]; bccAddrs: string[]; state: string }
async function outbox(kind?: string): Promise<Outbox[]> {
  return kind
    ? sql<Outbox[]>`SELECT id, kind, subject, text, to_addrs, bcc_addrs, state FROM mail_outbox WHERE kind = ${kind} ORDER BY id`
    : sql<Outbox[]>`SELECT id, kind, subject, text, to_addrs, bcc_addrs, state FROM mail_outbox ORDER BY id`
}
const sorted = (xs: string[]) => [...xs].sort()

describe('§6.2 acceptance cases', () => {
  test('1. an admin signs up a student for "Meme Club" (capacity 1) on 9001-04-20', async () => {
    const block = await addBlock(sql, '9001-04-20', 'A')
    const meme = await addActivity(sql, 'Meme Club')
    const sa = await schedule(sql, block, meme, { capacity: 1 })
    const u = await student()
    const out = await su(u, sa, asAdmin(await ADMIN_ID()))
    expect(out).toMatchObject({ ok: true, message: 'Successfully signed up for activity.', blockIds: [block] })
    expect(await membersOf(sql, sa)).toEqual([u])
    expect(await rowOf(u, block)).toMatchObject({ scheduledActivityId: sa, afterDeadline: false, ownSignup: false, passAccepted: false, wasAbsent: false })
  })

  test('2. a non-admin signing up someone else: SignupForbidden and no signup', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Case Two', { defaultCapacity: 10 }))
    const [u, other] = await bulkStudents(sql, 2)
    const out = await su(u!, sa, asStudent(other!))
    expect(codes(out)).toEqual(['SignupForbidden'])
    expect(await signupsOf(u!)).toEqual([])
    expect(await signupsOf(other!)).toEqual([])
  })

  test('3. grade > 12 (graduated, or no graduation year): SignupForbidden for anyone, even with no request or forced', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Case Three', { defaultCapacity: 10 }))
    const graduated = await student(2026)
    const noYear = await student()
    await sql`UPDATE users SET graduation_year = NULL WHERE id = ${noYear}`
    const a = await ADMIN_ID()
    for (const u of [graduated, noYear]) {
      expect(codes(await su(u, sa, null))).toEqual(['SignupForbidden'])
      expect(codes(await su(u, sa, null, { force: true }))).toEqual(['SignupForbidden'])
      expect(codes(await su(u, sa, asAdmin(a), { force: true }))).toEqual(['SignupForbidden'])
      expect(codes(await su(u, sa))).toEqual(['SignupForbidden'])
      expect(await signupsOf(u)).toEqual([])
    }
  })

  test('4. a soft-deleted activity: ActivityDeleted', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const act = await addActivity(sql, 'Case Four', { defaultCapacity: 10 })
    const sa = await schedule(sql, block, act)
    await setActivityDeleted(sql, act, true)
    const u = await student()
    expect(codes(await su(u, sa))).toEqual(['ActivityDeleted'])
    expect(await membersOf(sql, sa)).toEqual([])
  })

  test('5. a locked block: BlockLocked', async () => {
    const block = await addBlock(sql, nextDate(), 'A', true)
    const sa = await schedule(sql, block, await addActivity(sql, 'Case Five', { defaultCapacity: 10 }))
    const u = await student()
    expect(codes(await su(u, sa))).toEqual(['BlockLocked'])
    expect(await membersOf(sql, sa)).toEqual([])
  })

  test('6. a cancelled activity: ScheduledActivityCancelled', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Case Six', { defaultCapacity: 10 }), { cancelled: true })
    const u = await student()
    expect(codes(await su(u, sa))).toEqual(['ScheduledActivityCancelled'])
    expect(await membersOf(sql, sa)).toEqual([])
  })

  test('7. capacity 0: ActivityFull', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Case Seven', { defaultCapacity: 10 }), { capacity: 0 })
    const u = await student()
    expect(codes(await su(u, sa))).toEqual(['ActivityFull'])
    expect(await membersOf(sql, sa)).toEqual([])
  })

  test('8. presign far in the future: Presign, naming 20:00 two days before', async () => {
    const block = await addBlock(sql, '9001-04-22', 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Case Eight', { presign: true, defaultCapacity: 10 }))
    const u = await student()
    const out = await su(u, sa)
    expect(codes(out)).toEqual(['Presign'])
    expect(out.ok ? [] : out.messages).toEqual(['You may not sign up for this activity until Monday, April 20 at 8:00 PM.'])
    expect(await membersOf(sql, sa)).toEqual([])
  })

  test('9. restricted and not allowed by user, group or grade: Restricted', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const act = await addActivity(sql, 'Case Nine', { restricted: true, juniorsAllowed: true, defaultCapacity: 10 })
    const sa = await schedule(sql, block, act)
    const [u, allowed] = await bulkStudents(sql, 2) // both seniors
    await setActivityUsers(sql, act, 'allowed', [allowed!])
    expect(codes(await su(u!, sa))).toEqual(['Restricted'])
    expect((await su(allowed!, sa)).ok).toBe(true)
    expect(await membersOf(sql, sa)).toEqual([allowed!])
  })

  test('10. a simple switch: in Y, not in X, and the row remembers X\'s name and sponsors', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sp1 = await createSponsor(sql, { lastName: 'William', firstName: 'Angela', showFullName: true })
    const sp2 = await createSponsor(sql, { lastName: 'Baker' })
    const x = await schedule(sql, block, await addActivity(sql, 'Robotics', { sticky: false, bothBlocks: false, restricted: false, defaultCapacity: 10, sponsors: [sp1, sp2] }))
    const y = await schedule(sql, block, await addActivity(sql, 'Debate', { defaultCapacity: 10 }))
    const u = await student()
    expect((await su(u, x)).ok).toBe(true)
    const first = (await rowOf(u, block))!
    expect((await su(u, y)).ok).toBe(true)
    const row = (await rowOf(u, block))!
    expect(row.id).toBe(first.id)
    expect(row.scheduledActivityId).toBe(y)
    expect(row.previousActivityName).toBe('Robotics')
    expect(row.previousActivitySponsors).toBe('Baker, William, Angela')
    expect(await membersOf(sql, x)).toEqual([])
    expect(await membersOf(sql, y)).toEqual([u])
  })

  test('11. one-a-day: in N on A, N on B of the same day is refused and there is no B signup', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const n = await addActivity(sql, 'Case Eleven', { oneADay: true, defaultCapacity: 10 })
    const nA = await schedule(sql, ba, n)
    const nB = await schedule(sql, bb, n)
    const u = await student()
    expect((await su(u, nA)).ok).toBe(true)
    expect(codes(await su(u, nB))).toEqual(['OneADay'])
    expect(await rowOf(u, bb)).toBeNull()
    expect(await signupsOf(u)).toEqual([{ blockId: ba, scheduledActivityId: nA }])
  })

  test('12. switching into a both-blocks activity: a member on A and on B', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const x = await addActivity(sql, 'Case Twelve', { bothBlocks: true, defaultCapacity: 10 })
    const xA = await schedule(sql, ba, x)
    const xB = await schedule(sql, bb, x)
    const before = await schedule(sql, ba, await addActivity(sql, 'Case Twelve Before', { defaultCapacity: 10 }))
    const u = await student()
    expect((await su(u, before)).ok).toBe(true)
    expect((await su(u, xA)).ok).toBe(true)
    expect(await membersOf(sql, xA)).toEqual([u])
    expect(await membersOf(sql, xB)).toEqual([u])
    expect(await membersOf(sql, before)).toEqual([])
    expect((await rowOf(u, ba))!.previousActivityName).toBe('Case Twelve Before')
    expect((await rowOf(u, bb))!.previousActivityName).toBeNull()
  })

  test('13. switching out of a both-blocks activity: in Y on A and in nothing on B', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const x = await addActivity(sql, 'Case Thirteen', { bothBlocks: true, defaultCapacity: 10 })
    const xA = await schedule(sql, ba, x)
    const xB = await schedule(sql, bb, x)
    const y = await schedule(sql, ba, await addActivity(sql, 'Case Thirteen Y', { defaultCapacity: 10 }))
    const u = await student()
    expect((await su(u, xB)).ok).toBe(true)
    expect(await signupsOf(u)).toHaveLength(2)
    expect((await su(u, y)).ok).toBe(true)
    expect(await signupsOf(u)).toEqual([{ blockId: ba, scheduledActivityId: y }])
    expect((await rowOf(u, ba))!.previousActivityName).toBe('Case Thirteen (BB)')
    expect(await membersOf(sql, xA)).toEqual([])
    expect(await membersOf(sql, xB)).toEqual([])
  })

  test('14. restricted + sticky: user1 is refused; user2 gets in and cannot switch out', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const act = await addActivity(sql, 'Case Fourteen', { restricted: true, sticky: true, defaultCapacity: 10 })
    const sa = await schedule(sql, block, act)
    const other = await schedule(sql, block, await addActivity(sql, 'Case Fourteen Other', { defaultCapacity: 10 }))
    const [user1, user2] = await bulkStudents(sql, 2)
    await setActivityUsers(sql, act, 'allowed', [user2!])
    expect(codes(await su(user1!, sa))).toEqual(['Restricted'])
    expect(await rowOf(user1!, block)).toBeNull()
    expect((await su(user2!, sa)).ok).toBe(true)
    expect(codes(await su(user2!, other))).toEqual(['Sticky'])
    expect((await rowOf(user2!, block))!.scheduledActivityId).toBe(sa)
    expect(await membersOf(sql, other)).toEqual([])
  })

  test('15. individually stickied into S: another activity in that block is Sticky, no new signup', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const s = await schedule(sql, block, await addActivity(sql, 'Case Fifteen S', { defaultCapacity: 10 }))
    const t = await schedule(sql, block, await addActivity(sql, 'Case Fifteen T', { defaultCapacity: 10 }))
    const u = await student()
    expect((await su(u, s)).ok).toBe(true)
    await sql`INSERT INTO eighth_sticky_students (scheduled_activity_id, user_id) VALUES (${s}, ${u})`
    expect(codes(await su(u, t))).toEqual(['Sticky'])
    expect(await signupsOf(u)).toEqual([{ blockId: block, scheduledActivityId: s }])
    expect(await membersOf(sql, t)).toEqual([])
  })

  test('16. setStickyStudents moves a student from Old to New: one signup, Old empty, cannot switch back', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const oldSa = await schedule(sql, block, await addActivity(sql, 'Case Sixteen Old', { defaultCapacity: 10 }))
    const newSa = await schedule(sql, block, await addActivity(sql, 'Case Sixteen New', { defaultCapacity: 10 }))
    const u = await student()
    expect((await su(u, oldSa)).ok).toBe(true)
    const res = await setStickyStudents(deps, newSa, [u], asAdmin(await ADMIN_ID()))
    expect(res).toEqual({ ok: true, failures: [] })
    expect(await signupsOf(u)).toEqual([{ blockId: block, scheduledActivityId: newSa }])
    expect(await membersOf(sql, oldSa)).toEqual([])
    expect(await membersOf(sql, newSa)).toEqual([u])
    expect(codes(await su(u, oldSa))).toEqual(['Sticky'])
    expect(await signupsOf(u)).toEqual([{ blockId: block, scheduledActivityId: newSa }])
  })

  test('17. cancelling a sticky activity releases its students', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const st = await schedule(sql, block, await addActivity(sql, 'Case Seventeen Sticky', { sticky: true, defaultCapacity: 10 }))
    const other = await schedule(sql, block, await addActivity(sql, 'Case Seventeen Other', { defaultCapacity: 10 }))
    const u = await student()
    expect((await su(u, st)).ok).toBe(true)
    expect(codes(await su(u, other))).toEqual(['Sticky'])
    expect(await cancelScheduled(deps, st, null)).toMatchObject({ ok: true })
    expect((await su(u, other)).ok).toBe(true)
    expect(await signupsOf(u)).toEqual([{ blockId: block, scheduledActivityId: other }])
  })

  test('18. blacklisted: Blacklisted', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const act = await addActivity(sql, 'Case Eighteen', { defaultCapacity: 10 })
    const sa = await schedule(sql, block, act)
    const u = await student()
    await setActivityUsers(sql, act, 'blacklisted', [u])
    expect(codes(await su(u, sa))).toEqual(['Blacklisted'])
    expect(await membersOf(sql, sa)).toEqual([])
  })

  test('19. passes: a forced re-signup after the lock is a pass; accepting it closes it', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Case Nineteen', { defaultCapacity: 10 }))
    const u = await student()
    expect((await su(u, sa)).ok).toBe(true)
    const before = (await rowOf(u, block))!
    expect(before.afterDeadline).toBe(false)
    expect(await hasOpenPasses(sql, sa)).toBe(false)
    await setBlockLocked(sql, block, true)
    expect((await su(u, sa, asAdmin(await ADMIN_ID()), { force: true })).ok).toBe(true)
    const pass = (await rowOf(u, block))!
    expect(pass.id).toBe(before.id)
    expect(pass).toMatchObject({ afterDeadline: true, passAccepted: false, wasAbsent: false })
    expect(await hasOpenPasses(sql, sa)).toBe(true)
    expect(await decideOnPass(deps, pass.id, true)).toBe('ok')
    expect(await rowOf(u, block)).toMatchObject({ afterDeadline: true, passAccepted: true, wasAbsent: false })
    expect(await hasOpenPasses(sql, sa)).toBe(false)
  })

  test('20. capacity precedence: own 10; override rooms 1+10+5 = 16; default 13; activity rooms; any −1 room ⇒ −1', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const [r1, r10, r5, r7, gym] = await Promise.all([addRoom(sql, 'C1', 1), addRoom(sql, 'C10', 10), addRoom(sql, 'C5', 5), addRoom(sql, 'C7', 7), addRoom(sql, 'CGym', -1)])
    const cap = async (saId: number) => capacityOf((await scheduledDetails(sql, [saId], 0))[0]!)
    expect(await cap(await schedule(sql, block, await addActivity(sql, 'Cap Own', { defaultCapacity: 13, rooms: [r7!] }), { capacity: 10, rooms: [r1!, r10!, r5!] }))).toBe(10)
    expect(await cap(await schedule(sql, block, await addActivity(sql, 'Cap Rooms', { defaultCapacity: 13, rooms: [r7!] }), { rooms: [r1!, r10!, r5!] }))).toBe(16)
    expect(await cap(await schedule(sql, block, await addActivity(sql, 'Cap Default', { defaultCapacity: 13, rooms: [r7!] })))).toBe(13)
    expect(await cap(await schedule(sql, block, await addActivity(sql, 'Cap Act Rooms', { rooms: [r7!, r5!] })))).toBe(12)
    const unlimited = await schedule(sql, block, await addActivity(sql, 'Cap Unlimited', { rooms: [r1!, gym!] }))
    expect(await cap(unlimited)).toBe(-1)
    // and −1 really is unlimited for the rules: more students than the 1-seat room
    for (const u of await bulkStudents(sql, 5)) expect((await su(u, unlimited)).ok).toBe(true)
    expect(await membersOf(sql, unlimited)).toHaveLength(5)
  })
})

describe('office: cancelScheduled / uncancelScheduled', () => {
  async function membersWithMail(saId: number, blockId: number, tag: string) {
    const [optIn1, optOut, optIn2, noAddress] = await bulkStudents(sql, 4)
    await withEmail(optIn1!, `${tag}-in1@example.org`)
    await withEmail(optOut!, `${tag}-out@example.org`, false)
    await withEmail(optIn2!, `${tag}-in2@example.org`)
    for (const u of [optIn1!, optOut!, optIn2!, noAddress!]) expect((await su(u, saId)).ok).toBe(true)
    expect(await membersOf(sql, saId)).toHaveLength(4)
    expect((await rowOf(optIn1!, blockId))!.scheduledActivityId).toBe(saId)
    return { optIn1: optIn1!, optOut: optOut!, optIn2: optIn2!, noAddress: noAddress! }
  }

  test('cancelling a B-block activity emails the opted-in members through the outbox (Ion sent nothing for B)', async () => {
    const bb = await addBlock(sql, '2027-01-08', 'B') // a Friday
    const sa = await schedule(sql, bb, await addActivity(sql, 'Astronomy Club', { defaultCapacity: 10 }))
    const m = await membersWithMail(sa, bb, 'cancel-b')
    const before = (await outbox()).length
    const res = await cancelScheduled(deps, sa, 4242)
    expect(res).toEqual({ ok: true, emailed: 2 })
    const rows = (await outbox()).slice(before)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.kind).toBe('eighth.cancelled')
    expect(rows[0]!.subject).toBe('[Ion] Activity Cancelled on Fri, January 8, 2027 (B)')
    expect(rows[0]!.toAddrs).toEqual([config.mailFrom])
    expect(sorted(rows[0]!.bccAddrs)).toEqual(['cancel-b-in1@example.org', 'cancel-b-in2@example.org'])
    expect(rows[0]!.text).toContain('Astronomy Club has been cancelled for Fri, January 8, 2027 (B). You will need to select a new activity.')
    expect(rows[0]!.state).toBe('pending')
    // the signups stay; the schedule is cancelled; the office action is audited
    expect(await membersOf(sql, sa)).toEqual([m.optIn1, m.optOut, m.optIn2, m.noAddress].sort((a, b) => a - b))
    const [s] = await sql<{ cancelled: boolean }[]>`SELECT cancelled FROM eighth_scheduled_activities WHERE id = ${sa}`
    expect(s!.cancelled).toBe(true)
    const audit = await sql<{ actorId: number; action: string }[]>`SELECT actor_id, action FROM audit_log WHERE target_type = 'scheduled_activity' AND target_id = ${String(sa)} ORDER BY id`
    expect([...audit]).toEqual([{ actorId: 4242, action: 'eighth.cancel' }])
  })

  test('a second cancel sends nothing', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Twice Cancelled', { defaultCapacity: 10 }))
    await membersWithMail(sa, block, 'twice')
    expect(await cancelScheduled(deps, sa, null)).toEqual({ ok: true, emailed: 2 })
    const n = (await outbox()).length
    clock.advance(60_000)
    expect(await cancelScheduled(deps, sa, null)).toEqual({ ok: true, emailed: 0 })
    expect((await outbox()).length).toBe(n)
  })

  test('both halves of a both-blocks pair email their members, the B half included', async () => {
    const date = nextDate()
    const ba = await addBlock(sql, date, 'A')
    const bb = await addBlock(sql, date, 'B')
    const act = await addActivity(sql, 'Overnight Trip', { bothBlocks: true, defaultCapacity: 10 })
    const sA = await schedule(sql, ba, act)
    const sB = await schedule(sql, bb, act)
    const u = await student()
    await withEmail(u, 'trip@example.org')
    expect((await su(u, sA)).ok).toBe(true)
    const before = (await outbox('eighth.cancelled')).length
    expect(await cancelScheduled(deps, sB, null)).toEqual({ ok: true, emailed: 1 })
    expect(await cancelScheduled(deps, sA, null)).toEqual({ ok: true, emailed: 1 })
    const rows = (await outbox('eighth.cancelled')).slice(before)
    expect(rows.map((r) => r.subject.slice(-3))).toEqual(['(B)', '(A)'])
    expect(rows.every((r) => r.bccAddrs.length === 1 && r.bccAddrs[0] === 'trip@example.org')).toBe(true)
  })

  test('members who opted out, and a cancelled activity without opted-in members, get nothing', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Quiet Club', { defaultCapacity: 10 }))
    const u = await student()
    await withEmail(u, 'quiet@example.org', false)
    expect((await su(u, sa)).ok).toBe(true)
    const before = (await outbox()).length
    expect(await cancelScheduled(deps, sa, null)).toEqual({ ok: true, emailed: 0 })
    expect((await outbox()).length).toBe(before)
    const all = await outbox()
    expect(all.some((r) => r.bccAddrs.includes('quiet@example.org') || r.toAddrs.includes('quiet@example.org'))).toBe(false)
  })

  test('the outbox rows are written in the cancel\'s transaction (a failure after enqueue leaves neither)', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Atomic Club', { defaultCapacity: 10 }))
    await membersWithMail(sa, block, 'atomic')
    const seen: unknown[] = []
    const failing: Mail = {
      async enqueue(dbOrTx, message) {
        seen.push(dbOrTx)
        const r = await mail.enqueue(dbOrTx, message)
        expect(r.inserted).toBe(1)
        throw new Error('boom after enqueue')
      },
      nudge() {},
    }
    const before = (await outbox()).length
    await expect(cancelScheduled({ ...deps, mail: failing }, sa, null)).rejects.toThrow('boom after enqueue')
    expect(seen).toHaveLength(1)
    expect(seen[0]).not.toBe(sql) // the transaction, not the pool
    expect((await outbox()).length).toBe(before)
    const [s] = await sql<{ cancelled: boolean }[]>`SELECT cancelled FROM eighth_scheduled_activities WHERE id = ${sa}`
    expect(s!.cancelled).toBe(false)
  })

  test('uncancel: open again, signups intact, no email, audited; a later cancel emails again', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Back Again', { defaultCapacity: 10 }))
    const m = await membersWithMail(sa, block, 'again')
    expect(await cancelScheduled(deps, sa, 7)).toEqual({ ok: true, emailed: 2 })
    const late = await student()
    expect(codes(await su(late, sa))).toEqual(['ScheduledActivityCancelled'])
    const n = (await outbox()).length
    expect(await uncancelScheduled(deps, sa, 7)).toBe(true)
    expect((await outbox()).length).toBe(n)
    const [s] = await sql<{ cancelled: boolean }[]>`SELECT cancelled FROM eighth_scheduled_activities WHERE id = ${sa}`
    expect(s!.cancelled).toBe(false)
    expect(await membersOf(sql, sa)).toEqual([m.optIn1, m.optOut, m.optIn2, m.noAddress].sort((a, b) => a - b))
    expect((await su(late, sa)).ok).toBe(true)
    const audit = await sql<{ action: string }[]>`SELECT action FROM audit_log WHERE target_type = 'scheduled_activity' AND target_id = ${String(sa)} ORDER BY id`
    expect(audit.map((a) => a.action)).toEqual(['eighth.cancel', 'eighth.uncancel'])
    clock.advance(60_000)
    expect(await cancelScheduled(deps, sa, 7)).toEqual({ ok: true, emailed: 2 })
    expect((await outbox()).length).toBe(n + 1)
  })

  test('an unknown scheduled activity', async () => {
    expect(await cancelScheduled(deps, 999999, null)).toEqual({ ok: false, emailed: 0 })
    expect(await uncancelScheduled(deps, 999999, null)).toBe(false)
  })
})

describe('office: setStickyStudents', () => {
  test('moves the listed students, emails the added, then the removed; the stuck cannot switch back', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const oldSa = await schedule(sql, block, await addActivity(sql, 'Sticky Old', { defaultCapacity: 10 }))
    const newSa = await schedule(sql, block, await addActivity(sql, 'Sticky New', { defaultCapacity: 1 })) // forced past capacity
    const bystanderSa = await schedule(sql, block, await addActivity(sql, 'Sticky Bystander', { defaultCapacity: 10 }))
    const [u1, u2, u3, u4] = await bulkStudents(sql, 4)
    await withEmail(u1!, 'st-u1@example.org')
    await withEmail(u2!, 'st-u2@example.org')
    await withEmail(u3!, 'st-u3@example.org', false)
    await withEmail(u4!, 'st-u4@example.org')
    expect((await su(u1!, oldSa)).ok).toBe(true)
    expect((await su(u3!, oldSa)).ok).toBe(true)
    expect((await su(u4!, bystanderSa)).ok).toBe(true)
    const before = (await outbox('eighth.stickied')).length

    expect(await setStickyStudents(deps, newSa, [u1!, u2!, u3!], asAdmin(await ADMIN_ID()))).toEqual({ ok: true, failures: [] })
    for (const u of [u1!, u2!, u3!]) expect(await signupsOf(u)).toEqual([{ blockId: block, scheduledActivityId: newSa }])
    expect(await membersOf(sql, oldSa)).toEqual([])
    expect(await membersOf(sql, bystanderSa)).toEqual([u4!])
    const stuck = await sql<{ userId: number }[]>`SELECT user_id FROM eighth_sticky_students WHERE scheduled_activity_id = ${newSa} ORDER BY user_id`
    expect(stuck.map((r) => r.userId)).toEqual([u1!, u2!, u3!].sort((a, b) => a - b))
    const added = (await outbox('eighth.stickied')).slice(before)
    expect(added).toHaveLength(1)
    expect(added[0]!.subject).toBe('[Ion] You have been stickied into an activity')
    expect(sorted(added[0]!.bccAddrs)).toEqual(['st-u1@example.org', 'st-u2@example.org'])
    expect(added[0]!.text).toContain('Sticky New')

    // nobody stuck can switch out (including back to Old)
    for (const u of [u1!, u2!, u3!]) expect(codes(await su(u, oldSa))).toEqual(['Sticky'])
    expect(await membersOf(sql, oldSa)).toEqual([])

    // the same list again: nothing new to say
    clock.advance(60_000)
    expect(await setStickyStudents(deps, newSa, [u3!, u2!, u1!], asAdmin(await ADMIN_ID()))).toEqual({ ok: true, failures: [] })
    expect((await outbox('eighth.stickied')).length).toBe(before + 1)

    // u1 and u3 are taken off the list: u1 is told (u3 opted out); they may switch again, u2 may not
    clock.advance(60_000)
    expect(await setStickyStudents(deps, newSa, [u2!], asAdmin(await ADMIN_ID()))).toEqual({ ok: true, failures: [] })
    const removed = (await outbox('eighth.stickied')).slice(before + 1)
    expect(removed).toHaveLength(1)
    expect(removed[0]!.subject).toBe('[Ion] You have been unstickied from an activity')
    expect(removed[0]!.bccAddrs).toEqual(['st-u1@example.org'])
    expect((await su(u1!, oldSa)).ok).toBe(true)
    expect((await su(u3!, oldSa)).ok).toBe(true)
    expect(codes(await su(u2!, oldSa))).toEqual(['Sticky'])
    expect(await membersOf(sql, newSa)).toEqual([u2!])
  })

  test('in a locked block the move makes no pass; a graduate is reported as a failure and not stuck', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const oldSa = await schedule(sql, block, await addActivity(sql, 'Locked Old', { defaultCapacity: 10 }))
    const newSa = await schedule(sql, block, await addActivity(sql, 'Locked New', { defaultCapacity: 10 }))
    const u = await student()
    const grad = await student(2026)
    expect((await su(u, oldSa)).ok).toBe(true)
    await setBlockLocked(sql, block, true)
    const res = await setStickyStudents(deps, newSa, [u, grad], asAdmin(await ADMIN_ID()))
    expect(res.ok).toBe(true)
    expect(res.failures.map((f) => f.userId)).toEqual([grad])
    expect(res.failures[0]!.outcome.ok ? [] : res.failures[0]!.outcome.errors.map((e) => e.code)).toEqual(['SignupForbidden'])
    expect(await rowOf(u, block)).toMatchObject({ scheduledActivityId: newSa, afterDeadline: false })
    expect(await signupsOf(grad)).toEqual([])
    const stuck = await sql<{ userId: number }[]>`SELECT user_id FROM eighth_sticky_students WHERE scheduled_activity_id = ${newSa}`
    expect(stuck.map((r) => r.userId)).toEqual([u])
  })
})

describe('office: decideOnPass', () => {
  test('only on a locked block: accept → present, reject → absent; unknown → not-found', async () => {
    const block = await addBlock(sql, nextDate(), 'A')
    const sa = await schedule(sql, block, await addActivity(sql, 'Pass Desk', { defaultCapacity: 10 }))
    const [early, late1, late2] = await bulkStudents(sql, 3)
    expect((await su(early!, sa)).ok).toBe(true)
    const earlyRow = (await rowOf(early!, block))!
    expect(await decideOnPass(deps, earlyRow.id, true)).toBe('not-locked')
    expect(await rowOf(early!, block)).toMatchObject({ passAccepted: false, wasAbsent: false })

    await setBlockLocked(sql, block, true)
    const a = asAdmin(await ADMIN_ID())
    expect((await su(late1!, sa, a, { force: true })).ok).toBe(true)
    expect((await su(late2!, sa, a, { force: true })).ok).toBe(true)
    const p1 = (await rowOf(late1!, block))!
    const p2 = (await rowOf(late2!, block))!
    expect([p1.afterDeadline, p2.afterDeadline]).toEqual([true, true])
    expect(await hasOpenPasses(sql, sa)).toBe(true)
    expect(await decideOnPass(deps, p1.id, false)).toBe('ok')
    expect(await rowOf(late1!, block)).toMatchObject({ passAccepted: true, wasAbsent: true })
    expect(await hasOpenPasses(sql, sa)).toBe(true) // p2 is still open
    expect(await decideOnPass(deps, p2.id, true)).toBe('ok')
    expect(await rowOf(late2!, block)).toMatchObject({ passAccepted: true, wasAbsent: false })
    expect(await hasOpenPasses(sql, sa)).toBe(false)
    // a rejected pass can still be accepted afterwards
    expect(await decideOnPass(deps, p1.id, true)).toBe('ok')
    expect(await rowOf(late1!, block)).toMatchObject({ passAccepted: true, wasAbsent: false })
    expect(await decideOnPass(deps, 99999999, true)).toBe('not-found')
  })
})
