import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { securityHeaders } from '../../src/platform/headers.ts'
import { page } from '../../src/platform/html/page.tsx'
import { req, testConfig, testEnv, type TestEnv } from '../helpers/app.ts'

let env: TestEnv
beforeAll(async () => { env = await testEnv() })
afterAll(async () => { await env.close() })

// DESIGN.md §5, plus object-src 'none' (see src/platform/headers.ts); frame-src lists FRAME_HOSTS
// ('none' when there are none).
const csp = (frameSrc: string, frameAncestors = "'self'") =>
  `default-src 'self'; script-src 'self'; object-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'self'; ` +
  `frame-src ${frameSrc}; frame-ancestors ${frameAncestors}; base-uri 'self'; form-action 'self'`

describe('Content-Security-Policy', () => {
  test('as DESIGN.md §5 (plus object-src) on pages, errors, JSON and static files', async () => {
    for (const path of ['/healthz', '/readyz', '/no/such/page', '/api/nope', '/public/app.css', '/public/htmx.min.js']) {
      const r = await env.app.handle(req(path))
      expect([path, r.headers.get('content-security-policy')]).toEqual([path, csp("'none'")])
    }
  })

  test('also on the htmx error fragment and on a CSRF refusal', async () => {
    const h = await env.app.handle(req('/nope', { htmx: true }))
    expect(h.headers.get('content-security-policy')).toBe(csp("'none'"))
    const c = await env.app.handle(req('/healthz', { method: 'POST', headers: { origin: 'https://evil.example' } }))
    expect(c.status).toBe(403)
    expect(c.headers.get('content-security-policy')).toBe(csp("'none'"))
  })

  test('frame-src lists FRAME_HOSTS', () => {
    const config = testConfig({ FRAME_HOSTS: 'https://www.youtube-nocookie.com, https://docs.google.com' })
    expect(securityHeaders(config, '/')['content-security-policy']).toBe(csp('https://www.youtube-nocookie.com https://docs.google.com'))
  })

  test('no unsafe-inline, unsafe-eval or wildcard sources anywhere', () => {
    const value = securityHeaders(testConfig(), '/')['content-security-policy']!
    expect(value).not.toContain('unsafe')
    expect(value).not.toMatch(/ \*( |;|$)/)
  })
})

describe('frame-ancestors', () => {
  test("'self' everywhere, with X-Frame-Options: SAMEORIGIN", () => {
    for (const path of ['/', '/schedule', '/schedule/embed/x', '/schedule/embedded', '/api/schedule/embed']) {
      const h = securityHeaders(testConfig(), path)
      expect(h['content-security-policy']).toContain("frame-ancestors 'self'")
      expect(h['x-frame-options']).toBe('SAMEORIGIN')
    }
  })

  test('* only for /schedule/embed, without X-Frame-Options', () => {
    const h = securityHeaders(testConfig(), '/schedule/embed')
    expect(h['content-security-policy']).toBe(csp("'none'", '*'))
    expect(h['x-frame-options']).toBeUndefined()
  })
})

describe('other security headers', () => {
  test('on every response', async () => {
    for (const path of ['/healthz', '/no/such/page', '/api/nope', '/public/app.css']) {
      const r = await env.app.handle(req(path))
      expect(r.headers.get('x-content-type-options')).toBe('nosniff')
      expect(r.headers.get('referrer-policy')).toBe('same-origin')
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN')
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin')
      expect(r.headers.get('permissions-policy')).toContain('camera=()')
    }
  })

  test('no HSTS over http', async () => {
    const r = await env.app.handle(req('/healthz'))
    expect(r.headers.get('strict-transport-security')).toBeNull()
    expect(securityHeaders(testConfig({ BASE_URL: 'http://ion.example.org' }), '/')['strict-transport-security']).toBeUndefined()
  })

  test('HSTS when BASE_URL is https', () => {
    const h = securityHeaders(testConfig({ BASE_URL: 'https://ion.example.org' }), '/')
    expect(h['strict-transport-security']).toMatch(/^max-age=\d{8,}/)
  })

  test('HSTS through the app when BASE_URL is https', async () => {
    const https = await testEnv({ config: { BASE_URL: 'https://ion.example.org' } })
    try {
      for (const path of ['/healthz', '/no/such/page']) {
        const r = await https.app.handle(req(path))
        expect(r.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8,}/)
      }
    } finally {
      await https.close()
    }
  })
})

describe('Vary on page responses', () => {
  const ctx = (headers: Record<string, string> = {}) => ({
    deps: env.app.deps, viewer: null, path: '/x', set: { headers: {} as Record<string, unknown> },
    request: new Request('http://localhost/x', { headers }),
  })

  test('page(): the full page and the fragment both say Vary: HX-Request, HX-Request-Type', () => {
    const full = ctx()
    const html = page(full, 'Title', '<p>body</p>')
    expect(html).toStartWith('<!doctype html>')
    expect(full.set.headers.vary).toBe('HX-Request, HX-Request-Type')

    const partial = ctx({ 'hx-request': 'true', 'hx-request-type': 'partial' })
    expect(page(partial, 'Title', '<p>body</p>')).toBe('<p>body</p>')
    expect(partial.set.headers.vary).toBe('HX-Request, HX-Request-Type')
  })

  test('page(): a history restore and a full htmx request get the whole page', () => {
    expect(page(ctx({ 'hx-request': 'true', 'hx-request-type': 'full' }), 'T', '<p>b</p>')).toStartWith('<!doctype html>')
    expect(page(ctx({ 'hx-request': 'true', 'hx-request-type': 'partial', 'hx-history-restore-request': 'true' }), 'T', '<p>b</p>')).toStartWith('<!doctype html>')
  })

  test('error pages vary too (the htmx variant is a fragment)', async () => {
    for (const htmx of [false, true]) {
      const r = await env.app.handle(req('/no/such/page', { htmx }))
      expect(r.headers.get('vary')).toBe('HX-Request, HX-Request-Type')
    }
  })
})
