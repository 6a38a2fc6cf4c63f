import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { clearScheduleCache } from '../../src/features/schedule/service.ts'
import { addActivity } from '../helpers/eighth.ts'
import { statementCounter } from '../helpers/statements.ts'
import { addDayType, BLUE, RED, setDate } from '../schedule/fixture.ts'
import { addAnnouncement, get, groupId, newsEnv, person, shownIds, type NewsEnv, type Person } from './announcements-fixture.ts'
import { addEvent, attend } from './events-fixture.ts'

// The dashboard's feed widget (issue 10): one statement for its announcements (the feed's first
// page, the club box with who may edit each club post, and the approval counts), showing exactly
// what /announcements and /announcements/club show; and the rendered cards many viewers share
// (announcements, events, the bell schedule), memoised by everything they show: any change is
// seen at the next view, and one viewer's state never leaks into another's card.

setDefaultTimeout(30_000)
const counter = statementCounter()
let n: NewsEnv
beforeAll(async () => { n = await newsEnv({}, { debug: counter.debug }) })
afterAll(async () => { await n.close() })

const html = async (path: string, p: Person) => (await n.handle(get(path, p.cookie))).text()
/** The dashboard's club box and the rest of its feed, apart. */
function dashboardParts(page: string): { club: number[]; feed: number[] } {
  const start = page.indexOf('<details class="club-box')
  if (start < 0) return { club: [], feed: shownIds(page) }
  const end = page.indexOf('</details>', start)
  return { club: shownIds(page.slice(start, end)), feed: shownIds(page.slice(0, start) + page.slice(end)) }
}
const feedWidget = (page: string) => page.slice(page.indexOf('data-widget="feed"'))
const articleOf = (page: string, id: number) => {
  const at = page.indexOf(`id="announcement-${id}"`)
  return at < 0 ? '' : page.slice(page.lastIndexOf('<article', at), page.indexOf('</article>', at))
}

describe('one statement, the same posts as the feed pages', () => {
  test('for a table of viewers: the feed is /announcements page 1, the club box is their clubs; club officers may edit their club’s posts', async () => {
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'], lastName: 'Admin' })
    const inGroup = await person(n, { graduationYear: 2028, lastName: 'Inside' })
    const outside = await person(n, { graduationYear: 2029, lastName: 'Outside' })
    const officer = await person(n, { graduationYear: 2027, lastName: 'Officer' })
    const band = await groupId(n.sql, 'Band Dashboard', [inGroup.id])
    const chess = await addActivity(n.sql, 'Chess Dashboard', { subscriptionsEnabled: true })
    const drama = await addActivity(n.sql, 'Drama Dashboard', { restricted: true, subscriptionsEnabled: true })
    for (const p of [inGroup, outside, officer, admin]) {
      await n.sql`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES (${chess}, ${p.id}, 'subscriber')`
    }
    await n.sql`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES (${chess}, ${officer.id}, 'officer'), (${drama}, ${inGroup.id}, 'subscriber')`
    for (let i = 0; i < 16; i++) await addAnnouncement(n.sql, { title: `Dash filler ${i}` })
    const ids = {
      pub: await addAnnouncement(n.sql, { title: 'Dash public' }),
      pinned: await addAnnouncement(n.sql, { title: 'Dash pinned', pinned: true }),
      grouped: await addAnnouncement(n.sql, { title: 'Dash grouped', groups: [band] }),
      chess: await addAnnouncement(n.sql, { title: 'Dash chess', activityId: chess }),
      drama: await addAnnouncement(n.sql, { title: 'Dash drama', activityId: drama }),
      expired: await addAnnouncement(n.sql, { title: 'Dash expired', expires: new Date('2026-11-01T00:00:00Z') }),
    }
    for (const p of [admin, inGroup, outside, officer]) {
      const { value: page, n: statements } = await counter.during(() => html('/', p))
      const { feed, club } = dashboardParts(feedWidget(page))
      const list = shownIds(await html('/announcements', p))
      const clubs = shownIds(await html('/announcements/club', p))
      expect({ who: p.username, feed, club }).toEqual({ who: p.username, feed: list, club: clubs })
      expect(feed.length).toBe(15)
      expect(feedWidget(page)).toContain('Load more')
      expect(feed[0]).toBe(ids.pinned)
      expect(feed).not.toContain(ids.expired)
      expect(feed.includes(ids.grouped)).toBe(p === inGroup)
      expect(club.includes(ids.drama)).toBe(false) // restricted, and only a subscriber: not allowed
      expect(club.includes(ids.chess)).toBe(true)
      // edit links: admins everywhere, the officer on the chess post only
      expect({ who: p.username, edit: articleOf(page, ids.chess).includes('>Edit</a>') }).toEqual({ who: p.username, edit: p === admin || p === officer })
      expect(articleOf(page, ids.pinned).includes('>Edit</a>')).toBe(p === admin)
      // viewer, eighth widget, announcements (one), events; the schedule and warnings from Redis
      expect(statements).toBeLessThanOrEqual(6)
    }
    await n.sql`UPDATE announcements SET expiration_date = '2026-11-01' WHERE id <> ${ids.chess}`
  })
})

describe('memoised cards show every change at once', () => {
  test('a post edited at the same instant, a renamed group and poster, and one viewer’s hiding', async () => {
    const a = await person(n, { graduationYear: 2028, firstName: 'Ada', lastName: 'Poster' })
    const b = await person(n, { graduationYear: 2028, lastName: 'Reader' })
    const g = await groupId(n.sql, 'Memo Group', [a.id, b.id])
    const id = await addAnnouncement(n.sql, { title: 'Memo post', content: '<p>First text</p>', groups: [g], userId: a.id })
    for (const p of [a, b]) expect(articleOf(await html('/', p), id)).toContain('First text')
    // `updated` does not move: the memo still sees the new text
    await n.sql`UPDATE announcements SET content = '<p>Second text</p>' WHERE id = ${id}`
    expect(articleOf(await html('/', b), id)).toContain('Second text')
    expect(articleOf(await html('/', b), id)).not.toContain('First text')
    await n.sql`UPDATE groups SET name = 'Renamed Memo Group' WHERE id = ${g}`
    expect(articleOf(await html('/', b), id)).toContain('To Renamed Memo Group')
    await n.sql`UPDATE users SET first_name = 'Grace' WHERE id = ${a.id}`
    expect(articleOf(await html('/', b), id)).toContain('Grace Poster')
    // a hides it: collapsed for a only
    await n.sql`INSERT INTO announcement_hidden (announcement_id, user_id) VALUES (${id}, ${a.id})`
    expect(articleOf(await html('/', a), id)).toContain('collapsed')
    expect(articleOf(await html('/', a), id)).not.toContain('Second text')
    expect(articleOf(await html('/', b), id)).not.toContain('collapsed')
    expect(articleOf(await html('/', b), id)).toContain('Second text')
  })

  test('an event card follows its RSVP count, the viewer’s own RSVP and its place', async () => {
    const a = await person(n, { graduationYear: 2028, lastName: 'Goer' })
    const b = await person(n, { graduationYear: 2028, lastName: 'Stayer' })
    const e = await addEvent(n.sql, { title: 'Memo concert', starts: '2026-12-03T23:00:00Z', rsvp: true })
    const card = (page: string) => page.slice(page.indexOf(`id="event-${e}"`), page.indexOf('</article>', page.indexOf(`id="event-${e}"`)))
    expect(card(await html('/', a))).toContain('0 going')
    expect(card(await html('/', b))).toContain('0 going')
    await attend(n.sql, e, [a.id])
    const mine = card(await html('/', a))
    const theirs = card(await html('/', b))
    expect(mine).toContain('1 going')
    expect(mine).toContain('Going</span>')
    expect(theirs).toContain('1 going')
    expect(theirs).not.toContain('Going</span>')
    await n.sql`UPDATE events SET location = 'Auditorium' WHERE id = ${e}`
    expect(card(await html('/', b))).toContain('Auditorium')
  })

  test('the bell schedule widget shows an edited day once the schedule cache is retired', async () => {
    const p = await person(n, { graduationYear: 2028, lastName: 'Bells' })
    const blue = await addDayType(n.sql, 'Blue Memo Day', BLUE)
    const red = await addDayType(n.sql, 'Red Memo Day', RED)
    await setDate(n.sql, '2026-11-30', blue)
    await clearScheduleCache(n.env.redis) // earlier tests' views cached the day without a schedule
    const widget = async () => { const page = await html('/', p); return page.slice(page.indexOf('data-widget="schedule"'), page.indexOf('</section>', page.indexOf('data-widget="schedule"'))) }
    expect(await widget()).toContain('Blue Memo Day')
    expect(await widget()).toContain('Blue Memo Day') // from the cache now
    await setDate(n.sql, '2026-11-30', red)
    await clearScheduleCache(n.env.redis)
    const now = await widget()
    expect(now).toContain('Red Memo Day')
    expect(now).not.toContain('Blue Memo Day')
  })
})
