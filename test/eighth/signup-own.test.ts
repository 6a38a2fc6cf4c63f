import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { setActivityDeleted } from '../../src/features/eighth/catalog.sql.ts'
import { createSession, SESSION_COOKIE } from '../../src/platform/session.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { addActivity, addBlock, addSponsor, bulkStudents, membersOf, schedule } from '../helpers/eighth.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { statementCounter } from '../helpers/statements.ts'

// A student's own signup through Ion's HTML contract (the signup rush, issue 10): the look inside
// the signup finds the scheduled activity by bid + aid (no statement of its own), the reads under
// the locks go in one pipeline, and sponsor names are read only for a switch. Capacity and
// one-per-block stay decided under the locks, over HTTP too.
setDefaultTimeout(60_000)

const counter = statementCounter()
let env: TestEnv
let stu: MadeUser
let cStu = ''
let day = 0
const freshDate = () => `2026-12-${String(++day + 1).padStart(2, '0')}`

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z', debug: counter.debug })
  stu = await makeUser(env.sql, { type: 'student' })
  cStu = await login(env.app, stu)
})
afterAll(async () => { await env.close() })

const post = (cookie: string, uid: number, bid: number, aid: number) =>
  env.app.handle(req('/eighth/signup', { cookie, form: { uid: String(uid), bid: String(bid), aid: String(aid) } }))

/** Real sessions for students made in bulk (no password login needed). */
async function cookiesFor(ids: number[]): Promise<string[]> {
  const made = await Promise.all(ids.map((id) => createSession(env.redis, id, env.clock.now().getTime(), { trusted: false, ua: 'test', ip: '127.0.0.1' })))
  return made.map((m) => `${SESSION_COOKIE}=${m.token}`)
}

describe('statements for a student\'s own signup', () => {
  test('a success: 9 (viewer, BEGIN, look, 4 pipelined reads under the locks, INSERT, COMMIT); a full activity: 5; a switch adds only the old sponsors', async () => {
    const b = await addBlock(env.sql, freshDate(), 'A')
    const sponsor = await addSponsor(env.sql, 'Turing', 'Alan')
    const open = await addActivity(env.sql, 'Open Club', { defaultCapacity: 30, sponsors: [sponsor] })
    const other = await addActivity(env.sql, 'Other Club', { defaultCapacity: 30 })
    const full = await addActivity(env.sql, 'Full Club', { defaultCapacity: 0 })
    await Promise.all([open, other, full].map((a) => schedule(env.sql, b, a)))

    const ok = await counter.request(env.app, req('/eighth/signup', { cookie: cStu, form: { uid: String(stu.id), bid: String(b), aid: String(open) } }))
    expect(ok.status).toBe(200)
    expect(ok.n).toBe(9)
    expect(ok.statements.some((s) => /eighth_sponsors/.test(s))).toBe(false)

    const refused = await counter.request(env.app, req('/eighth/signup', { cookie: cStu, form: { uid: String(stu.id), bid: String(b), aid: String(full) } }))
    expect(refused.status).toBe(403)
    expect(refused.body).toBe('This activity is full. You may not sign up for it at this time.')
    expect(refused.n).toBe(5)

    const moved = await counter.request(env.app, req('/eighth/signup', { cookie: cStu, form: { uid: String(stu.id), bid: String(b), aid: String(other) } }))
    expect(moved.status).toBe(200)
    expect(moved.n).toBe(10)
    const [row] = await env.sql<{ previousActivityName: string; previousActivitySponsors: string }[]>`
      SELECT previous_activity_name, previous_activity_sponsors FROM eighth_signups WHERE user_id = ${stu.id} AND block_id = ${b}`
    expect(row).toEqual({ previousActivityName: 'Open Club', previousActivitySponsors: 'Turing' })
  })
})

describe('the pair (bid + aid) found by the look', () => {
  test('a deleted activity, and one scheduled only in another block, are "not scheduled" (404)', async () => {
    const b = await addBlock(env.sql, freshDate(), 'A')
    const elsewhere = await addBlock(env.sql, freshDate(), 'A')
    const gone = await addActivity(env.sql, 'Gone Club')
    const away = await addActivity(env.sql, 'Away Club')
    const goneSa = await schedule(env.sql, b, gone)
    await schedule(env.sql, elsewhere, away)
    await setActivityDeleted(env.sql, gone, true)
    for (const aid of [gone, away]) {
      const r = await post(cStu, stu.id, b, aid)
      expect(r.status).toBe(404)
      expect(await r.text()).toBe('Given activity not scheduled for given block.')
    }
    expect(await membersOf(env.sql, goneSa)).toEqual([])
  })

  test('a both-blocks activity named by its B block joins both halves; a full A half refuses both', async () => {
    const date = freshDate()
    const [a, b] = [await addBlock(env.sql, date, 'A'), await addBlock(env.sql, date, 'B')]
    const trip = await addActivity(env.sql, 'Field Trip', { bothBlocks: true })
    const [tripA, tripB] = [await schedule(env.sql, a, trip, { capacity: 1 }), await schedule(env.sql, b, trip, { capacity: 5 })]
    const r = await post(cStu, stu.id, b, trip)
    expect(r.status).toBe(200)
    expect(await membersOf(env.sql, tripA)).toEqual([stu.id])
    expect(await membersOf(env.sql, tripB)).toEqual([stu.id])
    const [late] = await bulkStudents(env.sql, 1)
    const [cLate] = await cookiesFor([late!])
    const refused = await post(cLate!, late!, b, trip)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toBe('This activity is full. You may not sign up for it at this time.')
    expect(await membersOf(env.sql, tripB)).toEqual([stu.id])
  })
})

describe('races over HTTP', () => {
  test('60 students at once for 6 seats: exactly 6 succeed, the rest are told it is full', async () => {
    const b = await addBlock(env.sql, freshDate(), 'A')
    const act = await addActivity(env.sql, 'Six Seats', { defaultCapacity: 6 })
    const sa = await schedule(env.sql, b, act)
    const ids = await bulkStudents(env.sql, 60)
    const cookies = await cookiesFor(ids)
    const answers = await Promise.all(ids.map(async (id, i) => {
      const r = await post(cookies[i]!, id, b, act)
      return { status: r.status, text: await r.text() }
    }))
    expect(answers.filter((a) => a.status === 200)).toHaveLength(6)
    expect(answers.filter((a) => a.status === 403 && a.text.includes('is full'))).toHaveLength(54)
    expect(await membersOf(env.sql, sa)).toHaveLength(6)
  })

  test('double clicks and two tabs at once: one signup per student in the block', async () => {
    const b = await addBlock(env.sql, freshDate(), 'A')
    const [x, y] = [await addActivity(env.sql, 'Tab X', { defaultCapacity: -1 }), await addActivity(env.sql, 'Tab Y', { defaultCapacity: -1 })]
    await schedule(env.sql, b, x)
    await schedule(env.sql, b, y)
    const ids = await bulkStudents(env.sql, 30)
    const cookies = await cookiesFor(ids)
    const answers = await Promise.all(ids.flatMap((id, i) => [post(cookies[i]!, id, b, x), post(cookies[i]!, id, b, i % 2 ? y : x)]))
    expect(answers.every((r) => r.status === 200)).toBe(true)
    const rows = await env.sql<{ userId: number; n: number }[]>`SELECT user_id, count(*)::int AS n FROM eighth_signups WHERE block_id = ${b} GROUP BY user_id`
    expect(rows).toHaveLength(30)
    expect(rows.every((r) => r.n === 1)).toBe(true)
  })
})
