import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

let env: TestEnv
let student: MadeUser
beforeAll(async () => {
  env = await testEnv()
  student = await makeUser(env.sql, { type: 'student', username: 'astudent' })
  // Past the first-login welcome (test/news/welcome.test.ts covers that redirect).
  await env.sql`UPDATE users SET seen_welcome = true WHERE id = ${student.id}`
})
afterAll(async () => { await env.close() })

describe('login', () => {
  test('the login page renders for anonymous visitors', async () => {
    const r = await env.app.handle(req('/login'))
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('name="username"')
    expect(html).toContain('Test High School')
  })

  test('success sets a session cookie and redirects to next', async () => {
    const r = await env.app.handle(req('/login', { form: { username: 'AStudent', password: student.password, next: '/preferences' } }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/preferences')
    const cookie = r.headers.get('set-cookie')!
    expect(cookie).toMatch(/^sessionid=[a-z2-7]{32}; Path=\/; HttpOnly; SameSite=Lax$/)
    const dash = await env.app.handle(req('/', { cookie: cookie.split(';')[0] }))
    expect(dash.status).toBe(200)
    expect(await dash.text()).toContain('Hello, Test')
  })

  test('a foreign next is ignored', async () => {
    const r = await env.app.handle(req('/login', { form: { username: student.username, password: student.password, next: '//evil.example/x' } }))
    expect(r.headers.get('location')).toBe('/')
  })

  test('wrong password and unknown user get the same message', async () => {
    const a = await env.app.handle(req('/login', { form: { username: student.username, password: 'nope nope nope' } }))
    const b = await env.app.handle(req('/login', { form: { username: 'nobodyhere', password: 'nope nope nope' } }))
    expect(a.status).toBe(401)
    expect(b.status).toBe(401)
    const ta = await a.text(), tb = await b.text()
    expect(ta).toContain('That username and password do not match an account.')
    expect(tb).toContain('That username and password do not match an account.')
    expect(a.headers.get('set-cookie')).toBeNull()
  })

  test('remember me sets Max-Age', async () => {
    const r = await env.app.handle(req('/login', { form: { username: student.username, password: student.password, remember: 'on' } }))
    expect(r.headers.get('set-cookie')).toContain('Max-Age=')
  })

  test('logout kills the session', async () => {
    const cookie = await login(env.app, student)
    const out = await env.app.handle(req('/logout', { method: 'POST', cookie }))
    expect(out.status).toBe(303)
    const r = await env.app.handle(req('/preferences', { cookie }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/login?next=%2Fpreferences')
  })
})
