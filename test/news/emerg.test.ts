import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { refreshEmergency } from '../../src/features/emerg/index.tsx'
import { parseFeed } from '../../src/features/emerg/feed.ts'
import { registeredJobs } from '../../src/platform/jobs/registry.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { post } from './announcements-fixture.ts'

// Emergency and warnings (issue 8, item 6): the 5-minute job reads a local feed server (loopback,
// port 0): a good feed sets the banner, a feed that times out or fails keeps the last good value;
// EMERGENCY_MESSAGE wins; banners show on every page; warnings by placement; /api/emerg's shape.

setDefaultTimeout(60_000)

type Answer = { status?: number; type?: string; body: string; delayMs?: number }
let answer: Answer = { body: '' }
const feed = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch() {
    const a = answer
    if (a.delayMs) await Bun.sleep(a.delayMs)
    return new Response(a.body, { status: a.status ?? 200, headers: { 'content-type': a.type ?? 'application/rss+xml' } })
  },
})
const FEED_URL = `http://127.0.0.1:${feed.port}/alerts.xml`

const rss = (items: { title: string; description: string; date: string }[]) => `<?xml version="1.0"?>
<rss version="2.0"><channel><title>County alerts</title>
${items.map((i) => `<item><title>${i.title}</title><description><![CDATA[${i.description}]]></description><pubDate>${i.date}</pubDate></item>`).join('')}
</channel></rss>`

let env: TestEnv
let admin = '', student = ''
const page = { headers: { accept: 'text/html' } }
const html = async (path: string, cookie = '') => (await env.app.handle(req(path, { ...page, cookie }))).text()
const api = async () => (await env.app.handle(req('/api/emerg'))).json()
const run = (timeoutMs?: number) => refreshEmergency({ redis: env.redis, config: env.config, clock: env.clock, log: env.log }, { timeoutMs })

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z', config: { EMERGENCY_FEED_URL: FEED_URL } })
  const a = await makeUser(env.sql, { type: 'teacher', groups: ['admin_announcements'] })
  const s = await makeUser(env.sql)
  ;[admin, student] = await Promise.all([login(env.app, a), login(env.app, s)])
})
afterAll(async () => {
  feed.stop(true)
  await env.close()
})

describe('the emergency feed job', () => {
  test('is registered to run every 5 minutes, catching up once after a restart', () => {
    const job = registeredJobs().find((j) => j.name === 'emerg.refresh')!
    expect([job.schedule, job.catchUp]).toEqual(['*/5 * * * *', 'run-once'])
  })

  test('before any reading: no emergency, in Ion’s /api/emerg shape', async () => {
    answer = { body: rss([]) }
    expect(await api()).toEqual({ status: false, message: null })
  })

  test('a good feed: its newest item becomes the banner on every page and /api/emerg', async () => {
    answer = { body: rss([
      { title: 'Old drill', description: 'Done.', date: 'Mon, 30 Nov 2026 08:00:00 GMT' },
      { title: 'Schools closed &lt;today&gt;', description: '<p>Snow: all schools are <b>closed</b> & offices open at 10.</p>', date: 'Mon, 30 Nov 2026 12:00:00 GMT' },
    ]) }
    expect(await run()).toContain('emergency: Schools closed <today>')
    expect(await api()).toEqual({ status: true, message: 'Schools closed <today>: Snow: all schools are closed & offices open at 10.' })
    for (const [path, cookie] of [['/events', student], ['/', ''], ['/polls', student], ['/login', '']] as const) {
      const body = await html(path, cookie)
      expect([path, body.includes('class="alert error emergency" role="alert"')]).toEqual([path, true])
      expect(body).toContain('Emergency: Schools closed &lt;today&gt;')
      expect(body).not.toContain('<b>closed</b>')
    }
    // fragments and the API carry no banner
    expect(await (await env.app.handle(req('/events', { cookie: student, htmx: true }))).text()).not.toContain('emergency')
  })

  test('a feed that times out keeps the last good value', async () => {
    answer = { body: rss([]), delayMs: 500 }
    expect(await run(100)).toContain('timed out after 100 ms')
    expect((await api()).status).toBe(true)
    expect(env.log.lines.some((l) => String(l.msg).includes('keeping the last good value'))).toBe(true)
  })

  test('a failing feed (HTTP 500, or not a feed) keeps the last good value', async () => {
    answer = { status: 500, body: 'oops' }
    expect(await run()).toContain('HTTP 500')
    answer = { type: 'text/html', body: '<html><body>maintenance</body></html>' }
    expect(await run()).toContain('feed failed')
    expect((await api()).message).toContain('Schools closed')
  })

  test('a feed with nothing to report clears it', async () => {
    answer = { body: rss([{ title: 'There are no emergency announcements at this time', description: '', date: 'Mon, 30 Nov 2026 13:00:00 GMT' }]) }
    expect(await run()).toBe('no emergency')
    expect(await api()).toEqual({ status: false, message: null })
    expect(await html('/events', student)).not.toContain('role="alert"')
  })

  test('Atom and JSON feeds are read too', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
      <entry><title>Older</title><summary>a</summary><updated>2026-11-29T10:00:00Z</updated></entry>
      <entry><title>Lockdown lifted</title><summary type="html">&lt;p&gt;All clear at 11.&lt;/p&gt;</summary><updated>2026-11-30T10:00:00Z</updated></entry></feed>`
    expect(parseFeed(atom, 'application/atom+xml').alert).toEqual({ title: 'Lockdown lifted', body: 'All clear at 11.' })
    expect(parseFeed(JSON.stringify({ items: [{ title: 'Delay', content_text: 'Two hours', date_published: '2026-11-30T09:00:00Z' }] }), 'application/json').alert)
      .toEqual({ title: 'Delay', body: 'Two hours' })
    expect(parseFeed('{"status": false}', 'application/json').alert).toBeNull()
    expect(() => parseFeed('hello', 'text/plain')).toThrow()
  })
})

describe('EMERGENCY_MESSAGE', () => {
  test('always wins, and the feed is not read', async () => {
    const e2 = await testEnv({ clock: '2026-11-30T14:00:00Z', config: { EMERGENCY_FEED_URL: FEED_URL, EMERGENCY_MESSAGE: 'Early dismissal at 12:30' } })
    try {
      expect(await (await e2.app.handle(req('/api/emerg/'))).json()).toEqual({ status: true, message: 'Early dismissal at 12:30' })
      expect(await refreshEmergency({ redis: e2.redis, config: e2.config, clock: e2.clock, log: e2.log })).toContain('not read')
      expect(await (await e2.app.handle(req('/', { headers: { accept: 'text/html' } }))).text()).toContain('Early dismissal at 12:30')
    } finally {
      await e2.close()
    }
  })
})

const warning = (over: Record<string, string>) => ({ title: '', body: 'Heads up', placement: 'global', active: 'on', starts_at: '', ends_at: '', ...over })

describe('warning announcements by placement', () => {
  test('only announcement admins manage them; bad input is 422 and saves nothing', async () => {
    expect((await env.app.handle(req('/admin/warnings', { cookie: student }))).status).toBe(403)
    expect((await env.app.handle(post('/admin/warnings', warning({}), student))).status).toBe(403)
    const bad = await env.app.handle(post('/admin/warnings', warning({ body: ' ', placement: 'sky' }), admin))
    expect(bad.status).toBe(422)
    const text = await bad.text()
    expect(text).toContain('Write the warning')
    expect(text).toContain('Choose where the warning shows.')
    expect((await env.sql`SELECT count(*)::int AS c FROM warning_announcements`)[0]!.c).toBe(0)
  })

  test('every page, dashboard, login: each where it belongs; the window and the switch are honoured', async () => {
    for (const [placement, body] of [['global', 'Everywhere <now>'], ['dashboard', 'On the dashboard'], ['login', 'At the door'], ['dashboard_login', 'Both places']] as const) {
      expect((await env.app.handle(post('/admin/warnings', warning({ placement, body }), admin))).status).toBe(303)
    }
    await env.app.handle(post('/admin/warnings', warning({ body: 'Not yet', starts_at: '2026-11-30T09:30' }), admin))
    await env.app.handle(post('/admin/warnings', warning({ body: 'Switched off', active: '' }), admin))
    const events = await html('/events', student)
    expect(events).toContain('Everywhere &lt;now&gt;')
    for (const t of ['On the dashboard', 'At the door', 'Both places', 'Not yet', 'Switched off']) expect([t, events.includes(t)]).toEqual([t, false])
    const dash = await html('/', student)
    for (const t of ['Everywhere &lt;now&gt;', 'On the dashboard', 'Both places']) expect([t, dash.includes(t)]).toEqual([t, true])
    expect(dash).not.toContain('At the door')
    const login = await html('/', '')
    for (const t of ['Everywhere &lt;now&gt;', 'At the door', 'Both places']) expect([t, login.includes(t)]).toEqual([t, true])
    expect(login).not.toContain('On the dashboard')
    env.clock.set('2026-11-30T14:45:00Z') // 09:45 in New York: the window has opened
    try {
      expect(await html('/events', student)).toContain('Not yet')
    } finally {
      env.clock.set('2026-11-30T14:00:00Z')
    }
    expect((await env.sql`SELECT count(*)::int AS c FROM audit_log WHERE action = 'warning.create'`)[0]!.c).toBe(6)
  })

  test('edits and deletes take effect at once (the cache is dropped)', async () => {
    const [w] = await env.sql<{ id: number }[]>`SELECT id FROM warning_announcements WHERE body = 'Everywhere <now>'`
    expect((await env.app.handle(post(`/admin/warnings/${w!.id}`, warning({ body: 'Changed text' }), admin))).status).toBe(303)
    expect(await html('/events', student)).toContain('Changed text')
    expect((await env.app.handle(post(`/admin/warnings/${w!.id}/delete`, {}, admin))).status).toBe(303)
    expect(await html('/events', student)).not.toContain('Changed text')
    expect((await env.app.handle(post('/admin/warnings/999999/delete', {}, admin))).status).toBe(404)
  })
})
