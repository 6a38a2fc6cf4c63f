import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

let env: TestEnv
let admin: MadeUser // admin_all, not a superuser
let other: MadeUser // another admin_all
let root: MadeUser // a superuser
let kim: MadeUser // a student
let cookie: string

beforeAll(async () => {
  env = await testEnv()
  admin = await makeUser(env.sql, { type: 'teacher', username: 'admin1', firstName: 'Ada', groups: ['admin_all'] })
  other = await makeUser(env.sql, { type: 'teacher', username: 'admin2', groups: ['admin_all'] })
  root = await makeUser(env.sql, { type: 'teacher', username: 'root1', isSuperuser: true, groups: ['admin_all'] })
  kim = await makeUser(env.sql, { type: 'student', username: 'kimstudent', firstName: 'Kim' })
})
afterAll(async () => { await env.close() })
// A fresh login each test: a login counts as a fresh password entry.
beforeEach(async () => { cookie = await login(env.app, admin) })

const get = (path: string, c = cookie) => env.app.handle(req(path, { cookie: c }))
const post = (path: string, c = cookie, form: Record<string, string> = {}) => env.app.handle(req(path, { method: 'POST', cookie: c, form }))
const audits = (action: string) =>
  env.sql<{ actorId: number; targetId: string; details: Record<string, unknown> }[]>`SELECT actor_id, target_id, details FROM audit_log WHERE action = ${action} ORDER BY id`
const BANNER = 'Viewing as kimstudent. You are admin1.'

describe('view as this user', () => {
  test('start: the admin sees the site as the user, with a banner on every page, and it is audited', async () => {
    const before = (await audits('impersonate.start')).length
    const r = await post(`/admin/users/${kim.id}/impersonate`)
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/')
    for (const path of ['/', '/preferences']) {
      const html = await (await get(path)).text()
      expect(html).toContain(BANNER)
      expect(html).toContain('action="/impersonate/stop"')
    }
    expect(await (await get('/')).text()).toContain('Hello, Kim')
    const a = (await audits('impersonate.start')).slice(before)
    expect(a.length).toBe(1)
    expect(a[0]!.actorId).toBe(admin.id)
    expect(a[0]!.targetId).toBe(String(kim.id))
    // The record of the session stays the admin's.
    const raw = (await env.redis.send('KEYS', [env.redis.prefix + 'session:*'])) as string[]
    const sessions = await Promise.all(raw.map(async (k) => JSON.parse((await env.redis.send('GET', [k])) as string)))
    const mine = sessions.find((s) => s.actAs)
    expect(mine.userId).toBe(admin.id)
    expect(mine.actAs.userId).toBe(kim.id)
  })

  test("while viewing as a student the admin has only the student's rights", async () => {
    await post(`/admin/users/${kim.id}/impersonate`)
    expect((await get('/admin/users')).status).toBe(403)
    expect((await get(`/admin/users/${other.id}`)).status).toBe(403)
    expect((await get('/admin')).status).toBe(403)
    expect((await post(`/admin/users/${other.id}/impersonate`)).status).toBe(403)
    expect((await post(`/admin/users/${other.id}/lock`)).status).toBe(403)
    expect((await env.sql`SELECT locked FROM users WHERE id = ${other.id}`)[0]!.locked).toBe(false)
    expect(await (await get('/')).text()).not.toContain('href="/admin"')
  })

  test('stop: one click restores the admin, and it is audited', async () => {
    await post(`/admin/users/${kim.id}/impersonate`)
    env.clock.advance(90_000)
    const before = (await audits('impersonate.stop')).length
    const r = await post('/impersonate/stop')
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe(`/admin/users/${kim.id}?done=stopped`)
    const page = await (await get(r.headers.get('location')!)).text()
    expect(page).toContain('You are back to your own account.')
    expect(page).not.toContain('Viewing as')
    expect((await get('/admin/users')).status).toBe(200)
    const a = (await audits('impersonate.stop')).slice(before)
    expect(a.length).toBe(1)
    expect(a[0]!.actorId).toBe(admin.id)
    expect(a[0]!.targetId).toBe(String(kim.id))
    expect(a[0]!.details.seconds).toBe(90)
  })

  test('stop when not viewing as anyone does nothing', async () => {
    const before = (await audits('impersonate.stop')).length
    const r = await post('/impersonate/stop')
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/')
    expect((await audits('impersonate.stop')).length).toBe(before)
    expect((await env.app.handle(req('/impersonate/stop', { method: 'POST' }))).status).toBe(303) // anonymous → login
  })

  test('never onto a superuser, never onto yourself', async () => {
    const before = (await audits('impersonate.start')).length
    const su = await post(`/admin/users/${root.id}/impersonate`)
    expect(su.status).toBe(403)
    expect(await su.text()).toContain('Nobody can view the site as a superuser.')
    const self = await post(`/admin/users/${admin.id}/impersonate`)
    expect(self.status).toBe(403)
    expect(await self.text()).toContain('You cannot view the site as yourself.')
    expect((await audits('impersonate.start')).length).toBe(before)
    expect(await (await get('/')).text()).not.toContain('Viewing as')
    // The account page offers no button for them either.
    expect(await (await get(`/admin/users/${root.id}`)).text()).not.toContain(`action="/admin/users/${root.id}/impersonate"`)
    expect(await (await get(`/admin/users/${kim.id}`)).text()).toContain(`action="/admin/users/${kim.id}/impersonate"`)
  })

  test('not onto a locked account, and not for non-admins', async () => {
    const locked = await makeUser(env.sql, { type: 'student', locked: true })
    expect((await post(`/admin/users/${locked.id}/impersonate`)).status).toBe(403)
    const kc = await login(env.app, kim)
    expect((await post(`/admin/users/${admin.id}/impersonate`, kc)).status).toBe(403)
    expect((await get(`/admin/users/${admin.id}/impersonate`, kc)).status).toBe(403)
  })

  test('viewing as another admin: no second impersonation from inside the first', async () => {
    await post(`/admin/users/${other.id}/impersonate`)
    expect(await (await get('/')).text()).toContain('Viewing as admin2. You are admin1.')
    const r = await post(`/admin/users/${kim.id}/impersonate`)
    expect(r.status).toBe(403)
    expect(await r.text()).toContain('Stop viewing as this user first.')
    expect(await (await get('/')).text()).toContain('Viewing as admin2.')
    await post('/impersonate/stop')
  })

  test('needs a password entered within 15 minutes: stale → /reauthenticate → confirm → start', async () => {
    env.clock.advance(16 * 60_000)
    const before = (await audits('impersonate.start')).length
    const r = await post(`/admin/users/${kim.id}/impersonate`)
    expect(r.status).toBe(303)
    const next = `/admin/users/${kim.id}/impersonate`
    expect(r.headers.get('location')).toBe(`/reauthenticate?next=${encodeURIComponent(next)}`)
    expect(await (await get('/')).text()).not.toContain('Viewing as')
    expect((await audits('impersonate.start')).length).toBe(before)
    // The confirmation page asks for the password too.
    expect((await get(next)).headers.get('location')).toBe(`/reauthenticate?next=${encodeURIComponent(next)}`)

    const re = await post('/reauthenticate', cookie, { password: admin.password, next })
    expect(re.status).toBe(303)
    expect(re.headers.get('location')).toBe(next)
    const confirm = await get(next)
    expect(confirm.status).toBe(200)
    expect(await confirm.text()).toContain(`action="/admin/users/${kim.id}/impersonate"`)
    expect((await post(next)).status).toBe(303)
    expect(await (await get('/')).text()).toContain(BANNER)
    await post('/impersonate/stop')
  })

  test('logging out while viewing as someone ends it; the next login is the admin alone', async () => {
    await post(`/admin/users/${kim.id}/impersonate`)
    await post('/logout')
    expect((await get('/preferences')).status).toBe(303)
    const fresh = await login(env.app, admin)
    expect(await (await get('/', fresh)).text()).not.toContain('Viewing as')
  })

  test("the user's own sessions are untouched", async () => {
    const kc = await login(env.app, kim)
    await post(`/admin/users/${kim.id}/impersonate`)
    const html = await (await get('/', kc)).text()
    expect(html).not.toContain('Viewing as')
    expect(html).toContain('Hello, Kim')
    await post('/impersonate/stop')
  })
})
