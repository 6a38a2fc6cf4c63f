import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addRoutes } from './helpers.ts'

// Each student's route: the /preferences section, and bus admins setting it at /bus/riders.

setDefaultTimeout(30_000)
let env: TestEnv
let ids: Map<string, number>
let stu: MadeUser
let cStu: string, cTeacher: string, cAdmin: string

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T20:30:00Z' })
  ids = await addRoutes(env.sql)
  stu = await makeUser(env.sql, { type: 'student', username: 'rider1', studentId: '1234567' })
  const teacher = await makeUser(env.sql, { type: 'teacher' })
  const admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_bus'] })
  ;[cStu, cTeacher, cAdmin] = await Promise.all([login(env.app, stu), login(env.app, teacher), login(env.app, admin)])
})
afterAll(async () => {
  await env?.close()
})

const routeOf = async (id: number) => (await env.sql<{ r: number | null }[]>`SELECT bus_route_id AS r FROM users WHERE id = ${id}`)[0]!.r
const html = async (path: string, cookie: string) => (await env.app.handle(req(path, { cookie }))).text()

test('students get a "Bus route" section listing every route, or none', async () => {
  const page = await html('/preferences', cStu)
  const section = /<section id="pref-bus"[\s\S]*?<\/section>/.exec(page)![0]
  expect(section).toContain('<option value="">I don\'t ride a bus</option>')
  expect(section.match(/<option value="\d+"/g)).toHaveLength(60)
  expect(section.indexOf('>JT-2<')).toBeLessThan(section.indexOf('>JT-10<'))
  expect(await html('/preferences', cTeacher)).not.toContain('id="pref-bus"')
})

test('saving: with htmx the section answers itself; without, back to /preferences', async () => {
  const jt9 = String(ids.get('JT-9'))
  let r = await env.app.handle(req('/preferences/bus', { form: { route_id: jt9 }, cookie: cStu, htmx: true }))
  expect(r.status).toBe(200)
  const body = await r.text()
  expect(body).toStartWith('<section id="pref-bus"')
  expect(body).toContain('Bus route saved.')
  expect(body).toContain(`<option value="${jt9}" selected>JT-9</option>`)
  expect(await routeOf(stu.id)).toBe(ids.get('JT-9')!)
  r = await env.app.handle(req('/preferences/bus', { form: { route_id: '' }, cookie: cStu }))
  expect(r.status).toBe(303)
  expect(r.headers.get('location')).toBe('/preferences?saved=1')
  expect(await routeOf(stu.id)).toBeNull()
})

test('a route that does not exist is refused (422) and nothing changes; teachers can’t post', async () => {
  for (const bad of ['999999', 'abc', '-1']) {
    const r = await env.app.handle(req('/preferences/bus', { form: { route_id: bad }, cookie: cStu, htmx: true }))
    expect(r.status).toBe(422)
    expect(await r.text()).toContain('That bus route does not exist')
  }
  const full = await env.app.handle(req('/preferences/bus', { form: { route_id: '999999' }, cookie: cStu }))
  expect(full.status).toBe(422)
  expect(await full.text()).toContain('<h1>Preferences</h1>')
  expect(await routeOf(stu.id)).toBeNull()
  expect((await env.app.handle(req('/preferences/bus', { form: { route_id: String(ids.get('JT-1')) }, cookie: cTeacher }))).status).toBe(403)
})

test('bus admins find a student by username or student ID and set the route (audited)', async () => {
  expect((await env.app.handle(req('/bus/riders', { cookie: cStu }))).status).toBe(403)
  const byId = await html('/bus/riders?q=1234567', cAdmin)
  expect(byId).toContain('(rider1)')
  expect(byId).toContain('Has no bus route.')
  const jt3 = String(ids.get('JT-3'))
  const r = await env.app.handle(req(`/bus/riders/${stu.id}`, { form: { route_id: jt3 }, cookie: cAdmin }))
  expect(r.status).toBe(303)
  expect(r.headers.get('location')).toBe('/bus/riders?q=rider1&saved=1')
  expect(await routeOf(stu.id)).toBe(ids.get('JT-3')!)
  expect(await html('/bus/riders?q=RIDER1&saved=1', cAdmin)).toContain('Rides JT-3.')
  const [a] = await env.sql`SELECT action, target_id, details FROM audit_log WHERE action = 'bus.rider.set'`
  expect(a).toEqual({ action: 'bus.rider.set', targetId: String(stu.id), details: { from: null, to: ids.get('JT-3') } })
  expect(await html('/bus/riders?q=nobody', cAdmin)).toContain('No account matches “nobody”.')
  expect((await env.app.handle(req(`/bus/riders/${stu.id}`, { form: { route_id: jt3 }, cookie: cStu }))).status).toBe(403)
})
