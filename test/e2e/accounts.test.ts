// An account's everyday path in a real browser: log in through the form, see the dashboard, turn
// on dark mode in Preferences, log out. Selected by role and accessible name; axe-core runs on
// every page visited, and the console stays clean.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser, Page } from 'playwright-core'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { makeUser } from '../helpers/factories.ts'
import { checkA11y, describeViolations, launchBrowser, listen, openPage } from '../helpers/browser.ts'

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let browser: Browser

beforeAll(async () => {
  env = await testEnv()
  const stella = await makeUser(env.sql, { username: 'student', firstName: 'Stella', lastName: 'Starr', password: 'correct horse battery' })
  await env.sql`UPDATE users SET seen_welcome = true WHERE id = ${stella.id}` // past the first-login welcome
  // The browser's Origin is the listening origin, which the CSRF check accepts as the request URL's.
  server = await listen(env.app)
  browser = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await env?.close()
})

async function expectAccessible(page: Page) {
  expect(describeViolations(await checkA11y(page))).toEqual([])
}

async function darkMode(): Promise<boolean> {
  const [row] = await env.sql<{ dark: boolean }[]>`SELECT dark_mode AS dark FROM users WHERE username = 'student'`
  return row!.dark
}

describe('accounts in the browser', () => {
  test('log in, dashboard, dark mode, log out', async () => {
    const { page, status, problems } = await openPage(browser, server.url('/login'))
    try {
      expect(status).toBe(200)
      await expectAccessible(page)
      expect(await page.getByRole('heading', { name: 'Log in to Test High School' }).count()).toBe(1)

      // Log in through the form.
      await page.getByLabel('Username').fill('student')
      await page.getByLabel('Password', { exact: true }).fill('correct horse battery')
      await page.getByRole('button', { name: 'Log in' }).click()
      const hello = page.getByRole('heading', { name: 'Hello, Stella Starr' })
      await hello.waitFor({ timeout: 10_000 })
      expect(new URL(page.url()).pathname).toBe('/')
      const cookies = await page.context().cookies()
      const sid = cookies.find((c) => c.name === 'sessionid')!
      expect(sid.httpOnly).toBe(true)
      expect(sid.sameSite).toBe('Lax')
      expect(await page.getAttribute('html', 'data-theme')).toBe('light')
      await expectAccessible(page)

      // Preferences: turn on dark mode.
      await page.getByRole('link', { name: 'Preferences' }).click()
      await page.getByRole('heading', { name: 'Preferences', level: 1 }).waitFor()
      expect(new URL(page.url()).pathname).toBe('/preferences')
      await expectAccessible(page)
      const dark = page.getByRole('checkbox', { name: 'Dark mode' })
      expect(await dark.isChecked()).toBe(false)
      await dark.check()
      await page.getByRole('button', { name: 'Save appearance' }).click()
      await page.waitForSelector('html[data-theme="dark"]', { timeout: 10_000 })
      expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
      expect(await page.getByRole('checkbox', { name: 'Dark mode' }).isChecked()).toBe(true)
      expect(await page.getByText('Saved.').count()).toBe(1)
      expect(await darkMode()).toBe(true)
      await expectAccessible(page) // the dark theme's contrast too

      // Log out: back to the login page, and the session is gone.
      await page.getByRole('button', { name: 'Log out' }).click()
      await page.getByRole('heading', { name: 'Log in to Test High School' }).waitFor({ timeout: 10_000 })
      expect(new URL(page.url()).pathname).toBe('/login')
      expect((await page.context().cookies()).find((c) => c.name === 'sessionid')).toBeUndefined()
      expect(await page.getAttribute('html', 'data-theme')).toBeNull()
      await expectAccessible(page)
      await page.goto(server.url('/preferences'))
      expect(new URL(page.url()).pathname).toBe('/login')

      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  }, 60_000)
})
