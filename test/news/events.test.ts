import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req } from '../helpers/app.ts'
import { deliver, get, groupId, newsEnv, outbox, person, post, type NewsEnv, type Person } from './announcements-fixture.ts'
import { addEvent, attend, eventCountWhere } from './events-fixture.ts'

// Events (issue 8, item 4): visibility against a table of viewers, request → approval with its
// emails through the SMTP sink, admin add, validation, RSVP rules, the roster's privacy, the
// lists and calendars, the login page and the dashboard feed.

setDefaultTimeout(60_000)
let n: NewsEnv
let member: Person, outsider: Person, teacher: Person, admin: Person, requester: Person, restricted: Person
let club = 0, hidden = 0
const ids: Record<string, number> = {}

beforeAll(async () => {
  n = await newsEnv()
  ;[member, outsider, teacher, admin, requester, restricted] = await Promise.all([
    person(n, { lastName: 'Member' }), person(n, { lastName: 'Outsider' }), person(n, { type: 'teacher', lastName: 'Teach' }),
    person(n, { type: 'teacher', lastName: 'Admin', groups: ['admin_events'] }), person(n, { lastName: 'Asker' }), person(n, { type: 'user', lastName: 'Limited' }),
  ])
  club = await groupId(n.sql, 'Chess Club', [member.id])
  await n.sql`INSERT INTO groups (name, student_visible) VALUES ('Staff only', false)`
  hidden = (await n.sql<{ id: number }[]>`SELECT id FROM groups WHERE name = 'Staff only'`)[0]!.id
  ids.everyone = await addEvent(n.sql, { title: 'Open house' })
  ids.club = await addEvent(n.sql, { title: 'Chess night', groups: [club] })
  ids.pending = await addEvent(n.sql, { title: 'Pending party', approved: false, userId: requester.id })
  ids.rejected = await addEvent(n.sql, { title: 'Rejected rally', approved: false, rejected: true, userId: requester.id })
})
afterAll(async () => { await n.close() })

const status = async (path: string, cookie: string) => (await n.handle(get(path, cookie))).status
const html = async (path: string, cookie: string) => (await n.handle(get(path, cookie))).text()

describe('visibility (Ion: approved and (no groups, a member, or the creator); admins see all)', () => {
  const table: [string, () => Person, Record<string, number>][] = [
    ['a member of the club', () => member, { everyone: 200, club: 200, pending: 404, rejected: 404 }],
    ['a student outside the club', () => outsider, { everyone: 200, club: 404, pending: 404, rejected: 404 }],
    ['a teacher', () => teacher, { everyone: 200, club: 404, pending: 404, rejected: 404 }],
    ['the requester', () => requester, { everyone: 200, club: 404, pending: 200, rejected: 200 }],
    ['an events admin', () => admin, { everyone: 200, club: 200, pending: 200, rejected: 200 }],
    ['a restricted account', () => restricted, { everyone: 403, club: 403, pending: 403, rejected: 403 }],
  ]
  for (const [who, p, expected] of table) {
    test(`${who}: event pages`, async () => {
      const got: Record<string, number> = {}
      for (const k of Object.keys(expected)) got[k] = await status(`/events/${ids[k]}`, p().cookie)
      expect(got).toEqual(expected)
    })
  }

  test('the lists show exactly the visible approved events; anonymous visitors are sent to log in', async () => {
    const m = await html('/events', member.cookie)
    expect(m).toContain('Open house')
    expect(m).toContain('Chess night')
    expect(m).not.toContain('Pending party')
    const o = await html('/events', outsider.cookie)
    expect(o).toContain('Open house')
    expect(o).not.toContain('Chess night')
    const r = await html('/events', requester.cookie)
    expect(r).toContain('Your requests')
    expect(r).toContain('Pending party')
    const a = await html('/events', admin.cookie)
    expect(a).toContain('Awaiting approval')
    expect(a).toContain('Approve “Pending party”')
    expect((await n.handle(req('/events'))).status).toBe(303)
  })

  test('week and month calendars show the visible events on their day; a bad date is 422', async () => {
    const week = await html('/events/calendar?view=week&date=2026-12-01', member.cookie)
    expect(week).toContain('Week of November 30, 2026')
    expect(week).toContain('id="day-2026-12-01"')
    expect(week).toContain('Chess night')
    const month = await html('/events/calendar?view=month&date=2026-12-15', outsider.cookie)
    expect(month).toContain('December 2026')
    expect(month).toContain('Open house')
    expect(month).not.toContain('Chess night')
    expect(month).toContain('Tuesday, December 1: 1 event')
    expect(await status('/events/calendar?view=month&date=2026-13-01', member.cookie)).toBe(422)
  })
})

const form = (over: Record<string, string> = {}): Record<string, string> => ({
  title: 'Science fair', starts_at: '2026-12-10T18:00', ends_at: '2026-12-10T20:00', location: 'Gym', description: '<p>Projects <script>alert(1)</script><b>welcome</b></p>',
  category: 'school', open_to: 'everyone', show_on_dashboard: 'on', ...over,
})

describe('request → approval, with its emails', () => {
  test('a member requests: saved unapproved, the events admins are emailed, the description is sanitized', async () => {
    const r = await n.handle(post('/events/request', form(), requester.cookie))
    expect(r.status).toBe(303)
    const id = Number(/\/events\/(\d+)/.exec(r.headers.get('location')!)![1])
    ids.science = id
    expect(await html(`/events/${id}?done=requested`, requester.cookie)).toContain('needs to be approved by an administrator')
    const [row] = await n.sql<{ approved: boolean; description: string }[]>`SELECT approved, description FROM events WHERE id = ${id}`
    expect(row!.approved).toBe(false)
    expect(row!.description).not.toContain('<script')
    expect(row!.description).toContain('<b>welcome</b>')
    const mail = await outbox(n.sql, 'events.request')
    expect(mail).toHaveLength(1)
    expect([...mail[0]!.toAddrs, ...mail[0]!.bccAddrs]).toContain(admin.email)
    expect(await deliver(n)).toBeGreaterThan(0)
    const sent = n.sink.messages.find((m) => m.subject?.includes('Event Approval Needed: Science fair'))
    expect(sent?.to).toContain(admin.email)
  })

  test('an admin approves: the requester is emailed, the event is listed; approving again is 409', async () => {
    const r = await n.handle(post(`/events/approve/${ids.science}`, {}, admin.cookie))
    expect(r.status).toBe(303)
    expect(await html('/events', outsider.cookie)).toContain('Science fair')
    await deliver(n)
    const sent = n.sink.messages.find((m) => m.subject?.includes('Event Approved: Science fair'))
    expect(sent?.to).toEqual([requester.email])
    expect((await n.handle(post(`/events/approve/${ids.science}`, {}, admin.cookie))).status).toBe(409)
    const [a] = await n.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE action = 'event.approve' AND target_id = ${String(ids.science)}`
    expect(a?.action).toBe('event.approve')
  })

  test('an admin rejects a request: the requester hears; non-admins cannot approve, modify or delete (403)', async () => {
    const r = await n.handle(post('/events/request', form({ title: 'Bonfire' }), requester.cookie))
    const id = Number(/\/events\/(\d+)/.exec(r.headers.get('location')!)![1])
    for (const path of [`/events/approve/${id}`, `/events/reject/${id}`, `/events/modify/${id}`, `/events/delete/${id}`])
      expect([path, (await n.handle(post(path, form(), teacher.cookie))).status]).toEqual([path, 403])
    for (const path of [`/events/modify/${id}`, `/events/delete/${id}`]) expect([path, await status(path, member.cookie)]).toEqual([path, 403])
    expect((await n.handle(post(`/events/reject/${id}`, {}, admin.cookie))).status).toBe(303)
    await deliver(n)
    expect(n.sink.messages.find((m) => m.subject?.includes('Event Request Rejected: Bonfire'))?.to).toEqual([requester.email])
    expect(await html('/events', admin.cookie)).not.toContain('Approve “Bonfire”')
  })

  test('an events admin adds an event: approved at once, with Ion’s message; non-admins asking for /events/add go to the request form', async () => {
    // Ion: only group admins attach groups that are not student-visible, events admins included.
    expect((await n.handle(post('/events/add', form({ title: 'Assembly', groups: String(hidden) }), admin.cookie))).status).toBe(422)
    const r = await n.handle(post('/events/add', form({ title: 'Assembly', groups: String(club) }), admin.cookie))
    expect(r.status).toBe(303)
    const page = await html(r.headers.get('location')!, admin.cookie)
    expect(page).toContain('Because you are an administrator, this event was auto-approved.')
    expect((await n.sql`SELECT approved FROM events WHERE title = 'Assembly'`)[0]!.approved).toBe(true)
    const g = await n.handle(get('/events/add', member.cookie))
    expect([g.status, g.headers.get('location')]).toEqual([303, '/events/request'])
    expect((await n.handle(post('/events/add', form({ title: 'Sneaky' }), member.cookie))).status).toBe(403)
  })

  test('an admin edits and deletes (audited)', async () => {
    const id = await addEvent(n.sql, { title: 'Old title' })
    expect((await html(`/events/modify/${id}`, admin.cookie))).toContain('value="Old title"')
    expect((await n.handle(post(`/events/modify/${id}`, form({ title: 'New title', starts_at: '2026-11-01T10:00', ends_at: '' }), admin.cookie))).status).toBe(303)
    expect(await html(`/events/${id}`, member.cookie)).toContain('New title')
    expect((await n.handle(post(`/events/delete/${id}`, {}, admin.cookie))).status).toBe(303)
    expect(await status(`/events/${id}`, admin.cookie)).toBe(404)
    expect((await n.sql`SELECT 1 FROM audit_log WHERE action = 'event.delete' AND target_id = ${String(id)}`).length).toBe(1)
  })
})

describe('validation: 422 with every reason, nothing saved', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['no title', { title: ' ' }, 'Give the event a title.'],
    ['not a date', { starts_at: '2026-02-30T10:00' }, 'The start is not a real date and time.'],
    ['in the past', { starts_at: '2026-11-01T10:00', ends_at: '' }, 'The event cannot start in the past.'],
    ['ends before it starts', { ends_at: '2026-12-10T17:00' }, 'The event must end after it starts.'],
    ['a group students cannot choose', { groups: 'HIDDEN' }, 'One of the chosen groups does not exist or cannot be chosen.'],
    ['an unknown category', { category: 'party' }, 'Choose a category: school or sports.'],
  ]
  for (const [what, over, message] of cases) {
    test(what, async () => {
      const title = `Invalid ${what}`
      const f = form({ title, ...over })
      if (f.groups === 'HIDDEN') f.groups = String(hidden)
      const r = await n.handle(post('/events/request', f, requester.cookie))
      expect(r.status).toBe(422)
      expect(await r.text()).toContain(message.replace(/’/g, '&#39;'))
      expect(await eventCountWhere(n.sql, f.title!)).toBe(0)
    })
  }
})

describe('RSVP', () => {
  test('join and leave where the event allows it (htmx swaps the box); the count follows', async () => {
    const id = await addEvent(n.sql, { title: 'Movie night', rsvp: true })
    const r = await n.handle(post(`/events/join/${id}`, { attending: 'true' }, member.cookie))
    expect([r.status, r.headers.get('location')]).toEqual([303, `/events/${id}?done=going`])
    expect(await html(`/events/${id}`, outsider.cookie)).toContain('1 person is going.')
    const again = await n.handle(post(`/events/join/${id}`, { attending: 'true' }, member.cookie, true))
    const box = await again.text()
    expect(again.status).toBe(200)
    expect(box).toStartWith('<section id="rsvp"')
    expect(box).toContain('1 person is going. You are going.')
    await n.handle(post(`/events/join/${id}`, { attending: 'false' }, member.cookie))
    expect((await n.sql`SELECT count(*)::int AS c FROM event_attendees WHERE event_id = ${id}`)[0]!.c).toBe(0)
  })

  test('refused: RSVP off (409), an event that is over (409), pending or invisible (404), unknown (404), a bad value (422)', async () => {
    const off = await addEvent(n.sql, { title: 'No RSVP' })
    const over = await addEvent(n.sql, { title: 'Yesterday', rsvp: true, starts: '2026-11-29T15:00:00Z' })
    const pending = await addEvent(n.sql, { title: 'Waiting', rsvp: true, approved: false })
    const secret = await addEvent(n.sql, { title: 'Members only', rsvp: true, groups: [club] })
    const go = (id: number | string, who = outsider, v = 'true') => n.handle(post(`/events/join/${id}`, { attending: v }, who.cookie))
    expect((await go(off)).status).toBe(409)
    expect((await go(over)).status).toBe(409)
    expect((await go(pending)).status).toBe(404)
    expect((await go(secret)).status).toBe(404)
    expect((await go(999999)).status).toBe(404)
    expect((await go(secret, member, 'maybe')).status).toBe(422)
    expect((await go(secret, member)).status).toBe(303)
    expect((await n.sql`SELECT count(*)::int AS c FROM event_attendees WHERE event_id IN ${n.sql([off, over, pending])}`)[0]!.c).toBe(0)
  })

  test('the roster: students see names of those who share their eighth period (and staff), the rest counted; staff see all', async () => {
    const id = await addEvent(n.sql, { title: 'Club fair', rsvp: true })
    const privateOnes = await Promise.all([1, 2, 3, 4, 5].map((i) => person(n, { lastName: `Private${i}` })))
    const open = await person(n, { lastName: 'Openbook' })
    await n.sql`UPDATE users SET self_show_eighth = true, parent_show_eighth = true WHERE id = ${open.id}`
    await attend(n.sql, id, [...privateOnes.map((p) => p.id), open.id, teacher.id])
    const seenByStudent = await html(`/events/${id}`, outsider.cookie)
    expect(seenByStudent).toContain('7 people are going.')
    expect(seenByStudent).toContain('Openbook')
    expect(seenByStudent).toContain('Teach')
    expect(seenByStudent).not.toContain('Private1')
    expect(seenByStudent).toContain('5 more people keep their plans private.')
    const seenByTeacher = await html(`/events/${id}`, teacher.cookie)
    for (let i = 1; i <= 5; i++) expect(seenByTeacher).toContain(`Private${i}`)
    expect(seenByTeacher).not.toContain('keep their plans private')
  })
})

describe('the login page and the dashboard feed', () => {
  test('anonymous visitors see up to 3 sports and 3 school public events of the next 7 days, without groups', async () => {
    for (let i = 0; i < 4; i++) await addEvent(n.sql, { title: `Game ${i}`, category: 'sports', public: true, starts: `2026-12-0${i + 1}T23:00:00Z` })
    await addEvent(n.sql, { title: 'Concert', public: true, starts: '2026-12-03T00:00:00Z' })
    await addEvent(n.sql, { title: 'Far away gala', public: true, starts: '2026-12-20T00:00:00Z' })
    await addEvent(n.sql, { title: 'Team dinner', public: true, groups: [club] })
    await addEvent(n.sql, { title: 'Unapproved game', category: 'sports', public: true, approved: false })
    const page = await (await n.handle(req('/'))).text()
    expect(page).toContain('Log in to')
    expect(page).toContain('Upcoming sports')
    for (const t of ['Game 0', 'Game 1', 'Game 2', 'Concert']) expect(page).toContain(t)
    for (const t of ['Game 3', 'Far away gala', 'Team dinner', 'Unapproved game', 'Open house']) expect(page).not.toContain(t)
  })

  test('the dashboard feed holds the visible events (not hidden from the dashboard, not over)', async () => {
    await addEvent(n.sql, { title: 'Feed only club', groups: [club], added: new Date('2026-11-30T13:00:00Z') })
    await addEvent(n.sql, { title: 'Not on dashboard', dashboard: false, added: new Date('2026-11-30T13:00:00Z') })
    await addEvent(n.sql, { title: 'Last week', starts: '2026-11-20T15:00:00Z', added: new Date('2026-11-30T13:00:00Z') })
    const m = await html('/', member.cookie)
    expect(m).toContain('id="event-')
    expect(m).toContain('Feed only club')
    expect(m).not.toContain('Not on dashboard')
    expect(m).not.toContain('Last week')
    expect(await html('/', outsider.cookie)).not.toContain('Feed only club')
  })
})
