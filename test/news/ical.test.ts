import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import ical from 'node-ical'
import { insertDayType, replaceBlocks, upsertDay } from '../../src/features/schedule/admin.sql.ts'
import { req } from '../helpers/app.ts'
import { addActivity, addBlock, addRoom, asAdmin, schedule, signup } from '../helpers/eighth.ts'
import { get, groupId, newsEnv, person, post, type NewsEnv, type Person } from './announcements-fixture.ts'
import { addEvent, attend } from './events-fixture.ts'

// The iCalendar feeds (issue 8, item 4), read back with an independent parser (node-ical): the
// public feed holds only public, approved, group-less events; the private feed holds what its
// owner may see (joined ones marked) and their eighth-period signups at the bell schedule's time
// (all day without a schedule); a reset or turned-off link is 404; tokens are stored hashed.

setDefaultTimeout(60_000)
let n: NewsEnv
let student: Person, other: Person
const ids: Record<string, number> = {}

type VEvent = { type: string; uid: string; summary: string; start: Date & { dateOnly?: boolean }; end?: Date; location?: string; status?: string; description?: string }
const parse = (text: string) => Object.values(ical.sync.parseICS(text)).filter((c) => (c as { type: string }).type === 'VEVENT') as unknown as VEvent[]
const summaries = (events: VEvent[]) => events.map((e) => e.summary).sort()

beforeAll(async () => {
  n = await newsEnv()
  ;[student, other] = await Promise.all([person(n, { lastName: 'Cal' }), person(n, { lastName: 'Other' })])
  const club = await groupId(n.sql, 'Astronomy Club', [student.id])
  ids.public = await addEvent(n.sql, { title: 'Homecoming game', public: true, category: 'sports', starts: '2026-12-05T18:00:00Z' })
  ids.plain = await addEvent(n.sql, { title: 'Staff-free study hall', starts: '2026-12-03T15:00:00Z' })
  ids.club = await addEvent(n.sql, { title: 'Star party', groups: [club], public: true, rsvp: true, starts: '2026-12-04T23:00:00Z', location: 'Field' })
  ids.pending = await addEvent(n.sql, { title: 'Unapproved thing', public: true, approved: false })
  ids.old = await addEvent(n.sql, { title: 'Ancient history', public: true, starts: '2025-01-10T15:00:00Z' })
  await attend(n.sql, ids.club, [student.id])
  // Eighth: block A on Wednesday 2 Dec has a bell schedule with an 8A block; block B on Friday 4 Dec has none.
  const now = n.env.clock.now()
  const dayType = await insertDayType(n.sql, { name: 'Blue Day', special: false, codenames: [] }, now)
  await replaceBlocks(n.sql, dayType, [{ order: 1, name: 'Period 1', start: '08:40', end: '09:50' }, { order: 2, name: '8A', start: '14:30', end: '15:10' }, { order: 3, name: '8B', start: '15:20', end: '16:00' }])
  await upsertDay(n.sql, '2026-12-02', dayType, null, now)
  const room = await addRoom(n.sql, 'Room 101')
  const act = await addActivity(n.sql, 'Robotics', { rooms: [room] })
  const a = await addBlock(n.sql, '2026-12-02', 'A')
  const b = await addBlock(n.sql, '2026-12-04', 'B')
  for (const block of [a, b]) {
    const sa = await schedule(n.sql, block, act)
    const r = await signup(n.sql, n.env.clock, { userId: student.id, scheduledId: sa, requester: asAdmin(student.id), force: true })
    expect(r.ok).toBe(true)
  }
})
afterAll(async () => { await n.close() })

async function makeLink(p: Person): Promise<string> {
  const r = await n.handle(post('/events/ical/reset', {}, p.cookie))
  expect(r.status).toBe(200)
  const page = await r.text()
  const m = /\/events\/ical\/([a-z2-7]{32})\.ics/.exec(page)
  expect(m).not.toBeNull()
  return m![1]!
}

describe('the public feed', () => {
  test('only approved public events without groups, in the window, parsed by node-ical', async () => {
    const r = await n.handle(req('/events/ical/public.ics'))
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toStartWith('text/calendar')
    const events = parse(await r.text())
    expect(summaries(events)).toEqual(['Homecoming game'])
    const game = events[0]!
    expect(game.start.toISOString()).toBe('2026-12-05T18:00:00.000Z')
    expect(game.end!.toISOString()).toBe('2026-12-05T19:00:00.000Z')
    expect(game.uid).toBe(`event-${ids.public}@localhost:3000`)
  })
})

describe('the private feed', () => {
  test('the page makes a link; the token is stored only as its SHA-256', async () => {
    const token = await makeLink(student)
    const [row] = await n.sql<{ tokenHash: string }[]>`SELECT token_hash FROM event_ical_tokens WHERE user_id = ${student.id}`
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/)
    expect(row!.tokenHash).not.toContain(token)
    expect(await (await n.handle(get('/events/ical', student.cookie))).text()).toContain('You have a private link')
  })

  test('holds the events the owner may see (joined ones marked) and their eighth signups at the bell-schedule time', async () => {
    const token = await makeLink(student)
    const r = await n.handle(req(`/events/ical/${token}.ics`))
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toContain('private')
    const events = parse(await r.text())
    expect(summaries(events)).toEqual(['Eighth A: Robotics', 'Eighth B: Robotics', 'Homecoming game', 'Staff-free study hall', 'Star party'])
    const party = events.find((e) => e.summary === 'Star party')!
    expect(party.description).toContain('You are going.')
    expect(party.location).toBe('Field')
    const a = events.find((e) => e.summary === 'Eighth A: Robotics')!
    expect(a.start.toISOString()).toBe('2026-12-02T19:30:00.000Z') // 14:30 in New York
    expect(a.end!.toISOString()).toBe('2026-12-02T20:10:00.000Z')
    expect(a.location).toBe('Room 101')
    const b = events.find((e) => e.summary === 'Eighth B: Robotics')!
    expect(b.start.dateOnly).toBe(true) // no bell schedule that day: all day
    expect(`${b.start.getFullYear()}-${b.start.getMonth() + 1}-${b.start.getDate()}`).toBe('2026-12-4')
  })

  test('someone else sees neither the club event nor the eighth signups', async () => {
    const token = await makeLink(other)
    const events = parse(await (await n.handle(req(`/events/ical/${token}.ics`))).text())
    expect(summaries(events)).toEqual(['Homecoming game', 'Staff-free study hall'])
  })

  test('reset: the old link is 404 and the new one works; turned off: 404; a malformed name: 404', async () => {
    const first = await makeLink(student)
    const second = await makeLink(student)
    expect((await n.handle(req(`/events/ical/${first}.ics`))).status).toBe(404)
    expect((await n.handle(req(`/events/ical/${second}.ics`))).status).toBe(200)
    const off = await n.handle(post('/events/ical/revoke', {}, student.cookie))
    expect(off.status).toBe(303)
    expect((await n.handle(req(`/events/ical/${second}.ics`))).status).toBe(404)
    expect((await n.handle(req('/events/ical/not-a-token.ics'))).status).toBe(404)
    expect((await n.sql`SELECT 1 FROM event_ical_tokens WHERE user_id = ${student.id}`).length).toBe(0)
  })

  test('a locked account’s link stops working', async () => {
    const token = await makeLink(other)
    await n.sql`UPDATE users SET locked = true WHERE id = ${other.id}`
    expect((await n.handle(req(`/events/ical/${token}.ics`))).status).toBe(404)
  })
})
