import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { makeUser, type MadeUser } from '../helpers/factories.ts'

// Welcome (issue 8, item 7; ion-apps.md §17): a student's first login goes to /welcome (once:
// /welcome/done records seen_welcome); teachers get their own page but no redirect; a login with
// a `next` other than '/' keeps it.

setDefaultTimeout(60_000)
let env: TestEnv

beforeAll(async () => { env = await testEnv() })
afterAll(async () => { await env.close() })

async function logIn(u: MadeUser, next?: string): Promise<{ location: string; cookie: string }> {
  const form: Record<string, string> = { username: u.username, password: u.password }
  if (next) form.next = next
  const r = await env.app.handle(req('/login', { form }))
  expect(r.status).toBe(303)
  return { location: r.headers.get('location')!, cookie: r.headers.get('set-cookie')!.split(';')[0]! }
}

const seen = async (id: number) => (await env.sql<{ seen: boolean }[]>`SELECT seen_welcome AS seen FROM users WHERE id = ${id}`)[0]!.seen

describe('the welcome redirect', () => {
  test('a new student goes to /welcome, then the student page; after "done", logins go to /', async () => {
    const s = await makeUser(env.sql, { firstName: 'Wendy' })
    const first = await logIn(s)
    expect(first.location).toBe('/welcome')
    const w = await env.app.handle(req('/welcome', { cookie: first.cookie }))
    expect([w.status, w.headers.get('location')]).toEqual([303, '/welcome/student'])
    const pageHtml = await (await env.app.handle(req('/welcome/student', { cookie: first.cookie }))).text()
    expect(pageHtml).toContain('Welcome to the Test High School intranet, Wendy!')
    expect(pageHtml).toContain('action="/welcome/done"')
    // GET /welcome/done changes nothing
    expect((await env.app.handle(req('/welcome/done', { cookie: first.cookie }))).headers.get('location')).toBe('/welcome')
    expect(await seen(s.id)).toBe(false)
    const done = await env.app.handle(req('/welcome/done', { method: 'POST', cookie: first.cookie }))
    expect([done.status, done.headers.get('location')]).toEqual([303, '/'])
    expect(await seen(s.id)).toBe(true)
    expect((await logIn(s)).location).toBe('/')
  })

  test('a student logging in to go somewhere keeps going there', async () => {
    const s = await makeUser(env.sql)
    expect((await logIn(s, '/events')).location).toBe('/events')
    expect(await seen(s.id)).toBe(false)
  })

  test('teachers are not redirected; /welcome shows them the teacher page; others go to the dashboard', async () => {
    const t = await makeUser(env.sql, { type: 'teacher', firstName: 'Tess' })
    const login = await logIn(t)
    expect(login.location).toBe('/')
    const w = await env.app.handle(req('/welcome', { cookie: login.cookie }))
    expect(w.headers.get('location')).toBe('/welcome/teacher')
    expect(await (await env.app.handle(req('/welcome/teacher', { cookie: login.cookie }))).text()).toContain('Take eighth-period attendance')
    const other = await makeUser(env.sql, { type: 'simple_user' })
    const o = await logIn(other)
    expect(o.location).toBe('/')
    expect((await env.app.handle(req('/welcome', { cookie: o.cookie }))).headers.get('location')).toBe('/')
  })

  test('anonymous visitors are sent to log in; the done form needs a same-site POST', async () => {
    expect((await env.app.handle(req('/welcome/student'))).status).toBe(303)
    const s = await makeUser(env.sql)
    const { cookie } = await logIn(s)
    const foreign = await env.app.handle(req('/welcome/done', { method: 'POST', cookie, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } }))
    expect(foreign.status).toBe(403)
    expect(await seen(s.id)).toBe(false)
  })
})
