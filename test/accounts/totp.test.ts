import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { generateHOTP, generateTOTP } from '@oslojs/otp'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { listSessions } from '../../src/platform/session.ts'

// Two-step login. verifyTotp uses real time (Date.now()), so codes come from the real clock:
// generateTOTP for the current 30-s step, and generateHOTP for the next step (accepted by the
// ±30 s grace period), which gives a second fresh code without waiting.

const MIN = 60_000

/** The code for the current step (+offset steps). Only 0 and +1 are safe across a step boundary. */
const codeAt = (key: Uint8Array, offset: 0 | 1) =>
  offset === 0 ? generateTOTP(key, 30, 6) : generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + 1), 6)

/** A 6-digit code valid in no step near now. */
function wrongCode(key: Uint8Array): string {
  const step = Math.floor(Date.now() / 30_000)
  const near = new Set([-1, 0, 1, 2].map((d) => generateHOTP(key, BigInt(step + d), 6)))
  for (let n = 0; ; n++) {
    const c = String((123456 + n * 7919) % 1_000_000).padStart(6, '0')
    if (!near.has(c)) return c
  }
}

function keyFrom(html: string): Uint8Array {
  const m = html.match(/<code id="totp-key"[^>]*>([A-Z2-7 ]+)<\/code>/)
  expect(m).not.toBeNull()
  const text = m![1]!
  expect(text).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/) // grouped by 4 for reading
  const key = decodeBase32IgnorePadding(text.replace(/\s+/g, ''))
  expect(key.length).toBe(20)
  return key
}

function cookiesOf(r: Response): Map<string, string> {
  const out = new Map<string, string>()
  for (const c of r.headers.getSetCookie()) {
    const pair = c.split(';')[0]!
    out.set(pair.slice(0, pair.indexOf('=')), c)
  }
  return out
}
const pairOf = (setCookie: string) => setCookie.split(';')[0]!

async function passwordStep(env: TestEnv, u: MadeUser, next = '/') {
  const r = await env.app.handle(req('/login', { form: { username: u.username, password: u.password, next } }))
  return r
}

async function totpEnabled(env: TestEnv, id: number): Promise<boolean> {
  const [row] = await env.sql<{ on: boolean }[]>`SELECT totp_enabled AS on FROM users WHERE id = ${id}`
  return row!.on
}

describe('TOTP (optional)', () => {
  let env: TestEnv
  let admin: MadeUser
  let key: Uint8Array
  let enrolCode: string

  beforeAll(async () => {
    env = await testEnv()
    admin = await makeUser(env.sql, { username: 'totpadmin', type: 'teacher', groups: ['admin_all'], firstName: 'Ada' })
  })
  afterAll(async () => { await env.close() })

  test('a non-admin cannot enrol', async () => {
    const s = await makeUser(env.sql, { username: 'plainstudent' })
    const c = await login(env.app, s)
    expect((await env.app.handle(req('/totp', { cookie: c }))).status).toBe(403)
    expect((await env.app.handle(req('/totp', { cookie: c, form: { code: '123456' } }))).status).toBe(403)
  })

  test('enrolment needs a fresh password: a login counts for 15 minutes, then /reauthenticate', async () => {
    const other = await makeUser(env.sql, { username: 'totpadmin2', type: 'teacher', groups: ['admin_all'] })
    const c = await login(env.app, other)
    env.clock.advance(14 * MIN)
    expect((await env.app.handle(req('/totp', { cookie: c }))).status).toBe(200)
    env.clock.advance(2 * MIN)
    const stale = await env.app.handle(req('/totp', { cookie: c }))
    expect(stale.status).toBe(303)
    expect(stale.headers.get('location')).toBe('/reauthenticate?next=%2Ftotp')
    const post = await env.app.handle(req('/totp', { cookie: c, form: { code: '123456' } }))
    expect(post.status).toBe(303)
    expect(post.headers.get('location')).toBe('/reauthenticate?next=%2Ftotp')
    const wrong = await env.app.handle(req('/reauthenticate', { cookie: c, form: { password: 'not it at all', next: '/totp' } }))
    expect(wrong.status).toBe(401)
    const re = await env.app.handle(req('/reauthenticate', { cookie: c, form: { password: other.password, next: '/totp' } }))
    expect(re.status).toBe(303)
    expect(re.headers.get('location')).toBe('/totp')
    expect((await env.app.handle(req('/totp', { cookie: c }))).status).toBe(200)
  })

  test('an admin enrols at /totp with a code from the key on the page', async () => {
    const c = await login(env.app, admin)
    const page = await env.app.handle(req('/totp', { cookie: c }))
    expect(page.status).toBe(200)
    const html = await page.text()
    key = keyFrom(html)
    expect(html).toContain('otpauth://totp/')
    // Reloading shows the same key (kept while enrolling).
    expect(keyFrom(await (await env.app.handle(req('/totp', { cookie: c }))).text())).toEqual(key)

    const bad = await env.app.handle(req('/totp', { cookie: c, form: { code: wrongCode(key) } }))
    expect(bad.status).toBe(422)
    expect(await totpEnabled(env, admin.id)).toBe(false)

    enrolCode = codeAt(key, 0)
    const ok = await env.app.handle(req('/totp', { cookie: c, form: { code: enrolCode } }))
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/totp')
    expect(await totpEnabled(env, admin.id)).toBe(true)
    const [row] = await env.sql<{ key: Uint8Array }[]>`SELECT totp_key AS key FROM users WHERE id = ${admin.id}`
    expect([...new Uint8Array(row!.key)]).toEqual([...key])
    expect(await (await env.app.handle(req('/totp', { cookie: c }))).text()).toContain('Two-step login is on')
  })

  test('login now needs the code: password → /login/totp with an ion_login cookie and no session yet', async () => {
    const before = (await listSessions(env.redis, admin.id, env.clock.now().getTime())).length
    const r = await passwordStep(env, admin, '/preferences')
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/login/totp')
    const cs = cookiesOf(r)
    expect(cs.has('sessionid')).toBe(false)
    const pending = cs.get('ion_login')!
    expect(pending).toMatch(/^ion_login=[a-f0-9]{32}; Path=\/login; HttpOnly; SameSite=Lax; Max-Age=300$/)
    expect((await listSessions(env.redis, admin.id, env.clock.now().getTime())).length).toBe(before)
    const cookie = pairOf(pending)

    const form = await env.app.handle(req('/login/totp', { cookie }))
    expect(form.status).toBe(200)
    expect(await form.text()).toContain('Code from your authenticator app')

    // The pending cookie is not a session.
    expect((await env.app.handle(req('/preferences', { cookie }))).status).toBe(303)

    const wrong = await env.app.handle(req('/login/totp', { cookie, form: { code: wrongCode(key) } }))
    expect(wrong.status).toBe(422)
    expect(cookiesOf(wrong).has('sessionid')).toBe(false)
    expect(await wrong.text()).toContain('That code is not right.')

    // Replaying the code used at enrolment is refused.
    const replay = await env.app.handle(req('/login/totp', { cookie, form: { code: enrolCode } }))
    expect(replay.status).toBe(422)
    expect(cookiesOf(replay).has('sessionid')).toBe(false)

    const code = codeAt(key, 1)
    const ok = await env.app.handle(req('/login/totp', { cookie, form: { code } }))
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/preferences')
    const set = cookiesOf(ok)
    expect(set.get('sessionid')).toMatch(/^sessionid=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax$/)
    expect(set.get('ion_login')).toContain('Max-Age=0')
    const session = pairOf(set.get('sessionid')!)
    const dash = await env.app.handle(req('/', { cookie: session }))
    expect(await dash.text()).toContain('Hello, Ada')

    // The pending login is used up.
    const again = await env.app.handle(req('/login/totp', { cookie, form: { code } }))
    expect(again.status).toBe(303)
    expect(again.headers.get('location')).toBe('/login')
    expect(cookiesOf(again).has('sessionid')).toBe(false)

    // The same code in a new login is a replay.
    const second = pairOf(cookiesOf(await passwordStep(env, admin)).get('ion_login')!)
    const replay2 = await env.app.handle(req('/login/totp', { cookie: second, form: { code } }))
    expect(replay2.status).toBe(422)
    expect(cookiesOf(replay2).has('sessionid')).toBe(false)
  })

  test('5 wrong codes: start over (the pending login is gone, even a right code then fails)', async () => {
    const cookie = pairOf(cookiesOf(await passwordStep(env, admin)).get('ion_login')!)
    const bad = wrongCode(key)
    for (let i = 0; i < 4; i++) {
      const r = await env.app.handle(req('/login/totp', { cookie, form: { code: bad } }))
      expect(r.status).toBe(422)
    }
    const fifth = await env.app.handle(req('/login/totp', { cookie, form: { code: bad } }))
    expect(fifth.status).toBe(429)
    const html = await fifth.text()
    expect(html).toContain('Too many wrong codes. Log in again.')
    expect(html).toContain('name="password"')
    const after = await env.app.handle(req('/login/totp', { cookie, form: { code: codeAt(key, 0) } }))
    expect(after.status).toBe(303)
    expect(after.headers.get('location')).toBe('/login')
    expect(cookiesOf(after).has('sessionid')).toBe(false)
    expect((await env.app.handle(req('/login/totp', { cookie }))).headers.get('location')).toBe('/login')
  })

  test('a forged or missing pending cookie goes back to /login', async () => {
    for (const cookie of [undefined, 'ion_login=' + 'a'.repeat(32), 'ion_login=../../x']) {
      const r = await env.app.handle(req('/login/totp', { cookie, form: { code: '123456' } }))
      expect(r.status).toBe(303)
      expect(r.headers.get('location')).toBe('/login')
    }
  })

  test('HTTP Basic is refused for a TOTP user (the password alone is not enough)', async () => {
    const basic = 'Basic ' + btoa(`${admin.username}:${admin.password}`)
    const r = await env.app.handle(req('/api/profile', { headers: { authorization: basic } }))
    expect(r.status).toBe(401)
    const body = await r.json()
    expect(body.detail).toContain('two-step login')
  })
})

describe('ION_REQUIRE_ADMIN_TOTP=on', () => {
  let env: TestEnv
  beforeAll(async () => { env = await testEnv({ config: { ION_REQUIRE_ADMIN_TOTP: 'on' } }) })
  afterAll(async () => { await env.close() })

  test('an admin without TOTP must enrol at /login/totp/enroll before any session exists', async () => {
    const admin = await makeUser(env.sql, { username: 'mustenrol', type: 'teacher', groups: ['admin_eighth'], firstName: 'Max' })
    const r = await passwordStep(env, admin, '/sessions')
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/login/totp/enroll')
    const cs = cookiesOf(r)
    expect(cs.has('sessionid')).toBe(false)
    const cookie = pairOf(cs.get('ion_login')!)
    expect(await listSessions(env.redis, admin.id, env.clock.now().getTime())).toEqual([])
    expect((await env.redis.send('KEYS', [env.redis.prefix + 'session:*'])) as string[]).toEqual([])

    // Not the code step.
    expect((await env.app.handle(req('/login/totp', { cookie }))).headers.get('location')).toBe('/login')

    const page = await env.app.handle(req('/login/totp/enroll', { cookie }))
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('Accounts with administrative permissions must use two-step login.')
    const key = keyFrom(html)
    expect(keyFrom(await (await env.app.handle(req('/login/totp/enroll', { cookie }))).text())).toEqual(key)

    const bad = await env.app.handle(req('/login/totp/enroll', { cookie, form: { code: wrongCode(key) } }))
    expect(bad.status).toBe(422)
    expect(cookiesOf(bad).has('sessionid')).toBe(false)
    expect(await totpEnabled(env, admin.id)).toBe(false)
    expect(await listSessions(env.redis, admin.id, env.clock.now().getTime())).toEqual([])

    const code = codeAt(key, 0)
    const ok = await env.app.handle(req('/login/totp/enroll', { cookie, form: { code } }))
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/sessions')
    const session = pairOf(cookiesOf(ok).get('sessionid')!)
    expect(await totpEnabled(env, admin.id)).toBe(true)
    expect((await listSessions(env.redis, admin.id, env.clock.now().getTime())).length).toBe(1)
    expect(await (await env.app.handle(req('/', { cookie: session }))).text()).toContain('Hello, Max')

    // Next time: the code step, and the enrolment code cannot be replayed.
    const next = await passwordStep(env, admin)
    expect(next.headers.get('location')).toBe('/login/totp')
    const pc = pairOf(cookiesOf(next).get('ion_login')!)
    expect((await env.app.handle(req('/login/totp', { cookie: pc, form: { code } }))).status).toBe(422)
    const ok2 = await env.app.handle(req('/login/totp', { cookie: pc, form: { code: codeAt(key, 1) } }))
    expect(ok2.status).toBe(303)
    const s2 = pairOf(cookiesOf(ok2).get('sessionid')!)

    // Required: it cannot be turned off.
    expect(await (await env.app.handle(req('/totp', { cookie: s2 }))).text()).toContain('cannot be turned off')
    expect((await env.app.handle(req('/totp/disable', { method: 'POST', cookie: s2 }))).status).toBe(403)
    expect(await totpEnabled(env, admin.id)).toBe(true)
  })

  test('a non-admin logs in directly', async () => {
    const s = await makeUser(env.sql, { username: 'justastudent' })
    await env.sql`UPDATE users SET seen_welcome = true WHERE id = ${s.id}` // past the first-login welcome
    const r = await passwordStep(env, s)
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/')
    expect(cookiesOf(r).has('sessionid')).toBe(true)
  })

  test('a wrong password never reaches the enrolment step', async () => {
    const admin = await makeUser(env.sql, { username: 'mustenrol2', type: 'teacher', groups: ['admin_all'] })
    const r = await env.app.handle(req('/login', { form: { username: admin.username, password: 'definitely wrong' } }))
    expect(r.status).toBe(401)
    expect(r.headers.get('set-cookie')).toBeNull()
  })
})
