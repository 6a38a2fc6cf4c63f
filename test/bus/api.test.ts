import { afterAll, beforeAll, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addRoutes } from './helpers.ts'

// GET /api/bus and /api/bus/<id> in Ion's shape (ion-apps.md §12, §19).

setDefaultTimeout(30_000)
let env: TestEnv
let ids: Map<string, number>
let cStu: string, cAlum: string, cNoApi: string

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T20:30:00Z' })
  ids = await addRoutes(env.sql)
  await env.sql`UPDATE bus_routes SET status = 'a', space = '_3' WHERE route_name = 'JT-4'`
  const stu = await makeUser(env.sql, { type: 'student' })
  const alum = await makeUser(env.sql, { type: 'alum' })
  const noApi = await makeUser(env.sql, { type: 'student' })
  await env.sql`UPDATE users SET oauth_and_api_access = false WHERE id = ${noApi.id}`
  ;[cStu, cAlum, cNoApi] = await Promise.all([login(env.app, stu), login(env.app, alum), login(env.app, noApi)])
})
afterAll(async () => {
  await env?.close()
})

const get = async (path: string, cookie?: string) => {
  const r = await env.app.handle(req(path, { cookie }))
  return { status: r.status, type: r.headers.get('content-type'), body: (await r.json()) as Record<string, unknown> }
}

test('the list: Ion’s route objects, 50 to a page with absolute links', async () => {
  const p1 = await get('/api/bus', cStu)
  expect(p1.status).toBe(200)
  expect(p1.type).toContain('application/json')
  expect(p1.body.count).toBe(60)
  expect(p1.body.next).toBe('http://localhost:3000/api/bus?page=2')
  expect(p1.body.previous).toBeNull()
  const results = p1.body.results as Record<string, unknown>[]
  expect(results).toHaveLength(50)
  expect(Object.keys(results[0]!)).toEqual(['id', 'route_name', 'bus_number', 'space', 'status'])
  expect(results.find((r) => r.route_name === 'JT-4')).toEqual({ id: ids.get('JT-4'), route_name: 'JT-4', bus_number: expect.any(String), space: '_3', status: 'a' })
  const p2 = await get('/api/bus?page=2&format=json', cStu)
  expect((p2.body.results as unknown[]).length).toBe(10)
  expect(p2.body.previous).toBe('http://localhost:3000/api/bus?format=json')
  expect((await get('/api/bus?page=3', cStu)).status).toBe(404)
  expect((await get('/api/bus/', cStu)).status).toBe(200) // optional trailing slash
})

test('one route; a missing one is 404 with {detail, details}', async () => {
  const r = await get(`/api/bus/${ids.get('PW-6')}`, cStu)
  expect(r.status).toBe(200)
  expect(r.body).toEqual({ id: ids.get('PW-6'), route_name: 'PW-6', bus_number: expect.any(String), space: '', status: 'o' })
  const missing = await get('/api/bus/999999', cStu)
  expect(missing.status).toBe(404)
  expect(missing.body.details).toEqual(['Not found.'])
  expect((await get('/api/bus/abc', cStu)).status).toBe(404)
})

test('API users only: signed in, not restricted, with API access', async () => {
  expect((await get('/api/bus')).status).toBe(401)
  expect((await get('/api/bus', cAlum)).status).toBe(403)
  const denied = await get('/api/bus/1', cNoApi)
  expect(denied.status).toBe(403)
  expect(denied.body.details).toEqual(['You do not have permission to perform this action.'])
})
