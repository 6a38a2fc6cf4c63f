import { afterAll, beforeAll, expect, test } from 'bun:test'
import { closeLiveSockets, WS_RESTART, WS_SERVER_OPTIONS } from '../../src/platform/live.ts'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { listen } from '../helpers/browser.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { client, type Client } from '../bus/helpers.ts'

// The WebSocket limits of every live socket (src/platform/live.ts): a frame over the payload
// limit closes only that socket (1009) and the server carries on; a graceful shutdown closes every
// open socket with 1012 ("service restart", which hx-ws and bus.js reconnect on) and refuses new ones.

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let cookie: string
const open: Client[] = []

beforeAll(async () => {
  env = await testEnv()
  server = await listen(env.app)
  cookie = await login(env.app, await makeUser(env.sql, { type: 'student' }))
})
afterAll(async () => {
  for (const c of open) c.ws.close()
  await server.stop()
  await env.close()
})

const connect = async (path = '/eighth/live/1') => {
  const c = await client(server.url(path).replace('http', 'ws'), { cookie, origin: server.base })
  open.push(c)
  return c
}

test('a frame over maxPayloadLength closes that socket with 1009; other sockets and the server carry on', async () => {
  expect(WS_SERVER_OPTIONS.maxPayloadLength).toBeLessThanOrEqual(64 * 1024)
  const victim = await connect()
  const bystander = await connect()
  victim.send('x'.repeat(1024 * 1024)) // 1 MB
  const code = await Promise.race([victim.closed, Bun.sleep(5000).then(() => 'still open')])
  expect(code).toBe(1009)
  // a message just under the limit is fine
  bystander.send('y'.repeat(WS_SERVER_OPTIONS.maxPayloadLength - 100))
  await Bun.sleep(200)
  expect(bystander.ws.readyState).toBe(WebSocket.OPEN)
  expect((await fetch(server.url('/healthz'))).status).toBe(200)
  expect((await connect()).ws.readyState).toBe(WebSocket.OPEN)
})

test('closeLiveSockets closes every open socket with 1012 and refuses new upgrades', async () => {
  const before = open.filter((c) => c.ws.readyState === WebSocket.OPEN)
  const more = [await connect(), await connect('/eighth/live/2')]
  const all = [...before, ...more]
  const n = closeLiveSockets(env.app.deps.services)
  expect(n).toBe(all.length)
  const codes = await Promise.all(all.map((c) => Promise.race([c.closed, Bun.sleep(3000).then(() => 'still open')])))
  expect(codes).toEqual(all.map(() => WS_RESTART))
  await expect(connect()).rejects.toThrow('websocket refused')
  const r = await fetch(server.url('/eighth/live/1'), { headers: { cookie, origin: server.base, upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } })
  expect(r.status).toBe(503)
})
