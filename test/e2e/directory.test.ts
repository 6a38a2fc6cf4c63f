// The directory in a real browser (Chromium through playwright-core), phone-sized: a student
// types a name, the results follow the typing (htmx, no page load), a click opens the profile;
// pressing Enter on a search that finds one person opens that profile directly. axe-core checks
// each page, and nothing may go wrong in the console (CSP included).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { checkA11y, describeViolations, launchBrowser, listen } from '../helpers/browser.ts'
import { addActivity } from '../helpers/eighth.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

setDefaultTimeout(60_000)

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let browser: Browser
let ada: MadeUser
let cookie: string

beforeAll(async () => {
  env = await testEnv()
  server = await listen(env.app)
  browser = await launchBrowser()
  const sql = env.sql
  ada = await makeUser(sql, { username: 'alovelace', firstName: 'Ada', lastName: 'Lovelace', nickname: 'Countess', graduationYear: 2027 })
  await makeUser(sql, { username: 'alovett', firstName: 'Alan', lastName: 'Lovett', graduationYear: 2028 })
  await makeUser(sql, { username: 'ghopper', type: 'teacher', firstName: 'Grace', lastName: 'Hopper' })
  await addActivity(sql, 'Love of Lace', { description: 'Knitting and crochet.' })
  const quinn = await makeUser(sql, { username: 'qquarry', firstName: 'Quinn', lastName: 'Quarry', graduationYear: 2027 })
  cookie = await login(env.app, quinn)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await env?.close()
})

/** Evaluates `expr` in the page until it is true (page.waitForFunction's rAF polling stalls here). */
async function poll(page: Page, expr: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!(await page.evaluate(expr))) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${expr}`)
    await Bun.sleep(25)
  }
}

async function open(path: string): Promise<{ ctx: BrowserContext; page: Page; problems: string[]; loads: () => number }> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } })
  await ctx.addCookies([{ name: 'sessionid', value: cookie.split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  const problems: string[] = []
  let documents = 0
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`response: ${r.status()} ${r.url()}`) })
  page.on('request', (r) => { if (r.resourceType() === 'document') documents++ })
  const res = await page.goto(server.url(path))
  expect(res?.status()).toBe(200)
  return { ctx, page, problems, loads: () => documents }
}

test('search as you type, then open a profile from the results', async () => {
  const { ctx, page, problems, loads } = await open('/search')
  try {
    expect(describeViolations(await checkA11y(page))).toEqual([])
    const box = page.getByRole('searchbox', { name: 'Search people and activities' })
    await box.pressSequentially('lov', { delay: 30 })
    await poll(page, "document.querySelectorAll('#search-results ul.people li').length === 2")
    expect(loads()).toBe(1) // the results came by htmx, not by loading a page
    await poll(page, "document.getElementById('search-status').textContent === '2 people match “lov”.'")
    expect(page.url()).toBe(server.url('/search'))
    await expect(page.getByRole('heading', { name: 'Eighth-period activities' }).isVisible()).resolves.toBe(true)
    expect(describeViolations(await checkA11y(page))).toEqual([])
    // Narrowing to one person keeps the list (typing never navigates away).
    await box.pressSequentially('elace', { delay: 30 })
    await poll(page, "document.querySelectorAll('#search-results ul.people li').length === 1")
    expect(page.url()).toBe(server.url('/search'))
    await page.getByRole('link', { name: 'Lovelace, Ada (Countess)' }).click()
    await page.waitForURL(server.url(`/profile/${ada.id}`))
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Ada Lovelace')
    expect(describeViolations(await checkA11y(page))).toEqual([])
    expect(problems).toEqual([])
  } finally {
    await ctx.close()
  }
})

test('Enter on a search that finds one person opens the profile', async () => {
  const { ctx, page, problems } = await open('/search')
  try {
    await page.getByRole('searchbox', { name: 'Search people and activities' }).fill('grace')
    await page.keyboard.press('Enter')
    await page.waitForURL(server.url(`/profile/${(await env.sql`SELECT id FROM users WHERE username = 'ghopper'`)[0]!.id}`))
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Grace Hopper')
    expect(problems).toEqual([])
  } finally {
    await ctx.close()
  }
})
