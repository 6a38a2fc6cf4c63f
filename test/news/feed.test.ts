import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { checkA11y, listen, openPage, withBrowser } from '../helpers/browser.ts'
import { feedBanners, feedSources } from '../../src/features/announcements/index.ts'
import { addAnnouncement, get, groupId, newsEnv, NOW, person, post, shownIds, type NewsEnv, type Person } from './announcements-fixture.ts'

// The dashboard feed (issue 8, item 2): the main column after the who-widget, pinned first then
// newest, 15 a page with htmx "load more", hide/show per person, the archive, other features'
// items and banners through feedSources/feedBanners, and the approval counts.

setDefaultTimeout(60_000)
let n: NewsEnv
let student: Person
let ids: number[] = []
let pinned: number[] = []
const at = (minutesAgo: number) => new Date(new Date(NOW).getTime() - minutesAgo * 60_000)

beforeAll(async () => {
  n = await newsEnv()
  student = await person(n, { graduationYear: 2028, lastName: 'Reader' })
  // 20 ordinary posts, newest first in `ids`, and 2 old pinned ones
  for (let i = 0; i < 20; i++) ids.push(await addAnnouncement(n.sql, { title: `Ordinary ${i}`, added: at(10 + i) }))
  pinned = [await addAnnouncement(n.sql, { title: 'Pinned new', pinned: true, added: at(500) }), await addAnnouncement(n.sql, { title: 'Pinned old', pinned: true, added: at(600) })]
})
afterAll(async () => { await n.close() })

const text = async (r: Request) => (await n.handle(r)).text()

describe('order and pages', () => {
  test('the dashboard: the feed follows the small widgets (phones read those first); pinned first, then newest; 15 and "load more"', async () => {
    const html = await text(get('/', student.cookie))
    const who = html.indexOf('data-widget="who"')
    const feed = html.indexOf('data-widget="feed"')
    expect(who).toBeGreaterThan(-1)
    expect(feed).toBeGreaterThan(who)
    const order = [...html.matchAll(/data-widget="([\w-]+)"/g)].map((m) => m[1])
    expect(order[0]).toBe('who')
    expect(order.at(-1)).toBe('feed')
    expect(order).toContain('eighth')
    expect(shownIds(html)).toEqual([...pinned, ...ids.slice(0, 13)])
    expect(html).toContain('hx-get="/announcements/feed?page=2&feed=dashboard"')
    expect(html).toContain('href="/announcements?page=2&feed=dashboard"')
  })

  test('"load more" (htmx) answers the next 15 and its own button; the last page has none', async () => {
    const page2 = await text(get('/announcements/feed?page=2&feed=dashboard', student.cookie, true))
    expect(page2).not.toContain('<html')
    expect(shownIds(page2)).toEqual(ids.slice(13, 20))
    expect(page2).not.toContain('Load more')
    const empty = await text(get('/announcements/feed?page=3&feed=dashboard', student.cookie, true))
    expect(shownIds(empty)).toEqual([])
    // without htmx the fragment URL sends the browser to the full page
    const plain = await n.handle(get('/announcements/feed?page=2&feed=dashboard', student.cookie))
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe('/announcements?page=2&feed=dashboard')
    const full = await text(get('/announcements?page=2', student.cookie))
    expect(full).toContain('<html')
    expect(shownIds(full)).toEqual(ids.slice(13, 20))
    expect((await n.handle(get('/announcements?page=abc', student.cookie))).status).toBe(404)
  })

  test('with 31 posts, page 2 has its own "load more" for page 3', async () => {
    const extra: number[] = []
    for (let i = 0; i < 11; i++) extra.push(await addAnnouncement(n.sql, { title: `Extra ${i}`, added: at(100 + i) }))
    try {
      const page2 = await text(get('/announcements/feed?page=2', student.cookie, true))
      expect(shownIds(page2)).toEqual([...ids.slice(13, 20), ...extra.slice(0, 8)])
      expect(page2).toContain('hx-get="/announcements/feed?page=3"')
      expect(shownIds(await text(get('/announcements/feed?page=3', student.cookie, true)))).toEqual(extra.slice(8))
    } finally {
      await n.sql`DELETE FROM announcements WHERE id = ANY(${extra}::int[])`
    }
  })

  test('the archive adds expired posts and sorts by date added only', async () => {
    const gone = await addAnnouncement(n.sql, { title: 'Expired one', added: at(5), expires: at(1) })
    try {
      expect(shownIds(await text(get('/', student.cookie)))).not.toContain(gone)
      const archive = shownIds(await text(get('/announcements/archive', student.cookie)))
      expect(archive.slice(0, 3)).toEqual([gone, ids[0]!, ids[1]!])
      expect(archive).not.toContain(pinned[0]!) // pinned posts lose their place: they are old
      expect(shownIds(await text(get('/announcements?show_expired=1&page=2', student.cookie)))).toContain(pinned[0]!)
    } finally {
      await n.sql`DELETE FROM announcements WHERE id = ${gone}`
    }
  })
})

describe('hide and show', () => {
  test('htmx swaps the collapsed item in; the dashboard keeps it collapsed; show restores it', async () => {
    const id = ids[0]!
    const r = await n.handle(post('/announcements/hide', { announcement_id: String(id), next: '/' }, student.cookie, true))
    expect(r.status).toBe(200)
    const item = await r.text()
    expect(item).toStartWith(`<article class="announcement card collapsed" id="announcement-${id}"`)
    expect(item).toContain('>Show</button>')
    expect(item).not.toContain('Body')
    expect((await n.sql`SELECT count(*)::int AS c FROM announcement_hidden WHERE user_id = ${student.id}`)[0]!.c).toBe(1)
    const dash = await text(get('/', student.cookie))
    expect(dash).toContain(`class="announcement card collapsed" id="announcement-${id}"`)
    // someone else still sees it open
    const other = await person(n, { graduationYear: 2028 })
    expect(await text(get('/', other.cookie))).not.toContain(`collapsed" id="announcement-${id}"`)
    // without htmx: back to the page (or Ion's plain answer without `next`)
    const plain = await n.handle(post('/announcements/show', { announcement_id: String(id), next: '/announcements' }, student.cookie))
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/announcements#announcement-${id}`)
    expect(await text(post('/announcements/hide', { announcement_id: String(id) }, student.cookie))).toBe('Hidden')
    expect(await text(post('/announcements/show', { announcement_id: String(id) }, student.cookie))).toBe('Unhidden')
    expect((await n.sql`SELECT count(*)::int AS c FROM announcement_hidden WHERE user_id = ${student.id}`)[0]!.c).toBe(0)
  })

  test('GET is 405; a missing, unknown or invisible id is 404; an offsite next is ignored', async () => {
    expect((await n.handle(get('/announcements/hide', student.cookie))).status).toBe(405)
    expect((await n.handle(post('/announcements/hide', {}, student.cookie))).status).toBe(404)
    expect((await n.handle(post('/announcements/hide', { announcement_id: '99999999' }, student.cookie))).status).toBe(404)
    const secret = await addAnnouncement(n.sql, { title: 'Secret', groups: [await groupId(n.sql, 'Secret Society')] })
    expect((await n.handle(post('/announcements/hide', { announcement_id: String(secret) }, student.cookie))).status).toBe(404)
    const r = await n.handle(post('/announcements/hide', { announcement_id: String(ids[1]), next: '//evil.example/' }, student.cookie))
    expect(r.headers.get('location')).toBe(`/#announcement-${ids[1]}`)
    await n.handle(post('/announcements/show', { announcement_id: String(ids[1]) }, student.cookie))
  })
})

describe('other features plug in', () => {
  test('feedSources items are merged by date and paged; feedBanners show above the feed', async () => {
    const deps = n.env.app.deps
    const [sources, banners] = [feedSources(deps).length, feedBanners(deps).length]
    feedSources(deps).push({
      id: 'test-events',
      items: async (ctx) => [
        { key: 'event-1', pinned: false, at: at(11.5), render: () => '<article class="event card" id="event-1"><h3>Science fair</h3></article>' },
        { key: 'event-2', pinned: false, at: at(1), render: () => `<article class="event card" id="event-2"><h3>Concert for ${ctx.viewer.username}</h3></article>` },
      ],
    })
    feedBanners(deps).push({ id: 'test-banner', order: 1, render: () => '<div class="alert warn" role="status">Early dismissal today</div>' })
    try {
      const html = await text(get('/', student.cookie))
      expect(html).toContain('Early dismissal today')
      expect(html.indexOf('Early dismissal today')).toBeLessThan(html.indexOf('id="feed-title"'))
      const order = [...html.matchAll(/<article class="[^"]*" id="((?:announcement|event)-\d+)"/g)].map((m) => m[1])
      // pinned first, then by date: the concert (1 minute ago), posts 0 and 1, the fair, post 2 …
      expect(order.slice(0, 7)).toEqual([`announcement-${pinned[0]}`, `announcement-${pinned[1]}`, 'event-2', `announcement-${ids[0]}`, `announcement-${ids[1]}`, 'event-1', `announcement-${ids[2]}`])
      expect(order).toHaveLength(15)
      const page2 = await text(get('/announcements/feed?page=2&feed=dashboard', student.cookie, true))
      expect(shownIds(page2)).toEqual(ids.slice(11, 20))
      // /announcements itself is announcements only
      expect(await text(get('/announcements', student.cookie))).not.toContain('Science fair')
    } finally {
      feedSources(deps).splice(sources)
      feedBanners(deps).splice(banners)
    }
  })

  test('a teacher sees the requests waiting for them; restricted users get no feed', async () => {
    const teacher = await person(n, { type: 'teacher', lastName: 'Waiting' })
    await n.handle(post('/announcements/request', [['title', 'Please approve'], ['content', 'x'], ['teachers', String(teacher.id)]], student.cookie))
    const dash = await text(get('/', teacher.cookie))
    expect(dash).toContain('1 announcement request is waiting for your approval')
    expect(dash).toContain('href="/announcements/approve"')
    const queue = await text(get('/announcements/approve', teacher.cookie))
    expect(queue).toContain('Please approve')
    const alum = await person(n, { type: 'alum' })
    const html = await text(get('/', alum.cookie))
    expect(html).not.toContain('data-widget="feed"')
  })
})

describe('in a browser (390 px wide)', () => {
  test('load more and hide work with htmx, and axe finds nothing', async () => {
    const server = await listen(n.env.app)
    try {
      await withBrowser(async (browser) => {
        const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } })
        const [name, value] = student.cookie.split('=') as [string, string]
        await ctx.addCookies([{ name, value, url: server.base }])
        const { page, problems } = await openPage(ctx as never, server.url('/'))
        expect(await page.locator('article.announcement').count()).toBe(15)
        expect(await checkA11y(page)).toEqual([])
        await page.getByRole('link', { name: 'Load more' }).click()
        await page.waitForFunction(() => document.querySelectorAll('article.announcement').length === 22)
        expect(await page.getByRole('link', { name: 'Load more' }).count()).toBe(0)
        const first = page.locator(`#announcement-${pinned[0]}`)
        await first.getByRole('button', { name: /^Hide/ }).click()
        await page.waitForSelector(`#announcement-${pinned[0]}.collapsed`)
        await first.getByRole('button', { name: /^Show/ }).click()
        await page.waitForSelector(`#announcement-${pinned[0]}:not(.collapsed)`)
        expect(problems).toEqual([])
        // the forms and pages are accessible too
        for (const path of ['/announcements/request', '/announcements/archive', '/announcements/club', `/announcements/${ids[0]}`]) {
          const visit = await openPage(ctx as never, server.url(path))
          expect({ path, status: visit.status }).toEqual({ path, status: 200 })
          expect({ path, violations: await checkA11y(visit.page) }).toEqual({ path, violations: [] })
          expect(visit.problems).toEqual([])
        }
        await ctx.close()
        const adminCtx = await browser.newContext({ viewport: { width: 390, height: 844 } })
        const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
        await adminCtx.addCookies([{ name: 'sessionid', value: admin.cookie.split('=')[1]!, url: server.base }])
        for (const path of ['/announcements/add', '/announcements/admin_status', `/announcements/modify/${ids[0]}`, `/announcements/delete/${ids[0]}`]) {
          const visit = await openPage(adminCtx as never, server.url(path))
          expect({ path, violations: await checkA11y(visit.page) }).toEqual({ path, violations: [] })
          expect(visit.problems).toEqual([])
        }
        await adminCtx.close()
      })
    } finally {
      await server.stop()
    }
  })
})

describe('search and club links', () => {
  test('the directory search lists visible announcements only', async () => {
    const secret = await addAnnouncement(n.sql, { title: 'Zephyr secret meeting', groups: [await groupId(n.sql, 'Zephyr Society')] })
    const open = await addAnnouncement(n.sql, { title: 'Zephyr open house', content: '<p>Everyone <b>welcome</b></p>' })
    const html = await text(get('/search?q=zephyr', student.cookie))
    expect(html).toContain('id="sec-announcements"')
    expect(html).toContain(`href="/announcements/${open}"`)
    expect(html).toContain('Everyone welcome')
    expect(html).not.toContain(`href="/announcements/${secret}"`)
    await n.sql`DELETE FROM announcements WHERE id IN (${secret}, ${open})`
  })

  test('club posts offer subscribe or unsubscribe for their club', async () => {
    const [club] = await n.sql<{ id: number }[]>`INSERT INTO eighth_activities (name, subscriptions_enabled) VALUES ('Feed Test Club', true) RETURNING id`
    const post1 = await addAnnouncement(n.sql, { title: 'Club news', activityId: club!.id })
    const other = await text(get('/announcements/club?tab=unsubscribed', student.cookie))
    expect(other).toContain(`action="/eighth/activity/${club!.id}/subscribe"`)
    await n.sql`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES (${club!.id}, ${student.id}, 'subscriber')`
    const mine = await text(get('/announcements/club', student.cookie))
    expect(shownIds(mine)).toContain(post1)
    expect(mine).toContain(`action="/eighth/activity/${club!.id}/unsubscribe"`)
    expect(await text(get('/', student.cookie))).toContain('Unsubscribe from Feed Test Club')
    await n.sql`DELETE FROM eighth_activities WHERE id = ${club!.id}`
  })
})
