// The schedule's pages: the dashboard widget and its htmx paging partial, the public day view,
// the embeddable page (frame-ancestors *), the week and month calendars, and date resolution
// through the routes with the injected clock.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addDayType, BLUE, RED, setDate, textOf } from './fixture.ts'

let env: TestEnv
let cookie: string
let types: { blue: number; red: number; xss: number }

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z' }) // Monday 09:00 in New York
  const u = await makeUser(env.sql, { type: 'student' })
  cookie = await login(env.app, u)
  types = {
    blue: await addDayType(env.sql, 'Blue Day', BLUE),
    red: await addDayType(env.sql, 'Red Day', RED),
    xss: await addDayType(env.sql, '"><img src=x onerror=alert(1)>', [['<b>Bold</b>', '09:00', '10:00']], { special: true }),
  }
  await setDate(env.sql, '2026-11-30', types.blue, 'Spirit week: wear blue')
  await setDate(env.sql, '2026-12-01', types.red)
  await setDate(env.sql, '2026-12-04', types.blue)
  await setDate(env.sql, '2026-12-07', types.red)
  await setDate(env.sql, '2026-12-02', types.xss, '<script>alert(2)</script>')
})
afterAll(() => env.close())

const get = (path: string, o: { htmx?: boolean; anon?: boolean } = {}) =>
  env.app.handle(req(path, { cookie: o.anon ? undefined : cookie, htmx: o.htmx }))

describe('the dashboard widget', () => {
  test('is on the dashboard for a signed-in user: coloured day type, comment, 12-hour rows, arrows, the script', async () => {
    const html = await (await get('/')).text()
    const widget = html.slice(html.indexOf('data-widget="schedule"'))
    expect(widget).toContain('<h2>Bell schedule</h2>')
    expect(widget).toContain('class="day-type day-type-blue"')
    expect(widget).toContain('Spirit week: wear blue')
    expect(textOf(widget)).toContain('Period 1: 8:40 – 10:15 Period 2: 10:25 – 12:00 Lunch: 12:00 – 12:30 8A: 2:30 – 4:00')
    expect(widget).toContain('data-start="08:40" data-end="10:15"')
    expect(widget).toContain('data-tz="America/New_York"')
    expect(widget).toContain('data-date="2026-11-30"')
    // Monday's previous school day is Friday.
    expect(widget).toContain('hx-get="/schedule/widget?date=2026-11-27"')
    expect(widget).toContain('hx-get="/schedule/widget?date=2026-12-01"')
    expect(widget).toMatch(/<script src="\/public\/schedule\.js\?v=\w+" defer><\/script>/)
  })

  test('the widget partial answers an htmx request with the day alone; otherwise a whole page', async () => {
    const partial = await get('/schedule/widget?date=2026-12-04', { htmx: true })
    expect(partial.status).toBe(200)
    expect(partial.headers.get('vary')).toContain('HX-Request')
    const frag = await partial.text()
    expect(frag.startsWith('<div class="bell-day" id="bell-day" data-date="2026-12-04"')).toBe(true)
    expect(frag).not.toContain('<html')
    expect(frag).not.toContain('schedule.js') // already on the page
    // Friday's next school day is Monday.
    expect(frag).toContain('href="/schedule/widget?date=2026-12-07"')
    expect(frag).toContain('href="/schedule/widget?date=2026-12-03"')

    const full = await (await get('/schedule/widget?date=2026-12-04')).text()
    expect(full.startsWith('<!doctype html>')).toBe(true)
    expect(full).toContain('class="site-header"')
    expect(full).toContain('data-date="2026-12-04"')
    expect(full).toContain('schedule.js')
  })

  test('the widget endpoint is for signed-in users', async () => {
    const r = await get('/schedule/widget', { anon: true })
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toStartWith('/login')
  })

  test('"No school" on a weekend, "No schedule available" on a weekday without one', async () => {
    expect(textOf(await (await get('/schedule/widget?date=2026-12-05', { htmx: true })).text())).toContain('No school')
    const weekday = textOf(await (await get('/schedule/widget?date=2026-12-03', { htmx: true })).text())
    expect(weekday).toContain('No schedule available')
  })

  test('names and comments are escaped', async () => {
    const frag = await (await get('/schedule/widget?date=2026-12-02', { htmx: true })).text()
    expect(frag).not.toContain('<img src=x')
    expect(frag).not.toContain('<script>alert(2)')
    expect(frag).not.toContain('<b>Bold')
    expect(frag).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(frag).toContain('day-special')
    const month = await (await get('/schedule?view=month&date=2026-12-02')).text()
    expect(month).not.toContain('"><img')
    expect(month).toContain('&quot;&gt;&lt;img src=x')
    // In an attribute the quote is escaped.
    const admin = await addDayType(env.sql, 'Quote" onmouseover="x', [])
    await setDate(env.sql, '2026-12-09', admin)
    expect(await (await get('/schedule/widget?date=2026-12-09', { htmx: true })).text()).not.toContain('" onmouseover="x')
  })
})

describe('date resolution through the pages (injected clock, school zone)', () => {
  const shown = async (path: string) => /data-date="([\d-]+)"/.exec(await (await get(path, { anon: true })).text())?.[1]

  test('weekday before 17:00, after 17:00, Friday evening, Saturday, Sunday', async () => {
    env.clock.set('2026-11-30T21:59:00Z') // Monday 16:59
    expect(await shown('/schedule/view')).toBe('2026-11-30')
    env.clock.set('2026-11-30T22:00:00Z') // Monday 17:00
    expect(await shown('/schedule/view')).toBe('2026-12-01')
    env.clock.set('2026-12-04T23:30:00Z') // Friday 18:30
    expect(await shown('/schedule/view')).toBe('2026-12-07')
    env.clock.set('2026-12-05T16:00:00Z') // Saturday
    expect(await shown('/schedule/embed')).toBe('2026-12-07')
    env.clock.set('2026-12-06T16:00:00Z') // Sunday
    expect(await shown('/schedule/view')).toBe('2026-12-07')
    expect(await shown('/schedule/view?date=2026-12-05')).toBe('2026-12-05')
    env.clock.set('2026-11-30T14:00:00Z')
  })

  test('a bad date is a clear 400', async () => {
    for (const path of ['/schedule/view?date=2026-02-30', '/schedule/embed?date=soon', '/schedule/widget?date=2026-1-1', '/schedule?date=x']) {
      const r = await get(path)
      expect(r.status).toBe(400)
      expect(await r.text()).toContain('is not a date. Use the form YYYY-MM-DD')
    }
  })
})

describe('public and embeddable pages', () => {
  test('/schedule/view is public and keeps the site\'s frame protection', async () => {
    const r = await get('/schedule/view?date=2026-11-30', { anon: true })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    const html = await r.text()
    expect(html).toContain('class="site-header"')
    expect(textOf(html)).toContain('Period 1: 8:40 – 10:15')
    expect(html).toContain('schedule.js')
  })

  test('/schedule/embed may be framed anywhere and has no site chrome', async () => {
    const r = await get('/schedule/embed?date=2026-11-30', { anon: true })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-security-policy')).toContain('frame-ancestors *')
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(r.headers.get('x-frame-options')).toBeNull()
    const html = await r.text()
    expect(html.startsWith('<!doctype html>')).toBe(true)
    for (const chrome of ['site-header', 'site-footer', '<nav aria-label="Main"', 'Log in']) expect(html).not.toContain(chrome)
    expect(html).toContain('href="/schedule/embed?date=2026-12-01"')
    expect(html).toContain('app.css')
    expect(html).toContain('schedule.js')
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son\w+=/)
    // An arrow's htmx request gets the day alone, still embeddable.
    const frag = await get('/schedule/embed?date=2026-12-01', { htmx: true, anon: true })
    expect(frag.headers.get('content-security-policy')).toContain('frame-ancestors *')
    expect((await frag.text()).startsWith('<div class="bell-day"')).toBe(true)
  })

  test('every other page keeps frame-ancestors \'self\'', async () => {
    for (const path of ['/schedule', '/schedule/widget', '/api/schedule', '/schedule/embed/x', '/']) {
      const r = await get(path)
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
    }
  })
})

describe('the calendar', () => {
  test('the week view: five weekdays with their blocks, and previous / today / next', async () => {
    const r = await get('/schedule?date=2026-12-02')
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('Week of Mon, Nov 30')
    expect((html.match(/class="cal-day card/g) ?? []).length).toBe(5)
    expect(textOf(html)).toContain('Tuesday, December 1 Red Day Period 5: 8:40 – 10:15')
    expect(textOf(html)).toContain('Thursday, December 3 No schedule')
    expect(html).toContain('href="/schedule?date=2026-11-23"')
    expect(html).toContain('href="/schedule?date=2026-12-07"')
    expect(html).toContain('href="/schedule"')
    expect(html).not.toContain('Edit the bell schedule') // not an admin
  })

  test('the month view: Mon–Fri weeks of the month, each day\'s type, other months greyed', async () => {
    const html = await (await get('/schedule?view=month&date=2026-12-15')).text()
    expect(html).toContain('<h1 id="cal-title">December 2026</h1>')
    expect((html.match(/<tr>/g) ?? []).length).toBe(1 + 5) // header + Nov 30 … Dec 28 weeks
    expect(textOf(html)).toContain('Tuesday, December 1 Red Day Wednesday, December 2')
    expect(textOf(html)).toContain('Thursday, December 3 no schedule')
    expect(html).toContain('class="cal-cell outside is-today"') // Nov 30, today, outside December
    expect(html).toContain('href="/schedule?view=month&date=2026-11-01"')
    expect(html).toContain('href="/schedule?view=month&date=2027-01-01"')
  })

  test('the calendar is for signed-in users', async () => {
    expect((await get('/schedule', { anon: true })).status).toBe(303)
  })
})
