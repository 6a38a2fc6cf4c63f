import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { generateTOTP } from '@oslojs/otp'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { LOCK_MS } from '../../src/features/auth/limits.ts'

// Issue 11 §5, rate limits: only what other files leave open. Already proven:
//   login per (username, IP) delay and 15-minute lockout, per IP across usernames, NAT ranges,
//   X-Forwarded-For only from trusted proxies — test/accounts/lockout.test.ts;
//   5 wrong TOTP codes end a pending login — test/accounts/totp.test.ts;
//   HTTP Basic limited like login — test/accounts/api-auth.test.ts.
// Here: wrong TOTP codes counted per account across logins; guessing the current password on
// /password and /reauthenticate with a stolen session; "forgot password" per account and per IP.

let env: TestEnv
let ipSeq = 0
const freshIp = () => `198.51.100.${++ipSeq}`
setDefaultTimeout(60_000)

beforeAll(async () => {
  env = await testEnv({ config: { TRUSTED_PROXIES: '127.0.0.1/32' } })
})
afterAll(async () => { await env.close() })

const from = (ip: string) => ({ 'x-forwarded-for': ip })

describe('TOTP: wrong codes are counted per account, across logins', () => {
  let u: MadeUser
  const key = new Uint8Array(20).fill(7)
  const code = () => generateTOTP(key, 30, 6)
  const wrong = () => String((Number(code()) + 500_000) % 1_000_000).padStart(6, '0')

  beforeAll(async () => {
    u = await makeUser(env.sql, { username: 'totplimit' })
    await env.sql`UPDATE users SET totp_key = ${key}, totp_enabled = true WHERE id = ${u.id}`
  })

  /** The password step: the pending-login cookie. */
  async function pending(ip: string): Promise<string> {
    const r = await env.app.handle(req('/login', { form: { username: u.username, password: u.password }, headers: from(ip) }))
    expect(r.headers.get('location')).toBe('/login/totp')
    return r.headers.getSetCookie().find((c) => c.startsWith('ion_login='))!.split(';')[0]!
  }
  const submit = (cookie: string, c: string, ip: string) => env.app.handle(req('/login/totp', { cookie, form: { code: c }, headers: from(ip) }))

  test('10 wrong codes over three logins and three addresses: 429 even with the right code, for 15 minutes', async () => {
    let wrongs = 0
    for (const n of [4, 4, 2]) {
      const ip = freshIp()
      const cookie = await pending(ip) // a new login, so the per-login count of 5 never triggers
      for (let i = 0; i < n; i++) {
        expect((await submit(cookie, wrong(), ip)).status).toBe(422)
        wrongs++
      }
    }
    expect(wrongs).toBe(10)
    const ip = freshIp()
    const r = await submit(await pending(ip), code(), ip)
    expect(r.status).toBe(429)
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(800)
    expect(r.headers.get('set-cookie') ?? '').not.toContain('sessionid=')
    expect(await r.text()).toContain('Too many wrong codes. Try again in 15 minutes.')

    env.clock.advance(LOCK_MS)
    const later = await submit(await pending(ip), code(), ip)
    expect(later.status).toBe(303)
    expect(later.headers.getSetCookie().some((c) => c.startsWith('sessionid='))).toBe(true)
  })
})

describe('a stolen session cannot guess the password', () => {
  /** Wrong guesses until refused; the number of guesses that were really checked. */
  async function guessUntilRefused(post: (pw: string) => Promise<Response>, wrongStatus: number): Promise<{ checked: number; refused: Response }> {
    for (let checked = 0; checked < 40; checked++) {
      const r = await post(`wrong guess ${checked}`)
      if (r.status === 429) return { checked, refused: r }
      expect(r.status).toBe(wrongStatus)
      env.clock.advance(60_000) // wait out the growing delay: only the lockout should stop us
    }
    throw new Error('never limited')
  }

  test('/password: the current-password check is limited like login (lockout after 10)', async () => {
    const u = await makeUser(env.sql, { username: 'pwguess' })
    const cookie = await login(env.app, u)
    const ip = freshIp()
    const NEW = 'a brand new passphrase 99'
    const post = (current: string) => env.app.handle(req('/password', { cookie, headers: from(ip), form: { current_password: current, new_password: NEW, confirm_password: NEW } }))
    const { checked, refused } = await guessUntilRefused(post, 422)
    expect(checked).toBe(10)
    expect(refused.headers.get('retry-after')).toBeTruthy()
    // Even the right password is refused now, and nothing changed.
    expect((await post(u.password)).status).toBe(429)
    const [row] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'password.change' AND actor_id = ${u.id}`
    expect(row!.n).toBe(0)
    env.clock.advance(LOCK_MS)
    expect((await post(u.password)).status).toBe(303)
  })

  test('/reauthenticate: limited the same way', async () => {
    const u = await makeUser(env.sql, { username: 'reauthguess' })
    const cookie = await login(env.app, u)
    const ip = freshIp()
    const post = (password: string) => env.app.handle(req('/reauthenticate', { cookie, headers: from(ip), form: { password, next: '/' } }))
    const { checked } = await guessUntilRefused(post, 401)
    expect(checked).toBe(10)
    expect((await post(u.password)).status).toBe(429)
  })
})

describe('forgot password', () => {
  const ask = (who: string, ip: string) => env.app.handle(req('/password/forgot', { form: { who }, headers: from(ip) }))
  const mails = async (to: string) => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM mail_outbox WHERE ${to} = ANY(to_addrs)`)[0]!.n

  test('at most 3 mails per account per 15 minutes, with the same answer after', async () => {
    const u = await makeUser(env.sql, { username: 'forgotlimit', email: 'forgotlimit@school.example' })
    const answers: number[] = []
    for (let i = 0; i < 6; i++) answers.push((await ask(u.username, freshIp())).status)
    expect(new Set(answers).size).toBe(1) // nothing tells the asker they were limited
    expect(await mails('forgotlimit@school.example')).toBe(3)
    env.clock.advance(15 * 60_000)
    await ask(u.username, freshIp())
    expect(await mails('forgotlimit@school.example')).toBe(4)
  })

  test('one address asking for many accounts: 429 after 20 in 15 minutes', async () => {
    const ip = freshIp()
    for (let i = 0; i < 20; i++) expect((await ask(`nobody${i}`, ip)).status).not.toBe(429)
    const r = await ask('nobody-else', ip)
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('900')
    expect((await ask('nobody-else', freshIp())).status).not.toBe(429)
  })
})
