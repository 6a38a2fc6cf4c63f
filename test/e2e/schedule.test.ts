// The bell-schedule widget in a real browser (Chromium through playwright-core), phone-sized:
// public/schedule.js marks the block in progress and the passing time between blocks (its clock
// set through the documented `data-now` attribute), and the arrow pages to the next school day
// with htmx without reloading the dashboard. axe-core checks each state; nothing may go wrong in
// the console (CSP included).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { checkA11y, describeViolations, launchBrowser, listen } from '../helpers/browser.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addDayType, BLUE, RED, setDate } from '../schedule/fixture.ts'

setDefaultTimeout(60_000)

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let browser: Browser
let cookie: string

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z' }) // Monday 09:00 in New York
  cookie = await login(env.app, await makeUser(env.sql, { type: 'student', firstName: 'Ada', lastName: 'Lovelace' }))
  await setDate(env.sql, '2026-11-30', await addDayType(env.sql, 'Blue Day', BLUE), 'Spirit week')
  await setDate(env.sql, '2026-12-01', await addDayType(env.sql, 'Red Day', RED))
  server = await listen(env.app)
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await env?.close()
})

async function poll(page: Page, expr: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!(await page.evaluate(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${expr}`)
    await Bun.sleep(25)
  }
}

const setNow = (page: Page, iso: string) => page.evaluate(`document.documentElement.setAttribute('data-now', ${JSON.stringify(iso)})`)
const marked = (page: Page) => page.evaluate(`[...document.querySelectorAll('#bell-day [aria-current="time"]')].map((e) => e.textContent)`) as Promise<string[]>

test('the widget marks the current block and passing time, and pages to the next day with htmx', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } })
  await ctx.addCookies([{ name: 'sessionid', value: cookie.split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`response: ${r.status()} ${r.url()}`) })
  try {
    const res = await page.goto(server.url('/'))
    expect(res?.status()).toBe(200)
    const widget = page.locator('[data-widget="schedule"]')
    expect(await widget.getByRole('heading', { name: 'Bell schedule' }).count()).toBe(1)
    expect(await widget.locator('.bell-date').textContent()).toBe('Monday, November 30')

    // 09:00 in New York: Period 1 (8:40 – 10:15) is on.
    await setNow(page, '2026-11-30T14:00:00Z')
    await poll(page, `document.querySelector('#bell-day .bell-block.current')?.textContent === 'Period 1: 8:40 – 10:15'`)
    expect(await marked(page)).toEqual(['Period 1: 8:40 – 10:15'])
    expect(describeViolations(await checkA11y(page))).toEqual([])

    // 10:20: between Period 1 and Period 2.
    await setNow(page, '2026-11-30T15:20:00Z')
    await poll(page, `!!document.querySelector('#bell-day .bell-passing')`)
    expect(await marked(page)).toEqual(['Passing: 10:15 – 10:25'])
    const order = await page.evaluate(`[...document.querySelectorAll('#bell-day .bell-blocks li')].slice(0, 3).map((e) => e.textContent)`)
    expect(order).toEqual(['Period 1: 8:40 – 10:15', 'Passing: 10:15 – 10:25', 'Period 2: 10:25 – 12:00'])
    expect(describeViolations(await checkA11y(page))).toEqual([])

    // 12:15 (Lunch) clears the passing row; after school nothing is marked.
    await setNow(page, '2026-11-30T17:15:00Z')
    await poll(page, `!document.querySelector('#bell-day .bell-passing')`)
    expect(await marked(page)).toEqual(['Lunch: 12:00 – 12:30'])
    await setNow(page, '2026-11-30T22:00:00Z')
    await poll(page, `!document.querySelector('#bell-day [aria-current]')`)

    // The next arrow swaps in Tuesday without reloading the page.
    await page.evaluate('window.__sameDocument = true')
    await widget.getByRole('link', { name: 'Next school day: Tuesday, December 1' }).click()
    await poll(page, `document.querySelector('#bell-day')?.dataset.date === '2026-12-01'`)
    expect(await page.evaluate('window.__sameDocument')).toBe(true)
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await widget.locator('.day-name').textContent()).toBe('Red Day')
    expect(await widget.locator('.bell-date').textContent()).toBe('Tuesday, December 1')
    // Monday's "now" is not Tuesday: nothing marked; Tuesday 09:00 marks Tuesday's first block.
    expect(await marked(page)).toEqual([])
    await setNow(page, '2026-12-01T14:00:00Z')
    await poll(page, `document.querySelector('#bell-day .bell-block.current')?.textContent === 'Period 5: 8:40 – 10:15'`)

    // And back; then Monday's previous day is the Friday before (no schedule stored).
    await widget.getByRole('link', { name: 'Previous school day: Monday, November 30' }).click()
    await poll(page, `document.querySelector('#bell-day')?.dataset.date === '2026-11-30'`)
    await widget.getByRole('link', { name: 'Previous school day: Friday, November 27' }).click()
    await poll(page, `document.querySelector('#bell-day')?.dataset.date === '2026-11-27'`)
    expect(await widget.locator('.bell-none').textContent()).toBe('No schedule available')
    expect(await page.evaluate('window.__sameDocument')).toBe(true)
    expect(describeViolations(await checkA11y(page))).toEqual([])

    // The calendar and the embed page pass axe too.
    for (const path of ['/schedule', '/schedule?view=month', '/schedule/embed', '/schedule/view']) {
      await page.goto(server.url(path))
      expect({ path, v: describeViolations(await checkA11y(page)) }).toEqual({ path, v: [] })
    }
    expect(problems).toEqual([])
  } finally {
    await ctx.close()
  }
})
