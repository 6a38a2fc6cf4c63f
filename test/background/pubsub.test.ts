import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { testConfig } from '../helpers/app.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { basePlugin, type Deps } from '../../src/platform/http.ts'
import { liveSocket } from '../../src/platform/live.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { createPubSub, type PubSub } from '../../src/platform/pubsub.ts'
import { Redis } from '../../src/platform/redis.ts'
import { newRegistries } from '../../src/platform/registry.ts'
import { until } from './sink.ts'

// Two instances (two pubsubs, two real Bun servers) on one Redis: a message published on either
// reaches every WebSocket client of that topic on both, exactly once.

const config = testConfig()
const prefix = `t:pubsub:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`
type Instance = { pubsub: PubSub; redis: Redis; app: { stop(): Promise<unknown> }; port: number }
const instances: Instance[] = []
const sockets: WebSocket[] = []

async function instance(): Promise<Instance> {
  const redis = new Redis(config.redisUrl, { prefix })
  const pubsub = createPubSub(redis, memoryLogger())
  await pubsub.start()
  const deps = {
    sql: null as never, redis, clock: fixedClock(new Date()), config, log: memoryLogger(), registries: newRegistries(),
    services: { pubsub }, auth: { loadViewer: async () => null, authenticateApi: async () => null },
  } as unknown as Deps
  const base = basePlugin(deps)
  const app = new Elysia()
    .use(base)
    .use(liveSocket(base, '/live/:topic', {
      policy: 'anonymous',
      topics: ({ params }) => (/^[a-z]+$/.test(params.topic ?? '') ? [`test.${params.topic}`] : null),
    }))
  app.listen({ port: 0, hostname: '127.0.0.1' })
  const inst = { pubsub, redis, app, port: app.server!.port! }
  instances.push(inst)
  return inst
}

async function client(port: number, topic: string): Promise<{ got: string[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/live/${topic}`)
  const c = { got: [] as string[] }
  ws.onmessage = (e) => c.got.push(String(e.data))
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject })
  sockets.push(ws)
  return c
}

let a: Instance
let b: Instance
beforeAll(async () => {
  a = await instance()
  b = await instance()
})
afterAll(async () => {
  for (const s of sockets) s.close()
  for (const i of instances) {
    await i.app.stop()
    await i.pubsub.stop()
    i.redis.close()
  }
})

test('each message reaches every subscriber on both instances exactly once', async () => {
  const [a1, a2, b1, other] = await Promise.all([client(a.port, 'news'), client(a.port, 'news'), client(b.port, 'news'), client(a.port, 'other')])
  await a.pubsub.publish('test.news', '<p>from a</p>')
  await b.pubsub.publish('test.news', { from: 'b' })
  await until(() => [a1, a2, b1].every((c) => c.got.length >= 2), 5000, 'deliveries')
  await Bun.sleep(200) // anything extra would have arrived by now
  for (const c of [a1, a2, b1]) expect(c.got.sort()).toEqual(['<p>from a</p>', '{"from":"b"}'])
  expect(other.got).toEqual([])
})

test('the upgrade checks Origin; an unknown topic is refused', async () => {
  const headers = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' }
  const foreign = await fetch(`http://127.0.0.1:${a.port}/live/news`, { headers: { ...headers, origin: 'https://evil.example' } })
  expect(foreign.status).toBe(403)
  const unknown = await fetch(`http://127.0.0.1:${a.port}/live/NOPE`, { headers })
  expect(unknown.status).toBe(404)
  const own = await client(a.port, 'news') // no Origin (not a browser) is allowed, like same-origin
  expect(own.got).toEqual([])
})
