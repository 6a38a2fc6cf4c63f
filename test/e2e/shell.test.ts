// The page shell in a real browser: landmarks, the skip link, htmx loaded under the CSP, no console
// errors, and axe-core finds nothing. Runs on every page an anonymous visitor can open.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { checkA11y, describeViolations, launchBrowser, listen, openPage } from '../helpers/browser.ts'

let env: TestEnv
let server: Awaited<ReturnType<typeof listen>>
let browser: Browser

beforeAll(async () => {
  env = await testEnv()
  server = await listen(env.app)
  browser = await launchBrowser()
}, 30_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await env?.close()
})

// /login is the page every visitor meets; a 404 renders the same full shell.
const PAGES: [string, number][] = [['/login', 200], ['/no/such/page', 404]]

describe.each(PAGES)('%s', (path, expectedStatus) => {
  test('renders the shell with htmx, without console errors, and passes axe', async () => {
    const { page, status, problems } = await openPage(browser, server.url(path))
    try {
      expect(status).toBe(expectedStatus)

      // Landmarks and the skip link, by role and accessible name.
      expect(await page.getByRole('banner').count()).toBe(1)
      expect(await page.getByRole('main').count()).toBe(1)
      expect(await page.getByRole('contentinfo').count()).toBe(1)
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1)
      const skip = page.getByRole('link', { name: 'Skip to content' })
      expect(await skip.getAttribute('href')).toBe('#main')
      expect(await page.title()).toContain('Test High School')
      expect(await page.getAttribute('html', 'lang')).toBe('en')

      // The skip link comes first in keyboard order (a page may autofocus a field, so it is checked
      // in DOM order) and moves focus to <main>.
      const first = await page.evaluate(() =>
        document.querySelector('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])')?.textContent?.trim())
      expect(first).toBe('Skip to content')
      await skip.focus()
      await page.keyboard.press('Enter')
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')

      // htmx 4 loaded from /public (script-src 'self'), configured by the meta tag.
      expect(await page.evaluate('typeof window.htmx')).toBe('object')
      expect(await page.evaluate('window.htmx.config.allowEval')).toBe(false)
      expect(await page.evaluate('window.htmx.config.includeIndicatorCSS')).toBe(false)

      const violations = await checkA11y(page)
      expect(describeViolations(violations)).toEqual([])
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  }, 30_000)
})

test('an inline script is refused by the CSP (the check above would see it)', async () => {
  const { page, problems } = await openPage(browser, server.url('/no/such/page'))
  try {
    await page.evaluate(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__inline = 1'
      document.body.append(s)
    })
    await page.waitForTimeout(50)
    expect(await page.evaluate('window.__inline')).toBeUndefined()
    expect(problems.some((p) => p.includes('Content Security Policy'))).toBe(true)
  } finally {
    await page.close()
  }
}, 30_000)

test('checkA11y really reports problems (an image without alt text, an unlabeled input)', async () => {
  const { page } = await openPage(browser, server.url('/no/such/page'))
  try {
    await page.evaluate(() => {
      const main = document.getElementById('main')!
      main.insertAdjacentHTML('beforeend', '<img src="/public/favicon.svg"><input type="text">')
    })
    const ids = (await checkA11y(page)).map((v) => v.id)
    expect(ids).toContain('image-alt')
    expect(ids).toContain('label')
  } finally {
    await page.close()
  }
}, 30_000)
