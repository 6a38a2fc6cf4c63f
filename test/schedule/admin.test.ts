// The schedule admin: day types (create, edit blocks, copy, delete), days (assign, remove,
// comment), Ion's default fill, "delete cache". Every refused edit is a 422 that changes nothing;
// every edit is audited and shows at once (the cache is retired).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addDayType, ANCHOR, BLUE, RED, setDate, textOf } from './fixture.ts'

let env: TestEnv
let admin: string
let student: string

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z' })
  admin = await login(env.app, await makeUser(env.sql, { type: 'teacher', groups: ['admin_schedule'] }))
  student = await login(env.app, await makeUser(env.sql, { type: 'student' }))
})
afterAll(() => env.close())
beforeEach(async () => {
  await env.sql`TRUNCATE schedule_day_types, schedule_days, audit_log RESTART IDENTITY CASCADE`
})

const post = (path: string, form: Record<string, string>, cookie = admin) => env.app.handle(req(path, { form, cookie }))
const get = (path: string, cookie = admin) => env.app.handle(req(path, { cookie }))

/** Everything the schedule tables hold, to prove a refused edit changed nothing. */
async function snapshot() {
  const [types, blocks, days] = await Promise.all([
    env.sql`SELECT id, name, special, codenames FROM schedule_day_types ORDER BY id`,
    env.sql`SELECT day_type_id, sort_order, name, start_time, end_time FROM schedule_blocks ORDER BY day_type_id, sort_order`,
    env.sql`SELECT date, day_type_id, comment FROM schedule_days ORDER BY date`,
  ])
  return JSON.stringify({ types, blocks, days })
}
const audits = async () => (await env.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE action LIKE 'schedule.%' ORDER BY id`).map((r) => r.action)

function rowsForm(rows: [string, string, string, string?][], extra: Record<string, string> = {}): Record<string, string> {
  const f: Record<string, string> = { ...extra }
  rows.forEach(([name, start, end, order], i) => {
    f[`block_${i}`] = name
    f[`start_${i}`] = start
    f[`end_${i}`] = end
    f[`order_${i}`] = order ?? ''
  })
  return f
}

describe('access', () => {
  test('the admin pages and edits need admin_schedule', async () => {
    for (const path of ['/schedule/admin', '/schedule/daytype/new']) expect((await get(path, student)).status).toBe(403)
    expect((await post('/schedule/daytype', rowsForm([], { name: 'X' }), student)).status).toBe(403)
    expect((await post('/schedule/admin/fill', { month: '2026-12' }, student)).status).toBe(403)
    expect((await env.app.handle(req('/schedule/admin'))).status).toBe(303)
    expect((await get('/schedule/admin')).status).toBe(200)
    expect(await snapshot()).toBe(JSON.stringify({ types: [], blocks: [], days: [] }))
  })
})

describe('day types', () => {
  test('create with blocks; times "H:MM"; an empty order goes after the others; empty rows are ignored', async () => {
    const r = await post('/schedule/daytype', rowsForm([['Period 1', '8:40', '10:15', '1'], ['', '', ''], ['8B', '15:15', '16:00'], ['Lunch', '12:00', '12:30', '3']], {
      name: 'Blue Day', codenames: 'blue, b-day', special: 'on',
    }))
    expect(r.status).toBe(303)
    const [t] = await env.sql`SELECT id, name, special, codenames FROM schedule_day_types`
    expect(r.headers.get('location')).toBe(`/schedule/daytype/${t!.id}?done=created`)
    expect(t).toMatchObject({ name: 'Blue Day', special: true, codenames: ['blue', 'b-day'] })
    const blocks = await env.sql`SELECT sort_order, name, to_char(start_time, 'HH24:MI') AS s, to_char(end_time, 'HH24:MI') AS e FROM schedule_blocks ORDER BY sort_order`
    expect(blocks.map((b) => [b.sortOrder, b.name, b.s, b.e])).toEqual([[1, 'Period 1', '08:40', '10:15'], [2, '8B', '15:15', '16:00'], [3, 'Lunch', '12:00', '12:30']])
    expect(await audits()).toEqual(['schedule.daytype.create'])
    const page = await (await get(`/schedule/daytype/${t!.id}?done=created`)).text()
    expect(page).toContain('Day type created.')
    expect(page).toContain('value="08:40"')
  })

  test('bad times, an end not after its start, a missing name: 422 with every message, nothing changed', async () => {
    const id = await addDayType(env.sql, 'Red Day', RED)
    const before = await snapshot()
    const r = await post(`/schedule/daytype/${id}`, rowsForm([
      ['Period 5', '8:4', '10:15'], ['Period 6', '25:00', '26:00'], ['Period 7', '11:00', '11:00'], ['Period 8', '13:00', '12:00'], ['', '9:00', '9:30'],
      ['Seminar', '14:00', '15:00', 'x'],
    ], { name: '' }))
    expect(r.status).toBe(422)
    const text = textOf(await r.text())
    for (const m of [
      'The day type needs a name.',
      'Block 1 ("Period 5"): the start "8:4" is not a time like 8:40 or 13:05.',
      'Block 2 ("Period 6"): the start "25:00" is not a time',
      'Block 2 ("Period 6"): the end "26:00" is not a time',
      'Block 3 ("Period 7"): the end (11:00) must be after the start (11:00).',
      'Block 4 ("Period 8"): the end (12:00) must be after the start (13:00).',
      'Block 5: give the block a name.',
      'Block 6 ("Seminar"): the order must be a whole number from 1 to 99.',
    ]) expect(text).toContain(m)
    // The form comes back with what was typed.
    expect(await snapshot()).toBe(before)
    expect(await audits()).toEqual([])
  })

  test('a duplicate name or order is refused; the schema refuses end <= start too', async () => {
    await addDayType(env.sql, 'Blue Day', BLUE)
    const before = await snapshot()
    const dup = await post('/schedule/daytype', rowsForm([['A', '8:00', '9:00', '2'], ['B', '9:00', '10:00', '2']], { name: 'blue day' }))
    expect(dup.status).toBe(422)
    const text = textOf(await dup.text())
    expect(text).toContain('Block 2 ("B"): another block already has order 2.')
    expect(await snapshot()).toBe(before)
    const ok = await post('/schedule/daytype', rowsForm([['A', '8:00', '9:00']], { name: 'blue day' }))
    expect(ok.status).toBe(422)
    expect(textOf(await ok.text())).toContain('There is already a day type named "blue day".')
    expect(await snapshot()).toBe(before)
    const [t] = await env.sql`SELECT id FROM schedule_day_types`
    expect(env.sql`INSERT INTO schedule_blocks (day_type_id, sort_order, name, start_time, end_time) VALUES (${t!.id}, 9, 'x', '10:00', '09:00')`).rejects.toThrow(/check/)
  })

  test('saving replaces the blocks', async () => {
    const id = await addDayType(env.sql, 'Anchor Day', ANCHOR)
    const r = await post(`/schedule/daytype/${id}`, rowsForm([['Only', '9:00', '9:45']], { name: 'Anchor Day' }))
    expect(r.status).toBe(303)
    const blocks = await env.sql`SELECT name FROM schedule_blocks WHERE day_type_id = ${id}`
    expect(blocks.map((b) => b.name)).toEqual(['Only'])
    expect(await audits()).toEqual(['schedule.daytype.update'])
  })

  test('copy as "<name> (Copy)" with its blocks, then "(Copy 2)"; delete removes it and its days', async () => {
    const id = await addDayType(env.sql, 'Blue Day', BLUE)
    await setDate(env.sql, '2026-12-01', id)
    const c1 = await post(`/schedule/daytype/${id}/copy`, {})
    expect(c1.status).toBe(303)
    await post(`/schedule/daytype/${id}/copy`, {})
    const names = await env.sql`SELECT t.name, (SELECT count(*)::int FROM schedule_blocks b WHERE b.day_type_id = t.id) AS n FROM schedule_day_types t ORDER BY t.id`
    expect(names.map((r) => [r.name, r.n])).toEqual([['Blue Day', 4], ['Blue Day (Copy)', 4], ['Blue Day (Copy 2)', 4]])
    const page = await (await get(`/schedule/daytype/${id}`)).text()
    expect(page).toContain('data-confirm="Delete &#34;Blue Day&#34;? 1 date uses it and will have no schedule."')
    const del = await post(`/schedule/daytype/${id}/delete`, {})
    expect(del.status).toBe(303)
    expect(await env.sql`SELECT 1 FROM schedule_days`).toHaveLength(0)
    expect((await get(`/schedule/daytype/${id}`)).status).toBe(404)
    expect((await post(`/schedule/daytype/${id}/copy`, {})).status).toBe(404)
    expect(await audits()).toEqual(['schedule.daytype.copy', 'schedule.daytype.copy', 'schedule.daytype.delete'])
  })
})

describe('days', () => {
  test('assign a day type with a comment, change it, remove it with an empty day type', async () => {
    const blue = await addDayType(env.sql, 'Blue Day', BLUE)
    const red = await addDayType(env.sql, 'Red Day', RED)
    const r = await post('/schedule/admin/day', { date: '2026-12-01', day_type: String(blue), comment: 'Picture day', month: '2026-12' })
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/schedule/admin?month=2026-12&done=day')
    expect([...await env.sql`SELECT date, day_type_id, comment FROM schedule_days`]).toEqual([{ date: '2026-12-01', dayTypeId: blue, comment: 'Picture day' }])
    // From the day type's page (no comment field): the comment stays.
    await post('/schedule/admin/day', { date: '2026-12-01', day_type: String(red), back: `/schedule/daytype/${red}` })
    expect([...await env.sql`SELECT day_type_id, comment FROM schedule_days`]).toEqual([{ dayTypeId: red, comment: 'Picture day' }])
    const gone = await post('/schedule/admin/day', { date: '2026-12-01', day_type: '', comment: '' })
    expect(gone.headers.get('location')).toContain('done=removed')
    expect(await env.sql`SELECT 1 FROM schedule_days`).toHaveLength(0)
    expect(await audits()).toEqual(['schedule.day.set', 'schedule.day.set', 'schedule.day.delete'])
  })

  test('a bad date, an unknown day type or a long comment: 422, nothing changed', async () => {
    const blue = await addDayType(env.sql, 'Blue Day', BLUE)
    const before = await snapshot()
    for (const form of [
      { date: '2026-02-30', day_type: String(blue), comment: '' },
      { date: '2026-12-01', day_type: '99999', comment: '' },
      { date: '2026-12-01', day_type: 'blue', comment: '' },
      { date: '2026-12-01', day_type: String(blue), comment: 'x'.repeat(501) },
    ]) {
      const r = await post('/schedule/admin/day', { ...form, month: '2026-12' })
      expect(r.status).toBe(422)
      expect(await r.text()).toContain('class="alert error"')
    }
    expect(await snapshot()).toBe(before)
    expect(await audits()).toEqual([])
  })
})

describe('default fill', () => {
  test('fills only the weekdays without a schedule: Mon Anchor, Tue/Thu Blue, Wed/Fri Red', async () => {
    const anchor = await addDayType(env.sql, 'Anchor Day', ANCHOR)
    const blue = await addDayType(env.sql, 'Blue Day', BLUE)
    const red = await addDayType(env.sql, 'Red Day', RED)
    const snow = await addDayType(env.sql, 'Snow Day', [], { special: true })
    await setDate(env.sql, '2026-12-02', snow, 'Closed')
    const r = await post('/schedule/admin/fill', { month: '2026-12' })
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/schedule/admin?month=2026-12&done=filled&n=22')
    const days = await env.sql<{ date: string; dayTypeId: number; comment: string }[]>`SELECT date, day_type_id, comment FROM schedule_days ORDER BY date`
    expect(days).toHaveLength(23) // December 2026 has 23 weekdays
    const of = (d: string) => days.find((x) => x.date === d)
    expect(of('2026-12-02')).toEqual({ date: '2026-12-02', dayTypeId: snow, comment: 'Closed' })
    expect([of('2026-12-07')!.dayTypeId, of('2026-12-08')!.dayTypeId, of('2026-12-09')!.dayTypeId, of('2026-12-10')!.dayTypeId, of('2026-12-11')!.dayTypeId])
      .toEqual([anchor, blue, red, blue, red])
    expect(days.some((d) => ['2026-12-05', '2026-12-06'].includes(d.date))).toBe(false)
    expect(days.every((d) => d.date.startsWith('2026-12'))).toBe(true)
    // Again: nothing left to fill.
    const again = await post('/schedule/admin/fill', { month: '2026-12' })
    expect(again.headers.get('location')).toContain('n=0')
    const page = await (await get('/schedule/admin?month=2026-12&done=filled&n=22')).text()
    expect(page).toContain('Default fill done: 22 days filled.')
    expect(await audits()).toEqual(['schedule.fill'])
  })

  test('without those day types: a clear error, nothing filled', async () => {
    await addDayType(env.sql, 'Anchor Day', ANCHOR)
    await addDayType(env.sql, 'Red Day', RED)
    const r = await post('/schedule/admin/fill', { month: '2026-12' })
    expect(r.status).toBe(422)
    expect(textOf(await r.text())).toContain('Make sure you have day types defined for Anchor Days, Blue Days, and Red Days: "Blue Day" is missing.')
    expect(await env.sql`SELECT 1 FROM schedule_days`).toHaveLength(0)
    expect(await audits()).toEqual([])
    expect((await post('/schedule/admin/fill', { month: '2026-13' })).status).toBe(400)
  })
})

describe('the cache', () => {
  const apiDay = async (date: string) => (await (await env.app.handle(req(`/api/schedule/${date}`))).json()) as { day_type: { name: string; blocks: { start: string }[] } }

  test('a changed block shows at once: every edit retires the cached dates', async () => {
    const id = await addDayType(env.sql, 'Blue Day', [['Period 1', '08:40', '10:15']])
    await setDate(env.sql, '2026-12-01', id)
    expect((await apiDay('2026-12-01')).day_type.blocks[0]!.start).toBe('8:40')
    // Cached now: a change behind the app's back does not show…
    expect((await env.redis.send('KEYS', [env.redis.prefix + 'bell_schedule:2026-12-01:*']) as string[]).length).toBe(1)
    await env.sql`UPDATE schedule_blocks SET start_time = '08:50'`
    expect((await apiDay('2026-12-01')).day_type.blocks[0]!.start).toBe('8:40')
    // …an admin edit does.
    await post(`/schedule/daytype/${id}`, rowsForm([['Period 1', '9:00', '10:15']], { name: 'Blue Day' }))
    expect((await apiDay('2026-12-01')).day_type.blocks[0]!.start).toBe('9:00')
    const widget = await (await env.app.handle(req('/schedule/view?date=2026-12-01'))).text()
    expect(textOf(widget)).toContain('Period 1: 9:00 – 10:15')
    // Assigning a day shows at once too.
    expect((await apiDay('2026-12-02')).day_type.name).toBe('NO SCHOOL<br>')
    await post('/schedule/admin/day', { date: '2026-12-02', day_type: String(id), comment: '' })
    expect((await apiDay('2026-12-02')).day_type.name).toBe('Blue Day')
  })

  test('"delete cache" retires every cached date and is audited', async () => {
    const id = await addDayType(env.sql, 'Blue Day', [['Period 1', '08:40', '10:15']])
    await setDate(env.sql, '2026-12-03', id)
    await apiDay('2026-12-03')
    await env.sql`UPDATE schedule_days SET comment = 'changed directly'`
    const r = await post('/schedule/admin/cache/delete', { month: '2026-12' })
    expect(r.headers.get('location')).toBe('/schedule/admin?month=2026-12&done=cache')
    expect(textOf(await (await env.app.handle(req('/schedule/view?date=2026-12-03'))).text())).toContain('changed directly')
    expect(await audits()).toEqual(['schedule.cache.clear'])
  })
})
