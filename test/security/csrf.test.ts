import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { ORIGIN, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, membersOf, schedule } from '../helpers/eighth.ts'
import { isApiPath } from '../../src/platform/http.ts'
import { SESSION_COOKIE, createSession } from '../../src/platform/session.ts'

// Issue 11 §5 / DESIGN.md §4 "CSRF", for EVERY state-changing route in the route table (generated
// from env.app.routes, never a hand list): a cookie-authenticated request from a foreign page —
// Origin: https://evil.example, Sec-Fetch-Site: cross-site without Origin, or Origin: null — is
// refused with 403 and changes nothing (the whole database and the whole Redis prefix are compared
// before and after, and four key routes are spot-checked with bodies that do work same-origin).
//
// Token- and Basic-authenticated API calls carry no cookie, so a foreign page cannot make a
// browser send them: they are not CSRF-able and pass whatever their Origin (last describe).
// WebSocket upgrades (method WS in the table) are checked by wsOriginAllowed: see
// test/eighth/live.test.ts and test/bus/auth.test.ts. The header rules themselves are unit-tested in
// test/platform/csrf.test.ts and test/accounts/csrf.test.ts.

setDefaultTimeout(120_000)

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'WS'])
const ATTACKS: [string, Record<string, string>][] = [
  ['foreign Origin', { origin: 'https://evil.example' }],
  ['cross-site, no Origin', { 'sec-fetch-site': 'cross-site' }],
  ['Origin: null', { origin: 'null' }],
]
const REFUSAL = 'The request came from another site.'

let env: TestEnv
let admin: MadeUser
let student: MadeUser
let changer: MadeUser
let cAdmin: string
let cStudent: string
let cChanger: string
let ROUTES: { method: string; path: string }[] = []
let block: number
let activity: number
let scheduled: number
/** The API token made same-origin by the token spot check. */
let apiToken = ''

beforeAll(async () => {
  env = await testEnv()
  admin = await makeUser(env.sql, { username: 'csrfadmin', type: 'teacher', isSuperuser: true, groups: ['admin_all'] })
  student = await makeUser(env.sql, { username: 'csrfstudent' })
  changer = await makeUser(env.sql, { username: 'csrfchanger' })
  ;[cAdmin, cStudent, cChanger] = await Promise.all([login(env.app, admin), login(env.app, student), login(env.app, changer)])
  block = await addBlock(env.sql, '2026-12-02', 'A')
  activity = await addActivity(env.sql, 'CSRF Club', { defaultCapacity: 10 })
  scheduled = await schedule(env.sql, block, activity)
  ROUTES = env.app.routes.filter((r) => !SAFE.has(r.method)).map((r) => ({ method: r.method, path: r.path }))
})
afterAll(async () => { await env.close() })

/** A concrete URL for a route pattern: each :param becomes 1. */
const concrete = (path: string) => path.replace(/:[^/]+/g, '1').replace(/\*$/, 'x')

function request(method: string, path: string, cookie: string | null, headers: Record<string, string>, form: Record<string, string> = {}): Request {
  const h = new Headers(headers)
  if (cookie) h.set('cookie', cookie)
  let body: string
  if (isApiPath(path)) {
    h.set('content-type', 'application/json')
    body = JSON.stringify(form)
  } else {
    h.set('content-type', 'application/x-www-form-urlencoded')
    body = new URLSearchParams(form).toString()
  }
  return new Request(ORIGIN + path, { method, headers: h, body })
}

async function isCsrfRefusal(r: Response): Promise<boolean> {
  const text = await r.text()
  return r.status === 403 && text.includes(REFUSAL)
}

/** Every table's rows, hashed: any insert, update or delete anywhere changes it. */
async function dbFingerprint(): Promise<Record<string, string>> {
  const tables = await env.sql<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`
  const out: Record<string, string> = {}
  for (const { name } of tables) {
    const [row] = await env.sql<{ h: string; n: number }[]>`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h, count(*)::int AS n FROM ${env.sql(name)} t`
    out[name] = `${row!.n}:${row!.h}`
  }
  return out
}

/** Every Redis key under this file's prefix with its value. */
async function redisFingerprint(): Promise<Record<string, string>> {
  const keys = ((await env.redis.send('KEYS', [env.redis.prefix + '*'])) as string[]).sort()
  const out: Record<string, string> = {}
  for (const k of keys) {
    const type = (await env.redis.send('TYPE', [k])) as string
    const v = type === 'string' ? await env.redis.send('GET', [k])
      : type === 'set' ? ((await env.redis.send('SMEMBERS', [k])) as string[]).sort()
      : type === 'hash' ? await env.redis.send('HGETALL', [k])
      : type === 'zset' ? await env.redis.send('ZRANGE', [k, '0', '-1', 'WITHSCORES'])
      : type === 'list' ? await env.redis.send('LRANGE', [k, '0', '-1'])
      : type
    out[k] = JSON.stringify(v)
  }
  return out
}

describe('every state-changing route refuses a foreign page', () => {
  test('the route table is the source (and it is big)', () => {
    expect(ROUTES.length).toBeGreaterThan(100)
    const names = ROUTES.map((r) => `${r.method} ${r.path}`)
    for (const r of ['POST /login', 'POST /eighth/signup', 'POST /announcements/add', 'POST /password', 'POST /tokens', 'PATCH /api/announcements/:id', 'DELETE /api/announcements/:id']) {
      expect(names).toContain(r)
    }
  })

  test('foreign Origin, cross-site and Origin: null → 403 on every route, with a session cookie; nothing changes', async () => {
    const db = await dbFingerprint()
    const redis = await redisFingerprint()
    const notRefused: string[] = []
    for (const { method, path } of ROUTES) {
      for (const [attack, headers] of ATTACKS) {
        for (const cookie of [cAdmin, cStudent]) {
          const r = await env.app.handle(request(method, concrete(path), cookie, headers, { title: 'x', content: 'x', name: 'x', confirm: 'yes' }))
          if (!(await isCsrfRefusal(r))) notRefused.push(`${method} ${path} (${attack}) → ${r.status}`)
        }
      }
    }
    expect(notRefused).toEqual([])
    expect(await dbFingerprint()).toEqual(db)
    expect(await redisFingerprint()).toEqual(redis)
  })

  test('the API answers the refusal in its JSON shape', async () => {
    const api = ROUTES.filter((r) => isApiPath(r.path))
    expect(api.length).toBeGreaterThan(3)
    for (const { method, path } of api) {
      const r = await env.app.handle(request(method, concrete(path), cAdmin, { origin: 'https://evil.example' }))
      expect([path, r.status, r.headers.get('content-type')]).toEqual([path, 403, expect.stringContaining('application/json')])
      expect((await r.json()).details).toEqual([REFUSAL])
    }
  })

})

describe('spot checks: a body that works same-origin does nothing cross-site', () => {
  async function attackThenAllow(method: string, path: string, cookie: string, form: Record<string, string>, observe: () => Promise<unknown>) {
    const before = await observe()
    for (const [attack, headers] of ATTACKS) {
      const r = await env.app.handle(request(method, path, cookie, headers, form))
      expect([attack, await isCsrfRefusal(r)]).toEqual([attack, true])
      expect([attack, await observe()]).toEqual([attack, before])
    }
    const ok = await env.app.handle(request(method, path, cookie, { origin: ORIGIN }, form))
    expect(ok.status).toBeLessThan(400)
    expect(await observe()).not.toEqual(before)
    return ok
  }

  test('eighth signup', async () => {
    await attackThenAllow('POST', `/eighth/signup/${block}`, cStudent, { uid: String(student.id), bid: String(block), aid: String(activity) },
      () => membersOf(env.sql, scheduled))
    expect(await membersOf(env.sql, scheduled)).toEqual([student.id])
  })

  test('announcement post', async () => {
    const count = async () => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM announcements WHERE title = 'CSRF news'`)[0]!.n
    await attackThenAllow('POST', '/announcements/add', cAdmin, { title: 'CSRF news', content: '<p>Forged</p>' }, count)
    expect(await count()).toBe(1)
  })

  test('API token create', async () => {
    const tokens = async () => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM api_tokens WHERE user_id = ${admin.id}`)[0]!.n
    const ok = await attackThenAllow('POST', '/tokens', cAdmin, { name: 'forged' }, tokens)
    const token = (await ok.text()).match(/<code id="new-token">(ion_[a-z2-7]+)<\/code>/)?.[1]
    expect(token).toBeString()
    apiToken = token!
  })

  test('password change', async () => {
    const hash = async () => (await env.sql<{ h: string }[]>`SELECT password_hash AS h FROM users WHERE id = ${changer.id}`)[0]!.h
    const NEW = 'a much longer new passphrase 42'
    await attackThenAllow('POST', '/password', cChanger, { current_password: changer.password, new_password: NEW, confirm_password: NEW }, hash)
  })
})

describe('token and Basic authentication: not CSRF-able, so not refused', () => {
  const basic = (u: MadeUser) => `Basic ${btoa(`${u.username}:${u.password}`)}`

  test('every state-changing /api route, with a foreign Origin and no cookie, reaches its handler', async () => {
    const token = apiToken
    expect(token).toStartWith('ion_') // made by the "API token create" spot check
    const api = ROUTES.filter((r) => isApiPath(r.path))
    const refused: string[] = []
    for (const { method, path } of api) {
      for (const authorization of [`Bearer ${token}`, basic(admin)]) {
        for (const [attack, headers] of ATTACKS) {
          const r = await env.app.handle(request(method, concrete(path), null, { ...headers, authorization }, {}))
          if (await isCsrfRefusal(r)) refused.push(`${method} ${path} ${authorization.split(' ')[0]} (${attack})`)
          expect(r.status).not.toBe(401) // really authenticated by the token or password
        }
      }
    }
    expect(refused).toEqual([])
  })

  test('…but the same request with the session cookie added is refused', async () => {
    const r = await env.app.handle(request('POST', '/api/announcements', cAdmin, { origin: 'https://evil.example', authorization: basic(admin) }, { title: 'x', content: 'x' }))
    expect(await isCsrfRefusal(r)).toBe(true)
  })
})

describe('same origin', () => {
  test('no route is refused by the CSRF layer (so the sweeps above can fail)', async () => {
    // Its own database: these requests really run (ids 999999, so mostly 404s and 422s).
    const own = await testEnv()
    try {
      const u = await makeUser(own.sql, { type: 'teacher', isSuperuser: true, groups: ['admin_all'] })
      const refused: string[] = []
      for (const { method, path } of ROUTES) {
        for (const headers of [{ origin: ORIGIN }, { 'sec-fetch-site': 'same-origin' }] as Record<string, string>[]) {
          // A fresh session for each request: some routes log out or end every session.
          const { token } = await createSession(own.redis, u.id, own.clock.now().getTime(), { trusted: false, ua: 'test', ip: '127.0.0.1' })
          const r = await own.app.handle(request(method, path.replace(/:[^/]+/g, '999999'), `${SESSION_COOKIE}=${token}`, headers, {}))
          if (await isCsrfRefusal(r)) refused.push(`${method} ${path} → ${r.status}`)
        }
      }
      expect(refused).toEqual([])
    } finally {
      await own.close()
    }
  })
})
