import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { decodeBase32IgnorePadding } from '@oslojs/encoding'
import { generateHOTP, generateTOTP } from '@oslojs/otp'
import { setTotp } from '../../src/features/users/users.sql.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { makeUser, type MadeUser } from '../helpers/factories.ts'

// The first-login welcome (ion-apps.md §17) after a two-step login: /login/totp and the forced
// enrolment at /login/totp/enroll send a student who has not seen the welcome to /welcome, as the
// password-only login does (welcomeTarget); a `next` other than '/' and staff go where they asked.
// verifyTotp uses the real time, so codes come from the real clock (as in test/accounts/totp.test.ts):
// the current step, and the next one (accepted by the grace period) for a second fresh code.

setDefaultTimeout(60_000)

const codeAt = (key: Uint8Array, offset: 0 | 1) =>
  offset === 0 ? generateTOTP(key, 30, 6) : generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + 1), 6)

const pairOf = (setCookie: string) => setCookie.split(';')[0]!
const cookieNamed = (r: Response, name: string) => r.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))

/** The password step: it must ask for the code (or the enrolment) and hand out the pending-login cookie. */
async function passwordStep(env: TestEnv, u: MadeUser, expected: string, next?: string): Promise<string> {
  const form: Record<string, string> = { username: u.username, password: u.password }
  if (next) form.next = next
  const r = await env.app.handle(req('/login', { form }))
  expect([r.status, r.headers.get('location')]).toEqual([303, expected])
  return pairOf(cookieNamed(r, 'ion_login')!)
}

async function codeStep(env: TestEnv, pending: string, code: string): Promise<{ location: string | null; session: string }> {
  const r = await env.app.handle(req('/login/totp', { cookie: pending, form: { code } }))
  expect(r.status).toBe(303)
  return { location: r.headers.get('location'), session: pairOf(cookieNamed(r, 'sessionid')!) }
}

const seen = async (env: TestEnv, id: number) => (await env.sql<{ seen: boolean }[]>`SELECT seen_welcome AS seen FROM users WHERE id = ${id}`)[0]!.seen

/** An account with two-step login already on, with a key we know. */
async function withTotp(env: TestEnv, o: Parameters<typeof makeUser>[1]): Promise<{ u: MadeUser; key: Uint8Array }> {
  const u = await makeUser(env.sql, o)
  const key = crypto.getRandomValues(new Uint8Array(20))
  await setTotp(env.sql, u.id, key, true, env.clock.now())
  return { u, key }
}

describe('after /login/totp', () => {
  let env: TestEnv
  beforeAll(async () => { env = await testEnv() })
  afterAll(async () => { await env.close() })

  test('a student who has not seen the welcome goes to /welcome; once done, to /', async () => {
    const { u, key } = await withTotp(env, { firstName: 'Tia', groups: ['admin_announcements'] })
    const first = await codeStep(env, await passwordStep(env, u, '/login/totp'), codeAt(key, 0))
    expect(first.location).toBe('/welcome')
    expect((await env.app.handle(req('/welcome', { cookie: first.session }))).headers.get('location')).toBe('/welcome/student')
    const done = await env.app.handle(req('/welcome/done', { method: 'POST', cookie: first.session }))
    expect(done.status).toBe(303)
    expect(await seen(env, u.id)).toBe(true)
    const again = await codeStep(env, await passwordStep(env, u, '/login/totp'), codeAt(key, 1))
    expect(again.location).toBe('/')
  })

  test('a student logging in to go somewhere keeps going there (and still has the welcome ahead)', async () => {
    const { u, key } = await withTotp(env, { groups: ['admin_events'] })
    const r = await codeStep(env, await passwordStep(env, u, '/login/totp', '/events'), codeAt(key, 0))
    expect(r.location).toBe('/events')
    expect(await seen(env, u.id)).toBe(false)
  })

  test('a teacher is not sent to the welcome', async () => {
    const { u, key } = await withTotp(env, { type: 'teacher', groups: ['admin_all'] })
    expect((await codeStep(env, await passwordStep(env, u, '/login/totp'), codeAt(key, 0))).location).toBe('/')
  })
})

describe('after the forced enrolment (/login/totp/enroll)', () => {
  let env: TestEnv
  beforeAll(async () => { env = await testEnv({ config: { ION_REQUIRE_ADMIN_TOTP: 'on' } }) })
  afterAll(async () => { await env.close() })

  async function enrol(u: MadeUser, next?: string): Promise<string | null> {
    const pending = await passwordStep(env, u, '/login/totp/enroll', next)
    const html = await (await env.app.handle(req('/login/totp/enroll', { cookie: pending }))).text()
    const key = decodeBase32IgnorePadding(html.match(/<code id="totp-key"[^>]*>([A-Z2-7 ]+)<\/code>/)![1]!.replace(/\s+/g, ''))
    const r = await env.app.handle(req('/login/totp/enroll', { cookie: pending, form: { code: codeAt(key, 0) } }))
    expect(r.status).toBe(303)
    expect(cookieNamed(r, 'sessionid')).toBeDefined()
    return r.headers.get('location')
  }

  test('a student admin who has not seen the welcome goes to /welcome', async () => {
    const u = await makeUser(env.sql, { groups: ['admin_polls'] })
    expect(await enrol(u)).toBe('/welcome')
  })

  test('with a next other than /, or as a teacher, no welcome', async () => {
    expect(await enrol(await makeUser(env.sql, { groups: ['admin_polls'] }), '/polls')).toBe('/polls')
    expect(await enrol(await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] }))).toBe('/')
  })
})
