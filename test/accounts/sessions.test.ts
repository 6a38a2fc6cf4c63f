import { afterAll, beforeAll, describe, expect, spyOn, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { makeUser, type MadeUser } from '../helpers/factories.ts'
import { sessionIdOf, type SessionData } from '../../src/platform/session.ts'

// DESIGN.md §4 "Sessions": fixation, hashed storage, expiry by the injected clock, the one-read /
// rare-write budget, cookie flags, and the /sessions device page.

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

const CHROME_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

let env: TestEnv
let alice: MadeUser
let bob: MadeUser
let carol: MadeUser

beforeAll(async () => {
  env = await testEnv()
  alice = await makeUser(env.sql, { username: 'alice', firstName: 'Alice' })
  bob = await makeUser(env.sql, { username: 'bob', firstName: 'Bob' })
  carol = await makeUser(env.sql, { username: 'carol', firstName: 'Carol' })
})
afterAll(async () => { await env.close() })

type LoginOpts = { remember?: boolean; ua?: string; cookie?: string }

/** Logs in through the form; returns the raw Set-Cookie and the `sessionid=…` pair. */
async function loginRaw(app: TestEnv['app'], u: MadeUser, o: LoginOpts = {}, base = 'http://localhost') {
  const form: Record<string, string> = { username: u.username, password: u.password }
  if (o.remember) form.remember = 'on'
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: base }
  if (o.ua) headers['user-agent'] = o.ua
  if (o.cookie) headers.cookie = o.cookie
  const r = await app.handle(new Request(base + '/login', { method: 'POST', headers, body: new URLSearchParams(form).toString() }))
  expect(r.status).toBe(303)
  const setCookie = r.headers.get('set-cookie')!
  expect(setCookie).toBeTruthy()
  const pair = setCookie.split(';')[0]!
  return { setCookie, cookie: pair, token: pair.slice('sessionid='.length) }
}

const signIn = async (u: MadeUser, o: LoginOpts = {}) => (await loginRaw(env.app, u, o)).cookie
const tokenOf = (cookie: string) => cookie.slice('sessionid='.length)
const shortId = (cookie: string) => sessionIdOf(tokenOf(cookie)).slice(0, 16)

/** 200 when the cookie is a live session, 303 → /login when not. */
async function alive(cookie: string): Promise<boolean> {
  const r = await env.app.handle(req('/preferences', { cookie }))
  if (r.status === 200) return true
  expect(r.status).toBe(303)
  expect(r.headers.get('location')).toStartWith('/login')
  return false
}

async function stored(cookie: string): Promise<SessionData | null> {
  const raw = await env.redis.get(`session:${sessionIdOf(tokenOf(cookie))}`)
  return raw ? (JSON.parse(raw) as SessionData) : null
}

describe('session fixation', () => {
  test('logging in as B while sending A’s cookie kills A’s token and issues a new one', async () => {
    const a = await signIn(alice)
    expect(await alive(a)).toBe(true)
    const b = await loginRaw(env.app, bob, { cookie: a })
    expect(b.cookie).not.toBe(a)
    expect(await alive(a)).toBe(false)
    expect(await stored(a)).toBeNull()
    // The new cookie is Bob's.
    const dash = await env.app.handle(req('/', { cookie: b.cookie }))
    expect(await dash.text()).toContain('Hello, Bob')
  })

  test('logging in again with one’s own cookie also rotates the token', async () => {
    const first = await signIn(alice)
    const second = (await loginRaw(env.app, alice, { cookie: first })).cookie
    expect(second).not.toBe(first)
    expect(await alive(first)).toBe(false)
    expect(await alive(second)).toBe(true)
  })

  test('a made-up cookie sent to the login form does not become the session', async () => {
    const planted = 'sessionid=' + 'a'.repeat(32)
    const r = await loginRaw(env.app, alice, { cookie: planted })
    expect(r.token).not.toBe('a'.repeat(32))
    expect(await alive(planted)).toBe(false)
  })
})

describe('storage', () => {
  test('Redis holds only the SHA-256 of the token, never the token itself', async () => {
    const { token } = await loginRaw(env.app, carol, { ua: FIREFOX_WINDOWS })
    expect(token).toMatch(/^[a-z2-7]{32}$/)
    const keys = (await env.redis.send('KEYS', [env.redis.prefix + '*'])) as string[]
    expect(keys.length).toBeGreaterThan(0)
    const id = sessionIdOf(token)
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    expect(keys).toContain(`${env.redis.prefix}session:${id}`)
    for (const k of keys) {
      expect(k).not.toContain(token)
      const type = (await env.redis.send('TYPE', [k])) as string
      const values =
        type === 'string' ? [(await env.redis.send('GET', [k])) as string]
        : type === 'set' ? ((await env.redis.send('SMEMBERS', [k])) as string[])
        : type === 'hash' ? ((await env.redis.send('HVALS', [k])) as string[])
        : type === 'list' ? ((await env.redis.send('LRANGE', [k, '0', '-1'])) as string[])
        : []
      for (const v of values) expect(String(v)).not.toContain(token)
    }
    const s = JSON.parse((await env.redis.send('GET', [`${env.redis.prefix}session:${id}`])) as string) as SessionData
    expect(s.id).toBe(id)
    expect(s.userId).toBe(carol.id)
    expect(s.loginAt).toBe(env.clock.now().getTime())
    expect(s.lastSeen).toBe(env.clock.now().getTime())
    expect(s.trusted).toBe(false)
    expect(s.ua).toBe(FIREFOX_WINDOWS)
    // The user's index holds the hash too.
    expect((await env.redis.send('SMEMBERS', [`${env.redis.prefix}user_sessions:${carol.id}`])) as string[]).toContain(id)
  })
})

describe('expiry (by the injected clock)', () => {
  test('an untrusted session dies after 2 hours idle, but activity keeps it going', async () => {
    const c = await signIn(alice)
    env.clock.advance(2 * HOUR - MIN)
    expect(await alive(c)).toBe(true) // 1h59: still alive, and last-seen moves
    env.clock.advance(2 * HOUR - MIN)
    expect(await alive(c)).toBe(true) // 3h58 after login: idle time counts from the last request
    env.clock.advance(2 * HOUR)
    expect(await alive(c)).toBe(false)
    expect(await stored(c)).toBeNull() // deleted when found expired
  })

  test('exactly 2 hours idle is expired', async () => {
    const c = await signIn(bob)
    env.clock.advance(2 * HOUR)
    expect(await alive(c)).toBe(false)
  })

  test('a trusted (remembered) session survives 2 hours idle and dies after 7 days idle', async () => {
    const c = await signIn(alice, { remember: true })
    env.clock.advance(3 * HOUR)
    expect(await alive(c)).toBe(true)
    env.clock.advance(7 * DAY - MIN)
    expect(await alive(c)).toBe(true)
    env.clock.advance(7 * DAY)
    expect(await alive(c)).toBe(false)
  })

  test('every session ends 30 days after login, even trusted and active', async () => {
    const c = await signIn(bob, { remember: true })
    for (let i = 0; i < 4; i++) {
      env.clock.advance(6 * DAY)
      expect(await alive(c)).toBe(true) // day 6, 12, 18, 24
    }
    env.clock.advance(6 * DAY - HOUR)
    expect(await alive(c)).toBe(true) // day 29 23:00
    env.clock.advance(HOUR)
    expect(await alive(c)).toBe(false) // day 30
  })
})

describe('request budget', () => {
  test('one Redis read per request; a write only when last-seen moved by ≥ 5 minutes', async () => {
    const c = await signIn(carol)
    const loginAt = env.clock.now().getTime()
    const get = spyOn(env.redis, 'get')
    const set = spyOn(env.redis, 'set')
    const mget = spyOn(env.redis, 'mget')
    const smembers = spyOn(env.redis, 'smembers')
    const calls = () => get.mock.calls.length + mget.mock.calls.length + smembers.mock.calls.length
    try {
      env.clock.advance(MIN)
      let reads = calls(), writes = set.mock.calls.length
      expect(await alive(c)).toBe(true)
      expect(calls() - reads).toBe(1)
      expect(set.mock.calls.length - writes).toBe(0)
      expect((await stored(c))!.lastSeen).toBe(loginAt)

      env.clock.advance(5 * MIN) // +6 min
      reads = calls(); writes = set.mock.calls.length
      expect(await alive(c)).toBe(true)
      expect(calls() - reads).toBe(1)
      expect(set.mock.calls.length - writes).toBe(1)
      expect((await stored(c))!.lastSeen).toBe(loginAt + 6 * MIN)

      env.clock.advance(4 * MIN) // 4 min after the last write: no write
      writes = set.mock.calls.length
      expect(await alive(c)).toBe(true)
      expect(set.mock.calls.length - writes).toBe(0)
      expect((await stored(c))!.lastSeen).toBe(loginAt + 6 * MIN)

      env.clock.advance(MIN) // exactly 5 min after: written
      expect(await alive(c)).toBe(true)
      expect((await stored(c))!.lastSeen).toBe(loginAt + 11 * MIN)
    } finally {
      get.mockRestore(); set.mockRestore(); mget.mockRestore(); smembers.mockRestore()
    }
  })
})

describe('cookie flags', () => {
  test('HttpOnly, SameSite=Lax, Path=/, no Max-Age and no Secure on plain http', async () => {
    const { setCookie } = await loginRaw(env.app, alice)
    const attrs = setCookie.split(';').map((s) => s.trim())
    expect(attrs[0]).toMatch(/^sessionid=[a-z2-7]{32}$/)
    expect(attrs.slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax'])
  })

  test('a remembered device gets Max-Age of 30 days', async () => {
    const { setCookie } = await loginRaw(env.app, alice, { remember: true })
    const attrs = setCookie.split(';').map((s) => s.trim())
    expect(attrs.slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=2592000', 'Path=/', 'SameSite=Lax'])
  })

  test('Secure when BASE_URL is https (login, trust and logout)', async () => {
    const https = await testEnv({ config: { BASE_URL: 'https://ion.example.org' } })
    try {
      const u = await makeUser(https.sql, { username: 'secure1' })
      const base = 'https://ion.example.org'
      const { setCookie, cookie } = await loginRaw(https.app, u, {}, base)
      const attrs = setCookie.split(';').map((s) => s.trim())
      expect(attrs.slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Lax', 'Secure'])
      const remembered = await loginRaw(https.app, u, { remember: true }, base)
      expect(remembered.setCookie.split(';').map((s) => s.trim()).slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=2592000', 'Path=/', 'SameSite=Lax', 'Secure'])

      const trust = await https.app.handle(new Request(base + '/sessions/trust', { method: 'POST', headers: { origin: base, cookie } }))
      expect(trust.status).toBe(303)
      expect(trust.headers.get('set-cookie')!.split(';').map((s) => s.trim()).slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=2592000', 'Path=/', 'SameSite=Lax', 'Secure'])

      const out = await https.app.handle(new Request(base + '/logout', { method: 'POST', headers: { origin: base, cookie } }))
      expect(out.status).toBe(303)
      const cleared = out.headers.get('set-cookie')!
      expect(cleared).toContain('sessionid=;')
      expect(cleared).toContain('Max-Age=0')
      expect(cleared).toContain('Secure')
      // The CSRF check accepts the BASE_URL origin even when the request URL differs (behind a proxy).
      const again = await loginRaw(https.app, u, {}, base)
      const viaProxy = await https.app.handle(new Request('http://10.1.2.3:3000/sessions/trust', { method: 'POST', headers: { origin: base, cookie: again.cookie } }))
      expect(viaProxy.status).toBe(303)
    } finally {
      await https.close()
    }
  })
})

describe('/sessions', () => {
  test('lists each device by browser and OS, marks this one, and revokes another', async () => {
    const u = await makeUser(env.sql, { username: 'devices1' })
    const phone = await signIn(u, { ua: CHROME_ANDROID })
    const laptop = await signIn(u, { ua: FIREFOX_WINDOWS, remember: true })
    const other = await signIn(alice, { ua: SAFARI_IPHONE })

    const r = await env.app.handle(req('/sessions', { cookie: laptop, headers: { 'user-agent': FIREFOX_WINDOWS } }))
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('Chrome on Android')
    expect(html).toContain('Firefox on Windows')
    expect(html).not.toContain('Safari on iPhone') // Alice's device is not listed
    expect(html.match(/<tr>/g)!.length).toBe(3) // header row + 2 devices
    expect(html.match(/this device/g)!.length).toBe(1)
    const rowOf = (needle: string) => html.split('<tr>').find((row) => row.includes(needle))!
    expect(rowOf('Firefox on Windows')).toContain('this device')
    expect(rowOf('Firefox on Windows')).toContain('Yes (7 days)')
    expect(rowOf('Chrome on Android')).toContain('No (2 hours idle)')
    expect(rowOf('Chrome on Android')).toContain(`value="${shortId(phone)}"`)
    expect(html).not.toContain(tokenOf(phone))
    expect(html).not.toContain(tokenOf(laptop))

    const rv = await env.app.handle(req('/sessions/revoke', { cookie: laptop, form: { id: shortId(phone) } }))
    expect(rv.status).toBe(303)
    expect(rv.headers.get('location')).toBe('/sessions')
    expect(rv.headers.get('set-cookie')).toBeNull()
    expect(await alive(phone)).toBe(false)
    expect(await alive(laptop)).toBe(true)
    expect(await alive(other)).toBe(true)

    const after = await (await env.app.handle(req('/sessions', { cookie: laptop }))).text()
    expect(after).not.toContain('Chrome on Android')
    expect(after).toContain('Firefox on Windows')
  })

  test('revoking the current session logs this device out', async () => {
    const u = await makeUser(env.sql, { username: 'devices2' })
    const c = await signIn(u)
    const rv = await env.app.handle(req('/sessions/revoke', { cookie: c, form: { id: shortId(c) } }))
    expect(rv.status).toBe(303)
    expect(rv.headers.get('location')).toBe('/login')
    expect(rv.headers.get('set-cookie')).toContain('Max-Age=0')
    expect(await alive(c)).toBe(false)
  })

  test('a session of another user cannot be revoked (404) and stays alive', async () => {
    const u = await makeUser(env.sql, { username: 'devices3' })
    const mine = await signIn(u)
    const theirs = await signIn(bob)
    const rv = await env.app.handle(req('/sessions/revoke', { cookie: mine, form: { id: shortId(theirs) } }))
    expect(rv.status).toBe(404)
    expect(await alive(theirs)).toBe(true)
    expect(await alive(mine)).toBe(true)
    // Garbage ids are a 404 too, never a 500.
    const bad = await env.app.handle(req('/sessions/revoke', { cookie: mine, form: { id: 'zz' } }))
    expect(bad.status).toBe(404)
  })

  test('“log out everywhere” kills every session of the user and only theirs', async () => {
    const u = await makeUser(env.sql, { username: 'devices4' })
    const c1 = await signIn(u, { ua: CHROME_ANDROID })
    const c2 = await signIn(u, { ua: FIREFOX_WINDOWS, remember: true })
    const c3 = await signIn(u, { ua: SAFARI_IPHONE })
    const someoneElse = await signIn(carol)
    const r = await env.app.handle(req('/sessions/global-logout', { method: 'POST', cookie: c2 }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/login')
    expect(r.headers.get('set-cookie')).toContain('Max-Age=0')
    for (const c of [c1, c2, c3]) {
      expect(await alive(c)).toBe(false)
      expect(await stored(c)).toBeNull()
    }
    expect(await alive(someoneElse)).toBe(true)
    expect((await env.redis.send('SMEMBERS', [`${env.redis.prefix}user_sessions:${u.id}`])) as string[]).toEqual([])
    const rows = await env.sql<{ details: { sessions: number } }[]>`SELECT details FROM audit_log WHERE action = 'session.global_logout' AND actor_id = ${u.id}`
    expect(rows.map((x) => x.details.sessions)).toEqual([3])
  })

  test('/sessions/trust remembers this device: Max-Age cookie, and 7-day idle instead of 2 hours', async () => {
    const u = await makeUser(env.sql, { username: 'devices5' })
    const c = await signIn(u)
    const page1 = await (await env.app.handle(req('/sessions', { cookie: c }))).text()
    expect(page1).toContain('Remember this device')
    const r = await env.app.handle(req('/sessions/trust', { method: 'POST', cookie: c }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/sessions')
    const sc = r.headers.get('set-cookie')!
    expect(sc.split(';')[0]).toBe(c)
    expect(sc).toContain('Max-Age=2592000')
    expect((await stored(c))!.trusted).toBe(true)
    const page2 = await (await env.app.handle(req('/sessions', { cookie: c }))).text()
    expect(page2).not.toContain('Remember this device')
    env.clock.advance(5 * HOUR)
    expect(await alive(c)).toBe(true)
  })

  test('/sessions needs a session', async () => {
    const r = await env.app.handle(req('/sessions'))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/login?next=%2Fsessions')
  })
})
