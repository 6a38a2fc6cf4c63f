import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { fixedClock } from '../../src/platform/clock.ts'
import type { Deps } from '../../src/platform/http.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import type { Viewer } from '../../src/platform/viewer.ts'
import { groupSignup } from '../../src/features/eighth/admin/moves/group-signup.ts'
import { transferStudents } from '../../src/features/eighth/admin/moves/transfer.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { addActivity, addBlock, asStudent, schedule, signup } from '../helpers/eighth.ts'
import { makeGroup, people } from './moves-fixture.ts'

// The office's moves keep the signup invariants while students sign themselves up (issue 7,
// item 5): one signup per student per block, and no activity over capacity except by the
// office's forced signups. Real PostgreSQL, real concurrency.
setDefaultTimeout(120_000)

let db: TestDb
let redis: Redis
let deps: Deps
const clock = fixedClock('2026-11-30T14:00:00Z')
const office: Viewer = {
  id: 0, username: 'office', userType: 'teacher', firstName: 'Eighth', lastName: 'Office', nickname: null, graduationYear: null,
  isSuperuser: false, perms: ['admin_eighth'], darkMode: false, totpEnabled: false, via: 'session', session: null, impersonatedBy: null,
}

beforeAll(async () => {
  db = await createTestDb({ max: 40 })
  const config = testConfig()
  redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  deps = buildApp({ sql: db.sql, redis, clock, config, log: memoryLogger() }).deps
  const [id] = await people(db.sql, 1, { type: 'teacher', gradYear: null })
  office.id = id!
})
afterAll(async () => {
  redis?.close()
  await db?.drop()
})

/**
 * Runs the office's move and the students' signups at once. The students come in waves (a rush,
 * not one long queue the pool would serve entirely before the office's first query), starting
 * `studentsAfterMs` after the office. Also says how many students finished before and after it.
 */
async function race<T>(office: () => Promise<T>, students: (() => Promise<unknown>)[], studentsAfterMs: number): Promise<{ out: T; results: unknown[]; before: number; after: number }> {
  const order: string[] = []
  const o = office().then((v) => (order.push('office'), v))
  await Bun.sleep(studentsAfterMs)
  const s: Promise<unknown>[] = []
  for (let i = 0; i < students.length; i += 25) {
    for (const f of students.slice(i, i + 25)) s.push(f().then((v) => (order.push('student'), v)))
    await Bun.sleep(15)
  }
  const [out, ...results] = await Promise.all([o, ...s])
  const at = order.indexOf('office')
  return { out: out as T, results, before: at, after: order.length - at - 1 }
}

const shuffle = <T>(xs: T[]) => xs.map((x) => [Math.random(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x)

async function perStudent(blockId: number): Promise<Map<number, number>> {
  const rows = await db.sql<{ userId: number; n: number }[]>`SELECT user_id, count(*)::int AS n FROM eighth_signups WHERE block_id = ${blockId} GROUP BY user_id`
  return new Map(rows.map((r) => [r.userId, r.n]))
}
async function count(schactId: number): Promise<number> {
  const [r] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE scheduled_activity_id = ${schactId}`
  return r!.n
}
async function whereIs(userIds: number[], blockId: number): Promise<Map<number, number>> {
  const rows = await db.sql<{ userId: number; scheduledActivityId: number }[]>`
    SELECT user_id, scheduled_activity_id FROM eighth_signups WHERE block_id = ${blockId} AND user_id = ANY(${userIds}::int[])`
  return new Map(rows.map((r) => [r.userId, r.scheduledActivityId]))
}

describe('moves racing students', () => {
  test('a group signup of 200 while those and 100 other students sign themselves up in the same block', async () => {
    const sql = db.sql
    const block = await addBlock(sql, '2026-12-02', 'A')
    const g = await schedule(sql, block, await addActivity(sql, 'Group Target', { defaultCapacity: 10 }))
    const others = await Promise.all([1, 2, 3].map(async (i) => schedule(sql, block, await addActivity(sql, `Open ${i}`, { defaultCapacity: 40 }))))
    const members = await people(sql, 200, { last: 'Member' })
    const outsiders = await people(sql, 100, { last: 'Outsider' })
    const gid = await makeGroup(sql, 'Two Hundred', members)
    // some members start out in an open activity
    for (const u of members.slice(0, 20)) await signup(sql, clock, { userId: u, scheduledId: others[0]!, requester: asStudent(u) })

    const selfSignups = shuffle([...members, ...outsiders]).flatMap((u, i) => {
      const tries = [others[i % 3]!]
      if (i % 5 === 0) tries.push(others[(i + 1) % 3]!) // two tabs
      return tries.map((sa) => async () => signup(sql, clock, { userId: u, scheduledId: sa, requester: asStudent(u) }))
    })
    const { out, results, before, after } = await race(() => groupSignup(deps, { viewer: office }, gid, g, []), selfSignups, 50)
    expect(out.ok).toBe(true)
    // they really overlapped: students finished both before and after the office's move
    expect(before).toBeGreaterThan(0)
    expect(after).toBeGreaterThan(0)
    if (out.ok) expect(out.messages[0]).toStartWith('Signed up 200 students')

    const n = await perStudent(block)
    expect([...n.values()].every((k) => k === 1)).toBe(true)
    // every member got a signup; some switched out again afterwards
    const members_ = await whereIs(members, block)
    expect(members_.size).toBe(200)
    for (const sa of others) expect(await count(sa)).toBeLessThanOrEqual(40)
    const inG = [...members_.values()].filter((sa) => sa === g).length
    expect(await count(g)).toBe(inG) // only the office's forced signups are in the group's target
    expect(inG).toBeGreaterThan(10) // over its capacity: forced
    const selfOk = results.filter((r) => (r as { ok: boolean }).ok).length
    expect(selfOk).toBeGreaterThan(0)
  })

  test('a cross-block transfer while the movers switch in both blocks and others join the source', async () => {
    const sql = db.sql
    const [A, B] = [await addBlock(sql, '2026-12-04', 'A'), await addBlock(sql, '2026-12-04', 'B')]
    const dest = await schedule(sql, A, await addActivity(sql, 'Destination', { defaultCapacity: -1 }))
    const x = await schedule(sql, A, await addActivity(sql, 'Xenon', { defaultCapacity: 60 }))
    const y = await schedule(sql, A, await addActivity(sql, 'Yttrium', { defaultCapacity: 60 }))
    const source = await schedule(sql, B, await addActivity(sql, 'Source', { defaultCapacity: -1 }))
    const z = await schedule(sql, B, await addActivity(sql, 'Zinc', { defaultCapacity: 30 }))
    const movers = await people(sql, 100, { last: 'Mover' })
    const joiners = await people(sql, 50, { last: 'Joiner' })
    for (const [i, u] of movers.entries()) {
      await signup(sql, clock, { userId: u, scheduledId: source, requester: asStudent(u) })
      if (i % 2) await signup(sql, clock, { userId: u, scheduledId: i % 4 === 1 ? x : y, requester: asStudent(u) })
    }
    const student = shuffle([
      ...movers.map((u, i) => () => signup(sql, clock, { userId: u, scheduledId: i % 3 ? x : y, requester: asStudent(u) })),
      ...movers.map((u) => () => signup(sql, clock, { userId: u, scheduledId: z, requester: asStudent(u) })),
      ...joiners.map((u) => () => signup(sql, clock, { userId: u, scheduledId: source, requester: asStudent(u) })),
      ...joiners.map((u) => () => signup(sql, clock, { userId: u, scheduledId: x, requester: asStudent(u) })),
    ])
    const { out, before, after } = await race(() => transferStudents(deps, { viewer: office }, source, dest, { sendEmails: false, emailEveryone: false }), student, 0)
    expect(out.ok).toBe(true)
    expect(before).toBeGreaterThan(0)
    expect(after).toBeGreaterThan(0)

    for (const blockId of [A, B]) expect([...(await perStudent(blockId)).values()].every((k) => k === 1)).toBe(true)
    expect(await count(x)).toBeLessThanOrEqual(60)
    expect(await count(y)).toBeLessThanOrEqual(60)
    expect(await count(z)).toBeLessThanOrEqual(30)
    // whoever the transfer moved is in the destination unless they switched again afterwards
    const [audit] = await sql<{ details: { students: number[] } }[]>`SELECT details FROM audit_log WHERE action = 'eighth.transfer' ORDER BY id DESC LIMIT 1`
    const moved = audit!.details.students
    expect(moved.length).toBeGreaterThan(0)
    const nowA = await whereIs(moved, A)
    for (const u of moved) expect([dest, x, y]).toContain(nowA.get(u)!)
    // nobody the transfer moved is still in the source
    const nowB = await whereIs(moved, B)
    for (const u of moved) expect(nowB.get(u) === source).toBe(false)
  })
})
