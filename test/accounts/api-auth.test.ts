import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

// /api/profile: the three ways in (session cookie, personal token, HTTP Basic) and Ion's JSON
// shape and visibility rules (ion-apps.md §19.1).

let env: TestEnv
let student: MadeUser
let classmate: MadeUser
let teacher: MadeUser
let counselor: MadeUser
let studentCookie: string

const BASE = 'http://localhost:3000' // testConfig's default BASE_URL (PORT 3000)

beforeAll(async () => {
  env = await testEnv()
  counselor = await makeUser(env.sql, { username: 'counsel', type: 'counselor', firstName: 'Cora', lastName: 'Counts' })
  student = await makeUser(env.sql, { username: 'apistudent', firstName: 'Sam', lastName: 'Stone', graduationYear: 2027, studentId: '1234567', email: 'sam@example.org' })
  classmate = await makeUser(env.sql, {
    username: 'Classmate', firstName: 'Casey', lastName: 'Clark', nickname: 'Case', graduationYear: 2029, studentId: '7654321',
    counselorId: counselor.id, email: 'casey@example.org',
  })
  await env.sql`UPDATE users SET middle_name = 'Middle' WHERE id = ${classmate.id}`
  teacher = await makeUser(env.sql, { username: 'apiteacher', type: 'teacher', firstName: 'Tess', lastName: 'Teach' })
  studentCookie = await login(env.app, student)
})
afterAll(async () => { await env.close() })

const get = (path: string, init: Parameters<typeof req>[1] = {}) => env.app.handle(req(path, init))
const basic = (u: string, p: string) => ({ authorization: 'Basic ' + btoa(`${u}:${p}`) })

describe('ways in', () => {
  test('anonymous → 401 JSON asking for credentials', async () => {
    const r = await get('/api/profile')
    expect(r.status).toBe(401)
    expect(r.headers.get('content-type')).toContain('application/json')
    expect(r.headers.get('www-authenticate')).toBe('Basic realm="Ion API", charset="UTF-8"')
    expect((await r.json()).detail).toBe('Authentication credentials were not provided.')
  })

  test('by session cookie', async () => {
    const r = await get('/api/profile', { cookie: studentCookie })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('application/json')
    const body = await r.json()
    expect(body.id).toBe(student.id)
    expect(body.ion_username).toBe('apistudent')
  })

  test('by a personal access token from /tokens; a revoked token is 401', async () => {
    const made = await get('/tokens', { cookie: studentCookie, form: { name: 'my script' } })
    expect(made.status).toBe(200)
    expect(made.headers.get('cache-control')).toBe('no-store')
    const html = await made.text()
    const token = html.match(/<code id="new-token">(ion_[a-z2-7]+)<\/code>/)?.[1]
    expect(token).toBeDefined()
    // Only its hash is stored.
    const rows = await env.sql<{ h: string }[]>`SELECT token_hash AS h FROM api_tokens WHERE user_id = ${student.id}`
    expect(rows.length).toBe(1)
    expect(rows[0]!.h).not.toBe(token!)
    expect(rows[0]!.h).toMatch(/^[0-9a-f]{64}$/)
    // The list page does not show it again.
    expect(await (await get('/tokens', { cookie: studentCookie })).text()).not.toContain(token!)

    const r = await get('/api/profile', { headers: { authorization: `Bearer ${token}` } })
    expect(r.status).toBe(200)
    expect((await r.json()).id).toBe(student.id)
    const [used] = await env.sql<{ at: Date | null }[]>`SELECT last_used_at AS at FROM api_tokens WHERE user_id = ${student.id}`
    expect(used!.at?.getTime()).toBe(env.clock.now().getTime())

    // A bearer token is not a session: it cannot make tokens or open HTML pages.
    expect((await get('/tokens', { headers: { authorization: `Bearer ${token}` } })).status).toBe(303)

    const id = html.match(/action="\/tokens\/(\d+)\/revoke"/)?.[1]
    expect(id).toBeDefined()
    // Someone else cannot revoke it.
    const other = await login(env.app, classmate)
    expect((await get(`/tokens/${id}/revoke`, { method: 'POST', cookie: other })).status).toBe(404)
    expect((await get('/api/profile', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)

    const rv = await get(`/tokens/${id}/revoke`, { method: 'POST', cookie: studentCookie })
    expect(rv.status).toBe(303)
    const dead = await get('/api/profile', { headers: { authorization: `Bearer ${token}` } })
    expect(dead.status).toBe(401)
    expect((await dead.json()).detail).toBe('Invalid token.')
  })

  test('a made-up bearer token is 401 (not silently anonymous, not the cookie)', async () => {
    const r = await get('/api/profile', { headers: { authorization: 'Bearer ion_nope' }, cookie: studentCookie })
    expect(r.status).toBe(401)
  })

  test('HTTP Basic: good → 200; bad → 401 with WWW-Authenticate', async () => {
    const u = await makeUser(env.sql, { username: 'basicuser', firstName: 'Bea' })
    const ok = await get('/api/profile', { headers: basic(u.username, u.password) })
    expect(ok.status).toBe(200)
    expect((await ok.json()).id).toBe(u.id)
    const bad = await get('/api/profile', { headers: basic(u.username, 'wrong wrong') })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('www-authenticate')).toBe('Basic realm="Ion API", charset="UTF-8"')
    expect((await bad.json()).detail).toBe('Invalid username/password (accounts with two-step login must use a personal access token).')
    const unknown = await get('/api/profile', { headers: basic('nobody-here', 'wrong wrong') })
    expect(unknown.status).toBe(401)
    const garbage = await get('/api/profile', { headers: { authorization: 'Basic !!!notbase64' } })
    expect(garbage.status).toBe(400)
  })

  test('HTTP Basic is rate-limited like login: a delay after 3 failures, a lockout after 10', async () => {
    const u = await makeUser(env.sql, { username: 'basicbrute' })
    for (let i = 0; i < 3; i++) expect((await get('/api/profile', { headers: basic(u.username, 'guess ' + i) })).status).toBe(401)
    const limited = await get('/api/profile', { headers: basic(u.username, u.password) })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    // Keep guessing past each delay until locked.
    let n = 3
    while (n < 10) {
      const r = await get('/api/profile', { headers: basic(u.username, 'guess ' + n) })
      if (r.status === 429) { env.clock.advance(Number(r.headers.get('retry-after')) * 1000); continue }
      expect(r.status).toBe(401)
      n++
    }
    env.clock.advance(2 * 60_000)
    const locked = await get('/api/profile', { headers: basic(u.username, u.password) })
    expect(locked.status).toBe(429)
    expect(Number(locked.headers.get('retry-after'))).toBe(13 * 60)
    // The login form shares the counter.
    expect((await get('/login', { form: { username: u.username, password: u.password } })).status).toBe(429)
    env.clock.advance(13 * 60_000)
    expect((await get('/api/profile', { headers: basic(u.username, u.password) })).status).toBe(200)
  })

  test('ION_API_BASIC_AUTH=off → 401 even with the right password', async () => {
    const off = await testEnv({ config: { ION_API_BASIC_AUTH: 'off' } })
    try {
      const u = await makeUser(off.sql, { username: 'nobasic' })
      const r = await off.app.handle(req('/api/profile', { headers: basic(u.username, u.password) }))
      expect(r.status).toBe(401)
      expect(r.headers.get('www-authenticate')).toBeNull()
      expect((await r.json()).detail).toContain('turned off')
      // A cookie still works.
      const c = await login(off.app, u)
      expect((await off.app.handle(req('/api/profile', { cookie: c }))).status).toBe(200)
      expect((await off.app.handle(req('/api/profile'))).headers.get('www-authenticate')).toBeNull()
    } finally {
      await off.close()
    }
  })

  test('a locked account is refused by every way in', async () => {
    const u = await makeUser(env.sql, { username: 'soonlocked' })
    const c = await login(env.app, u)
    const made = await (await get('/tokens', { cookie: c, form: { name: 't' } })).text()
    const token = made.match(/<code id="new-token">(ion_[a-z2-7]+)<\/code>/)![1]!
    await env.sql`UPDATE users SET locked = true WHERE id = ${u.id}`
    expect((await get('/api/profile', { cookie: c })).status).toBe(401)
    expect((await get('/api/profile', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
    expect((await get('/api/profile', { headers: basic(u.username, u.password) })).status).toBe(401)
  })
})

const STUDENT_VIEW_KEYS = [
  'administrator', 'counselor', 'display_name', 'first_name', 'full_name', 'grade', 'graduation_year', 'id', 'ion_username',
  'is_eighth_admin', 'is_student', 'is_teacher', 'last_name', 'nickname', 'picture', 'sex', 'short_name', 'title', 'tj_email', 'user_type',
]

describe('JSON shape (§19.1)', () => {
  test('a student viewing another student: exactly Ion’s keys, no student_id, no middle_name, no emails…', async () => {
    const r = await get(`/api/profile/${classmate.id}`, { cookie: studentCookie })
    expect(r.status).toBe(200)
    const body = await r.json()
    expect(Object.keys(body).sort()).toEqual(STUDENT_VIEW_KEYS)
    for (const k of ['student_id', 'middle_name', 'emails', 'phones', 'websites', 'address', 'absences', 'is_announcements_admin']) expect(body).not.toHaveProperty(k)
    expect(body).toEqual({
      id: classmate.id,
      ion_username: 'Classmate',
      sex: '',
      title: null,
      display_name: 'Case Clark',
      full_name: 'Casey Clark',
      short_name: 'Case',
      first_name: 'Casey',
      last_name: 'Clark',
      nickname: 'Case',
      // The school address and the counselor follow the directory's privacy rule (canSee):
      // staff only (the address: staff and its owner). The keys stay, as null.
      tj_email: null,
      grade: { number: 10, name: 'sophomore' },
      graduation_year: 2029,
      user_type: 'student',
      counselor: null,
      administrator: null,
      picture: `${BASE}/api/profile/${classmate.id}/picture`,
      is_eighth_admin: false,
      is_teacher: false,
      is_student: true,
    })
    expect(JSON.stringify(body)).not.toContain('Middle')
    expect(JSON.stringify(body)).not.toContain('7654321')
  })

  test('a teacher viewing a student gets student_id', async () => {
    const c = await login(env.app, teacher)
    const body = await (await get(`/api/profile/${classmate.id}`, { cookie: c })).json()
    expect(Object.keys(body).sort()).toEqual([...STUDENT_VIEW_KEYS, 'student_id'].sort())
    expect(body.student_id).toBe('7654321')
    expect(body.tj_email).toBe('casey@example.org')
    expect(body.counselor).toEqual({
      id: counselor.id, url: `${BASE}/api/profile/${counselor.id}`, user_type: 'counselor', username: 'counsel',
      full_name: 'Cora Counts', first_name: 'Cora', last_name: 'Counts',
    })
  })

  test('an eighth-period admin student gets student_id too; is_eighth_admin describes the target', async () => {
    const office = await makeUser(env.sql, { username: 'officekid', groups: ['admin_eighth'] })
    const c = await login(env.app, office)
    const body = await (await get(`/api/profile/${classmate.id}`, { cookie: c })).json()
    expect(body.student_id).toBe('7654321')
    expect(body.is_eighth_admin).toBe(false)
    const self = await (await get('/api/profile', { cookie: c })).json()
    expect(self.is_eighth_admin).toBe(true)
    const seen = await (await get(`/api/profile/${office.id}`, { cookie: studentCookie })).json()
    expect(seen.is_eighth_admin).toBe(true)
  })

  test('a teacher’s own profile: staff grade, is_teacher', async () => {
    const c = await login(env.app, teacher)
    const body = await (await get('/api/profile', { cookie: c })).json()
    expect(body.grade).toEqual({ number: 13, name: 'staff' })
    expect(body.is_teacher).toBe(true)
    expect(body.is_student).toBe(false)
    expect(body.graduation_year).toBeNull()
  })

  test('/api/profile/<username> is case-insensitive; unknown is 404', async () => {
    for (const name of ['classmate', 'CLASSMATE', 'Classmate']) {
      const r = await get(`/api/profile/${name}`, { cookie: studentCookie })
      expect(r.status).toBe(200)
      expect((await r.json()).id).toBe(classmate.id)
    }
    const none = await get('/api/profile/nobody-at-all', { cookie: studentCookie })
    expect(none.status).toBe(404)
    expect((await none.json()).detail).toBe('Not found.')
    expect((await get('/api/profile/999999', { cookie: studentCookie })).status).toBe(404)
  })

  test('a restricted viewer (alum): someone else → 404, self → 200', async () => {
    const alum = await makeUser(env.sql, { username: 'oldgrad', type: 'alum', graduationYear: 2020 })
    const c = await login(env.app, alum)
    const other = await get(`/api/profile/${classmate.id}`, { cookie: c })
    expect(other.status).toBe(404)
    expect((await other.json()).detail).toBe('Not found.')
    expect((await get('/api/profile/classmate', { cookie: c })).status).toBe(404)
    const self = await get('/api/profile', { cookie: c })
    expect(self.status).toBe(200)
    expect((await self.json()).user_type).toBe('alum')
    expect((await get(`/api/profile/${alum.id}`, { cookie: c })).status).toBe(200)
    expect((await get('/api/profile/OLDGRAD', { cookie: c })).status).toBe(200)
  })

  test('a viewer without API access: someone else → 403 with Ion’s detail, self → 200', async () => {
    const u = await makeUser(env.sql, { username: 'noapi' })
    await env.sql`UPDATE users SET oauth_and_api_access = false WHERE id = ${u.id}`
    const c = await login(env.app, u)
    const r = await get(`/api/profile/${classmate.id}`, { cookie: c })
    expect(r.status).toBe(403)
    const body = await r.json()
    expect(body.detail).toBe('You do not have permission to perform this action.')
    expect(body.details).toEqual(['You do not have permission to perform this action.'])
    expect((await get('/api/profile', { cookie: c })).status).toBe(200)
    expect((await get(`/api/profile/${u.id}`, { cookie: c })).status).toBe(200)
  })

  test('trailing slash and ?format=json both work', async () => {
    for (const path of ['/api/profile/', '/api/profile?format=json', '/api/profile/?format=json']) {
      const r = await get(path, { cookie: studentCookie })
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toContain('application/json')
      expect((await r.json()).id).toBe(student.id)
    }
    for (const path of [`/api/profile/${classmate.id}/`, '/api/profile/classmate/?format=json']) {
      const r = await get(path, { cookie: studentCookie })
      expect(r.status).toBe(200)
      expect((await r.json()).id).toBe(classmate.id)
    }
  })

  test('the API root lists absolute URLs', async () => {
    const r = await get('/api/')
    expect(r.status).toBe(200)
    expect((await r.json()).profile).toBe(`${BASE}/api/profile`)
  })
})
