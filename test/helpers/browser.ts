// Browser tests: playwright-core driving Debian's /usr/bin/chromium (never a downloaded browser).
//
//   const server = await listen(env.app)
//   await withBrowser(async (browser) => {
//     const { page, problems } = await openPage(browser, server.url('/login'))
//     expect(await checkA11y(page)).toEqual([])
//     expect(problems).toEqual([])
//   })
//   await server.stop()
//
// A missing Chromium is an error, never a skip: `scripts/setup.sh --browser` installs it.
import { existsSync } from 'node:fs'
import axe from 'axe-core'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

export const LAUNCH_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
]

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh --browser (apt-get install chromium)`)
  // playwright adds --headless itself (and a fresh temporary profile).
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
}

/** Runs fn with a fresh browser and always closes it. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser()
  try {
    return await fn(browser)
  } finally {
    await browser.close()
  }
}

type Listenable = { listen(o: { port: number; hostname: string }): unknown; server: { port?: number } | null; stop(closeActive?: boolean): Promise<unknown> }

/** A real listening server on a free port (browser and WebSocket tests). */
export async function listen(app: Listenable): Promise<{ base: string; url(path: string): string; stop(): Promise<void> }> {
  app.listen({ port: 0, hostname: '127.0.0.1' })
  const base = `http://127.0.0.1:${app.server!.port}`
  return { base, url: (path) => base + path, stop: async () => { await app.stop(true) } }
}

/**
 * Opens url in a new page and records every problem a visitor would not see: console errors
 * (CSP violations are reported there), uncaught exceptions, failed requests and same-origin
 * sub-resources answering 4xx/5xx. The main document's own status is returned, not a problem.
 */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; status: number; problems: string[] }> {
  const page = await browser.newPage()
  const problems: string[] = []
  const origin = new URL(url).origin
  page.on('console', (m) => {
    // The document's own 4xx status is logged as a console error by Chromium: that one is expected.
    if (m.type() === 'error' && !(m.text().startsWith('Failed to load resource') && m.location().url === url)) problems.push(`console: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`))
  page.on('response', (r) => {
    if (r.url() !== url && r.url().startsWith(origin) && r.status() >= 400) problems.push(`response: ${r.status()} ${r.url()}`)
  })
  const response = await page.goto(url, { waitUntil: 'load' })
  return { page, status: response?.status() ?? 0, problems }
}

export type A11yViolation = { id: string; impact: string | null; help: string; nodes: string[] }

/**
 * Runs axe-core in the page and returns its violations (WCAG 2.x A/AA and best practices).
 * axe is injected through the DevTools protocol (page.evaluate), which the page's CSP does not
 * govern: an inline <script> (page.addScriptTag) would be refused by `script-src 'self'`.
 */
export async function checkA11y(page: Page, opts: { exclude?: string[] } = {}): Promise<A11yViolation[]> {
  const loaded = await page.evaluate('typeof window.axe')
  if (loaded !== 'object') await page.evaluate(axe.source)
  const context = opts.exclude?.length ? JSON.stringify({ exclude: opts.exclude.map((s) => [s]) }) : 'document'
  const results = (await page.evaluate(`window.axe.run(${context}, { resultTypes: ['violations'] })`)) as axe.AxeResults
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
  }))
}

/** One line per violation, for a readable assertion message. */
export const describeViolations = (vs: A11yViolation[]) => vs.map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.join(', ')}`)
