import { afterAll, beforeAll, beforeEach, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addRoutes, ride } from './helpers.ts'

// /bus, /bus/morning, /bus/afternoon: who sees what, at what time, on first paint.

const AFTERNOON = '2026-11-30T20:30:00Z' // Monday 15:30 in New York
setDefaultTimeout(30_000)
let env: TestEnv
let signage: TestEnv
let ids: Map<string, number>
let stu: MadeUser
let cStu: string, cTeacher: string, cAdmin: string, cAlum: string, cWalker: string

beforeAll(async () => {
  env = await testEnv({ clock: AFTERNOON })
  signage = await testEnv({ clock: AFTERNOON, config: { INTERNAL_IPS: '127.0.0.1' } })
  ids = await addRoutes(env.sql)
  await addRoutes(signage.sql)
  stu = await makeUser(env.sql, { type: 'student' })
  const walker = await makeUser(env.sql, { type: 'student' })
  const teacher = await makeUser(env.sql, { type: 'teacher' })
  const admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_bus'] })
  const alum = await makeUser(env.sql, { type: 'alum' })
  await ride(env.sql, stu.id, ids.get('JT-12')!)
  ;[cStu, cTeacher, cAdmin, cAlum, cWalker] = await Promise.all([login(env.app, stu), login(env.app, teacher), login(env.app, admin), login(env.app, alum), login(env.app, walker)])
})
afterAll(async () => {
  await env?.close()
  await signage?.close()
})
beforeEach(async () => {
  env.clock.set(AFTERNOON)
  await env.sql`UPDATE bus_routes SET status = 'o', space = ''`
  await env.sql`UPDATE bus_board SET announcement = ''`
  await env.sql`DELETE FROM schedule_days`
  await env.redis.incr('bell_schedule:v') // the schedule's cache
})

async function get(path: string, cookie?: string, app = env.app): Promise<{ status: number; html: string; location: string | null }> {
  const r = await app.handle(req(path, { cookie }))
  return { status: r.status, html: await r.text(), location: r.headers.get('location') }
}
const spaceOf = (html: string, space: string) => new RegExp(`<g class="([^"]*)" data-space="${space}"[^>]*>[\\s\\S]*?</g>`).exec(html)
const banner = (html: string) => /<p id="bus-banner"[^>]*class="([^"]*)"[^>]*>([\s\S]*?)<\/p>/.exec(html) ?? /<p id="bus-banner" class="([^"]*)"[^>]*>([\s\S]*?)<\/p>/.exec(html)

test('/bus: the morning board before the changeover hour, the afternoon one after (Ion acceptance 26)', async () => {
  env.clock.set('2026-11-30T14:00:00Z') // 09:00
  const morning = await get('/bus', cStu)
  expect(morning.status).toBe(200)
  expect(morning.html).toContain('<h1>Buses this morning</h1>')
  expect(morning.html).toContain('id="bus-list-o"')
  expect(morning.html).not.toContain('id="bus-lot"')
  env.clock.set('2026-11-30T16:00:00Z') // 11:00
  const afternoon = await get('/bus', cStu)
  expect(afternoon.html).toContain('<h1>Buses this afternoon</h1>')
  expect(afternoon.html).toContain('id="bus-lot"')
  expect(afternoon.html).toContain(`data-stale-at="2026-12-01T05:00:00.000Z"`) // the prompt to reload at midnight
  expect((await get('/bus/morning', cStu)).html).toContain('<h1>Buses this morning</h1>')
  expect(afternoon.html).toContain('/public/bus.js?v=')
  expect(afternoon.html).toContain('/public/bus.css?v=')
})

test('who may look: members; visitors only from INTERNAL_IPS; restricted accounts are refused', async () => {
  const anon = await get('/bus')
  expect(anon.status).toBe(303)
  expect(anon.location).toBe('/login?next=%2Fbus')
  expect((await get('/bus/afternoon', cAlum)).status).toBe(403)
  const sign = await get('/bus/afternoon', undefined, signage.app)
  expect(sign.status).toBe(200)
  expect(sign.html).toContain('id="bus-lot"')
  expect(sign.html).not.toContain('bus-mark')
  expect(sign.html).not.toContain('space-link')
  expect(sign.html).not.toContain('id="bus-notify"')
  expect((await get('/bus', cTeacher)).status).toBe(200)
})

test('the lot on first paint: arrived buses fill their space with the name; the viewer’s own is marked', async () => {
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_4' WHERE route_name = 'JT-12'`
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_30' WHERE route_name = 'PW-2'`
  await env.sql`UPDATE bus_routes SET status = 'a' WHERE route_name = 'AC-1'`
  const { html } = await get('/bus/afternoon', cStu)
  expect(html.match(/data-space="_\d+"/g)).toHaveLength(45)
  expect(spaceOf(html, '_4')![1]).toBe('space filled mine')
  expect(spaceOf(html, '_4')![0]).toContain('>JT-12</text>')
  expect(spaceOf(html, '_30')![1]).toBe('space filled')
  expect(spaceOf(html, '_30')![0]).toContain('>PW-2</text>')
  expect(spaceOf(html, '_5')![1]).toBe('space')
  expect(html).toContain('Bus lot map: 2 of 45 spaces filled')
  expect(html).toMatch(/<ul id="bus-list-a"[^>]*>.*AC-1.*JT-12.*space 4.*PW-2.*space 30/)
})

test('search (without JavaScript too): ?q= highlights matching buses', async () => {
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_4' WHERE route_name = 'JT-12'`
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_9' WHERE route_name = 'JT-1'`
  const { html } = await get('/bus/afternoon?q=jt12', cWalker)
  expect(spaceOf(html, '_4')![1]).toBe('space filled found')
  expect(spaceOf(html, '_9')![1]).toBe('space filled')
  expect(html).toContain('1 route found.')
  const none = await get('/bus/afternoon?q=%3Cscript%3E', cWalker)
  expect(none.html).toContain('No route matches “&lt;script&gt;”.')
})

test('the personal banner: arrived, on time, not arrived yet from 15:55 (BUS_DAY_END), delayed; register', async () => {
  const at = async (iso: string) => { env.clock.set(iso); return banner((await get('/bus/afternoon', cStu)).html)! }
  let b = await at('2026-11-30T20:54:00Z') // 15:54
  expect(b[1]).toBe('bus-banner ontime')
  expect(b[2]).toContain('JT-12 is on time')
  b = await at('2026-11-30T20:55:00Z') // 15:55
  expect(b[1]).toBe('bus-banner late')
  expect(b[2]).toContain('JT-12 has not arrived yet')
  env.clock.set('2026-12-05T20:58:00Z') // a Saturday: no school day, no "not arrived yet" (a fresh session: days have passed)
  b = banner((await get('/bus/afternoon', await login(env.app, stu))).html)!
  expect(b[1]).toBe('bus-banner ontime')
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_7' WHERE route_name = 'JT-12'`
  b = await at('2026-11-30T20:58:00Z')
  expect(b[1]).toBe('bus-banner arrived')
  expect(b[2]).toContain('JT-12 has arrived (space 7)')
  await env.sql`UPDATE bus_routes SET status = 'd', space = '' WHERE route_name = 'JT-12'`
  b = await at('2026-11-30T20:58:00Z')
  expect(b[1]).toBe('bus-banner delayed')
  expect(b[2]).toContain('JT-12 is delayed')

  const walker = await get('/bus/afternoon', cWalker)
  expect(walker.html).toContain('<a href="/preferences#pref-bus">Register your bus route…</a>')
  expect(walker.html).not.toContain('id="bus-notify"')
  expect((await get('/bus/afternoon', cTeacher)).html).toContain('<p id="bus-banner" class="bus-banner" hidden>')
})

test('the end of the school day comes from the bell schedule when today has one', async () => {
  const [t] = await env.sql<{ id: number }[]>`INSERT INTO schedule_day_types (name) VALUES ('Early release') RETURNING id`
  await env.sql`INSERT INTO schedule_blocks (day_type_id, sort_order, name, start_time, end_time) VALUES
    (${t!.id}, 1, '1', '08:40', '10:00'), (${t!.id}, 2, '2', '10:10', '13:30')`
  await env.sql`INSERT INTO schedule_days (date, day_type_id) VALUES ('2026-11-30', ${t!.id})`
  await env.redis.incr('bell_schedule:v')
  env.clock.set('2026-11-30T18:24:00Z') // 13:24
  let h = await get('/bus/afternoon', cStu)
  expect(banner(h.html)![1]).toBe('bus-banner ontime')
  expect(h.html).toContain('data-late-at="2026-11-30T18:25:00.000Z"')
  env.clock.set('2026-11-30T18:26:00Z')
  h = await get('/bus/afternoon', cStu)
  expect(banner(h.html)![1]).toBe('bus-banner late')
})

test('the announcement box, as an alert when it mentions the viewer’s route (Ion’s rule)', async () => {
  await env.sql`UPDATE bus_board SET announcement = 'Buses jt12 and 30 are late <b>today</b>'`
  const mine = (await get('/bus/afternoon', cStu)).html
  expect(mine).toContain('<section id="bus-ann" class="bus-ann mine"')
  expect(mine).toContain('Announcement about your bus')
  expect(mine).toContain('Buses jt12 and 30 are late &lt;b&gt;today&lt;/b&gt;')
  const other = (await get('/bus/afternoon', cWalker)).html
  expect(other).toContain('<section id="bus-ann" class="bus-ann"')
  await env.sql`UPDATE bus_board SET announcement = ''`
  expect((await get('/bus/afternoon', cStu)).html).toMatch(/<section id="bus-ann" class="bus-ann"[^>]* hidden>/)
})

test('route names are escaped everywhere they appear', async () => {
  const [r] = await env.sql<{ id: number }[]>`
    INSERT INTO bus_routes (route_name, status, space, updated_at) VALUES ('<img src=x onerror=1>', 'a', '_44', now()) RETURNING id`
  await env.sql`UPDATE bus_board SET announcement = '<script>alert(1)</script>'`
  for (const cookie of [cStu, cAdmin]) {
    const { html } = await get('/bus/afternoon?space=_45', cookie)
    // Raw only inside a quoted attribute value (datalist value, aria-label), where it is inert.
    for (let i = html.indexOf('<img src=x'); i >= 0; i = html.indexOf('<img src=x', i + 1))
      expect(html.lastIndexOf('<', i - 1)).toBeGreaterThan(html.lastIndexOf('>', i - 1))
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('&lt;img src=x onerror=1&gt;')
  }
  await env.sql`DELETE FROM bus_routes WHERE id = ${r!.id}`
})

test('bus admins get the controls — only on the board of the current half of the day', async () => {
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_4' WHERE route_name = 'JT-12'`
  const { html } = await get('/bus/afternoon', cAdmin)
  expect(html).toContain('<form id="bus-mark"')
  expect(html).toContain('<form id="bus-ann-form"')
  expect(html).toContain('<dialog id="bus-sheet"')
  expect(html).toContain('/public/bus-admin.js?v=')
  expect(html).toContain('<a class="space-link" href="/bus/afternoon?space=_4#assign" aria-label="Space 4: JT-12. Unassign">')
  expect(html).toContain('<a class="space-link" href="/bus/afternoon?space=_5#assign" aria-label="Space 5, empty: assign a bus">')
  const morning = await get('/bus/morning', cAdmin)
  expect(morning.html).toContain('It is afternoon now, so this morning board is read-only.')
  expect(morning.html).not.toContain('bus-mark')
  expect(morning.html).not.toContain('bus-admin.js')
  const student = await get('/bus/afternoon', cStu)
  expect(student.html).not.toContain('bus-mark')
  expect(student.html).not.toContain('space-link')
})

test('without JavaScript a tapped space opens a panel: assign (routes not parked) or unassign', async () => {
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_4' WHERE route_name = 'JT-12'`
  const empty = (await get('/bus/afternoon?space=_5', cAdmin)).html
  const panel = /<section id="assign"[\s\S]*?<\/section>/.exec(empty)![0]
  expect(panel).toContain('<h2 id="assign-title">Space 5</h2>')
  expect(panel).toContain('<input type="hidden" name="space" value="_5"/>')
  expect(panel).not.toContain('>JT-12 ·')
  expect(panel).toContain('>JT-13 · on time</option>')
  expect(spaceOf(empty, '_5')![1]).toBe('space selected')
  const filled = (await get('/bus/afternoon?space=_4', cAdmin)).html
  expect(filled).toContain('JT-12 is parked here.')
  expect(filled).toContain('Unassign JT-12 from this space')
  expect((await get('/bus/afternoon?space=_77', cAdmin)).html).not.toContain('id="assign"')
  expect((await get('/bus/afternoon?space=_5', cStu)).html).not.toContain('id="assign"')
})

test('the form posts: saved, stale (other half of the day), refused for non-admins and other sites', async () => {
  const post = (path: string, form: Record<string, string>, cookie: string, origin?: string) =>
    env.app.handle(req(path, { form, cookie, headers: origin ? { origin } : {} }))
  let r = await post('/bus/route', { id: String(ids.get('JT-20')), status: 'a', space: '_15', time: 'afternoon' }, cAdmin)
  expect(r.status).toBe(303)
  expect(r.headers.get('location')).toBe('/bus/afternoon?done=saved')
  expect((await env.sql`SELECT status, space FROM bus_routes WHERE route_name = 'JT-20'`)[0]).toEqual({ status: 'a', space: '_15' })
  expect((await get('/bus/afternoon?done=saved', cAdmin)).html).toContain('<p class="alert info" role="status">Saved.</p>')

  r = await post('/bus/route', { id: String(ids.get('JT-21')), status: 'd', time: 'morning' }, cAdmin)
  expect(r.headers.get('location')).toBe('/bus/morning?done=stale')
  r = await post('/bus/route', { id: String(ids.get('JT-21')), status: 'a', space: '_15', time: 'afternoon' }, cAdmin) // taken
  expect(r.headers.get('location')).toBe('/bus/afternoon?done=error')
  expect((await env.sql`SELECT status FROM bus_routes WHERE route_name = 'JT-21'`)[0]).toEqual({ status: 'o' })

  r = await post('/bus/announcement', { announcement: 'Dismissal delayed', action: 'save', time: 'afternoon' }, cAdmin)
  expect(r.headers.get('location')).toBe('/bus/afternoon?done=saved')
  expect((await env.sql`SELECT announcement FROM bus_board`)[0]).toEqual({ announcement: 'Dismissal delayed' })
  await post('/bus/announcement', { announcement: 'ignored', action: 'clear', time: 'afternoon' }, cAdmin)
  expect((await env.sql`SELECT announcement FROM bus_board`)[0]).toEqual({ announcement: '' })

  expect((await post('/bus/route', { id: String(ids.get('JT-22')), status: 'a', space: '', time: 'afternoon' }, cStu)).status).toBe(403)
  expect((await post('/bus/announcement', { announcement: 'x', time: 'afternoon' }, cTeacher)).status).toBe(403)
  expect((await post('/bus/route', { id: String(ids.get('JT-22')), status: 'a', space: '', time: 'afternoon' }, cAdmin, 'https://evil.example')).status).toBe(403)
  expect((await env.sql`SELECT status FROM bus_routes WHERE route_name = 'JT-22'`)[0]).toEqual({ status: 'o' })
})
