import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { setActivityUsers } from '../../src/features/eighth/catalog.sql.ts'
import { parseDate, schoolYear } from '../../src/features/eighth/api-common.ts'
import { BASE, bearer, caller, catalogue, CLOCK, student, type Catalogue } from './api-fixture.ts'

// Ion's eighth REST API (ion-eighth.md §4): blocks and activities, auth, conventions.
// Signups, favourites and rosters are in api-signups.test.ts.

let env: TestEnv
let cat: Catalogue
let api: ReturnType<typeof caller>
let stu: Awaited<ReturnType<typeof student>>
let stuCookie: string
let admin: MadeUser

beforeAll(async () => {
  env = await testEnv({ clock: CLOCK })
  api = caller(env)
  cat = await catalogue(env)
  stu = await student(env, { firstName: 'Ann', lastName: 'Able' })
  stuCookie = await login(env.app, stu)
  admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] })
})
afterAll(async () => { await env.close() })

const type = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
const shape = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, type(o[k])]))

/** §4.3, field by field, with the JSON type each has. */
const ACTIVITY_43 = {
  id: 'number', aid: 'number', scheduled_activity: 'object', url: 'string', name: 'string', name_with_flags: 'string',
  name_with_flags_for_user: 'string', description: 'string', cancelled: 'boolean', favorited: 'boolean', subscribed_to: 'boolean',
  subscriptions_enabled: 'boolean', roster: 'object', rooms: 'array', sponsors: 'array', restricted: 'boolean',
  restricted_for_user: 'boolean', both_blocks: 'boolean', one_a_day: 'boolean', special: 'boolean', administrative: 'boolean',
  presign: 'boolean', presign_time: 'string', sticky: 'boolean', user_sticky: 'boolean', finance: 'string', title: 'string',
  comments: 'string', display_text: 'string', waitlist_count: 'number', waitlisted: 'boolean', waitlist_position: 'number',
  is_recommended: 'boolean',
}

describe('auth and conventions', () => {
  test('no credentials → 401 JSON', async () => {
    const r = await api('/api/blocks')
    expect(r.status).toBe(401)
    expect(r.body.details).toEqual(['Authentication credentials were not provided.'])
  })

  test('session cookie, bearer token and Basic all work', async () => {
    expect((await api('/api/blocks', { cookie: stuCookie })).status).toBe(200)
    expect((await api('/api/blocks', { headers: stu.auth })).status).toBe(200)
    const basic = { authorization: 'Basic ' + btoa(`${stu.username}:${stu.password}`) }
    expect((await api('/api/blocks', { headers: basic })).status).toBe(200)
  })

  test('oauth_and_api_access off → 403 by cookie or Basic, but a token still works', async () => {
    const u = await makeUser(env.sql, {})
    await env.sql`UPDATE users SET oauth_and_api_access = false WHERE id = ${u.id}`
    const cookie = await login(env.app, u)
    const r = await api('/api/blocks', { cookie })
    expect(r.status).toBe(403)
    expect(r.body).toEqual({ details: ['You do not have permission to perform this action.'] })
    expect((await api('/api/activities', { headers: { authorization: 'Basic ' + btoa(`${u.username}:${u.password}`) } })).status).toBe(403)
    expect((await api('/api/blocks', { headers: await bearer(env, u.id) })).status).toBe(200)
  })

  test('restricted accounts (user, alum, service) are refused', async () => {
    const alum = await makeUser(env.sql, { type: 'alum' })
    const r = await api('/api/blocks', { headers: await bearer(env, alum.id) })
    expect(r.status).toBe(403)
    expect(r.body.details.length).toBe(1)
  })

  test('trailing slash and ?format=json are accepted everywhere', async () => {
    for (const p of ['/api/blocks/', '/api/blocks?format=json', `/api/blocks/${cat.blocks.wedA}/?format=json`, '/api/activities/',
      `/api/activities/${cat.a.chess}/`, '/api/signups/user/', '/api/signups/user/favorites/', `/api/signups/scheduled_activity/${cat.sa.chess}/`]) {
      const r = await api(p, { headers: stu.auth })
      expect([p, r.status]).toEqual([p, 200])
      expect(r.headers.get('content-type')).toContain('application/json')
    }
  })
})

describe('GET /api/blocks', () => {
  test('default: this school year, ordered by date and letter, Ion shape', async () => {
    const r = await api('/api/blocks', { headers: stu.auth })
    expect(r.status).toBe(200)
    expect(Object.keys(r.body)).toEqual(['count', 'next', 'previous', 'results'])
    expect(r.body.count).toBe(4)
    expect(r.body.next).toBeNull()
    expect(r.body.previous).toBeNull()
    expect(r.body.results.map((b: any) => [b.date, b.block_letter])).toEqual([['2026-09-02', 'A'], ['2026-12-02', 'A'], ['2026-12-02', 'B'], ['2026-12-04', 'A']])
    const b = r.body.results[1]
    expect(b).toEqual({ id: cat.blocks.wedA, url: `${BASE}/api/blocks/${cat.blocks.wedA}`, date: '2026-12-02', block_letter: 'A', locked: false })
    expect(r.body.results[3].locked).toBe(true)
  })

  test('?start_date= and ?date= filters; start_date reaches past this year', async () => {
    const from = await api('/api/blocks?start_date=2026-12-03', { headers: stu.auth })
    expect(from.body.results.map((b: any) => b.date)).toEqual(['2026-12-04', '2027-08-04'])
    const day = await api('/api/blocks?date=2026-12-02', { headers: stu.auth })
    expect(day.body.results.map((b: any) => b.block_letter)).toEqual(['A', 'B'])
    const older = await api('/api/blocks?start_date=2026-1-1', { headers: stu.auth })
    expect(older.body.count).toBe(6)
  })

  test('bad dates → 400 with Ion\'s messages', async () => {
    for (const [q, m] of [['start_date=2026-13-01', 'start_date'], ['start_date=tomorrow', 'start_date'], ['date=2026-02-30', 'date'], ['date=', 'date']]) {
      const r = await api(`/api/blocks?${q}`, { headers: stu.auth })
      expect(r.status).toBe(400)
      expect(r.body).toEqual({ details: [`Invalid format for ${m}.`] })
    }
  })

  test('pagination: page_size (max 200), absolute next/previous links, 404 past the end', async () => {
    const p1 = await api('/api/blocks?page_size=2&format=json', { headers: stu.auth })
    expect(p1.body.count).toBe(4)
    expect(p1.body.results.length).toBe(2)
    expect(p1.body.next).toBe(`${BASE}/api/blocks?page_size=2&format=json&page=2`)
    expect(p1.body.previous).toBeNull()
    const p2 = await api('/api/blocks?page_size=2&format=json&page=2', { headers: stu.auth })
    expect(p2.body.results.map((b: any) => b.date)).toEqual(['2026-12-02', '2026-12-04'])
    expect(p2.body.next).toBeNull()
    expect(p2.body.previous).toBe(`${BASE}/api/blocks?page_size=2&format=json`)
    expect((await api('/api/blocks?page_size=2&page=3', { headers: stu.auth })).status).toBe(404)
    expect((await api('/api/blocks?page=x', { headers: stu.auth })).body).toEqual({ details: ['Invalid page.'] })

    await env.sql`INSERT INTO eighth_blocks (date, block_letter) SELECT '2027-01-06', 'X' || g FROM generate_series(1, 205) g`
    const big = await api('/api/blocks?page_size=1000', { headers: stu.auth })
    expect(big.body.count).toBe(209)
    expect(big.body.results.length).toBe(200)
    const def = await api('/api/blocks', { headers: stu.auth })
    expect(def.body.results.length).toBe(50)
    await env.sql`DELETE FROM eighth_blocks WHERE date = '2027-01-06'`
  })
})

describe('GET /api/blocks/<id>', () => {
  test('block fields and every §4.3 field with its JSON type', async () => {
    const r = await api(`/api/blocks/${cat.blocks.wedA}`, { headers: stu.auth })
    expect(r.status).toBe(200)
    expect(Object.keys(r.body)).toEqual(['id', 'date', 'block_letter', 'comments', 'activities'])
    expect(r.body).toMatchObject({ id: cat.blocks.wedA, date: '2026-12-02', block_letter: 'A', comments: '' })
    const acts = Object.values(r.body.activities) as Record<string, any>[]
    expect(acts.length).toBe(13)
    for (const act of acts) {
      expect(shape(act)).toEqual(Object.fromEntries(Object.entries(ACTIVITY_43).sort()))
      expect(shape(act.scheduled_activity)).toEqual({ id: 'number', url: 'string' })
      expect(shape(act.roster)).toEqual({ capacity: 'number', count: 'number', url: 'string' })
      for (const x of [...act.rooms, ...act.sponsors]) expect(type(x)).toBe('string')
    }
  })

  test('keyed by activity id in Ion\'s order: deleted excluded, administrative last, then by name', async () => {
    const r = await api(`/api/blocks/${cat.blocks.wedA}`, { headers: stu.auth })
    const keysInText = [...r.text.matchAll(/"activities":\{|"(\d+)":\{"id":(\d+),"aid"/g)].filter((m) => m[1]).map((m) => Number(m[1]))
    const names = keysInText.map((k) => r.body.activities[k].name)
    expect(names).toEqual(['Assembly', 'Blacklist Club', 'Cancelled Club', 'Chess Club', 'Detention', 'Field Trip', 'Open Study',
      'Presign Club', 'Robotics Team', 'Senior Seminar', 'Tiny Club', 'Tutoring', 'Z - Office Hold'])
    expect(r.body.activities[cat.a.old]).toBeUndefined()
    for (const k of keysInText) expect(r.body.activities[k].id).toBe(k)
  })

  test('values: urls, roster, capacity (−1 stays unlimited), rooms, sponsors, flags, presign time', async () => {
    const r = await api(`/api/blocks/${cat.blocks.wedA}`, { headers: stu.auth })
    const acts = r.body.activities
    const chess = acts[cat.a.chess]
    expect(chess).toMatchObject({
      id: cat.a.chess, aid: cat.a.chess, scheduled_activity: { id: cat.sa.chess, url: `${BASE}/api/signups/scheduled_activity/${cat.sa.chess}` },
      url: `${BASE}/api/activities/${cat.a.chess}`, name: 'Chess Club', name_with_flags: 'Chess Club - Blitz',
      description: 'Play chess.', title: 'Blitz', comments: 'Bring a clock', cancelled: false, rooms: ['214'], sponsors: ['Jane Smith'],
      roster: { count: 0, capacity: 20, url: `${BASE}/api/signups/scheduled_activity/${cat.sa.chess}` },
      presign_time: 'Monday, November 30 at 8:00 PM', finance: '', display_text: '', waitlist_count: 0,
    })
    expect(acts[cat.a.study].roster.capacity).toBe(-1) // Cafeteria (−1) + 214 (20): unlimited, not 19
    expect(acts[cat.a.study].rooms).toEqual(['214', 'Cafeteria'])
    expect(acts[cat.a.study].sponsors).toEqual(['Jones'])
    expect(acts[cat.a.assembly]).toMatchObject({ special: true, rooms: ['Room 101'], sponsors: ['Jones'], name_with_flags: 'Special: Assembly' })
    expect(acts[cat.a.assembly].roster.capacity).toBe(10) // override room replaces the activity's −1 default
    expect(acts[cat.a.tiny].roster.capacity).toBe(0)
    expect(acts[cat.a.gone].cancelled).toBe(true)
    expect(acts[cat.a.trip]).toMatchObject({ both_blocks: true, name_with_flags: 'Field Trip (BB)' })
    expect(acts[cat.a.detention]).toMatchObject({ sticky: true, user_sticky: false, name_with_flags: 'Detention (S)' })
    expect(acts[cat.a.office]).toMatchObject({ administrative: true, name_with_flags: 'Z - Office Hold (R) (A)' })
    expect(acts[cat.a.early].presign).toBe(true)
    expect(acts[cat.a.tutoring].one_a_day).toBe(true)
  })

  test('per viewer: restricted_for_user, favorited, subscribed_to, user_sticky', async () => {
    const other = await student(env, { graduationYear: 2029 })
    await setActivityUsers(env.sql, cat.a.robotics, 'allowed', [other.id])
    await setActivityUsers(env.sql, cat.a.chess, 'favorite', [other.id])
    await setActivityUsers(env.sql, cat.a.study, 'subscriber', [other.id])
    await env.sql`INSERT INTO eighth_sticky_students (scheduled_activity_id, user_id) VALUES (${cat.sa.assembly}, ${other.id})`
    const mine = (await api(`/api/blocks/${cat.blocks.wedA}`, { headers: stu.auth })).body.activities
    const theirs = (await api(`/api/blocks/${cat.blocks.wedA}`, { headers: other.auth })).body.activities
    // Robotics: allowed by list for `other` only. Senior Seminar: allowed by grade for the senior.
    expect([mine[cat.a.robotics].restricted_for_user, theirs[cat.a.robotics].restricted_for_user]).toEqual([true, false])
    expect(mine[cat.a.robotics].name_with_flags_for_user).toBe('Robotics Team (R)')
    expect(theirs[cat.a.robotics].name_with_flags_for_user).toBe('Robotics Team')
    expect([mine[cat.a.seniors].restricted_for_user, theirs[cat.a.seniors].restricted_for_user]).toEqual([false, true])
    expect([mine[cat.a.chess].favorited, theirs[cat.a.chess].favorited]).toEqual([false, true])
    expect([mine[cat.a.study].subscribed_to, theirs[cat.a.study].subscribed_to]).toEqual([false, true])
    expect([mine[cat.a.assembly].user_sticky, theirs[cat.a.assembly].user_sticky]).toEqual([false, true])
    expect(theirs[cat.a.assembly].name_with_flags_for_user).toBe('Special: Assembly (S)')
    // A non-student eighth admin is never restricted.
    const adminView = (await api(`/api/blocks/${cat.blocks.wedA}`, { headers: await bearer(env, admin.id) })).body.activities
    expect(adminView[cat.a.robotics].restricted_for_user).toBe(false)
    expect(adminView[cat.a.office].restricted_for_user).toBe(false)
  })

  test('roster counts follow signups', async () => {
    const s = await student(env)
    await api('/api/signups/user', { headers: s.auth, json: { block: cat.blocks.wedA, activity: cat.a.study } })
    const acts = (await api(`/api/blocks/${cat.blocks.wedA}`, { headers: stu.auth })).body.activities
    expect(acts[cat.a.study].roster.count).toBe(1)
  })

  test('unknown or malformed id → 404 Ion message', async () => {
    for (const p of ['/api/blocks/999999', '/api/blocks/abc']) {
      const r = await api(p, { headers: stu.auth })
      expect(r.status).toBe(404)
      expect(r.body).toEqual({ details: ['Object does not exist (in database).'] })
    }
  })
})

describe('GET /api/activities[/<id>]', () => {
  test('list: paginated {id,url,name}, non-deleted, by id', async () => {
    const r = await api('/api/activities?page_size=5', { headers: stu.auth })
    expect(r.status).toBe(200)
    expect(r.body.count).toBe(Object.keys(cat.a).length - 1)
    expect(r.body.results[0]).toEqual({ id: cat.a.chess, url: `${BASE}/api/activities/${cat.a.chess}`, name: 'Chess Club' })
    expect(r.body.next).toBe(`${BASE}/api/activities?page_size=5&page=2`)
    const all = await api('/api/activities', { headers: stu.auth })
    const ids = all.body.results.map((a: any) => a.id)
    expect(ids).toEqual([...ids].sort((x: number, y: number) => x - y))
    expect(ids).not.toContain(cat.a.old)
  })

  test('detail: Ion fields and scheduled_on keyed by block id, every year, by date', async () => {
    const r = await api(`/api/activities/${cat.a.chess}`, { headers: stu.auth })
    expect(r.status).toBe(200)
    expect(Object.keys(r.body)).toEqual(['id', 'name', 'description', 'administrative', 'restricted', 'presign', 'one_a_day', 'both_blocks', 'sticky', 'special', 'scheduled_on'])
    expect(r.body).toMatchObject({ id: cat.a.chess, name: 'Chess Club', description: 'Play chess.', administrative: false, restricted: false, sticky: false })
    const order = [...r.text.matchAll(/"(\d+)":\{"id":\d+,"date":"([\d-]+)"/g)].map((m) => m[2])
    expect(order).toEqual(['2026-06-10', '2026-09-02', '2026-12-02', '2026-12-02', '2026-12-04', '2027-08-04'])
    expect(r.body.scheduled_on[cat.blocks.wedA]).toEqual({
      id: cat.blocks.wedA, date: '2026-12-02', block_letter: 'A', url: `${BASE}/api/blocks/${cat.blocks.wedA}`,
      roster: { id: cat.sa.chess, url: `${BASE}/api/signups/scheduled_activity/${cat.sa.chess}` },
    })
  })

  test('deleted or unknown activity → 404', async () => {
    for (const id of [cat.a.old, 999999]) {
      const r = await api(`/api/activities/${id}`, { headers: stu.auth })
      expect(r.status).toBe(404)
      expect(r.body).toEqual({ details: ['Object does not exist (in database).'] })
    }
  })
})

describe('date rules', () => {
  test('the school year turns over after config.yearTurnoverMonth (July: Aug 1 – Jul 31)', () => {
    expect(schoolYear('2026-11-30', 7)).toEqual({ from: '2026-08-01', to: '2027-07-31' })
    expect(schoolYear('2026-08-01', 7)).toEqual({ from: '2026-08-01', to: '2027-07-31' })
    expect(schoolYear('2026-07-31', 7)).toEqual({ from: '2025-08-01', to: '2026-07-31' })
    expect(schoolYear('2028-02-29', 7)).toEqual({ from: '2027-08-01', to: '2028-07-31' })
    expect(schoolYear('2026-06-15', 5)).toEqual({ from: '2026-06-01', to: '2027-05-31' })
    expect(schoolYear('2026-03-01', 12)).toEqual({ from: '2026-01-01', to: '2026-12-31' })
  })

  test('dates parse like Python strptime(%Y-%m-%d)', () => {
    expect(parseDate('2026-12-02')).toBe('2026-12-02')
    expect(parseDate('2026-1-5')).toBe('2026-01-05')
    expect(parseDate('2028-02-29')).toBe('2028-02-29')
    for (const bad of ['2027-02-29', '2026-13-01', '2026-00-10', '26-12-02', '2026/12/02', '2026-12-02T00:00', ' 2026-12-02', ''])
      expect([bad, parseDate(bad)]).toEqual([bad, null])
  })
})
