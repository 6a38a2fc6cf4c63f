import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { ORIGIN } from '../helpers/app.ts'
import { checkA11y, listen, openPage, withBrowser } from '../helpers/browser.ts'
import { get, groupId, newsEnv, person, post, type NewsEnv, type Person } from './announcements-fixture.ts'
import { addEvent } from './events-fixture.ts'

// Hide/show per person for event cards in the dashboard feed (ion-apps.md §7, §9: Ion's
// /events/hide and /events/show, POST event_id; "Hidden"/"Unhidden"; 405 on GET; 404 on a bad
// id). A hidden card stays in the feed collapsed to its title, with "Show", as announcements do.

setDefaultTimeout(60_000)
let n: NewsEnv
let student: Person, other: Person
let fair = 0, secret = 0

beforeAll(async () => {
  n = await newsEnv()
  ;[student, other] = await Promise.all([person(n, { lastName: 'Hider' }), person(n, { lastName: 'Other' })])
  fair = await addEvent(n.sql, { title: 'Science fair', location: 'Gym', rsvp: true, added: new Date('2026-11-30T13:00:00Z') })
  secret = await addEvent(n.sql, { title: 'Secret meeting', groups: [await groupId(n.sql, 'Secret Society')] })
})
afterAll(async () => { await n.close() })

const text = async (r: Request) => (await n.handle(r)).text()
const hiddenRows = async (userId: number) => (await n.sql<{ c: number }[]>`SELECT count(*)::int AS c FROM event_hidden WHERE user_id = ${userId}`)[0]!.c
/** The event card with this id in a page, from its opening tag to its end. */
const card = (html: string, id: number) => html.match(new RegExp(`<article class="[^"]*" id="event-${id}"[\\s\\S]*?</article>`))?.[0] ?? ''

describe('hide and show an event card', () => {
  test('the card offers "Hide"; htmx swaps in the collapsed card with "Show"; the dashboard keeps it collapsed', async () => {
    const open = card(await text(get('/', student.cookie)), fair)
    expect(open).toStartWith(`<article class="announcement card event-card" id="event-${fair}"`)
    expect(open).toContain('action="/events/hide"')
    expect(open).toContain('Hide “Science fair”')
    expect(open).toContain('0 going')

    const r = await n.handle(post('/events/hide', { event_id: String(fair), next: '/' }, student.cookie, true))
    expect(r.status).toBe(200)
    const item = await r.text()
    expect(item).not.toContain('<html')
    expect(item).toStartWith(`<article class="announcement card event-card collapsed" id="event-${fair}"`)
    expect(item).toContain('hx-post="/events/show"')
    expect(item).toContain('>Show</button>')
    expect(item).toContain('Science fair')
    expect(item).not.toContain('<time')
    expect(await hiddenRows(student.id)).toBe(1)

    const dash = card(await text(get('/', student.cookie)), fair)
    expect(dash).toContain('collapsed')
    expect(dash).toContain('Show “Science fair”')
    // someone else still sees it open
    expect(card(await text(get('/', other.cookie)), fair)).not.toContain('collapsed')
  })

  test('the archive-style feed (show_expired) lists the hidden card with its "Show" button', async () => {
    const chunk = await text(get('/announcements/feed?page=1&feed=dashboard&show_expired=1', student.cookie, true))
    const c = card(chunk, fair)
    expect(c).toContain('collapsed')
    expect(c).toContain('action="/events/show"')
  })

  test('"Show" restores it (htmx); hiding twice or showing twice changes nothing', async () => {
    await n.handle(post('/events/hide', { event_id: String(fair) }, student.cookie))
    expect((await n.handle(post('/events/hide', { event_id: String(fair) }, student.cookie))).status).toBe(200)
    expect(await hiddenRows(student.id)).toBe(1)
    const r = await n.handle(post('/events/show', { event_id: String(fair), next: '/' }, student.cookie, true))
    expect(r.status).toBe(200)
    const item = await r.text()
    expect(item).toStartWith(`<article class="announcement card event-card" id="event-${fair}"`)
    expect(item).toContain('>Hide</button>')
    expect(item).toContain('<time')
    expect(await hiddenRows(student.id)).toBe(0)
    expect((await n.handle(post('/events/show', { event_id: String(fair) }, student.cookie))).status).toBe(200)
    expect(card(await text(get('/', student.cookie)), fair)).not.toContain('collapsed')
  })

  test('without htmx: back to `next` at the card (an offsite next is ignored), or Ion’s plain answer', async () => {
    const back = await n.handle(post('/events/hide', { event_id: String(fair), next: '/announcements/archive' }, student.cookie))
    expect(back.status).toBe(303)
    expect(back.headers.get('location')).toBe(`/announcements/archive#event-${fair}`)
    const evil = await n.handle(post('/events/show', { event_id: String(fair), next: '//evil.example/' }, student.cookie))
    expect(evil.headers.get('location')).toBe(`/#event-${fair}`)
    expect(await text(post('/events/hide', { event_id: String(fair) }, student.cookie))).toBe('Hidden')
    expect(await text(post('/events/show', { event_id: String(fair) }, student.cookie))).toBe('Unhidden')
    expect(await hiddenRows(student.id)).toBe(0)
  })

  test('GET is 405; a missing, malformed, unknown or invisible id is 404, and nothing is stored', async () => {
    for (const path of ['/events/hide', '/events/show']) {
      const r = await n.handle(get(path, student.cookie))
      expect(r.status).toBe(405)
      expect(r.headers.get('allow')).toBe('POST')
    }
    for (const body of [{} as Record<string, string>, { event_id: 'abc' }, { event_id: '-1' }, { event_id: '99999999' }, { event_id: String(secret) }]) {
      expect((await n.handle(post('/events/hide', body, student.cookie))).status).toBe(404)
    }
    expect(await hiddenRows(student.id)).toBe(0)
  })

  test('anonymous visitors are sent to log in; a cross-site POST is refused', async () => {
    const anon = await n.handle(new Request(`${ORIGIN}/events/hide`, {
      method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: `event_id=${fair}`,
    }))
    expect(anon.status).toBe(303)
    expect(anon.headers.get('location')).toStartWith('/login')
    const foreign = post('/events/hide', { event_id: String(fair) }, student.cookie)
    foreign.headers.set('origin', 'https://evil.example')
    foreign.headers.set('sec-fetch-site', 'cross-site')
    expect((await n.handle(foreign)).status).toBe(403)
    expect(await hiddenRows(student.id)).toBe(0)
  })

  test('deleting the event forgets who hid it', async () => {
    const gone = await addEvent(n.sql, { title: 'Short-lived' })
    await n.handle(post('/events/hide', { event_id: String(gone) }, student.cookie))
    expect(await hiddenRows(student.id)).toBe(1)
    await n.sql`DELETE FROM events WHERE id = ${gone}`
    expect(await hiddenRows(student.id)).toBe(0)
  })
})

describe('in a browser (390 px wide)', () => {
  test('Hide and Show swap the card with htmx, and axe finds nothing', async () => {
    const server = await listen(n.env.app)
    try {
      await withBrowser(async (browser) => {
        const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } })
        await ctx.addCookies([{ name: 'sessionid', value: student.cookie.split('=')[1]!, url: server.base }])
        const { page, problems } = await openPage(ctx as never, server.url('/'))
        const c = page.locator(`#event-${fair}`)
        await c.getByRole('button', { name: 'Hide “Science fair”' }).click()
        await page.waitForSelector(`#event-${fair}.collapsed`)
        expect(page.url()).toBe(server.url('/'))
        expect(await checkA11y(page)).toEqual([])
        await c.getByRole('button', { name: 'Show “Science fair”' }).click()
        await page.waitForSelector(`#event-${fair}:not(.collapsed)`)
        expect(await hiddenRows(student.id)).toBe(0)
        expect(problems).toEqual([])
        await ctx.close()
      })
    } finally {
      await server.stop()
    }
  })
})
