import { afterAll, beforeAll, expect, test } from 'bun:test'
import { MIN_BYTES } from '../../src/platform/compress.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, schedule } from '../helpers/eighth.ts'

// gzip for HTML and JSON (issue 10): only when accepted and above MIN_BYTES, the same bytes once
// inflated, Vary: Accept-Encoding whenever it could have been compressed, the other headers kept.

let env: TestEnv
let cookie = ''
let block = 0
const GZIP = { 'accept-encoding': 'gzip, deflate, br' }

beforeAll(async () => {
  env = await testEnv({ clock: '2026-12-01T15:00:00Z' })
  const s = await makeUser(env.sql, { type: 'student' })
  cookie = await login(env.app, s)
  block = await addBlock(env.sql, '2026-12-02', 'A')
  for (let i = 0; i < 20; i++) await schedule(env.sql, block, await addActivity(env.sql, `Club number ${i}`, { description: 'x'.repeat(100) }))
})
afterAll(async () => { await env.close() })

const get = (path: string, headers: Record<string, string> = {}, htmx = false) => env.app.handle(req(path, { cookie, headers, htmx }))
const inflate = async (r: Response) => new TextDecoder().decode(Bun.gunzipSync(new Uint8Array(await r.arrayBuffer())))

test('an HTML page: gzipped when accepted, identical once inflated, headers kept', async () => {
  const plain = await get(`/eighth/signup/${block}`)
  const gz = await get(`/eighth/signup/${block}`, GZIP)
  expect(plain.status).toBe(200)
  expect(gz.status).toBe(200)
  expect(plain.headers.get('content-encoding')).toBeNull()
  expect(gz.headers.get('content-encoding')).toBe('gzip')
  for (const r of [plain, gz]) {
    expect(r.headers.get('vary')).toBe('HX-Request, HX-Request-Type, Accept-Encoding')
    expect(r.headers.get('content-type')).toStartWith('text/html')
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'")
  }
  const html = await plain.text()
  expect(html.length).toBeGreaterThan(MIN_BYTES)
  const bytes = Number((await gz.clone().arrayBuffer()).byteLength)
  expect(bytes).toBeLessThan(html.length / 3)
  expect(await inflate(gz)).toBe(html)
  // The htmx partial (the search answer) too.
  const part = await get(`/eighth/signup/${block}?q=club`, GZIP, true)
  expect(part.headers.get('content-encoding')).toBe('gzip')
  expect(await inflate(part)).toContain('Club number 19')
})

test('a JSON answer is gzipped; a small one and a HEAD are not', async () => {
  const gz = await get(`/api/blocks/${block}`, GZIP)
  expect(gz.status).toBe(200)
  expect(gz.headers.get('content-encoding')).toBe('gzip')
  expect(gz.headers.get('content-type')).toStartWith('application/json')
  expect(gz.headers.get('vary')).toContain('Accept-Encoding')
  const body = JSON.parse(await inflate(gz)) as { activities: Record<string, unknown> }
  expect(Object.keys(body.activities).length).toBe(20)

  const small = await get('/api/blocks/999999', GZIP)
  expect(small.status).toBe(404)
  expect(small.headers.get('content-encoding')).toBeNull()
  expect(await small.json()).toEqual({ details: ['Object does not exist (in database).'] })

  const head = await env.app.handle(req(`/eighth/signup/${block}`, { cookie, method: 'HEAD', headers: GZIP }))
  expect(head.headers.get('content-encoding')).toBeNull()
})

test('an error page is compressed like any page, with its status', async () => {
  const r = await get('/no/such/page', { ...GZIP, accept: 'text/html' })
  expect(r.status).toBe(404)
  const text = r.headers.get('content-encoding') === 'gzip' ? await inflate(r) : await r.text()
  expect(text).toContain('That page does not exist.')
})
