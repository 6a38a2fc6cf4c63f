// Polls in a real browser (Chromium through playwright-core), phone-sized: a student follows the
// nav badge to an open poll, votes (htmx swaps the ballot in place), and the badge is gone; an
// admin then sees the result chart and uses the builder. axe-core checks every page; nothing may
// go wrong in the console (CSP included).
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { checkA11y, describeViolations, launchBrowser, listen } from '../helpers/browser.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addPoll, addQuestion, NOW } from '../news/polls-fixture.ts'

setDefaultTimeout(60_000)

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let browser: Browser
let student = '', admin = ''
let pollId = 0
const SHOTS = process.env.POLL_SCREENSHOTS // a directory: save 390px screenshots there (for looking at them)

beforeAll(async () => {
  env = await testEnv({ clock: NOW })
  student = await login(env.app, await makeUser(env.sql, { type: 'student', firstName: 'Ada', lastName: 'Lovelace' }))
  admin = await login(env.app, await makeUser(env.sql, { type: 'teacher', groups: ['admin_polls'] }))
  pollId = await addPoll(env.sql, { title: 'Spirit week' })
  await env.sql`UPDATE polls SET description = '<p>Help plan <strong>spirit week</strong>.</p>' WHERE id = ${pollId}`
  await addQuestion(env.sql, pollId, 'STD', 'Favorite color?', ['Red', 'Green', 'Blue'])
  await addQuestion(env.sql, pollId, 'APP', 'Which snacks?', ['Chips', 'Fruit', 'Cookies'], 2)
  await addQuestion(env.sql, pollId, 'RAN', 'Rank the mascots', ['Owl | wise', 'Fox', 'Bear'], 2)
  server = await listen(env.app)
  browser = await launchBrowser()
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await env?.close()
})

async function as(cookie: string): Promise<{ ctx: BrowserContext; page: Page; problems: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } })
  await ctx.addCookies([{ name: 'sessionid', value: cookie.split('=')[1]!, url: server.base }])
  const page = await ctx.newPage()
  const problems: string[] = []
  // A refused ballot answers 422 on purpose (htmx swaps it in); Chromium logs that status.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('status of 422')) problems.push(`console: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('response', (r) => { if (r.status() >= 500) problems.push(`response: ${r.status()} ${r.url()}`) })
  return { ctx, page, problems }
}

const a11y = async (page: Page) => expect(describeViolations(await checkA11y(page))).toEqual([])
const shot = async (page: Page, name: string) => { if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true }) }

test('a student follows the badge, votes, and the badge is gone', async () => {
  const { ctx, page, problems } = await as(student)
  try {
    expect((await page.goto(server.url('/polls')))?.status()).toBe(200)
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Polls: 1 open poll you have not voted in' }).waitFor()
    await a11y(page)
    await shot(page, 'polls-list')
    await page.getByRole('link', { name: 'Spirit week' }).click()
    await page.getByRole('heading', { name: 'Spirit week', level: 1 }).waitFor()
    await a11y(page)
    await page.getByRole('radio', { name: 'Blue' }).check()
    await page.getByRole('checkbox', { name: 'Chips' }).check()
    await page.getByRole('checkbox', { name: 'Fruit' }).check()
    await page.getByRole('combobox', { name: 'Owl wise' }).selectOption('2')
    await page.getByRole('combobox', { name: 'Fox' }).selectOption('1')
    await shot(page, 'polls-ballot')
    const url = page.url()
    await page.getByRole('button', { name: 'Submit my vote' }).click()
    await page.getByText('Thank you for voting!').waitFor()
    expect(page.url()).toBe(url) // htmx swapped the ballot in place
    expect(await page.getByRole('radio', { name: 'Blue' }).isChecked()).toBe(true)
    expect(await page.getByRole('button', { name: 'Change my vote' }).count()).toBe(1)
    await a11y(page)
    // Too many snacks: refused in place, with the reason, and the earlier vote stands.
    await page.getByRole('checkbox', { name: 'Cookies' }).check()
    await page.getByRole('button', { name: 'Change my vote' }).click()
    await page.getByText('You have voted on too many options for Question #2').waitFor()
    await a11y(page)
    await page.goto(server.url('/polls'))
    expect(await nav.getByRole('link', { name: 'Polls', exact: true }).count()).toBe(1)
    expect(await page.getByText('you voted').count()).toBe(1)
    expect(problems).toEqual([])
  } finally {
    await ctx.close()
  }
})

test('an admin sees the result chart, and adds a question with the builder', async () => {
  const { ctx, page, problems } = await as(admin)
  try {
    expect((await page.goto(server.url(`/polls/${pollId}/results`)))?.status()).toBe(200)
    const chart = page.getByRole('img', { name: /Question 1: votes per choice/ })
    await chart.waitFor()
    expect(await chart.evaluate((svg) => svg.querySelectorAll('rect.poll-bar-fill').length)).toBe(3)
    expect(await page.getByText('1 out of 2 (50.0%) eligible users voted in this poll.').count()).toBe(1)
    const row = page.getByRole('row', { name: /^Blue 1 100%/ })
    expect(await row.count()).toBe(1)
    await page.getByText('Breakdown by grade').first().click()
    await a11y(page)
    await shot(page, 'polls-results')
    await page.goto(server.url(`/polls/${pollId}/edit`))
    await a11y(page)
    await page.getByRole('textbox', { name: 'Question', exact: true }).fill('Best day?')
    await page.getByRole('textbox', { name: 'Choices' }).fill('Monday\nFriday')
    await page.getByRole('button', { name: 'Add question' }).click()
    await page.getByText('Question added.').waitFor()
    expect(await page.getByRole('textbox', { name: 'Question 4', exact: true }).inputValue()).toBe('Best day?')
    await page.getByRole('button', { name: 'Move question 4 up' }).click()
    await page.getByText('Question moved.').waitFor()
    expect(await page.getByRole('textbox', { name: 'Question 3', exact: true }).inputValue()).toBe('Best day?')
    await a11y(page)
    await shot(page, 'polls-builder')
    expect(problems).toEqual([])
  } finally {
    await ctx.close()
  }
})
