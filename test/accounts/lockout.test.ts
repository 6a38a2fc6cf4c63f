import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { makeUser, type MadeUser } from '../helpers/factories.ts'
import { isLockedOut, liftLockout, LOCK_MS } from '../../src/features/auth/limits.ts'

// Failed logins (limits.ts): per (username, IP) a growing delay from the 3rd failure and a
// 15-minute lockout at the 10th; per IP across usernames, except LOGIN_NAT_RANGES. The client IP
// is chosen with X-Forwarded-For (app.handle has no socket: the peer is 127.0.0.1, trusted here).

let env: TestEnv
beforeAll(async () => {
  env = await testEnv({ config: { TRUSTED_PROXIES: '127.0.0.1/32', LOGIN_NAT_RANGES: '10.0.0.0/8' } })
})
afterAll(async () => { await env.close() })

let ipSeq = 0
/** A fresh public client address per test, so per-IP counters don't leak between tests. */
const freshIp = () => `203.0.113.${++ipSeq}`

async function attempt(username: string, password: string, ip: string) {
  const r = await env.app.handle(req('/login', { form: { username, password }, headers: { 'x-forwarded-for': ip } }))
  return { status: r.status, retryAfter: r.headers.get('retry-after'), cookie: r.headers.get('set-cookie'), text: await r.text() }
}

/** One counted failure: waits out (by the clock) any delay first. */
async function fail(username: string, ip: string) {
  for (let i = 0; i < 5; i++) {
    const a = await attempt(username, 'wrong password here', ip)
    if (a.status === 401) return
    expect(a.status).toBe(429)
    env.clock.advance(Number(a.retryAfter) * 1000)
  }
  throw new Error('could not fail')
}

describe('per (username, IP)', () => {
  let u: MadeUser
  beforeAll(async () => { u = await makeUser(env.sql, { username: 'delayme' }) })

  test('no delay for the first 2 failures; from the 3rd a growing delay with Retry-After', async () => {
    const ip = freshIp()
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401)
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401)
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401)
    // 3 failures: wait 1 s — even the right password is refused until then.
    let a = await attempt(u.username, u.password, ip)
    expect(a.status).toBe(429)
    expect(a.retryAfter).toBe('1')
    expect(a.cookie).toBeNull()
    expect(a.text).toContain('Too many failed attempts. Wait 1 seconds and try again.')
    env.clock.advance(999)
    expect((await attempt(u.username, u.password, ip)).status).toBe(429)
    env.clock.advance(1)
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401) // 4th failure
    a = await attempt(u.username, 'nope nope', ip)
    expect(a.status).toBe(429)
    expect(a.retryAfter).toBe('2')
    env.clock.advance(2000)
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401) // 5th failure
    a = await attempt(u.username, 'nope nope', ip)
    expect(a.retryAfter).toBe('4')
    env.clock.advance(4000)
    // After the wait, the right password works and clears the counter.
    const ok = await attempt(u.username, u.password, ip)
    expect(ok.status).toBe(303)
    expect(ok.cookie).toStartWith('sessionid=')
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401)
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401) // back to no delay
  })

  test('the username is case-insensitive for counting', async () => {
    const ip = freshIp()
    await fail('DelayMe', ip)
    await fail('delayme', ip)
    await fail('DELAYME', ip)
    expect((await attempt('delayMe', u.password, ip)).status).toBe(429)
  })

  test('another IP is not delayed by this one’s failures', async () => {
    const ip = freshIp()
    for (let i = 0; i < 5; i++) await fail(u.username, ip)
    expect((await attempt(u.username, u.password, ip)).status).toBe(429)
    expect((await attempt(u.username, u.password, freshIp())).status).toBe(303)
  })
})

describe('15-minute lockout after 10 failures', () => {
  test('locked even with the right password; lifted by an admin', async () => {
    const u = await makeUser(env.sql, { username: 'lockme1' })
    const ip = freshIp()
    for (let i = 0; i < 10; i++) await fail(u.username, ip)
    env.clock.advance(5 * 60_000) // well past any delay: this is the lockout
    const a = await attempt(u.username, u.password, ip)
    expect(a.status).toBe(429)
    expect(Number(a.retryAfter)).toBe(600) // 15 min after the last failure
    expect(a.text).toContain('locked on this device for 15 minutes')
    expect(a.cookie).toBeNull()
    expect(await isLockedOut(env.redis, u.username, env.clock.now().getTime())).toBe(true)

    expect(await liftLockout(env.redis, 'LockMe1')).toBe(1)
    expect(await isLockedOut(env.redis, u.username, env.clock.now().getTime())).toBe(false)
    const ok = await attempt(u.username, u.password, ip)
    expect(ok.status).toBe(303)
  })

  test('expires by itself 15 minutes after the last failure', async () => {
    const u = await makeUser(env.sql, { username: 'lockme2' })
    const ip = freshIp()
    for (let i = 0; i < 10; i++) await fail(u.username, ip)
    let a = await attempt(u.username, u.password, ip)
    expect(a.status).toBe(429)
    expect(a.retryAfter).toBe(String(LOCK_MS / 1000))
    env.clock.advance(LOCK_MS - 1000)
    a = await attempt(u.username, u.password, ip)
    expect(a.status).toBe(429)
    expect(a.retryAfter).toBe('1')
    env.clock.advance(1000)
    expect((await attempt(u.username, u.password, ip)).status).toBe(303)
    expect(await isLockedOut(env.redis, u.username, env.clock.now().getTime())).toBe(false)
  })

  test('the lockout is per device (IP): the user can still log in from elsewhere', async () => {
    const u = await makeUser(env.sql, { username: 'lockme3' })
    const ip = freshIp()
    for (let i = 0; i < 10; i++) await fail(u.username, ip)
    expect((await attempt(u.username, u.password, ip)).status).toBe(429)
    expect((await attempt(u.username, u.password, freshIp())).status).toBe(303)
  })

  test('liftLockout lifts every device’s lock', async () => {
    const u = await makeUser(env.sql, { username: 'lockme4' })
    const ips = [freshIp(), freshIp()]
    for (const ip of ips) for (let i = 0; i < 10; i++) await fail(u.username, ip)
    for (const ip of ips) expect((await attempt(u.username, u.password, ip)).status).toBe(429)
    expect(await liftLockout(env.redis, u.username)).toBe(2)
    for (const ip of ips) expect((await attempt(u.username, u.password, ip)).status).toBe(303)
  })
})

describe('successful logins', () => {
  test('are not counted: many in a row never limit', async () => {
    const u = await makeUser(env.sql, { username: 'happy' })
    const ip = freshIp()
    for (let i = 0; i < 15; i++) expect((await attempt(u.username, u.password, ip)).status).toBe(303)
    const raw = await env.redis.get(`rl:login:happy:${ip}`)
    expect(raw).toBeNull()
  })

  test('two failures, a success, two failures: still no delay (the success reset the count)', async () => {
    const u = await makeUser(env.sql, { username: 'happy2' })
    const ip = freshIp()
    await fail(u.username, ip)
    await fail(u.username, ip)
    expect((await attempt(u.username, u.password, ip)).status).toBe(303)
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401)
    expect((await attempt(u.username, 'nope nope', ip)).status).toBe(401)
    expect((await attempt(u.username, u.password, ip)).status).toBe(303)
  })
})

describe('per IP across usernames', () => {
  test('an IP that fails 50 times over many usernames gets 429, even for a good login', async () => {
    const u = await makeUser(env.sql, { username: 'victim' })
    const ip = freshIp()
    for (let i = 0; i < 50; i++) expect((await attempt(`spray${i}`, 'Password1', ip)).status).toBe(401)
    const a = await attempt(u.username, u.password, ip)
    expect(a.status).toBe(429)
    expect(a.text).toContain('Too many failed attempts from this network')
    expect(Number(a.retryAfter)).toBeGreaterThan(0)
    // Other addresses are fine.
    expect((await attempt(u.username, u.password, freshIp())).status).toBe(303)
    // The window passes.
    env.clock.advance(LOCK_MS)
    expect((await attempt(u.username, u.password, ip)).status).toBe(303)
  }, 30_000)

  test('an address in LOGIN_NAT_RANGES is not limited per IP', async () => {
    const u = await makeUser(env.sql, { username: 'natuser' })
    const ip = '10.20.30.40'
    for (let i = 0; i < 60; i++) expect((await attempt(`natspray${i}`, 'Password1', ip)).status).toBe(401)
    expect((await attempt(u.username, u.password, ip)).status).toBe(303)
    expect(await env.redis.get(`rl:loginip:${ip}`)).toBeNull()
    // …but the per-(username, IP) delay still applies there.
    for (let i = 0; i < 3; i++) await fail(u.username, ip)
    expect((await attempt(u.username, u.password, ip)).status).toBe(429)
  }, 30_000)

  test('X-Forwarded-For is ignored when the peer is not a trusted proxy', async () => {
    const plain = await testEnv()
    try {
      const u = await makeUser(plain.sql, { username: 'spoofer' })
      // Three failures "from" different forged addresses all count against the real peer.
      for (let i = 0; i < 3; i++) {
        const r = await plain.app.handle(req('/login', { form: { username: u.username, password: 'nope nope' }, headers: { 'x-forwarded-for': `198.51.100.${i}` } }))
        expect(r.status).toBe(401)
      }
      const r = await plain.app.handle(req('/login', { form: { username: u.username, password: u.password }, headers: { 'x-forwarded-for': '198.51.100.99' } }))
      expect(r.status).toBe(429)
    } finally {
      await plain.close()
    }
  })
})
