import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { memoryLogger } from '../../src/platform/log.ts'
import { createPubSub, type PubSub } from '../../src/platform/pubsub.ts'
import { Redis } from '../../src/platform/redis.ts'
import { findJob, runNow } from '../../src/platform/jobs/index.ts'
import '../../src/features/bus/jobs.ts'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { listen } from '../helpers/browser.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addRoutes, client, quiet, type Client } from './helpers.ts'

// Two instances — two apps, two real servers on port 0, each with its own Redis pubsub — on one
// PostgreSQL and one Redis. A change made through either reaches the sockets of both, once each.
setDefaultTimeout(30_000)

let env: TestEnv
let ids: Map<string, number>
type Instance = { pubsub: PubSub; redis: Redis; server: Awaited<ReturnType<typeof listen>> }
const instances: Instance[] = []
const sockets: Client[] = []
let cAdmin: string, cStu: string

async function instance(): Promise<Instance> {
  const redis = new Redis(env.config.redisUrl, { prefix: env.redis.prefix })
  const pubsub = createPubSub(redis, memoryLogger())
  await pubsub.start()
  const app = buildApp({ sql: env.sql, redis, clock: env.clock, config: env.config, log: memoryLogger(), services: { pubsub } })
  const server = await listen(app)
  const i = { pubsub, redis, server }
  instances.push(i)
  return i
}

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T20:30:00Z' })
  ids = await addRoutes(env.sql)
  await instance()
  await instance()
  const admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_bus'] })
  const stu = await makeUser(env.sql, { type: 'student' })
  ;[cAdmin, cStu] = await Promise.all([login(env.app, admin), login(env.app, stu)])
})
afterAll(async () => {
  for (const s of sockets) s.ws.close()
  for (const i of instances) {
    await i.server.stop()
    await i.pubsub.stop()
    i.redis.close()
  }
  await env?.close()
})

async function connect(i: Instance, cookie: string): Promise<Client> {
  const c = await client(i.server.url('/bus/ws').replace('http', 'ws'), { cookie, origin: i.server.base })
  sockets.push(c)
  await c.next() // the snapshot
  return c
}

test('an admin on instance A: every socket on A and B gets the board once', async () => {
  const [A, B] = instances as [Instance, Instance]
  const admin = await connect(A, cAdmin)
  const onA = await Promise.all([connect(A, cStu), connect(A, cStu)])
  const onB = await Promise.all([connect(B, cStu), connect(B, cStu), connect(B, cAdmin)])
  admin.send({ id: ids.get('JT-3'), status: 'a', space: '_7', time: 'afternoon' })
  const all = [admin, ...onA, ...onB]
  const got = await Promise.all(all.map((c) => c.json()))
  for (const m of got) expect((m.allRoutes as { id: number; status: string; space: string }[]).find((r) => r.id === ids.get('JT-3'))).toMatchObject({ status: 'a', space: '_7' })
  await Bun.sleep(300) // a second copy would have arrived by now
  for (const c of all) expect(c.got).toHaveLength(2)
})

test('two admins on two instances at once: every socket ends with the same, complete board', async () => {
  const [A, B] = instances as [Instance, Instance]
  const [adminA, adminB, watcher] = await Promise.all([connect(A, cAdmin), connect(B, cAdmin), connect(B, cStu)])
  const names = ['JT-10', 'JT-11', 'JT-12', 'JT-13', 'JT-14', 'JT-15', 'JT-16', 'JT-17']
  names.forEach((n, k) => (k % 2 ? adminA : adminB).send({ id: ids.get(n), status: 'a', space: `_${20 + k}`, time: 'afternoon' }))
  const expected = names.length
  for (const c of [adminA, adminB, watcher]) {
    for (let k = 0; k < expected; k++) await c.next()
    const last = JSON.parse(c.got.at(-1)!) as { allRoutes: { route_name: string; status: string }[] }
    // The last board each socket holds has every change: broadcasts leave in commit order.
    for (const n of names) expect(last.allRoutes.find((r) => r.route_name === n)!.status).toBe('a')
    expect(await quiet(c, 200)).toBe(true)
  }
})

test('a route reset job run by any process reaches the sockets of both instances', async () => {
  const [A, B] = instances as [Instance, Instance]
  const [a, b] = await Promise.all([connect(A, cStu), connect(B, cStu)])
  const job = findJob('bus.reset-changeover')!
  const started = await runNow({ sql: env.sql, redis: env.redis, clock: env.clock, config: env.config, log: memoryLogger() }, job)
  const result = await started!.done
  expect(result).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^reset \d+ route\(s\)$/) })
  for (const c of [a, b]) {
    const m = await c.json()
    expect((m.allRoutes as { status: string; space: string }[]).every((r) => r.status === 'o' && r.space === '')).toBe(true)
    expect(await quiet(c, 200)).toBe(true)
  }
})
