import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { setAnnouncement } from '../../src/features/bus/bus.sql.ts'
import { snapshotQueue, type SnapshotQueue } from '../../src/features/bus/snapshots.ts'
import { writeBoard } from '../../src/features/bus/writes.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { createPubSub, type PubSub } from '../../src/platform/pubsub.ts'
import { Redis } from '../../src/platform/redis.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { testConfig } from '../helpers/app.ts'
import { makeUser } from '../helpers/factories.ts'
import { addRoutes, ride } from './helpers.ts'

// The connect snapshots' board cache (snapshots.ts): filled by one locked read, then kept current by
// the boards relayed through the Redis pubsub — a snapshot costs the riders' statement only — and
// dropped when the subscription is lost, since changes may have been missed meanwhile.
setDefaultTimeout(30_000)

let db: TestDb
let redis: Redis
let pubsub: PubSub
let q: SnapshotQueue
let statements = 0
beforeAll(async () => {
  db = await createTestDb({ debug: () => { statements++ } })
  await addRoutes(db.sql)
  redis = new Redis(testConfig().redisUrl, { prefix: `t:${db.name}:` })
  pubsub = createPubSub(redis, memoryLogger(), { checkMs: 50 })
  await pubsub.start()
  q = snapshotQueue(db.sql, memoryLogger(), pubsub)
})
afterAll(async () => {
  await pubsub?.stop()
  redis?.close()
  await db?.drop()
})

/** One snapshot for a socket of `userId`, and the statements it cost. */
async function snapshot(userId: number | null): Promise<{ msg: Record<string, unknown>; statements: number }> {
  statements = 0
  const text = await new Promise<string>((resolve) => q.request(userId, { send: resolve, close: () => resolve('closed') }))
  await Bun.sleep(50) // a locked read sends before its COMMIT: count that too
  return { msg: JSON.parse(text), statements }
}

/** Resolves once the pubsub has relayed a board whose announcement is `text` (the cache has it by then). */
const relayed = (text: string) => new Promise<void>((resolve) => {
  const stop = pubsub.watch!('bus', (d) => { if (d && JSON.parse(d).announcement === text) { stop(); resolve() } })
})

test('the first snapshot reads the board; the next ones cost the riders’ statement at most', async () => {
  const first = await snapshot(null)
  expect(first.statements).toBeGreaterThanOrEqual(3) // the locked read: lock, routes, announcement (no riders: a visitor's socket)
  expect((first.msg.allRoutes as unknown[]).length).toBe(60)
  const again = await snapshot(null)
  expect(again).toEqual({ msg: first.msg, statements: 0 })
  const rider = await makeUser(db.sql, { type: 'student' })
  const route = (first.msg.allRoutes as { id: number; route_name: string }[])[3]!
  await ride(db.sql, rider.id, route.id)
  const mine = await snapshot(rider.id)
  expect(mine.statements).toBe(1)
  expect(mine.msg).toMatchObject({ userRouteId: route.id, userRouteName: route.route_name, announcement: '' })
})

test('a change relayed through Redis is in the next snapshot without reading the board again', async () => {
  await snapshot(null) // the cache is filled
  const got = relayed('Buses are late')
  await writeBoard({ sql: db.sql, log: memoryLogger(), publish: (t, p) => pubsub.publish(t, p) }, async (c) => {
    await setAnnouncement(c, 'Buses are late', new Date())
    return { changed: true, value: null }
  })
  await got
  const s = await snapshot(null)
  expect(s.statements).toBe(0)
  expect(s.msg.announcement).toBe('Buses are late')
})

test('after the subscription was lost, the board is read again (a change may have been missed)', async () => {
  await snapshot(null)
  await pubsub.stop()
  // A change this instance did not hear about (its broadcast was lost while it was not subscribed).
  await setAnnouncement(db.sql, 'Missed while away', new Date())
  const down = await snapshot(null) // not subscribed: no cache, the locked read
  expect(down.statements).toBeGreaterThanOrEqual(3)
  expect(down.msg.announcement).toBe('Missed while away')
  await setAnnouncement(db.sql, 'Missed again', new Date())
  await pubsub.start()
  const back = await snapshot(null)
  expect(back.statements).toBeGreaterThanOrEqual(3)
  expect(back.msg.announcement).toBe('Missed again')
  expect((await snapshot(null)).statements).toBe(0)
})

test('a change saved without a broadcast (Redis failed the publish) is in the snapshots once the cache expires', async () => {
  const short = snapshotQueue(db.sql, memoryLogger(), pubsub, 1500)
  const one = async () => {
    statements = 0
    const text = await new Promise<string>((resolve) => short.request(null, { send: resolve, close: () => resolve('closed') }))
    await Bun.sleep(50)
    return { msg: JSON.parse(text), statements }
  }
  await one() // filled
  await setAnnouncement(db.sql, 'Saved, never broadcast', new Date())
  expect((await one()).statements).toBe(0) // still the cached board
  await Bun.sleep(1500)
  const later = await one()
  expect(later.statements).toBeGreaterThanOrEqual(3)
  expect(later.msg.announcement).toBe('Saved, never broadcast')
})
