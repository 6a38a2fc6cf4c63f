// The signup page in a real browser (Chromium through playwright-core): a student searches, signs
// up, and a second student viewing the same block sees the seat count change without reloading
// (hx-ws over the block's topic); then the first student switches activity. axe-core checks the
// page, on a phone-sized screen, and nothing may go wrong in the console (CSP included).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { checkA11y, describeViolations, launchBrowser, listen } from '../helpers/browser.ts'
import { addActivity, addBlock, addRoom, addSponsor, schedule } from '../helpers/eighth.ts'
import { login, makeUser } from '../helpers/factories.ts'

setDefaultTimeout(60_000)

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let browser: Browser
const ids: Record<string, number> = {}
const cookies: Record<string, string> = {}

beforeAll(async () => {
  env = await testEnv()
  server = await listen(env.app)
  browser = await launchBrowser()
  const sql = env.sql
  const [ada, bob] = await Promise.all([
    makeUser(sql, { type: 'student', firstName: 'Ada', lastName: 'Lovelace' }),
    makeUser(sql, { type: 'student', firstName: 'Bob', lastName: 'Moses' }),
  ])
  cookies.ada = await login(env.app, ada)
  cookies.bob = await login(env.app, bob)
  ids.block = await addBlock(sql, '2026-12-02', 'A')
  await addBlock(sql, '2026-12-02', 'B')
  const room = await addRoom(sql, '214', 20)
  const lib = await addRoom(sql, 'Library', 30)
  const smith = await addSponsor(sql, 'Smith', 'Jo')
  for (const [key, name, r] of [['chess', 'Chess Club', room], ['robot', 'Robotics', lib], ['art', 'Art Studio', room], ['debate', 'Debate', lib]] as const) {
    const a = await addActivity(sql, name, { rooms: [r], sponsors: [smith], description: `${name} meets weekly.` })
    ids[key] = await schedule(sql, ids.block, a)
  }
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

type Opened = { ctx: BrowserContext; page: Page; problems: string[] }
async function open(who: 'ada' | 'bob'): Promise<Opened> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } })
  await ctx.addCookies([{ name: 'sessionid', value: cookies[who]!.split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('response', (r) => { if (r.status() >= 400 && r.status() !== 403) problems.push(`response: ${r.status()} ${r.url()}`) })
  const res = await page.goto(server.url(`/eighth/signup/${ids.block}`))
  expect(res?.status()).toBe(200)
  // hx-ws (loaded only on this page) has connected to the block's topic.
  await poll(page, "document.querySelector('.live')?._htmx?.ws?.connection?.socket?.readyState === 1")
  return { ctx, page, problems }
}

const seats = (page: Page, key: string) => page.locator(`#seats-${ids[key]}`)

test('search, sign up, live seats in a second context, then switch', async () => {
  const ada = await open('ada')
  const bob = await open('bob')
  try {
    const a = ada.page
    expect(describeViolations(await checkA11y(a))).toEqual([])
    await expect(seats(bob.page, 'chess').textContent()).resolves.toBe('0 / 20 · 20 seats left')

    // Search as you type: the list narrows to the match.
    await a.getByRole('searchbox', { name: 'Search activities' }).fill('chess')
    await poll(a, "document.querySelectorAll('#activity-list .activities > li').length === 1")
    expect(await a.getByRole('heading', { name: 'Chess Club' }).count()).toBe(1)
    expect(await a.getByRole('heading', { name: 'Robotics' }).count()).toBe(0)

    // Sign up: the row and "your activity" change in place.
    await a.getByRole('button', { name: 'Sign up for Chess Club' }).click()
    await a.getByRole('button', { name: 'Leave Chess Club' }).waitFor()
    await expect(a.locator('#eighth-summary').textContent()).resolves.toContain('Chess Club')
    await expect(a.locator('#messages').textContent()).resolves.toContain('Successfully signed up for activity.')
    await expect(seats(a, 'chess').textContent()).resolves.toBe('1 / 20 · 19 seats left')

    // The other student's page, never reloaded, shows the new count.
    await seats(bob.page, 'chess').filter({ hasText: '1 / 20 · 19 seats left' }).waitFor({ timeout: 3000 })

    // Switch: clear the search, pick another activity.
    await a.getByRole('searchbox', { name: 'Search activities' }).fill('')
    await a.getByRole('button', { name: 'Sign up for Robotics' }).waitFor()
    await a.getByRole('button', { name: 'Sign up for Robotics' }).click()
    await a.getByRole('button', { name: 'Leave Robotics' }).waitFor()
    await a.getByRole('button', { name: 'Sign up for Chess Club' }).waitFor()
    await expect(a.locator('#eighth-summary').textContent()).resolves.toContain('Robotics')
    await expect(a.locator(`#pick-${ids.block}`).textContent()).resolves.toContain('Robotics')
    await seats(bob.page, 'chess').filter({ hasText: '0 / 20 · 20 seats left' }).waitFor({ timeout: 3000 })
    await seats(bob.page, 'robot').filter({ hasText: '1 / 30 · 29 seats left' }).waitFor({ timeout: 3000 })

    expect(describeViolations(await checkA11y(a))).toEqual([])
    expect(describeViolations(await checkA11y(bob.page))).toEqual([])
    expect(ada.problems).toEqual([])
    expect(bob.problems).toEqual([])
  } finally {
    await ada.ctx.close()
    await bob.ctx.close()
  }
})

test('a refusal is shown inline in the row, with the 403 swapped in', async () => {
  const full = await addActivity(env.sql, 'Zero Seats', { defaultCapacity: 0 })
  const restricted = await addActivity(env.sql, 'Members Only', { defaultCapacity: 0, restricted: true })
  await schedule(env.sql, ids.block!, full)
  await schedule(env.sql, ids.block!, restricted)
  const admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] })
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } })
  await ctx.addCookies([{ name: 'sessionid', value: (await login(env.app, admin)).split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  try {
    const stu = await makeUser(env.sql, { type: 'student' })
    await page.goto(server.url(`/eighth/signup/${ids.block}?user=${stu.id}`))
    await page.getByRole('button', { name: 'Sign up for Members Only' }).click()
    const alert = page.locator('.act-errors[role="alert"]')
    await alert.waitFor()
    await expect(alert.textContent()).resolves.toContain('This activity is full.')
    await expect(alert.textContent()).resolves.toContain('This activity is restricted for this student.')
    await page.getByRole('button', { name: 'Force sign up for Members Only' }).click()
    await page.getByRole('button', { name: 'Leave Members Only' }).waitFor()
  } finally {
    await ctx.close()
  }
})

test('the star toggles in place (htmx), and without JavaScript the list\'s forms still sign up and favourite', async () => {
  const ada = await open('ada')
  try {
    const star = ada.page.getByRole('button', { name: 'Favorite Debate' })
    await expect(star.getAttribute('aria-pressed')).resolves.toBe('false')
    await ada.page.evaluate('window.notReloaded = true') // swapped in place: the page is never reloaded
    await star.click()
    await poll(ada.page, `window.notReloaded && document.querySelector('#activity-list [aria-label="Favorite Debate"]')?.getAttribute('aria-pressed') === 'true'`)
    expect(describeViolations(await checkA11y(ada.page))).toEqual([])
    expect(ada.problems).toEqual([])
  } finally {
    await ada.ctx.close()
  }
  // No JavaScript: the buttons submit the one signup form (uid, bid once) and the favourite form.
  const ctx = await browser.newContext({ viewport: { width: 390, height: 800 }, javaScriptEnabled: false })
  await ctx.addCookies([{ name: 'sessionid', value: cookies.bob!.split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  try {
    await page.goto(server.url(`/eighth/signup/${ids.block}`))
    await page.getByRole('button', { name: 'Sign up for Debate' }).click()
    await page.getByRole('button', { name: 'Leave Debate' }).waitFor()
    expect(page.url()).toContain(`/eighth/signup/${ids.block}?flash=`)
    await expect(page.locator('#eighth-summary').textContent()).resolves.toContain('Debate')
    await page.getByRole('button', { name: 'Favorite Art Studio' }).click()
    await page.waitForURL(server.url(`/eighth/signup/${ids.block}`))
    await expect(page.getByRole('button', { name: 'Favorite Art Studio' }).getAttribute('aria-pressed')).resolves.toBe('true')
  } finally {
    await ctx.close()
  }
})
