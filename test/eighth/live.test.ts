import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { listen } from '../helpers/browser.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, bulkStudents, membersOf, schedule } from '../helpers/eighth.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { createPubSub, type PubSub } from '../../src/platform/pubsub.ts'
import { Redis } from '../../src/platform/redis.ts'
import { COALESCE_MS } from '../../src/features/eighth/live-seats.tsx'

// Live seat counts: a real server on port 0 with the Redis pubsub, WebSocket clients on a block's
// topic. A signup over HTTP reaches every client within a second; a burst is coalesced.
setDefaultTimeout(30_000)

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let pubsub: PubSub
let psRedis: Redis
let stu: MadeUser, admin: MadeUser
let cStu: string, cAdmin: string
const sockets: WebSocket[] = []

beforeAll(async () => {
  psRedis = new Redis(process.env.REDIS_URL!, { prefix: `t:live:${process.pid}:${Math.random().toString(36).slice(2, 8)}:` })
  pubsub = createPubSub(psRedis, memoryLogger())
  await pubsub.start()
  env = await testEnv({ build: { services: { pubsub } } })
  server = await listen(env.app)
  stu = await makeUser(env.sql, { type: 'student' })
  admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] })
  ;[cStu, cAdmin] = await Promise.all([login(env.app, stu), login(env.app, admin)])
})
afterAll(async () => {
  for (const s of sockets) s.close()
  await server?.stop()
  await pubsub?.stop()
  psRedis?.close()
  await env?.close()
})

type Client = { got: { at: number; data: string }[] }
async function client(blockId: number, cookie: string): Promise<Client> {
  const ws = new WebSocket(server.url(`/eighth/live/${blockId}`).replace('http', 'ws'), { headers: { cookie, origin: server.base } } as never)
  const c: Client = { got: [] }
  ws.onmessage = (e) => c.got.push({ at: performance.now(), data: String(e.data) })
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject })
  sockets.push(ws)
  return c
}
const signupBy = (cookie: string, uid: number, bid: number, aid: number) =>
  fetch(server.url('/eighth/signup'), {
    method: 'POST', headers: { cookie, origin: server.base, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ uid: String(uid), bid: String(bid), aid: String(aid) }),
  })
async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms
  while (performance.now() < end) {
    if (cond()) return true
    await Bun.sleep(10)
  }
  return cond()
}

test('a signup over HTTP updates the seat count on every client of the block within a second', async () => {
  const block = await addBlock(env.sql, '2026-12-02', 'A')
  const act = await addActivity(env.sql, 'Live Club', { defaultCapacity: 20 })
  const sa = await schedule(env.sql, block, act)
  const [one, two] = await Promise.all([client(block, cStu), client(block, cAdmin)])
  const t0 = performance.now()
  const r = await signupBy(cStu, stu.id, block, act)
  expect(r.status).toBe(200)
  expect(await until(() => one.got.length > 0 && two.got.length > 0, 1000)).toBe(true)
  for (const c of [one, two]) {
    expect(c.got[0]!.at - t0).toBeLessThan(1000)
    expect(c.got[0]!.data).toBe(
      `<span id="seats-${sa}" hx-swap-oob="true"><i class="w5"></i>1 / 20 · 19 seats left</span>`)
  }
})

test('a burst of 50 signups is coalesced: at most one message per 250 ms window, ending at the right count', async () => {
  const block = await addBlock(env.sql, '2026-12-04', 'A')
  const act = await addActivity(env.sql, 'Rush Club', { defaultCapacity: 100 })
  const quiet = await addActivity(env.sql, 'Quiet Club', { defaultCapacity: 100 })
  const sa = await schedule(env.sql, block, act)
  const saQuiet = await schedule(env.sql, block, quiet)
  const [one, two] = await Promise.all([client(block, cStu), client(block, cStu)])
  const students = await bulkStudents(env.sql, 50)
  const t0 = performance.now()
  const statuses = await Promise.all(students.map((u) => signupBy(cAdmin, u, block, act).then((r) => r.status)))
  const elapsed = performance.now() - t0
  expect(statuses.every((s) => s === 200)).toBe(true)
  expect(await membersOf(env.sql, sa)).toHaveLength(50)
  expect(await until(() => one.got.some((m) => m.data.includes('>50 / 100 · 50 seats left<')), 2000)).toBe(true)
  await Bun.sleep(COALESCE_MS * 2) // anything else would have arrived by now
  const bound = Math.ceil(elapsed / COALESCE_MS) + 2
  for (const c of [one, two]) {
    expect(c.got.length).toBeGreaterThanOrEqual(1)
    expect(c.got.length).toBeLessThanOrEqual(bound)
    expect(c.got.length).toBeLessThan(50 / 5)
    expect(c.got.at(-1)!.data).toContain('>50 / 100 · 50 seats left<')
    expect(c.got.some((m) => m.data.includes(`seats-${saQuiet}`))).toBe(false) // only what changed
  }
  expect(two.got.map((m) => m.data)).toEqual(one.got.map((m) => m.data))
  console.log(`burst: 50 signups in ${Math.round(elapsed)} ms → ${one.got.length} messages per client`)
})

test('the upgrade checks Origin and the session; an unknown block id is refused', async () => {
  const headers = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' }
  const foreign = await fetch(server.url('/eighth/live/1'), { headers: { ...headers, cookie: cStu, origin: 'https://evil.example' } })
  expect(foreign.status).toBe(403)
  const anonymous = await fetch(server.url('/eighth/live/1'), { headers: { ...headers, origin: server.base }, redirect: 'manual' })
  expect(anonymous.status).toBe(303)
  const bad = await fetch(server.url('/eighth/live/abc'), { headers: { ...headers, cookie: cStu, origin: server.base } })
  expect(bad.status).toBe(404)
})
