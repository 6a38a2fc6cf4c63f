import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, addRoom, bulkStudents, schedule } from '../helpers/eighth.ts'
import { createSponsor, setBlockLocked } from '../../src/features/eighth/catalog.sql.ts'

// Taking attendance (issue 7, item 1; Ion's acceptance cases 21, 23 and 24): who may take it
// (sponsors for their own activities, the office for all), the 22:00 lock enforced on the
// server, one tap per student, "mark all present", passes, and the office's attendance for a
// cancelled activity. Every refused write changes nothing.
setDefaultTimeout(30_000)

let env: TestEnv
const u: Record<string, MadeUser> = {}
const c: Record<string, string> = {}
const ids = {} as { block: number; blockB: number; chess: number; robots: number; study: number; cancelled: number; robotsMember: number; cancelledMember: number }
let members: number[] = []
const WED = '2026-12-02'
const MORNING = '2026-12-02T15:00:00Z' // Wed 10:00 in New York
const LATE = '2026-12-03T03:30:00Z' // Wed 22:30 in New York

async function relogin() {
  for (const k of Object.keys(u)) c[k] = await login(env.app, u[k]!, { remember: true })
}

beforeAll(async () => {
  env = await testEnv({ clock: MORNING })
  const sql = env.sql
  // Teachers Smith, Jones and another; attendance-only users (one a sponsor); the office; a student.
  for (const [k, type, groups] of [['smith', 'teacher'], ['jones', 'teacher'], ['other', 'teacher'], ['aide', 'user'], ['aide2', 'user'],
    ['office', 'teacher', ['admin_eighth']], ['student', 'student']] as const) u[k] = await makeUser(sql, { type, groups: groups ? [...groups] : [] })
  await relogin()
  const smith = await createSponsor(sql, { lastName: 'Smith', firstName: 'Jo', userId: u.smith!.id })
  const jones = await createSponsor(sql, { lastName: 'Jones', userId: u.jones!.id })
  const aide = await createSponsor(sql, { lastName: 'Aide', userId: u.aide!.id })
  const room = await addRoom(sql, '214', 20)
  ids.block = await addBlock(sql, WED, 'A')
  ids.blockB = await addBlock(sql, WED, 'B')
  const chess = await addActivity(sql, 'Chess Club', { rooms: [room], sponsors: [smith] })
  const robots = await addActivity(sql, 'Robotics', { rooms: [room], sponsors: [smith] })
  const study = await addActivity(sql, 'Study Hall', { rooms: [room], sponsors: [aide] })
  ids.chess = await schedule(sql, ids.block, chess)
  // Override sponsors replace the activity's: Jones's, not Smith's (Ion's for_sponsor).
  ids.robots = await schedule(sql, ids.block, robots, { sponsors: [jones] })
  ids.study = await schedule(sql, ids.block, study)
  ids.cancelled = await schedule(sql, ids.blockB, chess, { cancelled: true })
  const kids = await bulkStudents(sql, 5)
  members = kids.slice(0, 3)
  ids.robotsMember = kids[3]!
  ids.cancelledMember = kids[4]!
  const rows = [...members.map((m) => [m, ids.block, ids.chess]), [ids.robotsMember, ids.block, ids.robots], [ids.cancelledMember, ids.blockB, ids.cancelled]]
  await sql`INSERT INTO eighth_signups ${sql(rows.map(([userId, blockId, scheduledActivityId]) => ({ userId, blockId, scheduledActivityId, time: new Date() })))}`
}, 60_000)
afterAll(async () => { await env?.close() })

const post = (path: string, who: string, form: Record<string, string> | [string, string][] = {}, extra: { htmx?: boolean; browser?: boolean } = {}) => {
  const body = new URLSearchParams(form as Record<string, string>).toString()
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (extra.browser) headers.accept = 'text/html'
  return env.app.handle(req(path, { method: 'POST', body, headers, cookie: c[who], htmx: extra.htmx }))
}
const get = (path: string, who: string) => env.app.handle(req(path, { cookie: c[who] }))
type State = { userId: number; wasAbsent: boolean; afterDeadline: boolean; passAccepted: boolean }
const states = (sa: number) => env.sql<State[]>`SELECT user_id, was_absent, after_deadline, pass_accepted FROM eighth_signups WHERE scheduled_activity_id = ${sa} ORDER BY user_id`
const taken = async (sa: number) => (await env.sql<{ t: boolean }[]>`SELECT attendance_taken AS t FROM eighth_scheduled_activities WHERE id = ${sa}`)[0]!.t
const reset = async (sa: number) => env.sql`
  WITH x AS (UPDATE eighth_signups SET was_absent = false, after_deadline = false, pass_accepted = false WHERE scheduled_activity_id = ${sa})
  UPDATE eighth_scheduled_activities SET attendance_taken = false WHERE id = ${sa}`
const absentSet = async (sa: number) => (await states(sa)).filter((s) => s.wasAbsent).map((s) => s.userId)

describe('case 21: taking attendance', () => {
  test('the sponsor marks user1 and user3 present: user2 absent, attendance taken, audited', async () => {
    await reset(ids.chess)
    const [a, b, d] = members as [number, number, number]
    const r = await post(`/eighth/attendance/${ids.chess}`, 'smith', [['present', String(a)], ['present', String(d)]])
    expect(r.status).toBe(200)
    expect(await r.text()).toBe('Attendance saved: 2 present, 1 absent.')
    expect(await taken(ids.chess)).toBe(true)
    expect(await absentSet(ids.chess)).toEqual([b])
    const [audit] = await env.sql<{ actorId: number; details: { students: number[]; absent: number[] } }[]>`
      SELECT actor_id, details FROM audit_log WHERE action = 'eighth.attendance' AND target_id = ${String(ids.chess)} ORDER BY id DESC LIMIT 1`
    expect(audit!.actorId).toBe(u.smith!.id)
    expect(audit!.details.students.sort()).toEqual([...members].sort())
    expect(audit!.details.absent).toEqual([b])
  })

  test('an unaccepted pass counts as absent even when ticked', async () => {
    await reset(ids.chess)
    const b = members[1]!
    await env.sql`UPDATE eighth_signups SET after_deadline = true WHERE user_id = ${b} AND scheduled_activity_id = ${ids.chess}`
    expect((await post(`/eighth/attendance/${ids.chess}`, 'office', members.map((m) => ['present', String(m)] as [string, string]))).status).toBe(200)
    expect(await absentSet(ids.chess)).toEqual([b])
  })

  test('the page: a checkbox per student, "Mark all present" and "Save attendance"', async () => {
    await reset(ids.chess)
    const r = await get(`/eighth/attendance/${ids.chess}`, 'smith')
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html.match(/type="checkbox"/g)).toHaveLength(3)
    expect(html).toContain('Mark all present')
    expect(html).toContain('Save attendance')
    expect(html).toContain('Attendance not taken')
  })

  test('one tap: the first mark records the roster as shown; later taps change one row', async () => {
    await reset(ids.chess)
    const [a, b, d] = members as [number, number, number]
    const r1 = await post(`/eighth/attendance/${ids.chess}/toggle`, 'smith', [['uid', String(b)], ['present', String(b)]], { htmx: true })
    expect(r1.status).toBe(200)
    const html = await r1.text()
    expect(html).toContain(`id="att-row-${b}"`)
    expect(html).toContain('hx-swap-oob="true"')
    expect(html).toContain('1 of 3 present')
    expect(await taken(ids.chess)).toBe(true)
    expect((await absentSet(ids.chess)).sort()).toEqual([a, d].sort())
    await post(`/eighth/attendance/${ids.chess}/toggle`, 'smith', [['uid', String(d)], ['present', String(b)], ['present', String(d)]], { htmx: true })
    expect(await absentSet(ids.chess)).toEqual([a])
    await post(`/eighth/attendance/${ids.chess}/toggle`, 'smith', [['uid', String(b)], ['present', String(d)]], { htmx: true })
    expect((await absentSet(ids.chess)).sort()).toEqual([a, b].sort())
  })

  test('"mark all present": everyone present but an unaccepted pass', async () => {
    await reset(ids.chess)
    const [, b] = members as [number, number, number]
    await env.sql`UPDATE eighth_signups SET after_deadline = true WHERE user_id = ${b} AND scheduled_activity_id = ${ids.chess}`
    const r = await post(`/eighth/attendance/${ids.chess}/all-present`, 'smith', {}, { htmx: true })
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('id="att-body"')
    expect(html).toContain('Attendance saved: 2 present, 1 absent.')
    expect(await absentSet(ids.chess)).toEqual([b])
  })

  test('without JavaScript: the form posts, 303 back to the page with the message', async () => {
    await reset(ids.chess)
    const r = await post(`/eighth/attendance/${ids.chess}`, 'smith', [['present', String(members[0])]], { browser: true })
    expect(r.status).toBe(303)
    const to = r.headers.get('location')!
    expect(to).toMatch(new RegExp(`^/eighth/attendance/${ids.chess}\\?flash=[0-9a-f]{24}$`))
    expect(await (await get(to, 'smith')).text()).toContain('Attendance saved: 1 present, 2 absent.')
  })

  test('bad input changes nothing: 422', async () => {
    await reset(ids.chess)
    expect((await post(`/eighth/attendance/${ids.chess}`, 'smith', [['present', 'abc']])).status).toBe(422)
    expect((await post(`/eighth/attendance/${ids.chess}`, 'smith', [['present', String(ids.robotsMember)]])).status).toBe(422)
    expect((await post(`/eighth/attendance/${ids.chess}/toggle`, 'smith', {})).status).toBe(422)
    expect(await taken(ids.chess)).toBe(false)
    expect(await absentSet(ids.chess)).toEqual([])
    expect((await post('/eighth/attendance/999999', 'office', {})).status).toBe(404)
  })
})

describe('who may take attendance', () => {
  test('a teacher cannot take attendance for an activity they do not sponsor (403, nothing changes)', async () => {
    await reset(ids.chess)
    for (const path of [`/eighth/attendance/${ids.chess}`, `/eighth/attendance/${ids.chess}/all-present`]) expect((await post(path, 'other', [['present', String(members[0])]])).status).toBe(403)
    // Override sponsors replace the activity's: Smith sponsors Robotics, but Jones is its override.
    expect((await post(`/eighth/attendance/${ids.robots}/all-present`, 'smith')).status).toBe(403)
    expect(await taken(ids.chess)).toBe(false)
    expect(await taken(ids.robots)).toBe(false)
    expect((await post(`/eighth/attendance/${ids.robots}/all-present`, 'jones')).status).toBe(200)
    expect(await taken(ids.robots)).toBe(true)
  })

  test('another teacher may read a roster, without the controls', async () => {
    const html = await (await get(`/eighth/attendance/${ids.chess}`, 'other')).text()
    expect(html).not.toContain('type="checkbox"')
    expect(html).toContain('only its sponsors and the office take its attendance')
  })

  test('an attendance-only user sees only the activities they sponsor (else 404)', async () => {
    expect((await get(`/eighth/attendance/${ids.study}`, 'aide')).status).toBe(200)
    expect((await get(`/eighth/attendance/${ids.chess}`, 'aide')).status).toBe(404)
    expect((await post(`/eighth/attendance/${ids.chess}/all-present`, 'aide')).status).toBe(404)
    expect((await get(`/eighth/attendance/${ids.study}`, 'aide2')).status).toBe(404)
    expect(await taken(ids.chess)).toBe(false)
  })

  test('a student reaches no attendance page (403)', async () => {
    for (const p of ['/eighth/attendance', `/eighth/attendance/${ids.chess}`]) expect((await get(p, 'student')).status).toBe(403)
    expect((await post(`/eighth/attendance/${ids.chess}/all-present`, 'student')).status).toBe(403)
    expect((await post(`/eighth/attendance/${ids.cancelled}/cancelled`, 'student')).status).toBe(403)
    expect(await taken(ids.chess)).toBe(false)
  })

  test('the wizard: a sponsor sees their own activities; one in the block goes straight to it', async () => {
    const list = await (await get('/eighth/attendance', 'smith')).text()
    expect(list).toContain(`/eighth/attendance?block=${ids.block}`)
    const one = await get(`/eighth/attendance?block=${ids.block}`, 'smith')
    expect(one.status).toBe(303)
    expect(one.headers.get('location')).toBe(`/eighth/attendance/${ids.chess}`)
    const office = await (await get(`/eighth/attendance?block=${ids.blockB}`, 'office')).text()
    expect(office).toContain(`/eighth/attendance/${ids.cancelled}`)
    expect(office).toContain('Cancelled')
    expect((await get('/eighth/attendance?block=x', 'office')).status).toBe(404)
  })

  test("the sponsor's dashboard widget flags attendance not taken", async () => {
    await reset(ids.chess)
    env.clock.set('2026-12-04T15:00:00Z')
    try {
      const html = await (await get('/', 'smith')).text()
      expect(html).toContain('data-widget="eighth-sponsor"')
      expect(html).toContain('Attendance not taken for 1 activity.')
      expect(html).toContain(`/eighth/attendance/${ids.chess}`)
      expect(html).not.toContain(`/eighth/attendance/${ids.robots}"`)
    } finally {
      env.clock.set(MORNING)
    }
  })
})

describe('the 22:00 lock, on the server', () => {
  test("after 22:00 a sponsor's POST is refused (403) and nothing changes; the office still can", async () => {
    await reset(ids.chess)
    env.clock.set(LATE)
    try {
      for (const [path, form] of [
        [`/eighth/attendance/${ids.chess}`, [['present', String(members[0])]]],
        [`/eighth/attendance/${ids.chess}/toggle`, [['uid', String(members[0])], ['present', String(members[0])]]],
        [`/eighth/attendance/${ids.chess}/all-present`, []],
      ] as [string, [string, string][]][]) {
        const r = await post(path, 'smith', form)
        expect(r.status).toBe(403)
        expect(await r.text()).toContain('locked at 10 p.m.')
      }
      expect(await taken(ids.chess)).toBe(false)
      const page = await (await get(`/eighth/attendance/${ids.chess}`, 'smith')).text()
      expect(page).not.toContain('type="checkbox"')
      expect(page).toContain('locked at 10 p.m.')
      expect((await post(`/eighth/attendance/${ids.chess}`, 'office', [['present', String(members[0])]])).status).toBe(200)
      expect(await taken(ids.chess)).toBe(true)
      env.clock.set('2026-12-09T15:00:00Z') // a later day: still locked for the sponsor
      expect((await post(`/eighth/attendance/${ids.chess}/all-present`, 'smith')).status).toBe(403)
    } finally {
      env.clock.set(MORNING)
    }
  })

  test('just before 22:00 the sponsor still can', async () => {
    await reset(ids.chess)
    env.clock.set('2026-12-03T02:59:00Z') // 21:59
    try {
      expect((await post(`/eighth/attendance/${ids.chess}/all-present`, 'smith')).status).toBe(200)
    } finally {
      env.clock.set(MORNING)
    }
  })
})

describe('case 23: passes', () => {
  test('on a locked block the sponsor rejects a pass (absent), then accepts it (present)', async () => {
    await reset(ids.chess)
    const [, b] = members as [number, number, number]
    await env.sql`UPDATE eighth_signups SET after_deadline = true WHERE user_id = ${b} AND scheduled_activity_id = ${ids.chess}`
    const signupId = (await env.sql<{ id: number }[]>`SELECT id FROM eighth_signups WHERE user_id = ${b} AND scheduled_activity_id = ${ids.chess}`)[0]!.id
    const html = await (await get(`/eighth/attendance/${ids.chess}`, 'smith')).text()
    expect(html).toContain('Passes to decide (1)')
    // Not locked yet: a pass cannot be decided.
    expect((await post(`/eighth/attendance/pass/${signupId}`, 'smith', { status: 'accept' })).status).toBe(409)
    await setBlockLocked(env.sql, ids.block, true)
    try {
      expect((await post(`/eighth/attendance/pass/${signupId}`, 'smith', { status: 'maybe' })).status).toBe(422)
      expect((await post(`/eighth/attendance/pass/${signupId}`, 'other', { status: 'accept' })).status).toBe(403)
      expect((await post(`/eighth/attendance/pass/${signupId}`, 'smith', { status: 'reject' })).status).toBe(200)
      expect((await states(ids.chess)).find((s) => s.userId === b)).toMatchObject({ passAccepted: true, wasAbsent: true })
      const acc = await post(`/eighth/attendance/pass/${signupId}`, 'smith', { status: 'accept' }, { htmx: true })
      expect(acc.status).toBe(200)
      expect(await acc.text()).toContain('Pass accepted')
      expect((await states(ids.chess)).find((s) => s.userId === b)).toMatchObject({ passAccepted: true, wasAbsent: false })
      const audits = await env.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE action LIKE 'eighth.pass_%' ORDER BY id`
      expect(audits.map((a) => a.action)).toEqual(['eighth.pass_reject', 'eighth.pass_accept'])
    } finally {
      await setBlockLocked(env.sql, ids.block, false)
    }
  })
})

describe('case 24: a cancelled activity counts as absences', () => {
  test('only the office; only for a cancelled activity', async () => {
    expect((await post(`/eighth/attendance/${ids.cancelled}/cancelled`, 'smith')).status).toBe(403)
    expect((await post(`/eighth/attendance/${ids.chess}/cancelled`, 'office')).status).toBe(409)
    expect(await taken(ids.cancelled)).toBe(false)
  })

  test('the member is absent, attendance taken, and their absence count is 1', async () => {
    const r = await post(`/eighth/attendance/${ids.cancelled}/cancelled`, 'office', {}, { htmx: true })
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('1 absent')
    expect(await taken(ids.cancelled)).toBe(true)
    expect(await absentSet(ids.cancelled)).toEqual([ids.cancelledMember])
    const n = (await env.sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id
      WHERE s.user_id = ${ids.cancelledMember} AND s.was_absent AND sa.attendance_taken`)[0]!.n
    expect(n).toBe(1)
    const page = await (await get(`/eighth/absences/${ids.cancelledMember}`, 'office')).text()
    expect(page.match(/<tr>/g)?.length).toBe(2) // header + one absence
  })
})
