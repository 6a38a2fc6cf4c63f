import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { buildApp } from '../../src/app.tsx'
import { memoryLogger } from '../../src/platform/log.ts'
import { Redis } from '../../src/platform/redis.ts'
import { blockList, MAX_BLOCKS } from '../../src/features/eighth/block-list.ts'
import { addActivity, addBlock, addRoom, addSponsor, asStudent, schedule, signup } from '../helpers/eighth.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { get, officeEnv, post, type OfficeEnv } from '../office/catalog-fixture.ts'

// The versioned cache of a block's activity list (issue 10): every change the office makes is on
// the student's page and in the block API at the next request, on this instance and on another
// one sharing the database; seat counts are never cached; and what the list does not show (a
// signup, attendance) does not bump the version.

setDefaultTimeout(60_000)
let o: OfficeEnv
let other: ReturnType<typeof buildApp>
let otherRedis: Redis
let block = 0, act = 0, room = 0, sa = 0

const handle = (r: Request) => o.env.app.handle(r)
const page = async (app = o.env.app) => {
  const r = await app.handle(get(`/eighth/signup/${block}`, o.studentCookie))
  expect(r.status).toBe(200)
  return r.text()
}
const api = async () => (await handle(get(`/api/blocks/${block}`, o.studentCookie))).json() as Promise<{ activities: Record<string, { name: string; rooms: string[]; cancelled: boolean; roster: { count: number; capacity: number } }> }>
const version = () => o.sql<{ v: number }[]>`SELECT list_version::int AS v FROM eighth_blocks WHERE id = ${block}`.then((r) => r[0]!.v)
const activityForm = (name: string): [string, string][] => [['name', name], ['description', 'Openings and endgames.'], ['rooms', String(room)]]
const cell = (f: { scheduled: boolean; capacity?: string }): [string, string][] => {
  const k = `${block}_${act}`
  return [['cell', `${block}:${act}`], ...(f.scheduled ? [[`scheduled_${k}`, 'on'] as [string, string]] : []), [`capacity_${k}`, f.capacity ?? ''], [`title_${k}`, ''], [`comments_${k}`, '']]
}

beforeAll(async () => {
  o = await officeEnv('2026-12-01T15:00:00Z')
  block = await addBlock(o.sql, '2026-12-02', 'A')
  room = await addRoom(o.sql, 'Library', 20)
  act = await addActivity(o.sql, 'Chess Club', { description: 'Openings and endgames.', rooms: [room] })
  sa = await schedule(o.sql, block, act)
  // A second instance: its own app and cache on the same PostgreSQL (and Redis, for the session).
  otherRedis = new Redis(o.env.config.redisUrl, { prefix: o.env.redis.prefix })
  other = buildApp({ sql: o.sql, redis: otherRedis, clock: o.env.clock, config: o.env.config, log: memoryLogger() })
})
afterAll(async () => {
  otherRedis.close()
  await o.close()
})

describe('the block list cache', () => {
  test('an office edit of the activity shows at once on the page and in the API, on both instances', async () => {
    expect(await page()).toContain('Chess Club')
    expect(await page(other)).toContain('Chess Club')
    expect(Object.values((await api()).activities)[0]!.name).toBe('Chess Club')
    const r = await handle(post(`/eighth/admin/activities/${act}`, activityForm('Chess Masters'), o.adminCookie))
    expect(r.status).toBe(303)
    for (const html of [await page(), await page(other)]) {
      expect(html).toContain('Chess Masters')
      expect(html).not.toContain('Chess Club')
    }
    expect(Object.values((await api()).activities)[0]!.name).toBe('Chess Masters')
  })

  test('a room renamed or resized, a capacity set in the schedule grid, a cancellation', async () => {
    expect(await page()).toContain('0 / 20')
    expect((await handle(post(`/eighth/admin/rooms/${room}`, { name: 'Atrium', capacity: '15' }, o.adminCookie))).status).toBe(303)
    let html = await page()
    expect(html).toContain('Atrium')
    expect(html).not.toContain('Library')
    expect(html).toContain('0 / 15')
    expect(Object.values((await api()).activities)[0]!.rooms).toEqual(['Atrium'])

    expect((await handle(post(`/eighth/admin/scheduling/activity/${act}`, cell({ scheduled: true, capacity: '12' }), o.adminCookie))).status).toBeLessThan(400)
    expect(await page(other)).toContain('0 / 12')
    expect(Object.values((await api()).activities)[0]!.roster.capacity).toBe(12)

    // Unticked in the grid: the scheduled activity is cancelled, not deleted.
    expect((await handle(post(`/eighth/admin/scheduling/activity/${act}`, cell({ scheduled: false }), o.adminCookie))).status).toBeLessThan(400)
    html = await page()
    expect(html).toMatch(/<li id="sa-\d+" class="cancelled">/)
    expect(await page(other)).toContain('Cancelled')
    expect(Object.values((await api()).activities)[0]!.cancelled).toBe(true)
  })

  test('a change written by another instance (straight to the database) is seen too: sponsors and titles', async () => {
    await page()
    const sp = await addSponsor(o.sql, 'Kasparov', 'Garry')
    await o.sql`INSERT INTO eighth_scheduled_activity_sponsors (scheduled_activity_id, sponsor_id) VALUES (${sa}, ${sp})`
    expect(await page()).toContain('Kasparov')
    await o.sql`UPDATE eighth_sponsors SET last_name = 'Karpov' WHERE id = ${sp}`
    await o.sql`UPDATE eighth_scheduled_activities SET title = 'Blitz night', cancelled = false WHERE id = ${sa}`
    const html = await page(other)
    expect(html).toContain('Karpov')
    expect(html).not.toContain('Kasparov')
    expect(html).toContain('Chess Masters - Blitz night')
  })

  test('seat counts are live; a signup or attendance does not bump the version', async () => {
    await page()
    const before = await version()
    const [student] = await o.sql<{ id: number }[]>`SELECT id FROM users WHERE id = ${o.student.id}`
    const out = await signup(o.sql, o.env.clock, { userId: student!.id, scheduledId: sa, requester: asStudent(student!.id) })
    expect(out.ok).toBe(true)
    // (Unticking in the grid cleared the capacity of 12: the room's 15 again.)
    expect(await page()).toContain('1 / 15')
    expect((await page()).match(/Your activity/g)?.length).toBeGreaterThanOrEqual(1)
    await o.sql`UPDATE eighth_scheduled_activities SET attendance_taken = true, admin_comments = 'checked' WHERE id = ${sa}`
    expect(await version()).toBe(before)
    await o.sql`UPDATE eighth_scheduled_activities SET capacity = 30 WHERE id = ${sa}`
    expect(await version()).toBe(before + 1)
    expect(await page(other)).toContain('1 / 30')
  })

  test('a hit runs no statement; a new version, or one gone backwards (a restored backup), is a miss; the cache is bounded', async () => {
    let n = 0
    const counted = ((...args: unknown[]) => { n++; return (o.sql as unknown as (...a: unknown[]) => unknown)(...args) }) as unknown as typeof o.sql
    const deps = { ...o.env.app.deps, sql: counted } // a new deps object: a cache of its own
    const v = await version()
    expect((await blockList(deps, block, v))!.activities.map((x) => x.row.scheduledId)).toEqual([sa])
    await blockList(deps, block, v)
    expect(n).toBe(1)
    await blockList(deps, block, v - 1)
    expect(n).toBe(2)
    expect(await blockList(deps, 987654, 0)).toBeNull()
    expect(n).toBe(3)
    const more = await o.sql<{ id: number }[]>`
      INSERT INTO eighth_blocks (date, block_letter) SELECT DATE '2027-03-01' + i, 'A' FROM generate_series(1, ${MAX_BLOCKS}) i RETURNING id`
    for (const b of more) await blockList(deps, b.id, 0)
    expect(n).toBe(3 + MAX_BLOCKS)
    await blockList(deps, more.at(-1)!.id, 0) // still there
    expect(n).toBe(3 + MAX_BLOCKS)
    await blockList(deps, block, (await version())) // dropped: the least recently used
    expect(n).toBe(4 + MAX_BLOCKS)
  })

  test('rows rendered once are shared between students, each with their own id in the forms', async () => {
    const s2 = await makeUser(o.sql, { type: 'student', lastName: 'Second' })
    const cookie2 = await login(o.env.app, s2)
    await o.sql`DELETE FROM eighth_signups WHERE user_id = ${o.student.id}`
    const one = await page()
    const two = await (await handle(get(`/eighth/signup/${block}`, cookie2))).text()
    expect(one).toContain(`name="uid" value="${o.student.id}"`)
    expect(one).not.toContain(`name="uid" value="${s2.id}"`)
    expect(two).toContain(`name="uid" value="${s2.id}"`)
    expect(two).not.toContain(`name="uid" value="${o.student.id}"`)
    for (const html of [one, two]) expect(html).toContain('aria-label="Sign up for Chess Masters - Blitz night"')
  })

  test('every table the list is read from bumps the version (once per statement); columns it does not show do not', async () => {
    const r2 = await addRoom(o.sql, 'Annex', 10)
    const sp2 = await addSponsor(o.sql, 'Tal', 'Mikhail')
    const act2 = await addActivity(o.sql, 'Go Club')
    const bumps = async (change: () => Promise<unknown>) => {
      const v = await version()
      await change()
      return (await version()) - v
    }
    expect(await bumps(() => o.sql`INSERT INTO eighth_scheduled_activity_rooms (scheduled_activity_id, room_id) VALUES (${sa}, ${r2})`)).toBe(1)
    expect(await bumps(() => o.sql`UPDATE eighth_rooms SET capacity = 11 WHERE id = ${r2}`)).toBe(1)
    expect(await bumps(() => o.sql`UPDATE eighth_rooms SET available_for_eighth = false WHERE id = ${r2}`)).toBe(0)
    expect(await bumps(() => o.sql`DELETE FROM eighth_scheduled_activity_rooms WHERE room_id = ${r2}`)).toBe(1)
    expect(await bumps(() => o.sql`INSERT INTO eighth_activity_sponsors (activity_id, sponsor_id) VALUES (${act}, ${sp2})`)).toBe(1)
    expect(await bumps(() => o.sql`UPDATE eighth_sponsors SET department = 'math_cs' WHERE id = ${sp2}`)).toBe(0)
    expect(await bumps(() => o.sql`UPDATE eighth_activities SET finance = 'F-1', admin_comments = 'x' WHERE id = ${act}`)).toBe(0)
    expect(await bumps(() => o.sql`UPDATE eighth_activities SET description = 'New text' WHERE id = ${act}`)).toBe(1)
    expect(await bumps(() => o.sql`UPDATE eighth_activities SET description = 'Other' WHERE id = ${act2}`)).toBe(0) // not scheduled here
    const sa2 = await schedule(o.sql, block, act2)
    expect(await bumps(() => o.sql`UPDATE eighth_scheduled_activities SET special = true WHERE block_id = ${block}`)).toBe(1)
    expect(await bumps(() => o.sql`DELETE FROM eighth_scheduled_activities WHERE id = ${sa2}`)).toBe(1)
    expect(await page()).toContain('New text')
  })

  test('deleting an activity takes it off the list', async () => {
    await o.sql`UPDATE eighth_activities SET deleted = true WHERE id = ${act}`
    const html = await page()
    expect(html).not.toContain(`id="sa-${sa}"`)
    expect(html).toContain('No activities are scheduled for this block yet.')
    expect(Object.keys((await api()).activities)).toEqual([])
  })
})
