// Taking attendance in a real browser (Chromium through playwright-core) on a phone-sized
// screen (390×844): a sponsor taps a student (htmx saves that row at once), marks everyone
// present, un-taps one and saves. axe-core checks each state of the page, and the office's
// report pages; nothing may go wrong in the console (CSP included).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { createSponsor } from '../../src/features/eighth/catalog.sql.ts'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { checkA11y, describeViolations, launchBrowser, listen } from '../helpers/browser.ts'
import { addActivity, addBlock, addRoom, schedule } from '../helpers/eighth.ts'
import { login, makeUser } from '../helpers/factories.ts'

setDefaultTimeout(90_000)

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let browser: Browser
const ids: Record<'block' | 'sa' | 'activity', number> = { block: 0, sa: 0, activity: 0 }
const students: Record<string, number> = {}
const cookies: Record<'smith' | 'office', string> = { smith: '', office: '' }
const SHOTS = process.env.ION_SCREENSHOTS // a directory: save 390px screenshots there

beforeAll(async () => {
  env = await testEnv({ clock: '2026-12-02T19:00:00Z' }) // Wed 14:00 in New York
  server = await listen(env.app)
  browser = await launchBrowser()
  const sql = env.sql
  const smith = await makeUser(sql, { type: 'teacher', firstName: 'Jo', lastName: 'Smith' })
  const office = await makeUser(sql, { type: 'teacher', groups: ['admin_eighth'] })
  cookies.smith = await login(env.app, smith, { remember: true })
  cookies.office = await login(env.app, office, { remember: true })
  const sponsor = await createSponsor(sql, { lastName: 'Smith', firstName: 'Jo', userId: smith.id })
  const room = await addRoom(sql, '214', 20)
  ids.activity = await addActivity(sql, 'Chess Club', { rooms: [room], sponsors: [sponsor] })
  ids.block = await addBlock(sql, '2026-12-02', 'A')
  ids.sa = await schedule(sql, ids.block, ids.activity)
  for (const [first, last] of [['Ada', 'Lovelace'], ['Bob', 'Moses'], ['Cy', 'Young'], ['Dee', 'Zed']] as const) {
    const u = await makeUser(sql, { type: 'student', firstName: first, lastName: last })
    students[first] = u.id
    await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${u.id}, ${ids.block}, ${ids.sa}, now())`
  }
}, 90_000)

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

async function open(who: 'smith' | 'office', path: string): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true })
  await ctx.addCookies([{ name: 'sessionid', value: cookies[who].split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`response: ${r.status()} ${r.url()}`) })
  const res = await page.goto(server.url(path))
  expect(res?.status()).toBe(200)
  return { ctx, page, problems }
}

const absent = async () => (await env.sql<{ userId: number }[]>`SELECT user_id FROM eighth_signups WHERE scheduled_activity_id = ${ids.sa} AND was_absent ORDER BY user_id`).map((r) => r.userId)
const taken = async () => (await env.sql<{ t: boolean }[]>`SELECT attendance_taken AS t FROM eighth_scheduled_activities WHERE id = ${ids.sa}`)[0]!.t
/** Taken after the page's problems are checked: Playwright's screenshot injects a style, refused by the CSP. */
async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true })
}

test('a sponsor takes attendance on a phone: tap, mark all present, save', async () => {
  const { ctx, page, problems } = await open('smith', `/eighth/attendance/${ids.sa}`)
  try {
    expect(describeViolations(await checkA11y(page))).toEqual([])
    expect(await page.locator('#att-status').textContent()).toContain('Attendance not taken')

    // One tap on a row: that row is saved at once and comes back marked present.
    await page.getByRole('checkbox', { name: /Moses, Bob/ }).tap()
    await poll(page, `document.querySelector('#att-row-${students.Bob}')?.classList.contains('present')`)
    await poll(page, `document.querySelector('#att-status')?.textContent.includes('1 of 4 present')`)
    expect(await taken()).toBe(true)
    expect(await absent()).toEqual([students.Ada!, students.Cy!, students.Dee!].sort((a, b) => a - b))
    expect(describeViolations(await checkA11y(page))).toEqual([])

    // Mark all present: the whole roster comes back, saved.
    await page.getByRole('button', { name: 'Mark all present' }).tap()
    await poll(page, `document.querySelector('#att-body .alert.ok')?.textContent.includes('4 present, 0 absent')`)
    expect(await absent()).toEqual([])

    // Dee was not there after all: untick, then save the form.
    await page.getByRole('checkbox', { name: /Zed, Dee/ }).tap()
    await poll(page, `document.querySelector('#att-row-${students.Dee}')?.classList.contains('absent')`)
    await page.getByRole('button', { name: 'Save attendance' }).tap()
    await poll(page, `document.querySelector('#att-body .alert.ok')?.textContent.includes('3 present, 1 absent')`)
    expect(await absent()).toEqual([students.Dee!])
    expect(await page.getByRole('checkbox', { name: /Zed, Dee/ }).isChecked()).toBe(false)
    expect(describeViolations(await checkA11y(page))).toEqual([])
    expect(problems).toEqual([])
    await shot(page, 'attendance-saved')
  } finally {
    await ctx.close()
  }
})

test("the office's pages pass axe on a phone too", async () => {
  await env.sql`UPDATE eighth_signups SET after_deadline = true WHERE user_id = ${students.Ada!}`
  const { ctx, page, problems } = await open('office', '/eighth/admin')
  try {
    for (const [name, path] of [
      ['office-dashboard', '/eighth/admin'],
      ['rosters', `/eighth/admin/rosters/${ids.block}`],
      ['statistics', `/eighth/admin/statistics/${ids.activity}`],
      ['delinquents', '/eighth/admin/delinquents'],
      ['absences-report', '/eighth/admin/absences?start=2026-12-01&end=2026-12-02'],
      ['passes', '/eighth/admin/passes'],
      ['history', '/eighth/admin/history'],
      ['absences', `/eighth/absences/${students.Dee}`],
      ['wizard', `/eighth/attendance?block=${ids.block}`],
      ['attendance-office', `/eighth/attendance/${ids.sa}`],
    ] as const) {
      const res = await page.goto(server.url(path))
      expect([name, res?.status()]).toEqual([name, 200])
      expect([name, describeViolations(await checkA11y(page))]).toEqual([name, []])
      expect([name, problems]).toEqual([name, []])
      const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth')
      expect([name, overflow]).toEqual([name, false])
      await shot(page, name)
      problems.length = 0 // the screenshot's own style injection is not the page's problem
    }
  } finally {
    await ctx.close()
  }
})
