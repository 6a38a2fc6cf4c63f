// Ion's public schedule API: /api/schedule (stored days from today on, paged) and
// /api/schedule/<date> (Ion's synthetic "NO SCHOOL<br>" day when none is stored).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { addDayType, setDate } from './fixture.ts'

let env: TestEnv
const BASE = 'http://ion.test'

beforeAll(async () => {
  env = await testEnv({ clock: '2026-12-01T15:00:00Z', config: { BASE_URL: BASE } }) // Tuesday 10:00
  const test = await addDayType(env.sql, 'Test day', [['Test period', '10:00', '11:00']])
  const blue = await addDayType(env.sql, 'Blue Day', [['Period 1', '08:40', '10:15'], ['Lunch', '12:00', '12:30'], ['8B', '15:15', '16:00']])
  const snow = await addDayType(env.sql, 'Snow Day', [], { special: true })
  await setDate(env.sql, '2026-11-30', test) // yesterday: not in the list
  await setDate(env.sql, '2026-12-01', test) // today
  for (const d of ['2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11']) await setDate(env.sql, d, blue)
  await setDate(env.sql, '2026-12-14', snow, 'Closed')
})
afterAll(() => env.close())

const api = async (path: string) => {
  const r = await env.app.handle(req(path))
  return { status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as any }
}

describe('/api/schedule/<date>', () => {
  test('a stored day: date and day_type {name, special, blocks [{order, name, start "H:MM", end}]}, no sign-in needed', async () => {
    const r = await api('/api/schedule/2026-11-30')
    expect(r.status).toBe(200)
    expect(r.type).toContain('application/json')
    expect(r.body).toEqual({
      url: `${BASE}/api/schedule/2026-11-30`,
      date: '2026-11-30',
      day_type: { name: 'Test day', special: false, blocks: [{ order: 1, name: 'Test period', start: '10:00', end: '11:00' }] },
    })
    const blue = await api('/api/schedule/2026-12-02')
    expect(blue.body.day_type.blocks.map((b: any) => [b.start, b.end])).toEqual([['8:40', '10:15'], ['12:00', '12:30'], ['15:15', '16:00']])
  })

  test('a date with no schedule is Ion\'s synthetic day', async () => {
    const r = await api('/api/schedule/2026-12-05')
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ url: `${BASE}/api/schedule/2026-12-05`, date: '2026-12-05', day_type: { name: 'NO SCHOOL<br>', special: false, blocks: [] } })
    expect((await env.sql`SELECT 1 FROM schedule_day_types WHERE name = 'NO SCHOOL<br>'`).length).toBe(0) // nothing written on a GET
  })

  test('a special day type without blocks', async () => {
    expect((await api('/api/schedule/2026-12-14')).body.day_type).toEqual({ name: 'Snow Day', special: true, blocks: [] })
  })

  test('a malformed date: 400 {"details": [...]}', async () => {
    for (const bad of ['2026-02-30', '2026-1-5', 'today', '2026-12-05x']) {
      const r = await api(`/api/schedule/${bad}`)
      expect(r.status).toBe(400)
      expect(r.body.details).toEqual([expect.stringContaining('is not a date: use YYYY-MM-DD.')])
    }
  })

  test('?format=json and a trailing slash are accepted', async () => {
    expect((await api('/api/schedule/2026-12-01?format=json')).body.date).toBe('2026-12-01')
    expect((await api('/api/schedule/2026-12-01/')).body.date).toBe('2026-12-01')
  })
})

describe('/api/schedule', () => {
  test('stored days from today on, one per page, absolute links', async () => {
    const r = await api('/api/schedule')
    expect(r.status).toBe(200)
    expect(r.body.count).toBe(10) // today, eight Blue Days and the snow day; yesterday is not listed
    expect(r.body.previous).toBeNull()
    expect(r.body.next).toBe(`${BASE}/api/schedule?page=2`)
    expect(r.body.results).toEqual([{
      url: `${BASE}/api/schedule/2026-12-01`,
      date: '2026-12-01',
      day_type: { name: 'Test day', special: false, blocks: [{ order: 1, name: 'Test period', start: '10:00', end: '11:00' }] },
    }])
    const p2 = await api('/api/schedule?page=2')
    expect(p2.body.results.map((d: any) => d.date)).toEqual(['2026-12-02'])
    expect(p2.body.previous).toBe(`${BASE}/api/schedule`)
  })

  test('page_size up to 7; more is 7; nonsense is the default', async () => {
    const three = await api('/api/schedule?page_size=3&page=2')
    expect(three.body.results.map((d: any) => d.date)).toEqual(['2026-12-04', '2026-12-07', '2026-12-08'])
    expect(three.body.next).toBe(`${BASE}/api/schedule?page_size=3&page=3`)
    expect(three.body.previous).toBe(`${BASE}/api/schedule?page_size=3`)
    const many = await api('/api/schedule?page_size=50')
    expect(many.body.results).toHaveLength(7)
    expect(many.body.next).toBe(`${BASE}/api/schedule?page_size=50&page=2`)
    const last = await api('/api/schedule?page_size=50&page=2')
    expect(last.body.results.map((d: any) => d.date)).toEqual(['2026-12-10', '2026-12-11', '2026-12-14'])
    expect(last.body.next).toBeNull()
    expect((await api('/api/schedule?page_size=abc')).body.results).toHaveLength(1)
  })

  test('a page past the end or a bad page number: 404 "Invalid page."', async () => {
    for (const p of ['11', '0', 'x']) {
      const r = await api(`/api/schedule?page=${p}`)
      expect(r.status).toBe(404)
      expect(r.body.details).toEqual(['Invalid page.'])
    }
  })

  test('"today" follows the clock', async () => {
    env.clock.set('2026-12-14T15:00:00Z')
    const r = await api('/api/schedule')
    expect(r.body.count).toBe(1)
    expect(r.body.results[0].date).toBe('2026-12-14')
    env.clock.set('2026-12-15T15:00:00Z')
    expect((await api('/api/schedule')).body).toEqual({ count: 0, next: null, previous: null, results: [] })
    env.clock.set('2026-12-01T15:00:00Z')
  })
})
