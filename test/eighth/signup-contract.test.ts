import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, membersOf, schedule } from '../helpers/eighth.ts'

// Ion's HTML signup contract (POST /eighth/signup[/<block>]) for its three kinds of caller, and
// POST /eighth/toggle_favorite.
setDefaultTimeout(30_000)

let env: TestEnv
let stu: MadeUser, other: MadeUser, admin: MadeUser
let cStu: string, cAdmin: string
let day = 0
/** A fresh block (its own date) for each test, so tests do not see each other's signups. */
const freshBlock = () => addBlock(env.sql, `2026-12-${String(++day + 1).padStart(2, '0')}`, 'A')

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z' })
  stu = await makeUser(env.sql, { type: 'student', firstName: 'Ada', lastName: 'Lovelace' })
  other = await makeUser(env.sql, { type: 'student' })
  admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] })
  ;[cStu, cAdmin] = await Promise.all([login(env.app, stu), login(env.app, admin)])
})
afterAll(async () => { await env.close() })

type Caller = 'other' | 'htmx' | 'browser'
function post(cookie: string, form: Record<string, string>, caller: Caller = 'other', path = '/eighth/signup') {
  const headers: Record<string, string> = caller === 'browser' ? { 'sec-fetch-mode': 'navigate', accept: 'text/html,application/xhtml+xml' } : {}
  return env.app.handle(req(path, { cookie, form, htmx: caller === 'htmx', headers }))
}
const form = (uid: number, bid: number, aid?: number, extra: Record<string, string> = {}) =>
  ({ uid: String(uid), bid: String(bid), ...(aid === undefined ? {} : { aid: String(aid) }), ...extra })

describe('any other caller: Ion\'s answers', () => {
  test('200 with the success text; the student is a member', async () => {
    const b = await freshBlock()
    const a = await addActivity(env.sql, 'Meme Club', { defaultCapacity: 1 })
    const sa = await schedule(env.sql, b, a)
    const r = await post(cStu, form(stu.id, b, a), 'other', `/eighth/signup/${b}`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toStartWith('text/plain')
    expect(await r.text()).toBe('Successfully signed up for activity.')
    expect(await membersOf(env.sql, sa)).toEqual([stu.id])
  })

  test('400 "<field> must be an integer"; 404 for an unknown user or an activity not scheduled (or cancelled)', async () => {
    const b = await freshBlock()
    const a = await addActivity(env.sql, 'Cancelled One', { defaultCapacity: 5 })
    await schedule(env.sql, b, a, { cancelled: true })
    for (const [f, name] of [[{ uid: 'x', bid: String(b), aid: String(a) }, 'uid'], [{ uid: String(stu.id), bid: '1.5', aid: String(a) }, 'bid'], [{ uid: String(stu.id), bid: String(b) }, 'aid'], [{ uid: String(stu.id), bid: String(b), aid: '-3' }, 'aid']] as const) {
      const r = await post(cStu, f)
      expect(r.status).toBe(400)
      expect(await r.text()).toBe(`${name} must be an integer`)
    }
    const unknown = await post(cStu, form(999999, b, a))
    expect(unknown.status).toBe(404)
    for (const aid of [a, 999999]) {
      const r = await post(cStu, form(stu.id, b, aid))
      expect(r.status).toBe(404)
      expect(await r.text()).toBe('Given activity not scheduled for given block.')
    }
  })

  test('403: one reason as text/plain, several as a text/html <ul>; a student may not act for someone else', async () => {
    const b = await freshBlock()
    const full = await addActivity(env.sql, 'Full', { defaultCapacity: 0 })
    const both = await addActivity(env.sql, 'Full & Restricted', { defaultCapacity: 0, restricted: true })
    await schedule(env.sql, b, full)
    await schedule(env.sql, b, both)
    let r = await post(cStu, form(stu.id, b, full))
    expect(r.status).toBe(403)
    expect(r.headers.get('content-type')).toStartWith('text/plain')
    expect(await r.text()).toBe('This activity is full. You may not sign up for it at this time.')
    r = await post(cStu, form(stu.id, b, both))
    expect(r.status).toBe(403)
    expect(r.headers.get('content-type')).toStartWith('text/html')
    expect(await r.text()).toBe('<ul><li>This activity is full. You may not sign up for it at this time.</li><li>This activity is restricted. You are not on the list of students allowed to sign up.</li></ul>')
    const open = await addActivity(env.sql, 'Open', { defaultCapacity: 5 })
    await schedule(env.sql, b, open)
    r = await post(cStu, form(other.id, b, open))
    expect(r.status).toBe(403)
    expect(await r.text()).toBe('You may not sign this student up for activities.')
  })

  test('unsignup: the removal text, then "The signup did not exist."', async () => {
    const b = await freshBlock()
    const a = await addActivity(env.sql, 'Leavable', { defaultCapacity: 5 })
    const sa = await schedule(env.sql, b, a)
    expect((await post(cStu, form(stu.id, b, a))).status).toBe(200)
    let r = await post(cStu, form(stu.id, b, undefined, { unsignup: '1' }))
    expect(r.status).toBe(200)
    expect(await r.text()).toMatch(/^Successfully removed signup for \w{3}, December \d+, 2026 \(A\)\.$/)
    expect(await membersOf(env.sql, sa)).toEqual([])
    r = await post(cStu, form(stu.id, b, undefined, { unsignup: '1' }))
    expect(await r.text()).toBe('The signup did not exist.')
  })

  test('?force works for eighth admins only', async () => {
    const b = await freshBlock()
    const a = await addActivity(env.sql, 'Tiny', { defaultCapacity: 0 })
    const sa = await schedule(env.sql, b, a)
    let r = await post(cStu, form(stu.id, b, a), 'other', '/eighth/signup?force=1')
    expect(r.status).toBe(403)
    r = await post(cAdmin, form(stu.id, b, a))
    expect(r.status).toBe(403)
    expect(await r.text()).toBe('This activity is full.') // the office's wording
    r = await post(cAdmin, form(stu.id, b, a), 'other', `/eighth/signup/${b}?force`)
    expect(r.status).toBe(200)
    expect(await membersOf(env.sql, sa)).toEqual([stu.id])
  })
})

describe('htmx: fragments', () => {
  test('a switch answers the new row, and out of band the old row, the summary, the picker entry and the message', async () => {
    const b = await freshBlock()
    const x = await addActivity(env.sql, 'First Choice', { defaultCapacity: 5 })
    const y = await addActivity(env.sql, 'Second Choice', { defaultCapacity: 5 })
    const sx = await schedule(env.sql, b, x)
    const sy = await schedule(env.sql, b, y)
    expect((await post(cStu, form(stu.id, b, x), 'htmx')).status).toBe(200)
    const r = await post(cStu, form(stu.id, b, y), 'htmx', `/eighth/signup/${b}`)
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toStartWith('text/html')
    const html = await r.text()
    expect(html).toStartWith(`<li id="sa-${sy}" class="selected">`)
    expect(html).toContain(`<li id="sa-${sx}" hx-swap-oob="true">`)
    expect(html).toContain(`<span id="seats-${sy}"><i class="w20"></i>1 / 5 · 4 seats left</span>`)
    // The list's one form has no target: the answer names the row.
    expect(r.headers.get('hx-retarget')).toBe(`#sa-${sy}`)
    expect(r.headers.get('hx-reswap')).toBe('outerHTML')
    expect(html).toMatch(/<section id="eighth-summary"[^>]*hx-swap-oob="true">[^]*Second Choice/)
    expect(html).toMatch(new RegExp(`<li id="pick-${b}" class="pick current" hx-swap-oob="true">[^]*Second Choice`))
    expect(html).toContain('<div id="messages" hx-swap-oob="innerHTML"><p class="alert ok" role="status">Successfully signed up for activity.</p></div>')
    expect(html).toContain('aria-label="Leave Second Choice"')
    const left = await (await post(cStu, form(stu.id, b, undefined, { unsignup: '1' }), 'htmx')).text()
    expect(left).toStartWith(`<li id="sa-${sy}">`)
    expect(left).toContain('aria-label="Sign up for Second Choice"')
  })

  test('a refusal keeps Ion\'s 403 and shows every reason inline in the row; admins get a force button', async () => {
    const b = await freshBlock()
    const a = await addActivity(env.sql, 'Closed Club', { defaultCapacity: 0, restricted: true })
    const sa = await schedule(env.sql, b, a)
    const r = await post(cStu, form(stu.id, b, a), 'htmx')
    expect(r.status).toBe(403)
    const html = await r.text()
    expect(html).toStartWith(`<li id="sa-${sa}"`)
    expect(html).toContain('<div class="alert error act-errors" role="alert"><ul><li>This activity is full.')
    expect(html).toContain('restricted')
    expect(html).not.toContain('Force sign up')
    const asAdmin = await (await post(cAdmin, form(stu.id, b, a), 'htmx')).text()
    expect(asAdmin).toContain(`<button name="aid" value="${a}" form="force" class="danger" aria-label="Force sign up for Closed Club">`)
    // The button submits the office's force form, which the page carries once.
    const adminPage = await (await env.app.handle(req(`/eighth/signup/${b}?user=${stu.id}`, { cookie: cAdmin }))).text()
    expect(adminPage).toContain(`<form id="force" method="post" action="/eighth/signup/${b}?force=1"`)
    expect(adminPage).toContain(`<input type="hidden" name="uid" value="${stu.id}"/><input type="hidden" name="bid" value="${b}"/></form>`)
  })

  test('a bad field or unknown activity goes to the message area', async () => {
    const r = await post(cStu, { uid: 'nope', bid: '1', aid: '1' }, 'htmx')
    expect(r.status).toBe(400)
    expect(r.headers.get('hx-retarget')).toBe('#messages')
    expect(await r.text()).toContain('uid must be an integer')
  })
})

describe('a browser without JavaScript: 303 back with a message', () => {
  test('the message is shown (escaped) on the page it returns to, and only to its owner', async () => {
    const b = await freshBlock()
    const a = await addActivity(env.sql, 'No-JS Club', { defaultCapacity: 0 })
    await schedule(env.sql, b, a)
    const r = await post(cStu, form(stu.id, b, a), 'browser')
    expect(r.status).toBe(303)
    const loc = r.headers.get('location')!
    expect(loc).toMatch(new RegExp(`^/eighth/signup/${b}\\?flash=[0-9a-f]{24}$`))
    const page = await (await env.app.handle(req(loc, { cookie: cStu }))).text()
    expect(page).toContain('<div class="alert error" role="alert"><p>This activity is full. You may not sign up for it at this time.</p></div>')
    const stranger = await login(env.app, other)
    expect(await (await env.app.handle(req(loc, { cookie: stranger }))).text()).not.toContain('This activity is full. You may not')
    const forStudent = await post(cAdmin, form(stu.id, b, a), 'browser')
    expect(forStudent.headers.get('location')).toMatch(new RegExp(`^/eighth/signup/${b}\\?user=${stu.id}&flash=`))
  })
})

describe('POST /eighth/toggle_favorite', () => {
  test('Ion\'s texts, 400 for a non-integer, 405 for GET, 404 for no such activity', async () => {
    const a = await addActivity(env.sql, 'Star Me')
    const fav = (f: Record<string, string>, caller: Caller = 'other') => post(cStu, f, caller, '/eighth/toggle_favorite')
    let r = await fav({ aid: String(a) })
    expect([r.status, await r.text()]).toEqual([200, 'Favorited activity.'])
    r = await fav({ aid: String(a) })
    expect([r.status, await r.text()]).toEqual([200, 'Unfavorited activity.'])
    expect((await fav({ aid: 'abc' })).status).toBe(400)
    expect((await fav({})).status).toBe(400)
    expect((await fav({ aid: '999999' })).status).toBe(404)
    expect((await env.app.handle(req('/eighth/toggle_favorite', { cookie: cStu }))).status).toBe(405)
  })

  test('htmx gets the new star button; a browser goes back to the page', async () => {
    const a = await addActivity(env.sql, 'Star Me Too')
    const r = await post(cStu, { aid: String(a), next: '/eighth/signup/5' }, 'htmx', '/eighth/toggle_favorite')
    const html = await r.text()
    expect(html).toStartWith(`<button name="aid" value="${a}" form="fav" aria-pressed="true" aria-label="Favorite Star Me Too"`)
    // The list's one favourite form has no target: the answer names the activity's star.
    expect(r.headers.get('hx-retarget')).toBe(`#activity-list [form="fav"][value="${a}"]`)
    expect(r.headers.get('hx-reswap')).toBe('outerHTML')
    const back = await post(cStu, { aid: String(a), next: '/eighth/signup/5' }, 'browser', '/eighth/toggle_favorite')
    expect([back.status, back.headers.get('location')]).toEqual([303, '/eighth/signup/5'])
    const evil = await post(cStu, { aid: String(a), next: '//evil.example/' }, 'browser', '/eighth/toggle_favorite')
    expect(evil.headers.get('location')).toBe('/eighth/signup')
  })
})
