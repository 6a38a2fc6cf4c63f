import { describe, expect, test } from 'bun:test'
import { csrfRefusal, wsOriginAllowed } from '../../src/platform/csrf.ts'
import { SESSION_COOKIE } from '../../src/platform/session.ts'
import { testConfig } from '../helpers/app.ts'

// BASE_URL is the public origin; the request URL's own origin is accepted too (direct access).
const config = testConfig({ BASE_URL: 'https://ion.example.org' })
const COOKIE = `${SESSION_COOKIE}=${'a'.repeat(32)}`

function request(method: string, path: string, headers: Record<string, string> = {}): [Request, string] {
  return [new Request('http://10.0.0.5:3000' + path, { method, headers }), path]
}
const refusal = (method: string, path: string, headers: Record<string, string> = {}) => {
  const [r, p] = request(method, path, headers)
  return csrfRefusal(r, p, config)
}

describe('csrfRefusal outside /api', () => {
  test('safe methods are never refused', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS']) {
      expect(refusal(m, '/eighth', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', cookie: COOKIE })).toBeNull()
    }
  })

  test('same origin (BASE_URL or the request URL) is allowed', () => {
    expect(refusal('POST', '/eighth/signup', { origin: 'https://ion.example.org', cookie: COOKIE })).toBeNull()
    expect(refusal('POST', '/eighth/signup', { origin: 'http://10.0.0.5:3000', cookie: COOKIE })).toBeNull()
    expect(refusal('POST', '/eighth/signup', { 'sec-fetch-site': 'same-origin', cookie: COOKIE })).toBeNull()
    expect(refusal('DELETE', '/x', { origin: 'https://ion.example.org', 'sec-fetch-site': 'same-origin' })).toBeNull()
  })

  test('a foreign Origin is refused, with or without a cookie (login CSRF too)', () => {
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(refusal(m, '/eighth/signup', { origin: 'https://evil.example', cookie: COOKIE })).toBeString()
    }
    expect(refusal('POST', '/login', { origin: 'https://evil.example' })).toBeString()
  })

  test('look-alike origins are foreign', () => {
    for (const origin of ['https://ion.example.org.evil.example', 'http://ion.example.org', 'https://ion.example.org:444', 'null', 'garbage']) {
      expect([origin, refusal('POST', '/x', { origin, cookie: COOKIE })]).toEqual([origin, expect.any(String)])
    }
  })

  test('Sec-Fetch-Site: cross-site is refused even with a matching Origin', () => {
    expect(refusal('POST', '/x', { origin: 'https://ion.example.org', 'sec-fetch-site': 'cross-site', cookie: COOKIE })).toBeString()
    expect(refusal('POST', '/x', { 'sec-fetch-site': 'cross-site' })).toBeString()
  })

  test('same-site (a sibling subdomain) is allowed only when the Origin is ours', () => {
    expect(refusal('POST', '/x', { 'sec-fetch-site': 'same-site', cookie: COOKIE })).toBeNull()
    expect(refusal('POST', '/x', { origin: 'https://other.example.org', 'sec-fetch-site': 'same-site', cookie: COOKIE })).toBeString()
  })

  test('neither Origin nor Sec-Fetch-Site: refused outside /api', () => {
    expect(refusal('POST', '/x', { cookie: COOKIE })).toContain('Origin')
    expect(refusal('POST', '/x')).toBeString()
  })
})

describe('csrfRefusal under /api', () => {
  test('no cookie: a token or Basic client, never refused', () => {
    expect(refusal('POST', '/api/signups', {})).toBeNull()
    expect(refusal('POST', '/api/signups', { authorization: 'Bearer x', origin: 'https://evil.example' })).toBeNull()
    expect(refusal('POST', '/api', { 'sec-fetch-site': 'cross-site' })).toBeNull()
  })

  test('a cookie and no browser headers: a non-browser client, allowed', () => {
    expect(refusal('POST', '/api/signups', { cookie: COOKIE })).toBeNull()
  })

  test('a cookie from a foreign page: refused', () => {
    expect(refusal('POST', '/api/signups', { cookie: COOKIE, origin: 'https://evil.example' })).toBeString()
    expect(refusal('POST', '/api/signups', { cookie: COOKIE, 'sec-fetch-site': 'cross-site' })).toBeString()
  })

  test('a cookie from our own page: allowed', () => {
    expect(refusal('POST', '/api/signups', { cookie: COOKIE, origin: 'https://ion.example.org', 'sec-fetch-site': 'same-origin' })).toBeNull()
  })

  test('/apis is not /api', () => {
    expect(refusal('POST', '/apis', {})).toBeString()
  })
})

describe('wsOriginAllowed', () => {
  const ws = (headers: Record<string, string>) =>
    wsOriginAllowed(new Request('http://10.0.0.5:3000/ws', { headers: { upgrade: 'websocket', ...headers } }), config)

  test('our origins are allowed', () => {
    expect(ws({ origin: 'https://ion.example.org' })).toBe(true)
    expect(ws({ origin: 'http://10.0.0.5:3000' })).toBe(true)
  })

  test('foreign, look-alike and opaque origins are refused', () => {
    for (const origin of ['https://evil.example', 'https://ion.example.org.evil.example', 'http://ion.example.org', 'null']) {
      expect([origin, ws({ origin })]).toEqual([origin, false])
    }
  })

  test('no Origin (not a browser: signage players, scripts) is allowed', () => {
    expect(ws({})).toBe(true)
  })
})
