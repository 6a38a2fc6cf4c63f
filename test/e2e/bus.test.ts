// The bus board in a real browser (Chromium through playwright-core), two contexts: a bus admin on
// a tablet taps an empty space on the lot map and picks a bus; the student whose bus it is, on a
// phone, sees it arrive within a second — the map, the banner, the alert and a notification —
// without reloading. Then the announcement, and unassigning. axe-core checks both pages, and
// nothing may go wrong in the console (CSP included).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { dateInTz } from '../../src/platform/clock.ts'
import { zonedInstant } from '../../src/platform/zoned.ts'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { checkA11y, describeViolations, launchBrowser, listen } from '../helpers/browser.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addRoutes, ride } from '../bus/helpers.ts'

setDefaultTimeout(60_000)

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let browser: Browser
const cookies: Record<string, string> = {}

beforeAll(async () => {
  // This afternoon (the page's reload prompt runs on the browser's real clock: tonight).
  const tz = 'America/New_York'
  env = await testEnv({ clock: zonedInstant(dateInTz(new Date(), tz), '15:30', tz).toISOString() })
  server = await listen(env.app)
  browser = await launchBrowser()
  const ids = await addRoutes(env.sql)
  const stu = await makeUser(env.sql, { type: 'student', firstName: 'Sam', lastName: 'Rider' })
  const admin = await makeUser(env.sql, { type: 'teacher', firstName: 'Lot', lastName: 'Boss', groups: ['admin_bus'] })
  await ride(env.sql, stu.id, ids.get('JT-5')!)
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_2' WHERE route_name = 'JT-9'`
  cookies.stu = await login(env.app, stu)
  cookies.admin = await login(env.app, admin)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await env?.close()
})

/** Evaluates `expr` in the page until it is true. */
async function poll(page: Page, expr: string, ms = 5000): Promise<number> {
  const t0 = performance.now()
  while (!(await page.evaluate(expr))) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for: ${expr}`)
    await Bun.sleep(10)
  }
  return performance.now() - t0
}

type Opened = { ctx: BrowserContext; page: Page; problems: string[] }
async function open(who: 'stu' | 'admin', viewport: { width: number; height: number }): Promise<Opened> {
  const ctx = await browser.newContext({ viewport })
  await ctx.addCookies([{ name: 'sessionid', value: cookies[who]!.split('=')[1]!, url: server.base }])
  // A stand-in for the browser's Notification (headless Chromium shows none): permission given.
  await ctx.addInitScript(`window.__notes = []; window.Notification = class { constructor(t, o) { window.__notes.push([t, o && o.body]) } };
    window.Notification.permission = 'granted'; window.Notification.requestPermission = () => Promise.resolve('granted')`)
  const page = await ctx.newPage()
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`response: ${r.status()} ${r.url()}`) })
  const res = await page.goto(server.url('/bus/afternoon'))
  expect(res?.status()).toBe(200)
  await poll(page, "window.IonBus && window.IonBus.routes() !== null").catch((e) => { throw new Error(`${e.message}; problems: ${problems.join(" | ")}; url: ${page.url()}`) }) // connected, snapshot in
  return { ctx, page, problems }
}

const cls = (page: Page, space: string) => page.evaluate(`document.querySelector('#bus-lot g[data-space="${space}"]').getAttribute('class')`)

test('an admin assigns a bus to a space; the student’s page shows it arrived within a second', async () => {
  const admin = await open('admin', { width: 1024, height: 768 })
  const stu = await open('stu', { width: 390, height: 844 })
  try {
    const a = admin.page
    const s = stu.page
    expect(describeViolations(await checkA11y(a))).toEqual([])
    expect(describeViolations(await checkA11y(s))).toEqual([])
    expect(await s.locator('#bus-banner').getAttribute('class')).not.toContain('arrived')
    expect(await cls(s, '_2')).toBe('space filled')

    // The admin taps empty space 7: the sheet offers the buses not parked yet.
    await a.getByRole('link', { name: 'Space 7, empty: assign a bus' }).click()
    const sheet = a.getByRole('dialog', { name: 'Space 7' })
    await sheet.waitFor()
    expect(await sheet.getByRole('button', { name: 'JT-9', exact: true }).count()).toBe(0) // parked already
    await sheet.getByRole('searchbox', { name: 'Assign a bus to this space' }).fill('jt-5')
    expect(describeViolations(await checkA11y(a))).toEqual([])
    const t0 = performance.now()
    await sheet.getByRole('button', { name: 'JT-5', exact: true }).click()

    // The student's page, never reloaded.
    await poll(s, `document.querySelector('#bus-banner').classList.contains('arrived')`, 1000)
    await poll(s, `!document.querySelector('#bus-arrived').hidden && document.querySelector('#bus-arrived-text').textContent !== ''`, 1000)
    const elapsed = performance.now() - t0
    expect(elapsed).toBeLessThan(1000)
    expect(await cls(s, '_7')).toBe('space filled mine')
    await expect(s.locator('#bus-banner').textContent()).resolves.toContain('JT-5 has arrived (space 7)')
    await expect(s.getByRole('alert').filter({ hasText: 'Your bus JT-5 has arrived — space 7.' }).count()).resolves.toBe(1)
    expect(await s.evaluate('window.__notes')).toEqual([['Your bus has arrived', 'Your bus JT-5 has arrived — space 7.']])
    expect(await a.getByRole('dialog').count()).toBe(0)
    await poll(a, `document.querySelector('#bus-lot g[data-space="_7"]').classList.contains('filled')`)
    expect(await a.getByRole('link', { name: 'Space 7: JT-5. Unassign' }).count()).toBe(1)
    expect(describeViolations(await checkA11y(s))).toEqual([])
    await s.getByRole('button', { name: 'OK' }).click()

    // The announcement: it names the student's route, so it is an alert for them.
    await a.getByRole('textbox', { name: 'Edit the bus announcement' }).fill('JT-5 will leave 5 minutes late.')
    await a.getByRole('button', { name: 'Save' }).click()
    await poll(s, `document.querySelector('#bus-ann').classList.contains('mine') && !document.querySelector('#bus-ann').hidden`, 1000)
    await expect(s.getByRole('heading', { name: 'Announcement about your bus' }).count()).resolves.toBe(1)

    // The student searches for another bus: it is highlighted.
    await s.getByRole('combobox', { name: 'Search for a bus' }).fill('jt9') // a search box with suggestions
    await poll(s, `document.querySelector('#bus-lot g[data-space="_2"]').classList.contains('found')`)
    await expect(s.locator('#bus-found').textContent()).resolves.toBe('JT-9 is in space 2.')

    // Unassign: tap the filled space.
    await a.getByRole('link', { name: 'Space 7: JT-5. Unassign' }).click()
    await a.getByRole('dialog', { name: 'Space 7' }).getByRole('button', { name: 'Unassign JT-5' }).click()
    await poll(s, `!document.querySelector('#bus-lot g[data-space="_7"]').classList.contains('filled')`, 1000)
    expect(await s.locator('#bus-banner').getAttribute('class')).not.toContain('arrived')
    expect((await env.sql`SELECT status, space FROM bus_routes WHERE route_name = 'JT-5'`)[0]).toEqual({ status: 'o', space: '' })

    expect(admin.problems).toEqual([])
    expect(stu.problems).toEqual([])
  } finally {
    await admin.ctx.close()
    await stu.ctx.close()
  }
})

test('the morning board, marking a bus, on a phone', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } })
  await ctx.addCookies([{ name: 'sessionid', value: cookies.admin!.split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()) })
  try {
    // The server's clock is in the afternoon: the morning board is read-only, and says so.
    await page.goto(server.url('/bus/morning'))
    await expect(page.getByText('It is afternoon now, so this morning board is read-only.').count()).resolves.toBe(1)
    expect(describeViolations(await checkA11y(page))).toEqual([])
    // The afternoon board's "Mark a bus" form, over the socket.
    await page.goto(server.url('/bus/afternoon'))
    await poll(page, 'window.IonBus && window.IonBus.routes() !== null')
    await page.getByRole('combobox', { name: 'Route' }).selectOption({ label: 'JT-30 · on time' })
    await page.getByRole('button', { name: 'Delayed' }).click()
    await poll(page, `[...document.querySelectorAll('#bus-list-d li')].some((li) => li.textContent === 'JT-30')`, 1000)
    expect((await env.sql`SELECT status FROM bus_routes WHERE route_name = 'JT-30'`)[0]).toEqual({ status: 'd' })
    expect(problems).toEqual([])
  } finally {
    await ctx.close()
  }
})

test('the connection drops: "No connection", then it reconnects by itself and is current again', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } })
  await ctx.addCookies([{ name: 'sessionid', value: cookies.stu!.split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  try {
    await page.goto(server.url('/bus/afternoon'))
    await poll(page, 'window.IonBus && window.IonBus.routes() !== null')
    const port = Number(new URL(server.base).port)
    await env.app.stop(true) // every socket closes
    await poll(page, `!document.querySelector('#bus-conn').hidden && document.querySelector('#bus-conn').textContent.startsWith('No connection')`, 5000)
    await env.sql`UPDATE bus_routes SET status = 'a', space = '_30' WHERE route_name = 'JT-5'` // changed while away
    env.app.listen({ port, hostname: '127.0.0.1' })
    await poll(page, `document.querySelector('#bus-conn').textContent === 'Connection established.'`, 15_000)
    await poll(page, `document.querySelector('#bus-lot g[data-space="_30"]').classList.contains('mine')`, 2000)
    await poll(page, `!document.querySelector('#bus-arrived').hidden`, 1000) // it arrived while the page was away
  } finally {
    await ctx.close()
  }
})
