import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { createPasswordLink, LINK_TTL_MS } from '../../src/features/auth/password-links.ts'
import { COMMON_PASSWORDS } from '../../src/features/auth/common-passwords.ts'

// Changing one's password, one-time links (admin-made and "forgot password"), and what each does
// to sessions.

const HOUR = 3600_000
const NEW_PW = 'a brand new long phrase'

let env: TestEnv
beforeAll(async () => { env = await testEnv() })
afterAll(async () => { await env.close() })

async function canLogin(u: { username: string }, password: string): Promise<boolean> {
  const r = await env.app.handle(req('/login', { form: { username: u.username, password } }))
  if (r.status === 303) return true
  expect(r.status).toBe(401)
  return false
}

async function alive(cookie: string): Promise<boolean> {
  const r = await env.app.handle(req('/preferences', { cookie }))
  if (r.status === 200) return true
  expect(r.status).toBe(303)
  return false
}

async function hashOf(id: number): Promise<string> {
  const [row] = await env.sql<{ h: string }[]>`SELECT password_hash AS h FROM users WHERE id = ${id}`
  return row!.h
}

describe('change own password (/password)', () => {
  let u: MadeUser
  let here: string
  beforeAll(async () => {
    u = await makeUser(env.sql, { username: 'changer' })
    here = await login(env.app, u)
  })

  const change = (form: Record<string, string>, cookie = here) => env.app.handle(req('/password', { cookie, form }))

  test('the form renders for a signed-in user', async () => {
    const r = await env.app.handle(req('/password', { cookie: here }))
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('name="current_password"')
    expect(html).toContain('name="new_password"')
    expect(html).toContain('name="confirm_password"')
  })

  test('wrong current password → 422, nothing changes', async () => {
    const before = await hashOf(u.id)
    const r = await change({ current_password: 'not my password', new_password: NEW_PW, confirm_password: NEW_PW })
    expect(r.status).toBe(422)
    expect(await r.text()).toContain('That is not your current password.')
    expect(await hashOf(u.id)).toBe(before)
  })

  test('too short → 422', async () => {
    const before = await hashOf(u.id)
    const r = await change({ current_password: u.password, new_password: 'short1', confirm_password: 'short1' })
    expect(r.status).toBe(422)
    expect(await r.text()).toContain('Use at least 8 characters.')
    expect(await hashOf(u.id)).toBe(before)
  })

  test('common → 422 (and one containing the username)', async () => {
    expect(COMMON_PASSWORDS.has('password123')).toBe(true)
    const before = await hashOf(u.id)
    for (const pw of ['password123', 'PASSWORD123', `my-${u.username}-pass`]) {
      const r = await change({ current_password: u.password, new_password: pw, confirm_password: pw })
      expect(r.status).toBe(422)
      expect(await r.text()).toContain('too easy to guess')
    }
    expect(await hashOf(u.id)).toBe(before)
  })

  test('mismatch → 422', async () => {
    const before = await hashOf(u.id)
    const r = await change({ current_password: u.password, new_password: NEW_PW, confirm_password: NEW_PW + '!' })
    expect(r.status).toBe(422)
    expect(await r.text()).toContain('The two passwords are not the same.')
    expect(await hashOf(u.id)).toBe(before)
  })

  test('every problem at once', async () => {
    const r = await change({ current_password: 'nope', new_password: 'short1', confirm_password: 'other' })
    expect(r.status).toBe(422)
    const html = await r.text()
    expect(html).toContain('That is not your current password.')
    expect(html).toContain('Use at least 8 characters.')
  })

  test('success: old password fails, new works; other devices logged out, this one not', async () => {
    const phone = await login(env.app, u)
    const laptop = await login(env.app, u, { remember: true })
    const someoneElse = await login(env.app, await makeUser(env.sql, { username: 'bystander' }))
    const r = await change({ current_password: u.password, new_password: NEW_PW, confirm_password: NEW_PW })
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/password?done')
    expect(r.headers.get('set-cookie')).toBeNull()
    expect(await alive(here)).toBe(true)
    expect(await alive(phone)).toBe(false)
    expect(await alive(laptop)).toBe(false)
    expect(await alive(someoneElse)).toBe(true)
    expect(await canLogin(u, u.password)).toBe(false)
    expect(await canLogin(u, NEW_PW)).toBe(true)
    const done = await env.app.handle(req('/password?done', { cookie: here }))
    expect(await done.text()).toContain('Your password was changed.')
    const [a] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'password.change' AND actor_id = ${u.id}`
    expect(a!.n).toBe(1)
  })

  test('anonymous → login', async () => {
    const r = await env.app.handle(req('/password', { form: { current_password: 'x', new_password: NEW_PW, confirm_password: NEW_PW } }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toStartWith('/login')
  })
})

describe('one-time links', () => {
  let admin: MadeUser
  beforeAll(async () => { admin = await makeUser(env.sql, { username: 'linkadmin', type: 'teacher', groups: ['admin_all'] }) })

  const reset = (token: string, pw = NEW_PW, confirm = pw) =>
    env.app.handle(req(`/password/reset/${token}`, { form: { new_password: pw, confirm_password: confirm } }))

  test('the page works once; the second POST is 410', async () => {
    const u = await makeUser(env.sql, { username: 'linkuser1' })
    const token = await createPasswordLink(env.sql, u.id, admin.id, 'admin', env.clock.now())
    expect(token).toMatch(/^[a-z2-7]{52}$/)
    const page = await env.app.handle(req(`/password/reset/${token}`))
    expect(page.status).toBe(200)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    const html = await page.text()
    expect(html).toContain('For the account linkuser1.')
    expect(html).toContain(`action="/password/reset/${token}"`)

    // A bad new password keeps the link usable.
    const short = await reset(token, 'short1')
    expect(short.status).toBe(422)
    expect((await env.app.handle(req(`/password/reset/${token}`))).status).toBe(200)

    const ok = await reset(token)
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/login?reset=1')
    expect(await canLogin(u, NEW_PW)).toBe(true)
    expect(await canLogin(u, u.password)).toBe(false)

    const again = await reset(token, 'yet another long phrase')
    expect(again.status).toBe(410)
    expect(await again.text()).toContain('This link has expired or was already used.')
    expect((await env.app.handle(req(`/password/reset/${token}`))).status).toBe(410)
    expect(await canLogin(u, NEW_PW)).toBe(true)
  })

  test('expires after 24 hours', async () => {
    const u = await makeUser(env.sql, { username: 'linkuser2' })
    const token = await createPasswordLink(env.sql, u.id, admin.id, 'admin', env.clock.now())
    env.clock.advance(LINK_TTL_MS - 60_000)
    expect(LINK_TTL_MS).toBe(24 * HOUR)
    expect((await env.app.handle(req(`/password/reset/${token}`))).status).toBe(200)
    env.clock.advance(60_000)
    expect((await env.app.handle(req(`/password/reset/${token}`))).status).toBe(410)
    expect((await reset(token)).status).toBe(410)
    expect(await canLogin(u, u.password)).toBe(true)
  })

  test('a newer link kills older ones', async () => {
    const u = await makeUser(env.sql, { username: 'linkuser3' })
    const older = await createPasswordLink(env.sql, u.id, admin.id, 'admin', env.clock.now())
    env.clock.advance(60_000)
    const newer = await createPasswordLink(env.sql, u.id, admin.id, 'admin', env.clock.now())
    expect(newer).not.toBe(older)
    expect((await env.app.handle(req(`/password/reset/${older}`))).status).toBe(410)
    expect((await reset(older)).status).toBe(410)
    expect(await canLogin(u, u.password)).toBe(true)
    expect((await reset(newer)).status).toBe(303)
    expect(await canLogin(u, NEW_PW)).toBe(true)
  })

  test('another user’s newer link does not kill mine', async () => {
    const a = await makeUser(env.sql, { username: 'linkuser4' })
    const b = await makeUser(env.sql, { username: 'linkuser5' })
    const mine = await createPasswordLink(env.sql, a.id, admin.id, 'admin', env.clock.now())
    await createPasswordLink(env.sql, b.id, admin.id, 'admin', env.clock.now())
    expect((await env.app.handle(req(`/password/reset/${mine}`))).status).toBe(200)
  })

  test('made-up and malformed tokens are 410 (a NUL is refused as a whole: 400), never a 500', async () => {
    for (const t of ['a'.repeat(52), 'abc', 'A'.repeat(52), 'x'.repeat(100)]) {
      expect((await env.app.handle(req(`/password/reset/${t}`))).status).toBe(410)
      expect((await reset(t)).status).toBe(410)
    }
    expect((await env.app.handle(req('/password/reset/%00'))).status).toBe(400)
    expect((await reset('%00')).status).toBe(400)
  })

  test('a reset logs out every session of that user', async () => {
    const u = await makeUser(env.sql, { username: 'linkuser6' })
    const c1 = await login(env.app, u)
    const c2 = await login(env.app, u, { remember: true })
    const token = await createPasswordLink(env.sql, u.id, admin.id, 'admin', env.clock.now())
    expect((await reset(token)).status).toBe(303)
    expect(await alive(c1)).toBe(false)
    expect(await alive(c2)).toBe(false)
  })
})

describe('forgot password', () => {
  type OutboxRow = { kind: string; toAddrs: string[]; subject: string; text: string; html: string }
  const outboxFor = (addr: string) => env.sql<OutboxRow[]>`
    SELECT kind, to_addrs, subject, text, html FROM mail_outbox WHERE ${addr} = ANY(to_addrs) ORDER BY id`
  const forgot = (who: string) => env.app.handle(req('/password/forgot', { form: { who }, headers: { 'x-request-id': 'fixed' } }))

  test('the form renders', async () => {
    const r = await env.app.handle(req('/password/forgot'))
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('name="who"')
  })

  test('the same answer for unknown and known users; an outbox row with a working link for the known one', async () => {
    const u = await makeUser(env.sql, { username: 'forgetful', firstName: 'Fay', email: 'fay@example.org' })
    const before = await outboxFor('fay@example.org')
    expect(before.length).toBe(0)

    const unknown = await forgot('no-such-person')
    const known = await forgot('forgetful')
    expect(unknown.status).toBe(200)
    expect(known.status).toBe(200)
    const a = await unknown.text()
    const b = await known.text()
    expect(b).toBe(a)
    expect(a).toContain('If that account exists and has an email address')

    const rows = await outboxFor('fay@example.org')
    expect(rows.length).toBe(1)
    expect(rows[0]!.kind).toBe('account.password_link')
    expect(rows[0]!.toAddrs).toEqual(['fay@example.org'])
    const m = rows[0]!.text.match(/\/password\/reset\/([a-z2-7]{52})/)
    expect(m).not.toBeNull()
    const token = m![1]!
    expect(rows[0]!.html).toContain(`${env.config.baseUrl}/password/reset/${token}`)
    // Only its hash is stored.
    const links = await env.sql<{ h: string }[]>`SELECT token_hash AS h FROM password_links WHERE user_id = ${u.id}`
    expect(links.length).toBe(1)
    expect(links[0]!.h).toMatch(/^[0-9a-f]{64}$/)
    expect(links[0]!.h).not.toContain(token)

    const c1 = await login(env.app, u)
    const c2 = await login(env.app, u, { remember: true })
    expect((await env.app.handle(req(`/password/reset/${token}`))).status).toBe(200)
    const r = await env.app.handle(req(`/password/reset/${token}`, { form: { new_password: NEW_PW, confirm_password: NEW_PW } }))
    expect(r.status).toBe(303)
    expect(await canLogin(u, NEW_PW)).toBe(true)
    expect(await canLogin(u, u.password)).toBe(false)
    expect(await alive(c1)).toBe(false)
    expect(await alive(c2)).toBe(false)
  })

  test('by email address too; a user without an address gets no mail (same answer)', async () => {
    await makeUser(env.sql, { username: 'byemail', email: 'ByEmail@Example.org' })
    const noMail = await makeUser(env.sql, { username: 'nomail' })
    const n0 = (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM mail_outbox`)[0]!.n
    const r1 = await forgot('byemail@example.org')
    expect(r1.status).toBe(200)
    expect((await outboxFor('ByEmail@Example.org')).length).toBe(1)
    const r2 = await forgot(noMail.username)
    expect(r2.status).toBe(200)
    expect(await r2.text()).toBe(await (await forgot('no-such-person-2')).text())
    expect((await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM mail_outbox`)[0]!.n).toBe(n0 + 1)
    const links = await env.sql`SELECT 1 FROM password_links WHERE user_id = ${noMail.id}`
    expect(links.length).toBe(0)
  })

  test('an empty field is 422', async () => {
    const r = await forgot('   ')
    expect(r.status).toBe(422)
  })
})
