import { afterAll, beforeAll, beforeEach, expect, setDefaultTimeout, test } from 'bun:test'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { listen } from '../helpers/browser.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addRoutes, client, quiet, ride, type Client } from './helpers.ts'

// Ion's bus WebSocket protocol (ion-apps.md §12), message by message, on a real server.
setDefaultTimeout(30_000)

const AFTERNOON = '2026-11-30T20:30:00Z' // 15:30 in New York
const MORNING = '2026-11-30T13:00:00Z' // 08:00

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let ids: Map<string, number>
let stu: MadeUser, admin: MadeUser, walker: MadeUser
let cStu: string, cAdmin: string, cWalker: string
const open: Client[] = []

beforeAll(async () => {
  env = await testEnv({ clock: AFTERNOON })
  server = await listen(env.app)
  ids = await addRoutes(env.sql)
  stu = await makeUser(env.sql, { type: 'student' })
  walker = await makeUser(env.sql, { type: 'student' })
  admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_bus'] })
  await ride(env.sql, stu.id, ids.get('JT-7')!)
  ;[cStu, cAdmin, cWalker] = await Promise.all([login(env.app, stu), login(env.app, admin), login(env.app, walker)])
})
afterAll(async () => {
  for (const c of open) c.ws.close()
  await server?.stop()
  await env?.close()
})
beforeEach(async () => {
  env.clock.set(AFTERNOON)
  await env.sql`UPDATE bus_routes SET status = 'o', space = ''`
  await env.sql`UPDATE bus_board SET announcement = ''`
})

const url = () => server.url('/bus/ws').replace('http', 'ws')
async function connect(cookie: string): Promise<Client> {
  const c = await client(url(), { cookie, origin: server.base })
  open.push(c)
  return c
}
const id = (name: string) => ids.get(name)!
const route = async (name: string) => (await env.sql<{ status: string; space: string }[]>`SELECT status, space FROM bus_routes WHERE route_name = ${name}`)[0]!
type Snapshot = { allRoutes: { id: number; route_name: string; bus_number: string; space: string; status: string }[]; announcement: string; userRouteId?: number; userRouteName?: string }

test('on connect: the full snapshot, with the viewer’s route when they have one', async () => {
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_12' WHERE route_name = 'JT-7'`
  await env.sql`UPDATE bus_board SET announcement = 'JT-9 is late'`
  const c = await connect(cStu)
  const raw = await c.next()
  const m = JSON.parse(raw) as Snapshot
  expect(Object.keys(m)).toEqual(['allRoutes', 'announcement', 'userRouteId', 'userRouteName'])
  expect(m.userRouteId).toBe(id('JT-7'))
  expect(m.userRouteName).toBe('JT-7')
  expect(m.announcement).toBe('JT-9 is late')
  expect(m.allRoutes).toHaveLength(60)
  for (const r of m.allRoutes) expect(Object.keys(r)).toEqual(['id', 'route_name', 'bus_number', 'space', 'status'])
  expect(m.allRoutes.find((r) => r.route_name === 'JT-7')).toEqual({ id: id('JT-7'), route_name: 'JT-7', bus_number: expect.any(String), space: '_12', status: 'a' })
  expect(m.allRoutes.slice(8, 12).map((r) => r.route_name)).toEqual(['JT-1', 'JT-2', 'JT-3', 'JT-4']) // by name, numbers as numbers
  expect(await quiet(c)).toBe(true) // one snapshot, nothing else

  const none = await connect(cWalker)
  expect(Object.keys(await none.json())).toEqual(['allRoutes', 'announcement'])
})

test('keepalive: answered to that socket only', async () => {
  const [a, b] = await Promise.all([connect(cStu), connect(cStu)])
  await a.next()
  await b.next()
  a.send({ type: 'keepalive' })
  expect(await a.next()).toBe('{"type":"keepalive-response"}')
  expect(await quiet(b)).toBe(true)
})

test('an admin update is saved and the board is broadcast to every socket, without personal keys', async () => {
  const [s, a] = await Promise.all([connect(cStu), connect(cAdmin)])
  await s.next()
  await a.next()
  a.send({ id: id('JT-7'), route_name: 'JT-7', bus_number: '', status: 'a', space: '_3', time: 'afternoon' })
  const [fromS, fromA] = await Promise.all([s.next(), a.next()])
  expect(fromS).toBe(fromA)
  const m = JSON.parse(fromS) as Snapshot
  expect(Object.keys(m)).toEqual(['allRoutes', 'announcement'])
  expect(m.allRoutes.find((r) => r.id === id('JT-7'))).toMatchObject({ status: 'a', space: '_3' })
  expect(await route('JT-7')).toEqual({ status: 'a', space: '_3' })

  // an id as a string works too (Ion's Route.objects.get(id="…")); "on time" clears the space
  a.send({ id: String(id('JT-7')), status: 'o', space: '_3', time: 'afternoon' })
  await Promise.all([s.next(), a.next()])
  expect(await route('JT-7')).toEqual({ status: 'o', space: '' })
})

test('arrived without a space; delayed; the morning never keeps a space', async () => {
  const a = await connect(cAdmin)
  await a.next()
  a.send({ id: id('JT-8'), status: 'a', space: '', time: 'afternoon' })
  await a.next()
  expect(await route('JT-8')).toEqual({ status: 'a', space: '' })
  a.send({ id: id('JT-8'), status: 'd', space: '_5', time: 'afternoon' })
  await a.next()
  expect(await route('JT-8')).toEqual({ status: 'd', space: '' })

  env.clock.set(MORNING)
  a.send({ id: id('JT-8'), status: 'a', space: '_5', time: 'morning' })
  await a.next()
  expect(await route('JT-8')).toEqual({ status: 'a', space: '' })
})

test('the other half of the day: ignored — nothing saved, nothing sent', async () => {
  const [s, a] = await Promise.all([connect(cStu), connect(cAdmin)])
  await s.next()
  await a.next()
  a.send({ id: id('JT-7'), status: 'a', space: '_3', time: 'morning' })
  a.send({ announcement: 'stale tab', time: 'morning' })
  a.send({ id: id('JT-7'), status: 'a', space: '_3', time: 'evening' })
  expect(await quiet(a, 400)).toBe(true)
  expect(await quiet(s, 0)).toBe(true)
  expect(await route('JT-7')).toEqual({ status: 'o', space: '' })
  env.clock.set(MORNING)
  a.send({ id: id('JT-7'), status: 'a', space: '', time: 'afternoon' })
  expect(await quiet(a, 300)).toBe(true)
  expect(await route('JT-7')).toEqual({ status: 'o', space: '' })
})

test('the announcement: set, whitespace stored empty, "" clears it; broadcast each time', async () => {
  const [s, a] = await Promise.all([connect(cStu), connect(cAdmin)])
  await s.next()
  await a.next()
  a.send({ announcement: 'JT-7 is <b>late</b>', time: 'afternoon' })
  expect(((await s.json()) as Snapshot).announcement).toBe('JT-7 is <b>late</b>')
  await a.next()
  a.send({ announcement: '   \n ', time: 'afternoon' })
  expect(((await s.json()) as Snapshot).announcement).toBe('')
  await a.next()
  a.send({ announcement: 'again', time: 'afternoon' })
  await s.next()
  a.send({ announcement: '', id: id('JT-7'), status: 'a', time: 'afternoon' }) // the key decides: an announcement
  expect(((await s.json()) as Snapshot).announcement).toBe('')
  expect(await route('JT-7')).toEqual({ status: 'o', space: '' })
  const [row] = await env.sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'bus.announcement' AND actor_id = ${admin.id}`
  expect(row!.n).toBeGreaterThanOrEqual(4)
})

test('a non-admin write gets the permission error, and nothing changes', async () => {
  const [s, other] = await Promise.all([connect(cStu), connect(cWalker)])
  await s.next()
  await other.next()
  s.send({ id: id('JT-7'), status: 'a', space: '_1', time: 'afternoon' })
  expect(await s.next()).toBe('{"error":"User does not have permissions."}')
  s.send({ announcement: 'hacked', time: 'afternoon' })
  expect(await s.next()).toBe('{"error":"User does not have permissions."}')
  s.send({ hello: 'world' })
  expect(await s.next()).toBe('{"error":"User does not have permissions."}')
  expect(await quiet(other)).toBe(true)
  expect(await route('JT-7')).toEqual({ status: 'o', space: '' })
})

test('malformed messages from an admin: "An error occurred.", and nothing changes', async () => {
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_9' WHERE route_name = 'JT-1'`
  const a = await connect(cAdmin)
  await a.next()
  const bad: unknown[] = [
    { id: id('JT-7'), status: 'a', space: '_2' }, // no time
    { id: 999999, status: 'a', space: '_2', time: 'afternoon' }, // no such route
    { id: 'JT-7', status: 'a', space: '_2', time: 'afternoon' },
    { status: 'a', space: '_2', time: 'afternoon' },
    { id: id('JT-7'), status: 'x', time: 'afternoon' },
    { id: id('JT-7'), time: 'afternoon' },
    { id: id('JT-7'), status: 'a', time: 'afternoon' }, // an afternoon arrival needs `space`
    { id: id('JT-7'), status: 'a', space: '_99', time: 'afternoon' }, // not a space of the lot
    { id: id('JT-7'), status: 'a', space: null, time: 'afternoon' },
    { id: id('JT-7'), status: 'a', space: '_9', time: 'afternoon' }, // JT-1 is parked there
    { announcement: 42, time: 'afternoon' },
    { announcement: 'x'.repeat(2001), time: 'afternoon' },
    'not json at all', '[1,2]', '"a string"', '42', 'null',
  ]
  for (const m of bad) {
    a.send(m)
    expect([m, await a.next()]).toEqual([m, '{"error":"An error occurred."}'])
  }
  expect(await quiet(a)).toBe(true)
  expect(await route('JT-7')).toEqual({ status: 'o', space: '' })
  expect(await route('JT-1')).toEqual({ status: 'a', space: '_9' })
})

test('a not-JSON message from a non-admin is malformed too; the socket stays usable', async () => {
  const s = await connect(cStu)
  await s.next()
  s.send('{oops')
  expect(await s.next()).toBe('{"error":"An error occurred."}')
  s.send({ type: 'keepalive' })
  expect(await s.next()).toBe('{"type":"keepalive-response"}')
})

test('writes are checked against the account now: a removed permission or a logout stops them', async () => {
  const other = await makeUser(env.sql, { type: 'teacher', groups: ['admin_bus'] })
  const cookie = await login(env.app, other)
  const a = await connect(cookie)
  await a.next()
  await env.sql`DELETE FROM user_groups WHERE user_id = ${other.id}`
  a.send({ id: id('JT-7'), status: 'd', time: 'afternoon' })
  expect(await a.next()).toBe('{"error":"User does not have permissions."}')

  const b = await connect(cAdmin)
  await b.next()
  const fresh = await login(env.app, admin)
  const c = await connect(fresh)
  await c.next()
  const r = await env.app.handle(new Request('http://localhost/logout', { method: 'POST', headers: { cookie: fresh, origin: 'http://localhost' } }))
  expect(r.status).toBe(303)
  c.send({ id: id('JT-7'), status: 'd', time: 'afternoon' })
  expect(await c.next()).toBe('{"error":"User does not have permissions."}')
  expect(await route('JT-7')).toEqual({ status: 'o', space: '' })
  b.send({ id: id('JT-7'), status: 'd', time: 'afternoon' }) // the admin's other session still works
  await b.next()
  expect(await route('JT-7')).toEqual({ status: 'd', space: '' })
})

test('bus_admin via admin_all; every reconnect starts with a full snapshot', async () => {
  const boss = await makeUser(env.sql, { type: 'teacher', groups: ['admin_all'] })
  const cookie = await login(env.app, boss)
  const a = await connect(cookie)
  await a.next()
  a.send({ id: id('JT-2'), status: 'a', space: '_44', time: 'afternoon' })
  await a.next()
  a.ws.close()
  const again = await connect(cookie)
  const m = (await again.json()) as Snapshot
  expect(m.allRoutes.find((r) => r.route_name === 'JT-2')).toMatchObject({ status: 'a', space: '_44' })
})
