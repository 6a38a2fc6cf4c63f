import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { memoryLogger } from '../../src/platform/log.ts'
import { createPubSub, type PubSub } from '../../src/platform/pubsub.ts'
import { Redis } from '../../src/platform/redis.ts'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { listen } from '../helpers/browser.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addRoutes, client, ride } from './helpers.ts'

// 1,000 connected clients (and their connect snapshots, coalesced) all receive one update,
// through the Redis pubsub, within a bounded time.
setDefaultTimeout(60_000)

const N = 1000
let env: TestEnv
let pubsub: PubSub
let psRedis: Redis
let server: Awaited<ReturnType<typeof listen>>
let ids: Map<string, number>
let cStu: string, cAdmin: string
const sockets: WebSocket[] = []

beforeAll(async () => {
  psRedis = new Redis(process.env.REDIS_URL!, { prefix: `t:busscale:${process.pid}:` })
  pubsub = createPubSub(psRedis, memoryLogger())
  await pubsub.start()
  env = await testEnv({ clock: '2026-11-30T20:30:00Z', build: { services: { pubsub } } })
  server = await listen(env.app)
  ids = await addRoutes(env.sql)
  const stu = await makeUser(env.sql, { type: 'student' })
  const admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_bus'] })
  await ride(env.sql, stu.id, ids.get('JT-1')!)
  ;[cStu, cAdmin] = await Promise.all([login(env.app, stu), login(env.app, admin)])
})
afterAll(async () => {
  for (const s of sockets) s.close()
  await server?.stop()
  await pubsub?.stop()
  psRedis?.close()
  await env?.close()
})

test(`${N} connected clients all receive one update`, async () => {
  const url = server.url('/bus/ws').replace('http', 'ws')
  const t0 = performance.now()
  const got = new Int32Array(N)
  const firstAt = new Float64Array(N)
  const updatedAt = new Float64Array(N)
  let snapshots = 0
  for (let start = 0; start < N; start += 200) {
    await Promise.all(Array.from({ length: Math.min(200, N - start) }, (_, k) => new Promise<void>((resolve, reject) => {
      const i = start + k
      const ws = new WebSocket(url, { headers: { cookie: cStu, origin: server.base } } as never)
      sockets.push(ws)
      ws.onmessage = (e) => {
        got[i]!++
        if (got[i] === 1) {
          firstAt[i] = performance.now()
          snapshots++
          expect(String(e.data)).toContain('"userRouteName":"JT-1"')
        } else updatedAt[i] = performance.now()
      }
      ws.onopen = () => resolve()
      ws.onerror = () => reject(new Error(`socket ${i} refused`))
    })))
  }
  while (snapshots < N && performance.now() - t0 < 20_000) await Bun.sleep(20)
  const connectMs = performance.now() - t0
  expect(snapshots).toBe(N)

  const admin = await client(url, { cookie: cAdmin, origin: server.base })
  await admin.next()
  const sent = performance.now()
  admin.send({ id: ids.get('JT-1'), status: 'a', space: '_1', time: 'afternoon' })
  const deadline = sent + 5000
  while (got.some((n) => n < 2) && performance.now() < deadline) await Bun.sleep(10)
  const slowest = Math.max(...updatedAt) - sent
  expect(got.every((n) => n === 2)).toBe(true)
  expect(slowest).toBeLessThan(5000)
  await Bun.sleep(200)
  expect(got.every((n) => n === 2)).toBe(true) // once each
  admin.ws.close()
  console.log(`bus scale: ${N} sockets connected with snapshots in ${Math.round(connectMs)} ms; one update reached all in ${Math.round(slowest)} ms`)
})
