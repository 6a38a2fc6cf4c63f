import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { ORIGIN, req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { SESSION_COOKIE, newToken, sessionIdOf } from '../../src/platform/session.ts'

// Issue 11 §5, sessions. Already proven elsewhere, not repeated here:
//   fixation (a planted or previous cookie is replaced at login and dead after) and Redis holding
//   only the SHA-256 — test/accounts/sessions.test.ts "session fixation", "storage";
//   "log out everywhere" and revoking one device — sessions.test.ts "/sessions";
//   password change logs out the other devices, a reset logs out all — test/accounts/passwords.test.ts;
//   the TOTP pending-login cookie is used up at login — test/accounts/totp.test.ts;
//   a locked account's live session and tokens stop working — test/accounts/api-auth.test.ts.
// This file adds what those leave open: a dead session replayed through every kind of request
// (page, htmx, API), an attacker's own live session planted before login, the flags of EVERY cookie the app sets
// (no Domain anywhere), token entropy, and that Redis's hash is useless as a cookie.

let env: TestEnv
let user: MadeUser

beforeAll(async () => {
  env = await testEnv()
  user = await makeUser(env.sql, { username: 'sessuser', firstName: 'Sam' })
})
afterAll(async () => { await env.close() })

type Outcome = 'alive' | 'login page' | 'htmx redirect' | 'api 401' | `unexpected ${number}`

/** What an old cookie gets on a page, an htmx fragment and the API. */
async function replay(cookie: string): Promise<Outcome[]> {
  const page = await env.app.handle(req('/preferences', { cookie }))
  const htmx = await env.app.handle(req('/preferences', { cookie, htmx: true }))
  const api = await env.app.handle(req('/api/profile', { cookie }))
  return [
    page.status === 200 ? 'alive' : page.status === 303 && page.headers.get('location')!.startsWith('/login') ? 'login page' : `unexpected ${page.status}`,
    htmx.status === 200 ? 'alive' : htmx.status === 401 && htmx.headers.get('hx-redirect')!.startsWith('/login') ? 'htmx redirect' : `unexpected ${htmx.status}`,
    api.status === 200 ? 'alive' : api.status === 401 && (await api.json()).detail ? 'api 401' : `unexpected ${api.status}`,
  ]
}
const ALIVE: Outcome[] = ['alive', 'alive', 'alive']
const DEAD: Outcome[] = ['login page', 'htmx redirect', 'api 401']

const sessionKeys = async () => ((await env.redis.send('KEYS', [env.redis.prefix + 'session:*'])) as string[]).length

describe('a dead session is dead everywhere', () => {
  test('logout: the old cookie replayed on a page, a fragment and the API', async () => {
    const cookie = await login(env.app, user)
    expect(await replay(cookie)).toEqual(ALIVE)
    const out = await env.app.handle(req('/logout', { method: 'POST', cookie }))
    expect(out.status).toBe(303)
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
    expect(await replay(cookie)).toEqual(DEAD)
    expect(await env.redis.get(`session:${sessionIdOf(cookie.slice(SESSION_COOKIE.length + 1))}`)).toBeNull()
  })

  test('global logout: every device, through every kind of request', async () => {
    const devices = [await login(env.app, user), await login(env.app, user, { remember: true }), await login(env.app, user)]
    for (const c of devices) expect(await replay(c)).toEqual(ALIVE)
    expect((await env.app.handle(req('/sessions/global-logout', { method: 'POST', cookie: devices[1] }))).status).toBe(303)
    for (const c of devices) expect(await replay(c)).toEqual(DEAD)
  })

  test('an admin ending all of a user’s sessions', async () => {
    const boss = await login(env.app, await makeUser(env.sql, { type: 'teacher', groups: ['admin_all'], isSuperuser: true }))
    const mine = [await login(env.app, user), await login(env.app, user)]
    const r = await env.app.handle(req(`/admin/users/${user.id}/sessions/end-all`, { method: 'POST', cookie: boss }))
    expect(r.status).toBeLessThan(400)
    for (const c of mine) expect(await replay(c)).toEqual(DEAD)
    expect(await replay(boss)).toEqual(ALIVE)
  })

  test('a password change keeps this device and kills the others on the API too', async () => {
    const u = await makeUser(env.sql, { username: 'sesspw' })
    const here = await login(env.app, u)
    const there = await login(env.app, u)
    const NEW = 'another long passphrase 77'
    const r = await env.app.handle(req('/password', { cookie: here, form: { current_password: u.password, new_password: NEW, confirm_password: NEW } }))
    expect(r.status).toBe(303)
    expect(await replay(here)).toEqual(ALIVE)
    expect(await replay(there)).toEqual(DEAD)
  })
})

describe('fixation with a live session', () => {
  test('an attacker’s own valid session planted before login is replaced, and dead after', async () => {
    // The attacker's own live session, planted in the victim's browser.
    const attacker = await makeUser(env.sql, { username: 'sessattacker' })
    const planted = await login(env.app, attacker)
    const before = await sessionKeys()
    const r = await env.app.handle(req('/login', { cookie: planted, form: { username: user.username, password: user.password } }))
    expect(r.status).toBe(303)
    const set = r.headers.get('set-cookie')!
    const fresh = set.split(';')[0]!
    expect(fresh).toStartWith(`${SESSION_COOKIE}=`)
    expect(fresh).not.toBe(planted)
    // The planted session is gone (login deletes the one it was sent), the new one is the victim's.
    expect(await replay(planted)).toEqual(DEAD)
    expect(await sessionKeys()).toBe(before)
    const me = await env.app.handle(req('/api/profile', { cookie: fresh }))
    expect((await me.json()).id).toBe(user.id)
  })
})

describe('the flags of every cookie the app sets', () => {
  /** Runs the flows that set cookies and returns every Set-Cookie seen. */
  async function allSetCookies(e: TestEnv, base: string): Promise<string[]> {
    const u = await makeUser(e.sql, { username: `flags${Math.random().toString(36).slice(2, 6)}` })
    const seen: string[] = []
    const send = async (path: string, init: { cookie?: string; form?: Record<string, string> } = {}) => {
      const headers = new Headers({ origin: base })
      if (init.cookie) headers.set('cookie', init.cookie)
      if (init.form) headers.set('content-type', 'application/x-www-form-urlencoded')
      const r = await e.app.handle(new Request(base + path, { method: 'POST', headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined }))
      seen.push(...r.headers.getSetCookie())
      return r.headers.getSetCookie().find((c) => c.startsWith(SESSION_COOKIE + '='))?.split(';')[0] ?? ''
    }
    const creds = { username: u.username, password: u.password }
    const a = await send('/login', { form: creds })
    await send('/sessions/trust', { cookie: a })
    await send('/logout', { cookie: a })
    const b = await send('/login', { form: { ...creds, remember: 'on' } })
    await send('/sessions/global-logout', { cookie: b })
    const c = await send('/login', { form: creds })
    await send('/sessions/revoke', { cookie: c, form: { id: sessionIdOf(c.slice(SESSION_COOKIE.length + 1)).slice(0, 16) } })
    // The two-step login's pending cookie: an admin with ION_REQUIRE_ADMIN_TOTP=on.
    const admin = await makeUser(e.sql, { username: `flagsadm${Math.random().toString(36).slice(2, 6)}`, type: 'teacher', groups: ['admin_all'] })
    await send('/login', { form: { username: admin.username, password: admin.password } })
    return seen
  }

  function flagProblems(setCookie: string, secure: boolean): string[] {
    const [pair, ...attrs] = setCookie.split(';').map((s) => s.trim())
    const name = pair!.split('=')[0]
    const has = (re: RegExp) => attrs.some((a) => re.test(a))
    const p: string[] = []
    if (!has(/^HttpOnly$/i)) p.push(`${name}: no HttpOnly`)
    if (!has(/^SameSite=(Lax|Strict)$/i)) p.push(`${name}: SameSite not Lax/Strict`)
    if (!has(/^Path=\//)) p.push(`${name}: no Path`)
    if (has(/^Domain=/i)) p.push(`${name}: has a Domain`)
    if (secure !== has(/^Secure$/i)) p.push(`${name}: Secure is ${!secure}`)
    return p
  }

  test('over http: HttpOnly, SameSite=Lax, Path, no Domain, no Secure', async () => {
    const http = await testEnv({ config: { ION_REQUIRE_ADMIN_TOTP: 'on' } })
    try {
      const seen = await allSetCookies(http, ORIGIN)
      expect(seen.length).toBeGreaterThanOrEqual(8)
      expect(new Set(seen.map((c) => c.split('=')[0]))).toEqual(new Set([SESSION_COOKIE, 'ion_login']))
      expect(seen.flatMap((c) => flagProblems(c, false))).toEqual([])
    } finally {
      await http.close()
    }
  })

  test('over https: the same, and Secure on every one', async () => {
    const https = await testEnv({ config: { BASE_URL: 'https://ion.example.org', ION_REQUIRE_ADMIN_TOTP: 'on' } })
    try {
      const seen = await allSetCookies(https, 'https://ion.example.org')
      expect(seen.some((c) => c.startsWith('ion_login='))).toBe(true)
      expect(seen.flatMap((c) => flagProblems(c, true))).toEqual([])
    } finally {
      await https.close()
    }
  })

  test('the checks can fail', () => {
    expect(flagProblems('sessionid=x; Domain=example.org; SameSite=None; Secure', false)).toEqual([
      'sessionid: no HttpOnly', 'sessionid: SameSite not Lax/Strict', 'sessionid: no Path', 'sessionid: has a Domain', 'sessionid: Secure is true',
    ])
  })
})

describe('token entropy and hashing', () => {
  test('160 random bits per token: 32 base32 characters, no repeats in 5,000, every symbol used', () => {
    const tokens = Array.from({ length: 5000 }, newToken)
    expect(new Set(tokens).size).toBe(5000)
    for (const t of tokens) expect(t).toMatch(/^[a-z2-7]{32}$/) // 32 × 5 bits
    const counts = new Map<string, number>()
    for (const t of tokens) for (const ch of t) counts.set(ch, (counts.get(ch) ?? 0) + 1)
    expect(counts.size).toBe(32)
    // 160,000 symbols: each of the 32 expected 5,000 times; a biased source would stray far.
    for (const n of counts.values()) expect(Math.abs(n - 5000)).toBeLessThan(500)
  })

  test('the Redis key is the SHA-256 of the token (checked with an independent hasher)', () => {
    const t = newToken()
    expect(sessionIdOf(t)).toBe(new Bun.CryptoHasher('sha256').update(t).digest('hex'))
  })

  test('what Redis holds is useless as a cookie', async () => {
    const cookie = await login(env.app, user)
    const id = sessionIdOf(cookie.slice(SESSION_COOKIE.length + 1))
    expect(await env.redis.get(`session:${id}`)).not.toBeNull()
    expect(await replay(`${SESSION_COOKIE}=${id}`)).toEqual(DEAD)
    expect(await replay(`${SESSION_COOKIE}=${id.slice(0, 32)}`)).toEqual(DEAD)
    expect(await replay(cookie)).toEqual(ALIVE)
  })
})
