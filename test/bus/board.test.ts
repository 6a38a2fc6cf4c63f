import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { bannerFor, halfOf, mentions, resetBoundaries, searchRoutes, staleAt, type RouteJson } from '../../src/features/bus/board.ts'
import { labelSize, lot } from '../../src/features/bus/lot.ts'
import { personalMessage, boardMessage } from '../../src/features/bus/protocol.ts'
import { snapshotQueue } from '../../src/features/bus/snapshots.ts'
import { writeBoard } from '../../src/features/bus/writes.ts'
import { lockBoard, unlockBoard } from '../../src/features/bus/board-lock.sql.ts'
import { memoryLogger } from '../../src/platform/log.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { Redis } from '../../src/platform/redis.ts'
import { buildApp } from '../../src/app.tsx'
import { createTestDb, type TestDb } from '../helpers/db.ts'
import { req, testConfig } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addRoutes, ride } from './helpers.ts'

// The board's rules as plain functions, the lot file, and the connect snapshots' statement budget.
setDefaultTimeout(30_000)
const TZ = 'America/New_York'

test('Ion’s announcement rule: "JT-100", "jt100" and "100" all mention route JT-100', () => {
  for (const text of ['Bus JT-100 is late', 'jt100 late', 'route 100 is late', 'JT 100!', 'j-t-1-0-0'])
    expect([text, mentions(text, 'JT-100')]).toEqual([text, true])
  expect(mentions('JT-101 is late', 'JT-100')).toBe(false)
  expect(mentions('PW-7 and AC-3', 'AC-3')).toBe(true)
  expect(mentions('anything', 'JT')).toBe(false) // a route that normalises to nothing mentions nothing
  expect(mentions('', 'JT-1')).toBe(false)
})

test('the half of the day and when a page goes stale, in the school’s zone', () => {
  expect(halfOf(new Date('2026-11-30T14:59:59Z'), TZ, 10)).toBe('morning') // 09:59:59
  expect(halfOf(new Date('2026-11-30T15:00:00Z'), TZ, 10)).toBe('afternoon')
  expect(halfOf(new Date('2026-07-01T13:59:00Z'), TZ, 10)).toBe('morning') // EDT
  expect(staleAt(new Date('2026-11-30T13:00:00Z'), TZ, 10).toISOString()).toBe('2026-11-30T15:00:00.000Z')
  expect(staleAt(new Date('2026-11-30T20:00:00Z'), TZ, 10).toISOString()).toBe('2026-12-01T05:00:00.000Z')
  const b = resetBoundaries(new Date('2026-11-30T20:00:00Z'), TZ, 10)
  expect([b.midnight.toISOString(), b.changeover.toISOString()]).toEqual(['2026-11-30T05:00:00.000Z', '2026-11-30T15:01:00.000Z'])
})

test('the banner', () => {
  const v = { userType: 'student' } as Parameters<typeof bannerFor>[0]
  const r = (status: 'a' | 'o' | 'd'): RouteJson => ({ id: 1, route_name: 'JT-1', bus_number: '', space: '', status })
  const now = new Date('2026-11-30T20:00:00Z')
  expect(bannerFor(v, r('o'), now, new Date('2026-11-30T20:55:00Z'))).toMatchObject({ tone: 'ontime' })
  expect(bannerFor(v, r('o'), now, now)).toMatchObject({ tone: 'late' })
  expect(bannerFor(v, r('o'), now, null)).toMatchObject({ tone: 'ontime' })
  expect(bannerFor(v, r('a'), now, now)).toMatchObject({ tone: 'arrived' })
  expect(bannerFor(v, r('d'), now, now)).toMatchObject({ tone: 'delayed' })
  expect(bannerFor(v, null, now, null)).toEqual({ kind: 'register' })
  expect(bannerFor({ userType: 'teacher' } as never, null, now, null)).toEqual({ kind: 'none' })
  expect(bannerFor(null, r('a'), now, null)).toEqual({ kind: 'none' })
})

test('the lot file: 45 numbered spaces in three rows of 15; long names get a smaller font', () => {
  const l = lot()
  expect(l.spaces.map((s) => s.id)).toEqual(Array.from({ length: 45 }, (_, i) => `_${i + 1}`))
  expect(new Set(l.spaces.map((s) => s.x)).size).toBe(3)
  expect(l.decor).toContain('Sidewalk')
  expect(labelSize('JT-1', 110)).toBe(18)
  expect(labelSize('A-VERY-LONG-ROUTE-NAME-HERE', 110)).toBeLessThan(10)
})

test('the personal message is the broadcast plus the viewer’s route', () => {
  const board = { routes: [{ id: 3, route_name: 'JT-"3"', bus_number: '', space: '', status: 'o' as const }], announcement: 'x' }
  const b = boardMessage(board)
  expect(JSON.parse(personalMessage(b, board, 3))).toEqual({ allRoutes: board.routes, announcement: 'x', userRouteId: 3, userRouteName: 'JT-"3"' })
  expect(personalMessage(b, board, 99)).toBe(b)
  expect(personalMessage(b, board, null)).toBe(b)
})

let db: TestDb
let statements = 0
beforeAll(async () => {
  db = await createTestDb({ debug: () => { statements++ } })
  await addRoutes(db.sql)
})
afterAll(async () => { await db?.drop() })

test('500 sockets opening in the same tick share one snapshot read (a fixed number of statements)', async () => {
  const q = snapshotQueue(db.sql, memoryLogger())
  const got: string[] = []
  statements = 0
  await new Promise<void>((resolve) => {
    const socket = { send: (t: string) => { got.push(t); if (got.length === 500) resolve() }, close: () => {} }
    for (let i = 0; i < 500; i++) q.request(i % 7 ? null : i, socket)
  })
  expect(got).toHaveLength(500)
  expect(statements).toBeLessThanOrEqual(6) // begin, lock, routes, announcement, riders, commit
})

test('sockets that open while a snapshot read is in flight wait for one next read, not one read per tick', async () => {
  const q = snapshotQueue(db.sql, memoryLogger())
  const rider = (await makeUser(db.sql, { type: 'student' })).id
  const route = (await db.sql`SELECT max(id)::int AS id FROM bus_routes`)[0]!.id as number
  await ride(db.sql, rider, route)
  // A writer holds the board: the first read waits on the lock while ten more waves of sockets open.
  const writer = await db.sql.reserve()
  await lockBoard(writer)
  const got: string[] = []
  const done = new Promise<void>((resolve) => {
    const socket = { send: (t: string) => { got.push(t); if (got.length === 200) resolve() }, close: () => {} }
    void (async () => {
      for (let wave = 0; wave < 10; wave++) {
        for (let i = 0; i < 20; i++) q.request(i === 0 ? rider : null, socket)
        await Bun.sleep(5)
      }
      statements = 0
      await unlockBoard(writer)
    })()
  })
  await done
  writer.release()
  expect(statements).toBeLessThanOrEqual(1 + 12) // the unlock, then two reads of six statements (the first was waiting)
  expect(got.filter((t) => JSON.parse(t).userRouteId === route)).toHaveLength(10)
  expect(new Set(got.filter((t) => !t.includes('userRouteId'))).size).toBeLessThanOrEqual(2) // one string per read, shared
})

test('the board page costs a fixed number of statements, however many routes there are', async () => {
  const config = testConfig()
  const redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
  try {
    const app = buildApp({ sql: db.sql, redis, clock: fixedClock('2026-11-30T20:30:00Z'), config, log: memoryLogger() })
    const u = await makeUser(db.sql, { type: 'student' })
    await ride(db.sql, u.id, (await db.sql`SELECT min(id)::int AS id FROM bus_routes`)[0]!.id)
    const cookie = await login(app, u)
    const count = async () => {
      await app.handle(req('/bus/afternoon', { cookie })) // warm (the bell schedule's cache)
      statements = 0
      const r = await app.handle(req('/bus/afternoon', { cookie }))
      expect(r.status).toBe(200)
      return statements
    }
    const with60 = await count()
    await db.sql`INSERT INTO bus_routes (route_name, updated_at) SELECT 'XX-' || g, now() FROM generate_series(1, 60) g`
    expect(await count()).toBe(with60)
    expect(with60).toBeLessThanOrEqual(5)
  } finally {
    redis.close()
  }
})

test('search: exactly what was typed, else equal by Ion’s rule, else names starting with it', () => {
  const rs = ['JT-1', 'JT-9', 'JT-19', 'AC-9', 'JT-10', 'LC-3'].map((route_name) => ({ route_name }))
  const names = (q: string) => searchRoutes(rs, q).map((r) => r.route_name)
  expect(names('jt9')).toEqual(['JT-9'])
  expect(names('JT 9')).toEqual(['JT-9'])
  expect(names('9')).toEqual(['JT-9', 'AC-9'])
  expect(names('jt1')).toEqual(['JT-1'])
  expect(names('jt-1')).toEqual(['JT-1'])
  expect(names('1')).toEqual(['JT-1'])
  expect(names('jt')).toEqual(['JT-1', 'JT-9', 'JT-19', 'JT-10'])
  expect(names('l')).toEqual(['LC-3'])
  expect(names('  ')).toEqual([])
  expect(names('zz')).toEqual([])
})

test('a write that fails is rolled back and broadcasts nothing; the board lock is always let go', async () => {
  const sent: string[] = []
  const env = { sql: db.sql, log: memoryLogger(), publish: async (_t: string, p: string) => { sent.push(p) } }
  await expect(writeBoard(env, async (c) => {
    await c`UPDATE bus_board SET announcement = 'half done'`
    throw new Error('boom')
  })).rejects.toThrow('boom')
  expect((await db.sql`SELECT announcement FROM bus_board`)[0]).toEqual({ announcement: '' })
  expect(sent).toEqual([])
  await writeBoard(env, async (c) => {
    await c`UPDATE bus_board SET announcement = 'done'`
    return { changed: true, value: null }
  })
  expect(JSON.parse(sent[0]!).announcement).toBe('done')
  const failing = { ...env, publish: async () => { throw new Error('redis down') } }
  await expect(writeBoard(failing, async () => ({ changed: true, value: null }))).rejects.toThrow('could not be broadcast')
  expect((await db.sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)[0]!.n).toBe(0)
})
