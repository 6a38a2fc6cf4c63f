import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { applyPrivacy } from '../../src/features/directory/privacy-edit.ts'
import { canSee, type PrivacyFlags, type PrivateField } from '../../src/features/directory/privacy.ts'
import type { Viewer } from '../../src/platform/viewer.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { addActivity, addBlock, schedule } from '../helpers/eighth.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

// Who sees what of whom (ion-apps.md §4), as one table of viewer × field, checked against the
// rule itself (canSee), the profile page and the profile API; then the privacy editor's rules.

let env: TestEnv
const u: Record<string, MadeUser> = {}
const cookie: Record<string, string> = {}

const SID = '7000001'
const EMAIL = 'pat@school.example.org'

beforeAll(async () => {
  env = await testEnv() // 2026-11-30, 09:00 in New York
  const sql = env.sql
  u.cora = await makeUser(sql, { username: 'csmith', type: 'counselor', firstName: 'Cora', lastName: 'Smith' })
  // Pat: every flag closed (the default). Petra: every flag open.
  u.pat = await makeUser(sql, { username: 'ppriv', firstName: 'Pat', lastName: 'Private', graduationYear: 2027, studentId: SID, counselorId: u.cora.id, email: EMAIL })
  u.petra = await makeUser(sql, { username: 'ppub', firstName: 'Petra', lastName: 'Public', graduationYear: 2028, studentId: '7000002', counselorId: u.cora.id, email: 'petra@school.example.org' })
  await sql`UPDATE users SET self_show_pictures = true, parent_show_pictures = true, self_show_eighth = true, parent_show_eighth = true WHERE id = ${u.petra.id}`
  u.sam = await makeUser(sql, { username: 'sother', firstName: 'Sam', lastName: 'Other', graduationYear: 2027 })
  u.tess = await makeUser(sql, { username: 'tteach', type: 'teacher', firstName: 'Tess', lastName: 'Teach' })
  u.office = await makeUser(sql, { username: 'eoffice', type: 'simple_user', firstName: 'Eve', lastName: 'Office', groups: ['admin_eighth'] })
  u.alum = await makeUser(sql, { username: 'otimer', type: 'alum', firstName: 'Old', lastName: 'Timer', graduationYear: 2020 })
  const block = await addBlock(sql, '2026-12-02', 'A')
  const robotics = await schedule(sql, block, await addActivity(sql, 'Robotics Lab'))
  for (const who of [u.pat, u.petra]) {
    await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${who.id}, ${block}, ${robotics}, ${env.clock.now()})`
  }
  for (const k of ['pat', 'sam', 'tess', 'cora', 'office', 'alum']) cookie[k] = await login(env.app, u[k]!)
})
afterAll(async () => { await env?.close() })

const get = (path: string, who: string) => env.app.handle(req(path, { cookie: cookie[who] }))

type Row = { viewer: string; photo: boolean; eighth: boolean; studentId: boolean; counselor: boolean; email: boolean }

// Pat (all flags closed) as each viewer sees her. Restricted viewers never get this far (below).
const CLOSED: Row[] = [
  { viewer: 'pat (self)',           photo: true,  eighth: true,  studentId: false, counselor: false, email: true },
  { viewer: 'sam (other student)',  photo: false, eighth: false, studentId: false, counselor: false, email: false },
  { viewer: 'tess (teacher)',       photo: true,  eighth: true,  studentId: true,  counselor: true,  email: true },
  { viewer: 'cora (counselor)',     photo: true,  eighth: true,  studentId: true,  counselor: true,  email: true },
  { viewer: 'office (eighth admin)', photo: true, eighth: true,  studentId: true,  counselor: true,  email: true },
]
// Petra (pictures and eighth open): other students see those two, never the staff-only fields.
const OPEN_TO_STUDENT: Row = { viewer: 'sam (other student)', photo: true, eighth: true, studentId: false, counselor: false, email: false }

const who = (row: Row) => row.viewer.split(' ')[0]!

/** What the profile page shows, field by field. */
function pageShows(html: string, id: number, sid: string, email: string) {
  return {
    photo: html.includes(`src="/profile/picture/${id}"`),
    eighth: html.includes('Robotics Lab'),
    studentId: html.includes(sid),
    counselor: html.includes('<dt>Counselor</dt>'),
    email: html.includes(email),
  }
}

describe('the matrix: viewer × field', () => {
  for (const row of CLOSED) {
    test(`profile page of a private student, as ${row.viewer}`, async () => {
      const r = await get(`/profile/${u.pat!.id}`, who(row))
      expect(r.status).toBe(200)
      const html = await r.text()
      const { viewer: _, ...want } = row
      expect(pageShows(html, u.pat!.id, SID, EMAIL)).toEqual(want)
      if (!want.photo) expect(html).toContain('aria-label="No photo shown"')
    })

    test(`profile API of a private student, as ${row.viewer}`, async () => {
      const r = await get(`/api/profile/${u.pat!.id}`, who(row))
      expect(r.status).toBe(200)
      const body = await r.json()
      expect('student_id' in body).toBe(row.studentId)
      if (row.studentId) expect(body.student_id).toBe(SID)
      expect(body.counselor !== null).toBe(row.counselor)
      expect(body.tj_email).toBe(row.email ? EMAIL : null)
      // The picture URL is always given: the picture endpoint applies the same rule.
      expect(body.picture).toBe(`http://localhost:3000/api/profile/${u.pat!.id}/picture`)
    })
  }

  test('a student whose parent and self flags are both on: pictures and eighth for other students, nothing more', async () => {
    const html = await (await get(`/profile/${u.petra!.id}`, 'sam')).text()
    const { viewer: _, ...want } = OPEN_TO_STUDENT
    expect(pageShows(html, u.petra!.id, '7000002', 'petra@school.example.org')).toEqual(want)
    expect(html).not.toContain('Not public')
    const body = await (await get(`/api/profile/${u.petra!.id}`, 'sam')).json()
    expect(body.student_id).toBeUndefined()
    expect(body.counselor).toBeNull()
    expect(body.tj_email).toBeNull()
  })

  test('staff see a private schedule marked as not public', async () => {
    const html = await (await get(`/profile/${u.pat!.id}`, 'tess')).text()
    expect(html).toContain('Not public: other students cannot see this schedule.')
    expect(await (await get(`/profile/${u.pat!.id}`, 'pat')).text()).not.toContain('Not public')
  })

  test('alum (restricted): someone else is 403 on the page and 404 in the API; themselves is fine', async () => {
    expect((await get(`/profile/${u.pat!.id}`, 'alum')).status).toBe(403)
    expect((await get(`/api/profile/${u.pat!.id}`, 'alum')).status).toBe(404)
    const own = await get('/profile', 'alum')
    expect(own.status).toBe(200)
    expect(await own.text()).toContain('Old Timer')
  })

  test('the rule itself, flag by flag (canSee)', () => {
    const viewer = (id: number, userType: Viewer['userType'], perms: string[] = []) => ({ id, userType, perms, isSuperuser: false })
    const flags = (parent: boolean, self: boolean): Partial<PrivacyFlags> => ({ parentShowPictures: parent, selfShowPictures: self })
    const other = viewer(2, 'student')
    expect(canSee(other, { id: 1, ...flags(true, true) }, 'pictures')).toBe(true)
    expect(canSee(other, { id: 1, ...flags(true, false) }, 'pictures')).toBe(false)
    expect(canSee(other, { id: 1, ...flags(false, true) }, 'pictures')).toBe(false)
    expect(canSee(other, { id: 1 }, 'pictures')).toBe(false) // missing flags are closed
    expect(canSee(viewer(1, 'student'), { id: 1 }, 'pictures')).toBe(true)
    expect(canSee(viewer(3, 'simple_user', ['admin_all']), { id: 1 }, 'eighth')).toBe(true) // admin_all implies admin_eighth
    const fields: PrivateField[] = ['studentId', 'counselor']
    for (const f of fields) {
      expect(canSee(viewer(1, 'student'), { id: 1 }, f)).toBe(false)
      expect(canSee(viewer(4, 'counselor'), { id: 1 }, f)).toBe(true)
      expect(canSee(viewer(5, 'student', ['admin_announcements']), { id: 1 }, f)).toBe(false)
    }
  })
})

describe('the privacy editor (/preferences/privacy, eighth office only)', () => {
  const post = (form: Record<string, string>, as = 'office') => env.app.handle(req('/preferences/privacy', { cookie: cookie[as], form }))
  const flagsOf = async (id: number) => (await env.sql<PrivacyFlags[]>`
    SELECT self_show_pictures, parent_show_pictures, self_show_eighth, parent_show_eighth, self_show_schedule, parent_show_schedule
    FROM users WHERE id = ${id}`)[0]!

  test('only the eighth office: students and teachers get 403, and nothing changes', async () => {
    for (const as of ['pat', 'tess']) {
      expect((await get(`/preferences/privacy?user=${u.pat!.id}`, as)).status).toBe(403)
      expect((await post({ user: String(u.pat!.id), parent_show_pictures: 'on', self_show_pictures: 'on' }, as)).status).toBe(403)
    }
    expect((await flagsOf(u.pat!.id)).parentShowPictures).toBe(false)
  })

  test('find by user id or by student id; an unknown one says so', async () => {
    const byId = await (await get(`/preferences/privacy?user=${u.pat!.id}`, 'office')).text()
    expect(byId).toContain('Privacy: Pat Private')
    expect(byId).toContain('name="parent_show_pictures"')
    const bySid = await (await get(`/preferences/privacy?student_id=${SID}`, 'office')).text()
    expect(bySid).toContain('Privacy: Pat Private')
    const none = await get('/preferences/privacy?student_id=1111111', 'office')
    expect(none.status).toBe(404)
    expect(await none.text()).toContain('There is no student with that student ID.')
  })

  test('turning both flags on makes the photo visible to other students', async () => {
    const r = await post({ user: String(u.pat!.id), parent_show_pictures: 'on', self_show_pictures: 'on' })
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe(`/preferences/privacy?user=${u.pat!.id}&saved=1`)
    expect(await flagsOf(u.pat!.id)).toMatchObject({ parentShowPictures: true, selfShowPictures: true, parentShowEighth: false })
    expect(await (await get(`/profile/${u.pat!.id}`, 'sam')).text()).toContain(`src="/profile/picture/${u.pat!.id}"`)
    const audit = await env.sql`SELECT actor_id, action, target_id FROM audit_log WHERE action = 'privacy.update'`
    expect(audit.at(-1)).toMatchObject({ actorId: u.office!.id, targetId: String(u.pat!.id) })
  })

  test('turning a parent flag off also clears the self flag, even if self was submitted on', async () => {
    await post({ user: String(u.pat!.id), self_show_pictures: 'on' })
    expect(await flagsOf(u.pat!.id)).toMatchObject({ parentShowPictures: false, selfShowPictures: false })
    expect(await (await get(`/profile/${u.pat!.id}`, 'sam')).text()).not.toContain(`src="/profile/picture/${u.pat!.id}"`)
  })

  test('the office may set a self flag while the parent flag stays off (still hidden)', async () => {
    await post({ user: String(u.pat!.id), self_show_eighth: 'on' })
    expect(await flagsOf(u.pat!.id)).toMatchObject({ parentShowEighth: false, selfShowEighth: true })
    expect(await (await get(`/profile/${u.pat!.id}`, 'sam')).text()).not.toContain('Robotics Lab')
  })

  test('non-students have no privacy options', async () => {
    expect(await (await get(`/preferences/privacy?user=${u.tess!.id}`, 'office')).text()).toContain('non-students have no privacy options')
    const r = await post({ user: String(u.tess!.id), parent_show_pictures: 'on', self_show_pictures: 'on' })
    expect(r.status).toBe(422)
    expect((await flagsOf(u.tess!.id)).parentShowPictures).toBe(false)
  })

  test('students read their settings in /preferences; the office gets the editor link', async () => {
    const mine = await (await get('/preferences', 'pat')).text()
    expect(mine).toContain('Only the eighth-period office can change these.')
    expect(mine).not.toContain('name="parent_show_pictures"')
    expect(await (await get('/preferences', 'office')).text()).toContain('href="/preferences/privacy"')
  })

  test('applyPrivacy, the rule alone', () => {
    const closed: PrivacyFlags = { selfShowPictures: false, parentShowPictures: false, selfShowEighth: false, parentShowEighth: false, selfShowSchedule: false, parentShowSchedule: false }
    const open: PrivacyFlags = { selfShowPictures: true, parentShowPictures: true, selfShowEighth: true, parentShowEighth: true, selfShowSchedule: true, parentShowSchedule: true }
    expect(applyPrivacy(closed, open)).toEqual(open)
    expect(applyPrivacy(open, { ...open, parentShowEighth: false })).toEqual({ ...open, parentShowEighth: false, selfShowEighth: false })
    expect(applyPrivacy(closed, { ...closed, selfShowSchedule: true })).toEqual({ ...closed, selfShowSchedule: true })
  })
})
