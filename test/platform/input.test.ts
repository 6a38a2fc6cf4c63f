import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { ADDRESS_REFUSAL, inputRefusal, NUL_REFUSAL, OBJECT_REFUSAL } from '../../src/platform/input.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'

// Found by the route fuzzer (test/security/fuzz.test.ts): a NUL character reached PostgreSQL
// (`invalid byte sequence for encoding "UTF8": 0x00`, a 500); a JSON object with its own
// `toString` crashed Elysia's validation message ("No default value", a 500); an undecodable path
// param reached a handler as null (a 500); a 2 MB text/plain body blocked the event loop for 8 s.
// All are now a 400 for every route, before validation and the handler: nothing runs or changes.

describe('inputRefusal', () => {
  test('ordinary input passes', () => {
    expect(inputRefusal({ params: { id: '12' }, query: { q: ['a', 'b'], empty: '' }, body: { name: 'Zoë 😀', n: 3, ok: true, none: null, list: [{ a: [1, 'x'] }] } })).toBeNull()
    expect(inputRefusal({ query: {}, body: new File(['\u0000'], 'a.bin') })).toBeNull()
    expect(inputRefusal({ body: '' })).toBeNull()
  })
  test('a NUL anywhere: param, repeated field, nested JSON, a key', () => {
    expect(inputRefusal({ params: { id: '1\u0000' } })).toBe(NUL_REFUSAL)
    expect(inputRefusal({ query: { q: ['a', 'b\u0000'] } })).toBe(NUL_REFUSAL)
    expect(inputRefusal({ query: { q: '125' }, search: '?q=a%00b&q=125' })).toBe(NUL_REFUSAL) // Elysia kept only the last q
    expect(inputRefusal({ body: { a: [{ b: { c: '\u0000' } }] } })).toBe(NUL_REFUSAL)
    expect(inputRefusal({ body: { 'a\u0000': 'x' } })).toBe(NUL_REFUSAL)
  })
  test('an object that cannot become a string', () => {
    expect(inputRefusal({ body: { name: { toString: 'x' } } })).toBe(OBJECT_REFUSAL)
    expect(inputRefusal({ body: { a: [{ valueOf: 1 }] } })).toBe(OBJECT_REFUSAL)
    // JSON's "__proto__" is an own key, walked like any other.
    expect(inputRefusal({ body: JSON.parse('{"__proto__": {"toString": 1}}') })).toBe(OBJECT_REFUSAL)
  })
  test('a path param Elysia could not decode (null)', () => {
    expect(inputRefusal({ params: { date: null } })).toBe(ADDRESS_REFUSAL)
  })
  test('a body that is a bare string or list', () => {
    expect(inputRefusal({ body: 'AAAA' })).toBe(OBJECT_REFUSAL)
    expect(inputRefusal({ body: [1, 2] })).toBe(OBJECT_REFUSAL)
  })
  test('deep nesting is walked without recursion', () => {
    let v: unknown = '\u0000'
    for (let i = 0; i < 100_000; i++) v = { a: [v] }
    expect(inputRefusal({ body: { v } })).toBe(NUL_REFUSAL)
    expect(inputRefusal({ body: { list: Array.from({ length: 1_000_000 }, () => 'x') } })).toBeNull()
  })
})

describe('through the app', () => {
  let env: TestEnv
  let cookie: string
  let userId: number
  beforeAll(async () => {
    env = await testEnv()
    const u = await makeUser(env.sql, { type: 'student' })
    userId = u.id
    cookie = await login(env.app, u)
  })
  afterAll(async () => { await env.close() })

  const tokens = async () => (await env.sql`SELECT count(*)::int AS n FROM api_tokens WHERE user_id = ${userId}`)[0]!.n as number
  const unhandled = () => env.log.lines.filter((l) => l.msg === 'unhandled')

  test('JSON whose field has its own toString: 400, no token created (was a 500)', async () => {
    const r = await env.app.handle(req('/tokens', { method: 'POST', cookie, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: { toString: 'x' } }) }))
    expect(r.status).toBe(400)
    expect(await r.text()).toContain(OBJECT_REFUSAL)
    expect(await tokens()).toBe(0)
  })
  test('a NUL in a form field: 400, no token created', async () => {
    const r = await env.app.handle(req('/tokens', { cookie, form: { name: 'laptop\u0000' } }))
    expect(r.status).toBe(400)
    expect(await r.text()).toContain('NUL character')
    expect(await tokens()).toBe(0)
  })
  test('a NUL in the query string of a search: 400 (was a 500 from PostgreSQL)', async () => {
    const admin = await makeUser(env.sql, { type: 'teacher', isSuperuser: true, groups: ['admin_all'] })
    const group = (await env.sql`INSERT INTO groups (name) VALUES ('fuzzers') RETURNING id`)[0]!.id as number
    const r = await env.app.handle(req(`/groups/${group}/candidates?q=a%00`, { cookie: await login(env.app, admin) }))
    expect(r.status).toBe(400)
  })
  test('a NUL in the first of a repeated query name (Elysia keeps the last; the office tools read all): 400', async () => {
    const admin = await makeUser(env.sql, { type: 'teacher', isSuperuser: true, groups: ['admin_all'] })
    const r = await env.app.handle(req('/eighth/admin/moves/students?q=a%00b&q=125', { cookie: await login(env.app, admin), htmx: true }))
    expect(r.status).toBe(400)
  })
  test('the API answers in its JSON shape', async () => {
    const r = await env.app.handle(req('/api/search/a%00b', { cookie }))
    expect(r.status).toBe(400)
    expect(await r.json()).toEqual({ detail: NUL_REFUSAL, details: [NUL_REFUSAL] })
  })
  test('a path param that is not UTF-8: 400 (was a 500: params.date was null)', async () => {
    for (const bad of ['%ED%A0%80', '%zz', '%']) {
      const r = await env.app.handle(req(`/api/schedule/${bad}`))
      expect(r.status).toBe(400)
      expect(await r.json()).toEqual({ detail: ADDRESS_REFUSAL, details: [ADDRESS_REFUSAL] })
    }
  })
  test('a 2 MB text/plain body: a quick 400 (was 8 s of a blocked event loop, then a 303)', async () => {
    const admin = await makeUser(env.sql, { type: 'teacher', isSuperuser: true, groups: ['admin_all'] })
    const started = performance.now()
    const r = await env.app.handle(req('/schedule/admin/cache/delete', { method: 'POST', cookie: await login(env.app, admin), headers: { 'content-type': 'text/plain' }, body: 'A'.repeat(2_000_000) }))
    expect(r.status).toBe(400)
    expect(performance.now() - started).toBeLessThan(1_000)
    const list = await env.app.handle(req('/tokens', { method: 'POST', cookie, headers: { 'content-type': 'application/json' }, body: JSON.stringify(['laptop']) }))
    expect(list.status).toBe(400)
    expect(await tokens()).toBe(0)
  })
  test('the same requests without the bad character still work', async () => {
    const r = await env.app.handle(req('/tokens', { cookie, form: { name: 'laptop' } }))
    expect(r.status).toBe(200)
    expect(await tokens()).toBe(1)
    expect(unhandled()).toEqual([])
  })
})
