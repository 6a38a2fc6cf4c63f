import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { dropWarningCache } from '../../src/features/emerg/warnings.ts'
import { req } from '../helpers/app.ts'
import { groupId, newsEnv, person, type NewsEnv } from './announcements-fixture.ts'
import { addEvent } from './events-fixture.ts'

// /login shows what other features add below the login form (login warnings, the next 7 days'
// public events), exactly as the anonymous dashboard ('/') does: one shared renderer.

setDefaultTimeout(60_000)
let n: NewsEnv

beforeAll(async () => { n = await newsEnv() })
afterAll(async () => { await n.close() })

const html = async (path: string) => {
  const r = await n.handle(req(path))
  expect(r.status).toBe(200)
  return r.text()
}
/** The extras block: from its opening tag to the end of <main>. */
const extrasOf = (page: string) => {
  const at = page.indexOf('<div class="login-extras">')
  return at < 0 ? '' : page.slice(at, page.indexOf('</main>', at))
}

describe('the login page’s extras', () => {
  test('with nothing to show there is no extras block', async () => {
    const page = await html('/login')
    expect(page).toContain('Log in to')
    expect(page).not.toContain('login-extras')
  })

  test('/login shows the login warning and upcoming public events, after the form, the same as /', async () => {
    const t = new Date('2026-11-29T12:00:00Z')
    await n.sql`INSERT INTO warning_announcements (title, body, placement, added, updated) VALUES ('Heads up', 'Snow <likely> tomorrow', 'login', ${t}, ${t})`
    await dropWarningCache(n.env.redis) // written past the admin form, which drops it itself
    await addEvent(n.sql, { title: 'Home game vs Oakton', category: 'sports', public: true, starts: '2026-12-02T23:00:00Z' })
    await addEvent(n.sql, { title: 'Winter concert', public: true, starts: '2026-12-03T00:00:00Z', location: 'Auditorium' })
    await addEvent(n.sql, { title: '<img src=x onerror=alert(1)> fair', public: true, starts: '2026-12-04T00:00:00Z' })
    await addEvent(n.sql, { title: 'Members-only mixer', public: true, groups: [await groupId(n.sql, 'Mixers')] })
    await addEvent(n.sql, { title: 'Not public party' })
    await addEvent(n.sql, { title: 'Far-off festival', public: true, starts: '2026-12-20T00:00:00Z' })

    for (const path of ['/login', '/login?next=%2Fevents']) {
      const page = await html(path)
      const extras = extrasOf(page)
      expect(page.indexOf('<div class="login-extras">')).toBeGreaterThan(page.indexOf('action="/login"'))
      for (const s of ['Snow &lt;likely&gt; tomorrow', 'Upcoming sports', 'Home game vs Oakton', 'Upcoming school events', 'Winter concert', '&lt;img src=x onerror=alert(1)&gt; fair']) {
        expect([path, s, extras.includes(s)]).toEqual([path, s, true])
      }
      for (const s of ['Members-only mixer', 'Not public party', 'Far-off festival', '<img src=x']) expect([path, s, page.includes(s)]).toEqual([path, s, false])
    }
    expect(extrasOf(await html('/login'))).toBe(extrasOf(await html('/')))
  })

  test('a failing extra is left out (and logged), not the page', async () => {
    const extras = n.env.app.deps.registries.loginExtras
    const before = extras.length
    extras.push({ id: 'broken', order: 5, render: () => { throw new Error('boom') } })
    try {
      const page = await html('/login')
      expect(page).toContain('Winter concert')
      expect(n.env.log.lines.some((l) => l.msg === 'login extra failed' && l.id === 'broken')).toBe(true)
    } finally {
      extras.splice(before)
    }
  })

  test('a signed-in visitor is still sent on from /login, and a failed login shows just the form', async () => {
    const p = await person(n)
    const r = await n.handle(req('/login?next=%2Fevents', { cookie: p.cookie }))
    expect([r.status, r.headers.get('location')]).toEqual([303, '/events'])
    const bad = await n.handle(req('/login', { form: { username: p.username, password: 'not the password' } }))
    expect(bad.status).toBe(401)
    expect(await bad.text()).not.toContain('login-extras')
  })
})
