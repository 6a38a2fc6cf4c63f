import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, addRoom, schedule, signup } from '../helpers/eighth.ts'
import { schoolYear } from '../../src/features/eighth/profile.ts'

// A student's eighth period outside the signup page: the nav link, the dashboard widget and
// /eighth/profile (upcoming, past, absences; who may look).
setDefaultTimeout(30_000)

let env: TestEnv
let stu: MadeUser, other: MadeUser, teacher: MadeUser
let cStu: string, cOther: string, cTeacher: string
const ids: Record<string, number> = {}

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z' }) // Mon 09:00 in New York
  const sql = env.sql
  stu = await makeUser(sql, { type: 'student', firstName: 'Ada', lastName: 'Lovelace' })
  other = await makeUser(sql, { type: 'student' })
  teacher = await makeUser(sql, { type: 'teacher' })
  ;[cStu, cOther, cTeacher] = await Promise.all([login(env.app, stu), login(env.app, other), login(env.app, teacher)])
  const room = await addRoom(sql, '214', 20)
  const chess = await addActivity(sql, 'Chess Club', { rooms: [room] })
  const art = await addActivity(sql, 'Art Studio', { rooms: [room] })
  ids.lastYear = await addBlock(sql, '2026-05-06', 'A')
  ids.past = await addBlock(sql, '2026-11-25', 'A')
  ids.wedA = await addBlock(sql, '2026-12-02', 'A')
  ids.wedB = await addBlock(sql, '2026-12-02', 'B')
  ids.fri = await addBlock(sql, '2026-12-04', 'A')
  ids.later = await addBlock(sql, '2026-12-09', 'A')
  const force = (blockId: number, activity: number, opts = {}) =>
    schedule(sql, blockId, activity, opts).then((sa) => signup(sql, env.clock, { userId: stu.id, scheduledId: sa, requester: null, force: true }).then(() => sa))
  await force(ids.lastYear, chess)
  const pastSa = await force(ids.past, art)
  await sql`UPDATE eighth_signups SET was_absent = true WHERE scheduled_activity_id = ${pastSa}`
  await sql`UPDATE eighth_scheduled_activities SET attendance_taken = true WHERE id = ${pastSa}`
  await force(ids.wedA, chess)
  await force(ids.wedB, art, { cancelled: true })
})
afterAll(async () => { await env.close() })

const get = (path: string, cookie: string) => env.app.handle(req(path, { cookie }))

describe('nav and dashboard', () => {
  test('students get the Eighth link and the widget: next two dates, activity, room, warnings', async () => {
    const html = await (await get('/', cStu)).text()
    expect(html).toContain('<a href="/eighth/signup">Eighth</a>')
    const widget = html.slice(html.indexOf('data-widget="eighth"'))
    expect(widget).toContain('<h2>Eighth period</h2>')
    expect(widget).toMatch(new RegExp(`href="/eighth/signup/${ids.wedA}"[^]*Wed, December 2, 2026 \\(A\\)[^]*Chess Club[^]*Rm\\. 214`))
    expect(widget).toMatch(new RegExp(`href="/eighth/signup/${ids.wedB}"[^]*Art Studio[^]*Cancelled: choose another`))
    expect(widget).toMatch(new RegExp(`href="/eighth/signup/${ids.fri}"[^]*Not signed up`))
    expect(widget).not.toContain(`/eighth/signup/${ids.later}"`) // a third date
    expect(widget).not.toContain(`/eighth/signup/${ids.past}"`)
  })

  test('teachers see neither', async () => {
    const html = await (await get('/', cTeacher)).text()
    expect(html).not.toContain('href="/eighth/signup"')
    expect(html).not.toContain('data-widget="eighth"')
  })
})

describe('/eighth/profile', () => {
  test('your own: upcoming blocks, this year\'s past signups and absences', async () => {
    const r = await get('/eighth/profile', cStu)
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('Your eighth period')
    expect(html).toContain('School year 2026–2027')
    const upcoming = html.slice(html.indexOf('id="up-title"'), html.indexOf('id="abs-title"'))
    expect(upcoming).toContain('Chess Club')
    expect(upcoming).toMatch(/Art Studio[^]*Cancelled/)
    expect(upcoming).toContain(`href="/eighth/signup/${ids.fri}"`)
    expect(upcoming).toContain('Not signed up')
    const absences = html.slice(html.indexOf('id="abs-title"'), html.indexOf('id="past-title"'))
    expect(absences).toContain('Absences (1)')
    expect(absences).toMatch(/Wed, November 25, 2026 \(A\)[^]*Art Studio[^]*Absent/)
    const past = html.slice(html.indexOf('id="past-title"'))
    expect(past).toContain('Art Studio')
    expect(past).not.toContain('May 6') // last school year
  })

  test('someone else\'s: 403 for a student, allowed for teachers and eighth admins; unknown users 404', async () => {
    const r = await get(`/eighth/profile/${stu.id}`, cOther)
    expect(r.status).toBe(403)
    expect(await r.text()).toContain('You may only view your own schedule.')
    expect((await get(`/eighth/profile/${stu.id}`, cStu)).status).toBe(200)
    const t = await get(`/eighth/profile/${stu.id}`, cTeacher)
    expect(t.status).toBe(200)
    expect(await t.text()).toContain('Eighth period: Ada Lovelace')
    const admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] })
    const a = await get(`/eighth/profile/${stu.id}`, await login(env.app, admin))
    expect(await a.text()).toContain(`href="/eighth/signup/${ids.fri}?user=${stu.id}"`)
    expect((await get('/eighth/profile/999999', cTeacher)).status).toBe(404)
  })
})

test('the school year runs Aug 1 – Jul 31', () => {
  expect(schoolYear('2026-11-30', 7)).toEqual({ start: '2026-08-01', end: '2027-07-31' })
  expect(schoolYear('2027-07-15', 7)).toEqual({ start: '2026-08-01', end: '2027-07-31' })
  expect(schoolYear('2027-08-01', 7)).toEqual({ start: '2027-08-01', end: '2028-07-31' })
})
