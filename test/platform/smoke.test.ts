import { afterAll, beforeAll, expect, test } from 'bun:test'
import { testEnv, req, type TestEnv } from '../helpers/app.ts'

let env: TestEnv
beforeAll(async () => { env = await testEnv() })
afterAll(async () => { await env.close() })

test('healthz', async () => {
  const r = await env.app.handle(req('/healthz'))
  expect(r.status).toBe(200)
  expect(await r.json()).toEqual({ ok: true })
  console.log([...r.headers.entries()])
})
test('404', async () => {
  const r = await env.app.handle(req('/nope'))
  expect(r.status).toBe(404)
  console.log([...r.headers.entries()], (await r.text()).slice(0, 200))
})
test('405', async () => {
  const r = await env.app.handle(req('/healthz', { method: 'POST' }))
  expect(r.status).toBe(405)
})
