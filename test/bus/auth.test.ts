import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { listen } from '../helpers/browser.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addRoutes, client, WS_HEADERS } from './helpers.ts'

// Authentication happens in the upgrade: the session cookie, the Origin check (DESIGN.md §4),
// members only — and visitors (no session, or a restricted account) only from INTERNAL_IPS.
setDefaultTimeout(30_000)

let env: TestEnv // INTERNAL_IPS empty (the default)
let signage: TestEnv // INTERNAL_IPS = 127.0.0.1
let a: Awaited<ReturnType<typeof listen>>
let b: Awaited<ReturnType<typeof listen>>
let cStu: string, cAlum: string

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T20:30:00Z' })
  signage = await testEnv({ clock: '2026-11-30T20:30:00Z', config: { INTERNAL_IPS: '127.0.0.0/8, 10.0.0.0/8' } })
  await Promise.all([addRoutes(env.sql), addRoutes(signage.sql)])
  ;[a, b] = await Promise.all([listen(env.app), listen(signage.app)])
  const stu = await makeUser(env.sql, { type: 'student' })
  const alum = await makeUser(env.sql, { type: 'alum' })
  ;[cStu, cAlum] = await Promise.all([login(env.app, stu), login(env.app, alum)])
})
afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await env?.close()
  await signage?.close()
})

const upgrade = (base: string, headers: Record<string, string>) =>
  fetch(base + '/bus/ws', { headers: { ...WS_HEADERS, ...headers }, redirect: 'manual' })

test('no session: refused with 401 (the WebSocket never opens)', async () => {
  const r = await upgrade(a.base, { origin: a.base })
  expect(r.status).toBe(401)
  expect(await r.text()).toContain('Sign in')
  await expect(client(a.url('/bus/ws').replace('http', 'ws'), { origin: a.base })).rejects.toThrow('refused')
  const stale = await upgrade(a.base, { origin: a.base, cookie: 'sessionid=not-a-real-session' })
  expect(stale.status).toBe(401)
})

test('a foreign Origin is refused with 403, even with a valid session', async () => {
  const r = await upgrade(a.base, { origin: 'https://evil.example', cookie: cStu })
  expect(r.status).toBe(403)
  await expect(client(a.url('/bus/ws').replace('http', 'ws'), { origin: 'https://evil.example', cookie: cStu })).rejects.toThrow('refused')
  const nullOrigin = await upgrade(a.base, { origin: 'null', cookie: cStu })
  expect(nullOrigin.status).toBe(403)
})

test('a member with a same-origin Origin (or none: not a browser) is let in', async () => {
  const c = await client(a.url('/bus/ws').replace('http', 'ws'), { origin: a.base, cookie: cStu })
  expect(Object.keys(await c.json())).toEqual(['allRoutes', 'announcement'])
  c.ws.close()
  const d = await client(a.url('/bus/ws').replace('http', 'ws'), { cookie: cStu })
  expect(Object.keys(await d.json())).toEqual(['allRoutes', 'announcement'])
  d.ws.close()
})

test('a restricted account is refused (403) unless it comes from INTERNAL_IPS', async () => {
  const r = await upgrade(a.base, { origin: a.base, cookie: cAlum })
  expect(r.status).toBe(403)
})

test('from INTERNAL_IPS a visitor without a session gets the board, read-only', async () => {
  const c = await client(b.url('/bus/ws').replace('http', 'ws'), { origin: b.base })
  const m = await c.json()
  expect(Object.keys(m)).toEqual(['allRoutes', 'announcement'])
  expect((m.allRoutes as unknown[]).length).toBe(60)
  c.send({ id: 1, status: 'a', space: '_1', time: 'afternoon' })
  expect(await c.next()).toBe('{"error":"User does not have permissions."}')
  c.send({ type: 'keepalive' })
  expect(await c.next()).toBe('{"type":"keepalive-response"}')
  c.ws.close()
  // The Origin check still applies to visitors.
  expect((await upgrade(b.base, { origin: 'https://evil.example' })).status).toBe(403)
})

test('X-Forwarded-For is believed only from TRUSTED_PROXIES', async () => {
  const viaProxy = await testEnv({ config: { INTERNAL_IPS: '10.1.0.0/16', TRUSTED_PROXIES: '127.0.0.1' } })
  const direct = await testEnv({ config: { INTERNAL_IPS: '10.1.0.0/16' } })
  const [p, d] = await Promise.all([listen(viaProxy.app), listen(direct.app)])
  try {
    const ok = await upgrade(p.base, { origin: p.base, 'x-forwarded-for': '10.1.2.3' })
    expect(ok.status).toBe(101)
    const outside = await upgrade(p.base, { origin: p.base, 'x-forwarded-for': '192.0.2.7' })
    expect(outside.status).toBe(401)
    const spoofed = await upgrade(d.base, { origin: d.base, 'x-forwarded-for': '10.1.2.3' })
    expect(spoofed.status).toBe(401)
  } finally {
    await p.stop()
    await d.stop()
    await viaProxy.close()
    await direct.close()
  }
})

test('Ion’s own path, /bus/ (and /bus), speaks the same protocol with the same checks; the page stays', async () => {
  for (const path of ['/bus/', '/bus']) {
    const c = await client(a.url(path).replace('http', 'ws'), { origin: a.base, cookie: cStu })
    expect(Object.keys(await c.json())).toEqual(['allRoutes', 'announcement'])
    c.send({ type: 'keepalive' })
    expect(await c.next()).toBe('{"type":"keepalive-response"}')
    c.ws.close()
    expect((await fetch(a.base + path, { headers: { ...WS_HEADERS, origin: a.base } })).status).toBe(401)
    expect((await fetch(a.base + path, { headers: { ...WS_HEADERS, origin: 'https://evil.example', cookie: cStu } })).status).toBe(403)
  }
  const page = await fetch(a.url('/bus/'), { headers: { cookie: cStu } })
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('id="bus"')
})

test('a restricted account from INTERNAL_IPS gets the board (its route too, as Ion sends it), read-only', async () => {
  const alum = await makeUser(signage.sql, { type: 'alum' })
  await signage.sql`UPDATE users SET bus_route_id = (SELECT min(id) FROM bus_routes) WHERE id = ${alum.id}`
  const c = await client(b.url('/bus/ws').replace('http', 'ws'), { origin: b.base, cookie: await login(signage.app, alum) })
  expect(Object.keys(await c.json())).toEqual(['allRoutes', 'announcement', 'userRouteId', 'userRouteName'])
  c.send({ announcement: 'x', time: 'afternoon' })
  expect(await c.next()).toBe('{"error":"User does not have permissions."}')
  c.ws.close()
})
