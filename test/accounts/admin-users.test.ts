import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

let env: TestEnv
let root: MadeUser // superuser in admin_all
let boss: MadeUser // admin_all, not a superuser
let eighth: MadeUser // admin_eighth only
let kim: MadeUser // a student
let couns: MadeUser // a counselor
let su2: MadeUser // another superuser
let rootCookie: string
let bossCookie: string

const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36'
const MAC_SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15'

beforeAll(async () => {
  env = await testEnv()
  root = await makeUser(env.sql, { type: 'teacher', username: 'root1', isSuperuser: true, groups: ['admin_all'] })
  boss = await makeUser(env.sql, { type: 'teacher', username: 'boss1', groups: ['admin_all'] })
  eighth = await makeUser(env.sql, { type: 'teacher', username: 'office1', groups: ['admin_eighth'] })
  kim = await makeUser(env.sql, { type: 'student', username: 'kimstudent', firstName: 'Kimberly', lastName: 'Zhao', nickname: 'Kim', studentId: '1234567' })
  couns = await makeUser(env.sql, { type: 'counselor', username: 'couns1', firstName: 'Carla', lastName: 'Counsel' })
  su2 = await makeUser(env.sql, { type: 'teacher', username: 'super2', isSuperuser: true })
  await env.sql`INSERT INTO groups (name) VALUES ('Robotics'), ('Band')`
  rootCookie = await login(env.app, root)
  bossCookie = await login(env.app, boss)
})
afterAll(async () => { await env.close() })

const get = (path: string, cookie: string, htmx = false) => env.app.handle(req(path, { cookie, htmx }))
const post = (path: string, cookie: string, form: Record<string, string> = {}, htmx = false) =>
  env.app.handle(req(path, { method: 'POST', cookie, form, htmx }))
const auditRows = (action: string, targetId?: number) =>
  targetId === undefined
    ? env.sql<{ actorId: number | null; targetId: string; details: Record<string, unknown> }[]>`SELECT actor_id, target_id, details FROM audit_log WHERE action = ${action} ORDER BY id`
    : env.sql<{ actorId: number | null; targetId: string; details: Record<string, unknown> }[]>`SELECT actor_id, target_id, details FROM audit_log WHERE action = ${action} AND target_id = ${String(targetId)} ORDER BY id`
const userRow = async (id: number) => (await env.sql`SELECT * FROM users WHERE id = ${id}`)[0]!
const groupsOf = async (id: number) =>
  (await env.sql<{ name: string }[]>`SELECT g.name FROM user_groups ug JOIN groups g ON g.id = ug.group_id WHERE ug.user_id = ${id} ORDER BY g.name`).map((r) => r.name)
const groupId = async (name: string) => (await env.sql<{ id: number }[]>`SELECT id FROM groups WHERE name = ${name}`)[0]!.id

const editForm = (over: Record<string, string> = {}) => ({
  first_name: 'Kimberly', middle_name: '', last_name: 'Zhao', nickname: 'Kim', user_type: 'student', graduation_year: '2027',
  student_id: '1234567', counselor: '', admin_comments: '', ...over,
})

describe('access', () => {
  test('anonymous visitors are sent to log in', async () => {
    const r = await env.app.handle(req('/admin/users'))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/login?next=%2Fadmin%2Fusers')
  })

  test('a student and an admin without admin_all get 403 on every page and action', async () => {
    for (const who of [kim, eighth]) {
      const cookie = await login(env.app, who)
      expect((await get('/admin/users', cookie)).status).toBe(403)
      expect((await get(`/admin/users/${couns.id}`, cookie)).status).toBe(403)
      expect((await post(`/admin/users/${couns.id}/lock`, cookie)).status).toBe(403)
      expect((await post(`/admin/users/${couns.id}/password-link`, cookie)).status).toBe(403)
      expect((await post(`/admin/users/${couns.id}/edit`, cookie, editForm())).status).toBe(403)
    }
    expect((await userRow(couns.id)).locked).toBe(false)
  })

  test('the admin index links to Users for admin_all only', async () => {
    expect(await (await get('/admin', bossCookie)).text()).toContain('href="/admin/users"')
    expect(await (await get('/admin', await login(env.app, eighth))).text()).not.toContain('href="/admin/users"')
  })

  test('bad ids and pages are 4xx, never 500', async () => {
    expect((await get('/admin/users/999999', bossCookie)).status).toBe(404)
    expect((await get('/admin/users/abc', bossCookie)).status).toBe(422)
    expect((await get('/admin/users/99999999999', bossCookie)).status).toBe(422)
    expect((await get('/admin/users?page=abc', bossCookie)).status).toBe(422)
    expect((await post('/admin/users/999999/lock', bossCookie)).status).toBe(404)
    expect((await post(`/admin/users/${kim.id}/edit`, bossCookie, { first_name: 'x' })).status).toBe(422)
  })
})

describe('find a user', () => {
  test('by username, names, nickname and student id', async () => {
    for (const q of ['kimstud', 'zhao', 'KIMBERLY', 'Kim Zhao', '1234567', '12345']) {
      const html = await (await get(`/admin/users?q=${encodeURIComponent(q)}`, bossCookie)).text()
      expect(html).toContain(`href="/admin/users/${kim.id}"`)
    }
    const none = await (await get('/admin/users?q=zhao+nobody', bossCookie)).text()
    expect(none).not.toContain(`href="/admin/users/${kim.id}"`)
    expect(none).toContain('No account matches')
  })

  test('LIKE wildcards in the query match literally', async () => {
    const html = await (await get('/admin/users?q=%25', bossCookie)).text()
    expect(html).toContain('No account matches')
  })

  test('the full page has the search-as-you-type input; an htmx request gets only the results partial', async () => {
    const full = await (await get('/admin/users?q=zhao', bossCookie)).text()
    expect(full).toContain('<!doctype html>')
    expect(full).toContain('hx-get="/admin/users"')
    expect(full).toContain('hx-trigger="input changed delay:300ms, search"')
    expect(full).toContain('hx-target="#user-results"')
    expect(full).toContain('id="user-results"')
    const r = await get('/admin/users?q=zhao', bossCookie, true)
    expect(r.headers.get('vary')).toContain('HX-Request')
    const part = await r.text()
    expect(part).not.toContain('<html')
    expect(part).not.toContain('name="q"')
    expect(part.startsWith('<div id="user-results"')).toBe(true)
    expect(part).toContain(`href="/admin/users/${kim.id}"`)
  })

  test('names are escaped in results', async () => {
    const x = await makeUser(env.sql, { type: 'teacher', username: 'xssname', firstName: '<script>alert(1)</script>', lastName: 'Evil' })
    const html = await (await get('/admin/users?q=xssname', bossCookie)).text()
    expect(html).toContain(`href="/admin/users/${x.id}"`)
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;')
  })

  test('paginated, 25 a page, with links that also work as htmx requests', async () => {
    for (let i = 0; i < 30; i++) await makeUser(env.sql, { type: 'teacher', lastName: 'Pagetest', firstName: `P${String(i).padStart(2, '0')}` })
    const p1 = await (await get('/admin/users?q=pagetest', bossCookie)).text()
    expect(p1).toContain('30 accounts')
    expect(p1.match(/href="\/admin\/users\/\d+"/g)!.length).toBe(25)
    expect(p1).toContain('href="/admin/users?q=pagetest&page=2"')
    const p2 = await (await get('/admin/users?q=pagetest&page=2', bossCookie, true)).text()
    expect(p2.match(/href="\/admin\/users\/\d+"/g)!.length).toBe(5)
    expect(p2).toContain('Page 2 of 2')
    expect(p2).toContain('rel="prev"')
  })
})

describe('the user page and editing', () => {
  test('shows the account with its form', async () => {
    const r = await get(`/admin/users/${kim.id}`, bossCookie)
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('Zhao, Kimberly (Kim)')
    expect(html).toContain('name="graduation_year"')
    expect(html).toContain(`action="/admin/users/${kim.id}/edit"`)
    expect(html).toContain('id="user-admin"')
    // The superuser flag is only on a superuser's form.
    expect(html).not.toContain('name="is_superuser"')
    expect(await (await get(`/admin/users/${kim.id}`, rootCookie)).text()).toContain('name="is_superuser"')
  })

  test('a valid edit saves, audits and redirects back (plain form)', async () => {
    const r = await post(`/admin/users/${kim.id}/edit`, bossCookie, editForm({ nickname: 'Kimmy', middle_name: 'Q', counselor: 'COUNS1', admin_comments: 'Transferred in.' }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe(`/admin/users/${kim.id}?done=saved`)
    const u = await userRow(kim.id)
    expect(u.nickname).toBe('Kimmy')
    expect(u.middleName).toBe('Q')
    expect(u.counselorId).toBe(couns.id)
    expect(u.adminComments).toBe('Transferred in.')
    const a = await auditRows('user.update', kim.id)
    expect(a.at(-1)!.actorId).toBe(boss.id)
    expect(a.at(-1)!.details.changed).toEqual(['middleName', 'nickname', 'counselorId', 'adminComments'])
    const page = await (await get(r.headers.get('location')!, bossCookie)).text()
    expect(page).toContain('Saved.')
    expect(page).toContain('value="couns1"')
  })

  test('htmx: the answer is the page body partial with a notice', async () => {
    const r = await post(`/admin/users/${kim.id}/edit`, bossCookie, editForm({ nickname: 'Kim', middle_name: 'Q', counselor: 'couns1', admin_comments: 'Transferred in.' }), true)
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).not.toContain('<html')
    expect(html.startsWith('<div id="user-admin"')).toBe(true)
    expect(html).toContain('Saved.')
    expect(html).toContain('hx-target="#user-admin"')
  })

  test('bad input: 422, every error next to its field, nothing changed', async () => {
    const before = await userRow(kim.id)
    const audits = (await auditRows('user.update', kim.id)).length
    await makeUser(env.sql, { type: 'student', username: 'otherkid', studentId: '7654321' })
    const r = await post(`/admin/users/${kim.id}/edit`, bossCookie, editForm({
      first_name: 'Changed', graduation_year: '20x7', student_id: '7654321', counselor: 'nosuchperson', user_type: 'wizard', nickname: 'n'.repeat(101),
    }))
    expect(r.status).toBe(422)
    const html = await r.text()
    expect(html).toContain('Nothing was saved')
    expect(html).toContain('Enter a four-digit year')
    expect(html).toContain('The account otherkid already has this student ID.')
    expect(html).toContain('There is no account named nosuchperson.')
    expect(html).toContain('Choose one of the listed account types.')
    expect(html).toContain('Use at most 100 characters.')
    expect(html).toMatch(/id="f-graduation_year"[^>]*aria-invalid="true"/)
    expect(html).toContain('value="Changed"') // what was typed stays in the form
    expect(await userRow(kim.id)).toEqual(before)
    expect((await auditRows('user.update', kim.id)).length).toBe(audits)
  })

  test('a counselor must be a counselor; a student needs a graduation year', async () => {
    const r = await post(`/admin/users/${kim.id}/edit`, bossCookie, editForm({ counselor: 'boss1', graduation_year: '' }), true)
    expect(r.status).toBe(422)
    const html = await r.text()
    expect(html).toContain('boss1 is not a counselor.')
    expect(html).toContain('A student needs a graduation year.')
  })

  test('only superusers change the superuser flag', async () => {
    const t = await makeUser(env.sql, { type: 'teacher', username: 'teach9' })
    const form = { first_name: 'Test', middle_name: '', last_name: 'T', nickname: '', user_type: 'teacher', graduation_year: '', student_id: '', counselor: '', admin_comments: '' }
    const r = await post(`/admin/users/${t.id}/edit`, bossCookie, { ...form, is_superuser: 'on' })
    expect(r.status).toBe(403)
    expect((await userRow(t.id)).isSuperuser).toBe(false)
    // A non-superuser's save (no checkbox) leaves the flag alone.
    await env.sql`UPDATE users SET is_superuser = false WHERE id = ${t.id}`
    expect((await post(`/admin/users/${t.id}/edit`, rootCookie, { ...form, is_superuser: 'on' })).status).toBe(303)
    expect((await userRow(t.id)).isSuperuser).toBe(true)
    expect((await post(`/admin/users/${t.id}/edit`, rootCookie, form)).status).toBe(303)
    expect((await userRow(t.id)).isSuperuser).toBe(false)
    // A superuser cannot drop their own flag.
    const self = await post(`/admin/users/${root.id}/edit`, rootCookie, { ...form, first_name: 'Root' })
    expect(self.status).toBe(422)
    expect(await self.text()).toContain('You cannot remove your own superuser flag.')
    expect((await userRow(root.id)).isSuperuser).toBe(true)
  })

  test("a non-superuser admin cannot change a superuser's account", async () => {
    const html = await (await get(`/admin/users/${su2.id}`, bossCookie)).text()
    expect(html).toContain('Only a superuser can change a superuser’s account.')
    expect(html).not.toContain(`action="/admin/users/${su2.id}/edit"`)
    const form = { first_name: 'Hacked', middle_name: '', last_name: 'X', nickname: '', user_type: 'teacher', graduation_year: '', student_id: '', counselor: '', admin_comments: '' }
    expect((await post(`/admin/users/${su2.id}/edit`, bossCookie, form)).status).toBe(403)
    expect((await post(`/admin/users/${su2.id}/password-link`, bossCookie)).status).toBe(403)
    expect((await post(`/admin/users/${su2.id}/lock`, bossCookie)).status).toBe(403)
    expect((await post(`/admin/users/${su2.id}/sessions/end-all`, bossCookie)).status).toBe(403)
    expect((await post(`/admin/users/${su2.id}/groups`, bossCookie, { group: 'Band' })).status).toBe(403)
    const u = await userRow(su2.id)
    expect(u.firstName).toBe('Test')
    expect(u.locked).toBe(false)
    expect(await groupsOf(su2.id)).toEqual([])
  })

  test('an htmx error answers with the message retargeted to #messages', async () => {
    const r = await post(`/admin/users/${su2.id}/lock`, bossCookie, {}, true)
    expect(r.status).toBe(403)
    expect(r.headers.get('hx-retarget')).toBe('#messages')
    expect(await r.text()).toContain('Only a superuser can change a superuser’s account.')
  })
})

describe('groups', () => {
  test('admin_all adds and removes ordinary groups, with audit rows', async () => {
    const r = await post(`/admin/users/${kim.id}/groups`, bossCookie, { group: 'robotics' })
    expect(r.status).toBe(303)
    expect(await groupsOf(kim.id)).toEqual(['Robotics'])
    expect((await auditRows('user.group.add', kim.id)).at(-1)!.details).toEqual({ group: 'Robotics' })
    const rm = await post(`/admin/users/${kim.id}/groups/${await groupId('Robotics')}/remove`, bossCookie, {}, true)
    expect(rm.status).toBe(200)
    expect(await rm.text()).toContain('Removed from the group.')
    expect(await groupsOf(kim.id)).toEqual([])
    expect((await auditRows('user.group.remove', kim.id)).length).toBe(1)
  })

  test('only superusers manage admin_* groups', async () => {
    const t = await makeUser(env.sql, { type: 'teacher', username: 'teach10', groups: ['admin_events'] })
    const add = await post(`/admin/users/${t.id}/groups`, bossCookie, { group: 'admin_eighth' })
    expect(add.status).toBe(403)
    expect(await add.text()).toContain('Only superusers can manage permission groups')
    const rm = await post(`/admin/users/${t.id}/groups/${await groupId('admin_events')}/remove`, bossCookie)
    expect(rm.status).toBe(403)
    expect(await groupsOf(t.id)).toEqual(['admin_events'])
    // The admin's page offers no Remove button for admin_* and no admin_* suggestion.
    const html = await (await get(`/admin/users/${t.id}`, bossCookie)).text()
    expect(html).not.toContain(`/groups/${await groupId('admin_events')}/remove`)
    expect(html).not.toContain('<option value="admin_eighth">')
    expect(await (await get(`/admin/users/${t.id}`, rootCookie)).text()).toContain('<option value="admin_eighth">')

    expect((await post(`/admin/users/${t.id}/groups`, rootCookie, { group: 'admin_eighth' })).status).toBe(303)
    expect((await post(`/admin/users/${t.id}/groups/${await groupId('admin_events')}/remove`, rootCookie)).status).toBe(303)
    expect(await groupsOf(t.id)).toEqual(['admin_eighth'])
    // The new permission applies on the user's next request.
    const cookie = await login(env.app, t)
    expect((await get('/admin', cookie)).status).toBe(200)
  })

  test('unknown group: 422 next to the field; already a member: 409', async () => {
    const r = await post(`/admin/users/${kim.id}/groups`, bossCookie, { group: 'Chess <club>' })
    expect(r.status).toBe(422)
    const html = await r.text()
    expect(html).toContain('There is no group named “Chess &lt;club&gt;”.')
    expect(html).toMatch(/id="f-group"[^>]*aria-invalid="true"/)
    await post(`/admin/users/${kim.id}/groups`, bossCookie, { group: 'Band' })
    const again = await post(`/admin/users/${kim.id}/groups`, bossCookie, { group: 'Band' })
    expect(again.status).toBe(409)
    expect((await post(`/admin/users/${kim.id}/groups`, bossCookie, { group: '  ' })).status).toBe(422)
    expect((await post(`/admin/users/${kim.id}/groups/999999/remove`, bossCookie)).status).toBe(404)
    expect((await post(`/admin/users/${kim.id}/groups/${await groupId('Robotics')}/remove`, bossCookie)).status).toBe(409)
  })
})

describe('lock and unlock', () => {
  test('locking ends every session and stops logins; unlocking lets them back in', async () => {
    const v = await makeUser(env.sql, { type: 'student', username: 'lockme' })
    const c1 = await login(env.app, v)
    const c2 = await login(env.app, v)
    expect((await get('/preferences', c1)).status).toBe(200)
    const r = await post(`/admin/users/${v.id}/lock`, bossCookie)
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe(`/admin/users/${v.id}?done=locked`)
    expect((await userRow(v.id)).locked).toBe(true)
    for (const c of [c1, c2]) expect((await get('/preferences', c)).status).toBe(303)
    const again = await env.app.handle(req('/login', { form: { username: v.username, password: v.password } }))
    expect(again.status).toBe(403)
    expect(again.headers.get('set-cookie')).toBeNull()
    const a = await auditRows('user.lock', v.id)
    expect(a.length).toBe(1)
    expect(a[0]!.actorId).toBe(boss.id)
    expect(a[0]!.details).toEqual({ sessions: 2 })
    expect(await (await get(`/admin/users/${v.id}`, bossCookie)).text()).toContain('Unlock the account')

    expect((await post(`/admin/users/${v.id}/unlock`, bossCookie)).status).toBe(303)
    expect((await userRow(v.id)).locked).toBe(false)
    expect((await auditRows('user.unlock', v.id)).length).toBe(1)
    await login(env.app, v)
  })

  test('an admin cannot lock their own account', async () => {
    const r = await post(`/admin/users/${boss.id}/lock`, bossCookie)
    expect(r.status).toBe(403)
    expect((await userRow(boss.id)).locked).toBe(false)
  })
})

describe('one-time password link', () => {
  test('is shown with a copy button, works once, and is audited', async () => {
    const v = await makeUser(env.sql, { type: 'student', username: 'forgetful' })
    const r = await post(`/admin/users/${v.id}/password-link`, bossCookie)
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    const html = await r.text()
    const m = html.match(/http:\/\/localhost:3000\/password\/reset\/([a-z2-7]{52})/)
    expect(m).not.toBeNull()
    expect(html).toContain('data-copy="reset-link"')
    expect(html).toContain('id="reset-link"')
    expect(html).toContain('print this page')
    const row = (await env.sql`SELECT created_by, purpose, expires_at FROM password_links WHERE user_id = ${v.id}`)[0]!
    expect(row.createdBy).toBe(boss.id)
    expect(row.purpose).toBe('admin')
    expect((row.expiresAt as Date).getTime() - env.clock.now().getTime()).toBe(24 * 3600_000)
    const a = await auditRows('user.password_link', v.id)
    expect(a.length).toBe(1)
    expect(JSON.stringify(a[0])).not.toContain(m![1]!)
    // The link works (the reset pages are the password feature's).
    expect((await env.app.handle(req(`/password/reset/${m![1]}`))).status).toBe(200)
    const set = await env.app.handle(req(`/password/reset/${m![1]}`, { form: { new_password: 'a brand new phrase', confirm_password: 'a brand new phrase' } }))
    expect(set.status).toBe(303)
    await login(env.app, { username: v.username, password: 'a brand new phrase' })
    expect((await env.app.handle(req(`/password/reset/${m![1]}`))).status).toBe(410)
  })

  test('htmx: the link comes back in the body partial', async () => {
    const r = await post(`/admin/users/${kim.id}/password-link`, bossCookie, {}, true)
    const html = await r.text()
    expect(html).not.toContain('<html')
    expect(html).toMatch(/\/password\/reset\/[a-z2-7]{52}/)
  })
})

describe('sessions', () => {
  test('lists devices by browser and OS; ends one or all, with audit rows', async () => {
    const v = await makeUser(env.sql, { type: 'student', username: 'devices' })
    const loginUa = async (ua: string) => {
      const r = await env.app.handle(req('/login', { form: { username: v.username, password: v.password }, headers: { 'user-agent': ua } }))
      return r.headers.get('set-cookie')!.split(';')[0]!
    }
    const phone = await loginUa(ANDROID_CHROME)
    const laptop = await loginUa(MAC_SAFARI)
    const html = await (await get(`/admin/users/${v.id}`, bossCookie)).text()
    expect(html).toContain('Chrome on Android')
    expect(html).toContain('Safari on macOS')
    expect(html).toContain(`action="/admin/users/${v.id}/sessions/revoke"`)
    const ids = [...html.matchAll(/name="id" value="([a-f0-9]{16})"/g)].map((m) => m[1]!)
    expect(ids.length).toBe(2)
    const laptopId = html.split('<tr>').find((row) => row.includes('Safari on macOS'))!.match(/name="id" value="([a-f0-9]{16})"/)![1]!
    const r = await post(`/admin/users/${v.id}/sessions/revoke`, bossCookie, { id: laptopId })
    expect(r.status).toBe(303)
    expect((await get('/preferences', laptop)).status).toBe(303)
    expect((await get('/preferences', phone)).status).toBe(200)
    expect((await auditRows('user.session.end', v.id)).length).toBe(1)
    expect((await post(`/admin/users/${v.id}/sessions/revoke`, bossCookie, { id: laptopId })).status).toBe(404)
    expect((await post(`/admin/users/${v.id}/sessions/revoke`, bossCookie, { id: 'not-hex' })).status).toBe(404)
    // Another user's session cannot be ended through this user's page.
    const bossIds = [...(await (await get(`/admin/users/${boss.id}`, bossCookie)).text()).matchAll(/name="id" value="([a-f0-9]{16})"/g)].map((m) => m[1]!)
    expect((await post(`/admin/users/${v.id}/sessions/revoke`, bossCookie, { id: bossIds[0]! })).status).toBe(404)

    const all = await post(`/admin/users/${v.id}/sessions/end-all`, bossCookie, {}, true)
    expect(all.status).toBe(200)
    expect(await all.text()).toContain('Signed out on every device.')
    expect((await get('/preferences', phone)).status).toBe(303)
    expect((await auditRows('user.session.end_all', v.id))[0]!.details).toEqual({ sessions: 1 })
  })
})

describe('login lockout', () => {
  test('shows whether the account is locked out and lifts it', async () => {
    const v = await makeUser(env.sql, { type: 'student', username: 'fumbler' })
    for (let i = 0; i < 10; i++) {
      env.clock.advance(61_000) // past the growing delay
      await env.app.handle(req('/login', { form: { username: v.username, password: 'wrong wrong wrong' } }))
    }
    const blocked = await env.app.handle(req('/login', { form: { username: v.username, password: v.password } }))
    expect(blocked.status).toBe(429)
    // The admins logged in long ago (in clock time): log in again.
    bossCookie = await login(env.app, boss)
    rootCookie = await login(env.app, root)
    const html = await (await get(`/admin/users/${v.id}`, bossCookie)).text()
    expect(html).toContain('login locked out')
    const r = await post(`/admin/users/${v.id}/lockout/lift`, bossCookie)
    expect(r.status).toBe(303)
    expect((await auditRows('user.lockout.lift', v.id))[0]!.details).toEqual({ devices: 1 })
    expect(await (await get(`/admin/users/${v.id}`, bossCookie)).text()).toContain('No login lockout.')
    await login(env.app, v)
  })
})
