import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { get, groupId, newsEnv, person, type NewsEnv, type Person } from './announcements-fixture.ts'
import { addEvent } from './events-fixture.ts'

// Event hits in the directory search (ion-apps.md §5): their own "Events" section with the events
// the viewer may see (Ion's group rule) from this school year (NOW is 30 Nov 2026: Aug 2026 – Jul
// 2027), every word in the title or the description's text, case-insensitive; titles escaped.

setDefaultTimeout(60_000)
let n: NewsEnv
let member: Person, outsider: Person, admin: Person, requester: Person
const ids = { open: 0, club: 0, about: 0, spring: 0, pending: 0, rejected: 0, lastYear: 0, nextYear: 0, evil: 0, percent: 0, plain: 0 }

async function withDescription(id: number, html: string) {
  await n.sql`UPDATE events SET description = ${html} WHERE id = ${id}`
  return id
}

beforeAll(async () => {
  n = await newsEnv()
  ;[member, outsider, admin, requester] = await Promise.all([
    person(n, { lastName: 'Member' }), person(n, { lastName: 'Outsider' }),
    person(n, { type: 'teacher', lastName: 'Admin', groups: ['admin_events'] }), person(n, { lastName: 'Asker' }),
  ])
  const club = await groupId(n.sql, 'Robot Club', [member.id])
  ids.open = await addEvent(n.sql, { title: 'Robotics showcase', starts: '2026-12-03T20:00:00Z' })
  ids.club = await addEvent(n.sql, { title: 'Robotics club night', groups: [club], starts: '2026-12-04T20:00:00Z' })
  ids.about = await withDescription(await addEvent(n.sql, { title: 'Winter gala', starts: '2027-01-15T23:00:00Z', location: 'Cafeteria' }),
    '<p>Music, food and a <strong>ROBOTICS</strong> demo &amp; more.</p>')
  ids.spring = await addEvent(n.sql, { title: 'Robotics regional', starts: '2027-06-20T14:00:00Z' })
  ids.pending = await addEvent(n.sql, { title: 'Robotics bake sale', approved: false, userId: requester.id })
  ids.rejected = await addEvent(n.sql, { title: 'Robotics rally', approved: false, rejected: true, userId: requester.id })
  ids.lastYear = await addEvent(n.sql, { title: 'Robotics kickoff', starts: '2026-07-20T14:00:00Z' })
  ids.nextYear = await addEvent(n.sql, { title: 'Robotics kickoff next', starts: '2027-08-02T14:00:00Z' })
  ids.evil = await addEvent(n.sql, { title: '<script>alert("robotics")</script><img src=x onerror=alert(1)>', starts: '2026-12-05T20:00:00Z' })
  ids.percent = await addEvent(n.sql, { title: 'Pep rally 100% spirit', starts: '2026-12-06T20:00:00Z' })
  ids.plain = await addEvent(n.sql, { title: 'Pep rally 1000 spirit', starts: '2026-12-07T20:00:00Z' })
})
afterAll(async () => { await n.close() })

const search = async (q: string, p: Person, htmx = false) => {
  const r = await n.handle(get(`/search?q=${encodeURIComponent(q)}`, p.cookie, htmx))
  return { status: r.status, location: r.headers.get('location'), html: await r.text() }
}

/** The events section alone, and the event ids it links to (in order). */
function eventHits(html: string): number[] {
  const m = html.match(/<section class="dir-section" aria-labelledby="sec-events">([\s\S]*?)<\/section>/)
  if (!m) return []
  return [...m[1]!.matchAll(/href="\/events\/(\d+)"/g)].map((x) => Number(x[1]))
}

describe('the Events section', () => {
  test('visible events of this school year, in time order; the group event only for its members', async () => {
    const m = await search('robotics', member)
    expect(m.status).toBe(200)
    expect(m.html).toContain('<h2 id="sec-events">Events</h2>')
    expect(eventHits(m.html)).toEqual([ids.open, ids.club, ids.evil, ids.about, ids.spring])
    expect(eventHits((await search('robotics', outsider)).html)).toEqual([ids.open, ids.evil, ids.about, ids.spring])
  })

  test('not hits: pending and rejected requests (even for their requester), last year, next year', async () => {
    const r = await search('robotics', requester)
    for (const k of ['pending', 'rejected', 'lastYear', 'nextYear', 'club'] as const) expect(eventHits(r.html)).not.toContain(ids[k])
    expect(r.html).not.toContain('bake sale')
    expect(r.html).not.toContain('kickoff')
  })

  test('events admins find every approved event, group ones included', async () => {
    expect(eventHits((await search('robotics', admin)).html)).toEqual([ids.open, ids.club, ids.evil, ids.about, ids.spring])
  })

  test('every word must match (title or description text), case-insensitive; OR is a union', async () => {
    expect(eventHits((await search('ROBOTICS Showcase', outsider)).html)).toEqual([ids.open])
    expect(eventHits((await search('gala robotics', outsider)).html)).toEqual([ids.about])
    expect(eventHits((await search('robotics demo music', outsider)).html)).toEqual([ids.about])
    expect(eventHits((await search('showcase OR gala', outsider)).html)).toEqual([ids.open, ids.about])
    expect(eventHits((await search('robotics nowhere', outsider)).html)).toEqual([])
  })

  test('markup is not text: tag names and attributes in descriptions do not match', async () => {
    expect(eventHits((await search('strong', outsider)).html)).toEqual([])
    expect(eventHits((await search('amp', outsider)).html)).toEqual([])
    expect(eventHits((await search('demo & more', outsider)).html)).toEqual([ids.about])
  })

  test('LIKE wildcards in a word match themselves', async () => {
    expect(eventHits((await search('100%', outsider)).html)).toEqual([ids.percent])
    expect(eventHits((await search('rally_100', outsider)).html)).toEqual([])
  })

  test('a hit shows its date (with the year), place and an excerpt, linking to the event', async () => {
    const { html } = await search('gala', outsider)
    expect(html).toContain(`<a href="/events/${ids.about}" class="hit-title">Winter gala</a>`)
    expect(html).toContain('Fri, Jan 15, 2027 · 6:00 PM – 7:00 PM · Cafeteria — Music, food and a ROBOTICS demo &amp; more.')
  })

  test('a malicious title is escaped, in the full page and in the search-as-you-type fragment', async () => {
    for (const htmx of [false, true]) {
      const { status, html } = await search('alert', outsider, htmx)
      expect(status).toBe(200)
      expect(eventHits(html)).toEqual([ids.evil])
      expect(html).toContain('&lt;script&gt;alert(&quot;robotics&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;')
      expect(html).not.toContain('<script>alert')
      expect(html).not.toContain('<img src=x')
    }
  })

  test('as in Ion, event hits do not keep a one-person search from opening the profile', async () => {
    const p = await person(n, { firstName: 'Quentin', lastName: 'Zephyrine' })
    await addEvent(n.sql, { title: 'Zephyrine memorial concert', starts: '2026-12-10T20:00:00Z' })
    const r = await search('zephyrine', outsider)
    expect(r.status).toBe(303)
    expect(r.location).toBe(`/profile/${p.id}`)
    // typing (htmx) never navigates: the person and the event are listed
    const typed = await search('zephyrine', outsider, true)
    expect(typed.html).toContain('Zephyrine memorial concert')
    expect(typed.html).toContain(`/profile/${p.id}`)
  })

  test('restricted accounts cannot search at all', async () => {
    const limited = await person(n, { type: 'user' })
    expect((await search('robotics', limited)).status).toBe(403)
  })
})
