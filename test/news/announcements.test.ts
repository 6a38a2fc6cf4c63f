import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { addActivity } from '../helpers/eighth.ts'
import { zonedInstant } from '../../src/platform/zoned.ts'
import {
  addAnnouncement, audits, get, groupId, newsEnv, outbox, person, post, recipientsOf, shownIds, type NewsEnv, type Person,
} from './announcements-fixture.ts'

// Announcements (issue 8, item 3): visibility against a table of viewers, direct posts with their
// emails (opt-outs respected; "email everyone" overrides them and is audited), the expiration
// default, edit/expire/delete, validation, the demo data and races. The approval workflow and club
// posts are in announcements-workflow.test.ts.

setDefaultTimeout(30_000)
let n: NewsEnv
beforeAll(async () => { n = await newsEnv() })
afterAll(async () => { await n.close() })

const status = async (path: string, p: Person) => (await n.handle(get(path, p.cookie))).status
const text = async (r: Request | Promise<Response>) => (await (r instanceof Request ? n.handle(r) : r)).text()

describe('visibility (ion-apps.md §8) against a table of viewers', () => {
  test('each viewer sees exactly the posts the rule allows', async () => {
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'], lastName: 'Admin' })
    const author = await person(n, { type: 'teacher', lastName: 'Author' })
    const studentIn = await person(n, { graduationYear: 2028, lastName: 'Inside' })
    const studentOut = await person(n, { graduationYear: 2029, lastName: 'Outside' })
    const teacher = await person(n, { type: 'teacher', lastName: 'Plain' })
    const requester = await person(n, { graduationYear: 2029, lastName: 'Requester' })
    const approver = await person(n, { type: 'teacher', lastName: 'Approver' })
    const allowed = await person(n, { graduationYear: 2029, lastName: 'Allowed' })
    const senior = await person(n, { graduationYear: 2027, lastName: 'Senior' })
    const restricted = await person(n, { type: 'alum', lastName: 'Alum' })
    const robotics = await groupId(n.sql, 'Robotics Visibility', [studentIn.id])

    const pub = await addAnnouncement(n.sql, { title: 'Public' })
    const grouped = await addAnnouncement(n.sql, { title: 'Grouped', groups: [robotics], userId: author.id })
    const fromRequest = await addAnnouncement(n.sql, { title: 'From a request', groups: [robotics], userId: requester.id })
    const [r] = await n.sql<{ id: number }[]>`
      INSERT INTO announcement_requests (title, content, user_id, posted_id, posted_by, added, updated)
      VALUES ('From a request', '<p>x</p>', ${requester.id}, ${fromRequest}, ${admin.id}, now(), now()) RETURNING id`
    await n.sql`INSERT INTO announcement_request_teachers (request_id, user_id, slot, state, decided_at) VALUES (${r!.id}, ${approver.id}, 1, 'approved', now())`
    // (Ion makes the requester the poster; a post without one shows that the request rule alone admits requester and approver)
    await n.sql`UPDATE announcements SET user_id = NULL WHERE id = ${fromRequest}`
    const chess = await addActivity(n.sql, 'Chess Visibility')
    const theater = await addActivity(n.sql, 'Theater Visibility', { restricted: true, seniorsAllowed: true })
    await n.sql`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES (${theater}, ${allowed.id}, 'allowed')`
    const clubOpen = await addAnnouncement(n.sql, { title: 'Club open', activityId: chess })
    const clubRestricted = await addAnnouncement(n.sql, { title: 'Club restricted', activityId: theater })
    const clubPublic = await addAnnouncement(n.sql, { title: 'Club public', activityId: theater, public: true })

    const everyone = [pub, clubOpen, clubPublic]
    const table: [string, Person, number[]][] = [
      ['student in the group', studentIn, [...everyone, grouped, fromRequest]],
      ['student outside the group', studentOut, everyone],
      ['teacher', teacher, everyone],
      ['author (poster)', author, [...everyone, grouped]],
      ['requester', requester, [...everyone, fromRequest]],
      ['approving teacher', approver, [...everyone, fromRequest]],
      ['student on the restricted club’s allow list', allowed, [...everyone, clubRestricted]],
      ['senior (the restricted club allows seniors)', senior, [...everyone, clubRestricted]],
      ['announcement admin (not in the group)', admin, everyone],
    ]
    const all = [pub, grouped, fromRequest, clubOpen, clubRestricted, clubPublic]
    const seen: Record<string, number[]> = {}
    const expected: Record<string, number[]> = {}
    for (const [label, p, ids] of table) {
      expected[label] = [...ids].sort((a, b) => a - b)
      const list = shownIds(await text(get('/announcements', p.cookie)))
      const club = [...shownIds(await text(get('/announcements/club', p.cookie))), ...shownIds(await text(get('/announcements/club?tab=unsubscribed', p.cookie)))]
      seen[label] = [...list, ...club].filter((id) => all.includes(id)).sort((a, b) => a - b)
      if (p !== admin) for (const id of all) expect({ label, id, status: await status(`/announcements/${id}`, p) }).toEqual({ label, id, status: ids.includes(id) ? 200 : 404 })
    }
    expect(seen).toEqual(expected)
    // restricted users see none: the pages are refused and the dashboard has no feed
    expect(await status('/announcements', restricted)).toBe(403)
    expect(await status(`/announcements/${pub}`, restricted)).toBe(403)
    expect(await text(get('/', restricted.cookie))).not.toContain('data-widget="feed"')
    // admins see everything with show_all, and may open any post
    const everything = shownIds(await text(get('/announcements?show_all=1', admin.cookie)))
    for (const id of [pub, grouped, fromRequest]) expect(everything).toContain(id)
    for (const id of all) expect(await status(`/announcements/${id}`, admin)).toBe(200)
    // the requester and approver are told why they see it
    expect(await text(get(`/announcements/${fromRequest}`, requester.cookie))).toContain('You submitted this announcement.')
    expect(await text(get(`/announcements/${fromRequest}`, approver.cookie))).toContain('You approved this announcement.')
  })
})

describe('direct posts by announcement admins', () => {
  test('the expiration defaults to 14 days from today at 23:59 in the school’s zone', async () => {
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
    const form = await text(get('/announcements/add', admin.cookie))
    expect(form).toContain('value="2026-12-14T23:59"')
    const r = await n.handle(post('/announcements/add', { title: 'Default expiry', content: '<p>Hello</p>' }, admin.cookie))
    expect(r.status).toBe(303)
    const [row] = await n.sql<{ expirationDate: Date }[]>`SELECT expiration_date FROM announcements WHERE title = 'Default expiry'`
    expect(row!.expirationDate.toISOString()).toBe(zonedInstant('2026-12-14', '23:59', 'America/New_York').toISOString())
    expect(row!.expirationDate.toISOString()).toBe('2026-12-15T04:59:00.000Z')
    // "Don't expire" and an explicit time
    await n.handle(post('/announcements/add', { title: 'Forever', content: 'x', no_expiration: 'on' }, admin.cookie))
    await n.handle(post('/announcements/add', { title: 'Explicit', content: 'x', expiration: '2026-12-01T08:30' }, admin.cookie))
    const rows = await n.sql<{ title: string; expirationDate: Date }[]>`SELECT title, expiration_date FROM announcements WHERE title IN ('Forever', 'Explicit') ORDER BY title`
    expect(rows.map((x) => [x.title, x.expirationDate.toISOString()])).toEqual([['Explicit', '2026-12-01T13:30:00.000Z'], ['Forever', '3000-01-01T00:00:00.000Z']])
  })

  test('bad input is refused with every reason, nothing saved; content is sanitized on save', async () => {
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
    const before = (await n.sql`SELECT count(*)::int AS c FROM announcements`)[0]!.c
    const r = await n.handle(post('/announcements/add', { title: '', content: '<script>alert(1)</script>', expiration: '2026-13-40T99:00', groups: 'abc' }, admin.cookie))
    expect(r.status).toBe(422)
    const body = await r.text()
    for (const m of ['Give the announcement a title.', 'Write the text of the announcement.', 'Enter the expiration as a date and time', 'Choose groups from the list.']) expect(body).toContain(m)
    expect((await n.handle(post('/announcements/add', { title: 'Past', content: 'x', expiration: '2026-11-01T10:00' }, admin.cookie))).status).toBe(422)
    expect((await n.handle(post('/announcements/add', { title: 'No such group', content: 'x', groups: '999999' }, admin.cookie))).status).toBe(422)
    expect((await n.sql`SELECT count(*)::int AS c FROM announcements`)[0]!.c).toBe(before)
    await n.handle(post('/announcements/add', { title: 'Sanitized', content: '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">link</a> https://example.com</p>' }, admin.cookie))
    const [row] = await n.sql<{ content: string }[]>`SELECT content FROM announcements WHERE title = 'Sanitized'`
    expect(row!.content).toBe('<p>Hi link <a href="https://example.com" rel="noopener noreferrer nofollow">https://example.com</a></p>')
    // only announcement admins post directly
    const student = await person(n)
    expect((await n.handle(post('/announcements/add', { title: 'Nope', content: 'x' }, student.cookie))).status).toBe(403)
    expect(await status('/announcements/add', student)).toBe(403)
  })

  test('notify emails the audience who want news; "email everyone" overrides opt-outs and is audited', async () => {
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
    const club = await groupId(n.sql, 'Mail Club')
    const keen = await person(n, { graduationYear: 2028 })
    const quiet = await person(n, { graduationYear: 2028, news: false })
    const alum = await person(n, { graduationYear: 2020 }) // graduated: not a current student
    const outsider = await person(n, { graduationYear: 2028 })
    await n.sql`INSERT INTO user_groups (user_id, group_id) VALUES (${keen.id}, ${club}), (${quiet.id}, ${club}), (${alum.id}, ${club})`
    await n.sql`DELETE FROM mail_outbox`
    const r = await n.handle(post('/announcements/add', [['title', 'Club meeting'], ['content', '<p>Room 101</p>'], ['groups', String(club)], ['notify_post', 'on']], admin.cookie))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toMatch(/^\/announcements\/\d+\?done=posted&sent=1$/)
    const posted = await outbox(n.sql, 'announcements.posted')
    expect(posted.map((m) => m.subject)).toEqual(['[Ion] Announcement: Club meeting'])
    expect(recipientsOf(posted)).toEqual([keen.email])
    expect(posted[0]!.text).toContain('Room 101')
    expect(await audits(n.sql, 'mail.optout_override')).toEqual([])
    expect(recipientsOf(posted)).not.toContain(outsider.email)

    await n.sql`DELETE FROM mail_outbox`
    await n.handle(post('/announcements/add', [['title', 'Snow day'], ['content', 'Closed'], ['groups', String(club)], ['notify_email_all', 'on']], admin.cookie))
    expect(recipientsOf(await outbox(n.sql, 'announcements.posted'))).toEqual([keen.email, quiet.email].sort())
    const [a] = await audits(n.sql, 'mail.optout_override')
    expect(a).toMatchObject({ actorId: admin.id, targetId: 'announcements.posted', details: { overridden: 1, recipients: 2 } })
    expect(String(a!.details.reason)).toContain('Snow day')
    const [created] = (await audits(n.sql, 'announcement.create')).filter((x) => x.details.title === 'Snow day')
    expect(created!.details).toMatchObject({ emailAll: true, sent: 2 })
  })
})

describe('edit, expire, delete', () => {
  test('admins edit (bump, resend), expire to the archive, and delete for good; all audited', async () => {
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
    const student = await person(n)
    const id = await addAnnouncement(n.sql, { title: 'Old news', added: new Date('2026-11-01T12:00:00Z') })
    expect(await status(`/announcements/modify/${id}`, student)).toBe(403)
    await n.sql`DELETE FROM mail_outbox`
    const r = await n.handle(post(`/announcements/modify/${id}`, { title: 'Fresh news', content: '<p>Updated</p>', no_expiration: 'on', bump: 'on', resend: 'on', notify_post: 'on' }, admin.cookie))
    expect(r.status).toBe(303)
    const [row] = await n.sql<{ title: string; added: Date }[]>`SELECT title, added FROM announcements WHERE id = ${id}`
    expect(row).toEqual({ title: 'Fresh news', added: n.env.clock.now() })
    expect((await outbox(n.sql, 'announcements.posted')).map((m) => m.subject)).toEqual(['[Ion] Announcement: Fresh news'])
    expect((await audits(n.sql, 'announcement.update')).at(-1)).toMatchObject({ actorId: admin.id, targetId: String(id), details: { bump: true, resend: true } })

    expect(await status(`/announcements/delete/${id}`, admin)).toBe(200)
    expect((await n.handle(post(`/announcements/delete/${id}`, {}, student.cookie))).status).toBe(403)
    expect((await n.handle(post(`/announcements/delete/${id}`, {}, admin.cookie))).headers.get('location')).toBe(`/announcements/${id}?done=expired`)
    expect(shownIds(await text(get('/announcements', student.cookie)))).not.toContain(id)
    expect(shownIds(await text(get('/announcements/archive', student.cookie)))).toContain(id)
    expect(shownIds(await text(get('/announcements?show_expired=1', student.cookie)))).toContain(id)
    expect((await n.handle(post(`/announcements/delete/${id}`, { full_delete: '1' }, admin.cookie))).status).toBe(303)
    expect((await n.sql`SELECT count(*)::int AS c FROM announcements WHERE id = ${id}`)[0]!.c).toBe(0)
    expect((await audits(n.sql, 'announcement.expire')).at(-1)!.targetId).toBe(String(id))
    expect((await audits(n.sql, 'announcement.delete')).at(-1)!.targetId).toBe(String(id))
    expect(await status(`/announcements/modify/${id}`, admin)).toBe(404)
  })
})

describe('demo data', () => {
  test('a term of announcements: pinned, group-targeted, expired, club posts, requests in each state; idempotent', async () => {
    const { announcementsDemoSeed } = await import('../../src/features/announcements/seed.ts')
    const ctx = { sql: n.sql, config: n.env.config, clock: n.env.clock, log: n.env.log }
    expect(await announcementsDemoSeed.run(ctx)).toBe('skipped: run the demo accounts seed first')
    await person(n, { username: 'admin', type: 'teacher', groups: ['admin_all'] })
    await person(n, { username: 'teacher', type: 'teacher' })
    const student = await person(n, { username: 'student', graduationYear: 2027 })
    for (const y of [2027, 2028, 2029, 2030]) await groupId(n.sql, `Class of ${y}`, y === 2027 ? [student.id] : [])
    for (const g of ['Teachers', 'Chess Club', 'Varsity Soccer', 'Debate Team', 'Math Team']) await groupId(n.sql, g)
    for (const a of ['Robotics Team', 'Science Olympiad', 'Rocketry Club']) await addActivity(n.sql, a)
    await n.sql`DELETE FROM announcements`
    expect(await announcementsDemoSeed.run(ctx)).toBe('25 announcements (3 clubs with subscriptions on), 3 requests')
    const [s] = await n.sql<{ total: number; pinned: number; grouped: number; expired: number; club: number }[]>`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE pinned)::int AS pinned,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM announcement_groups g WHERE g.announcement_id = a.id))::int AS grouped,
             count(*) FILTER (WHERE expiration_date <= ${n.env.clock.now()})::int AS expired,
             count(*) FILTER (WHERE activity_id IS NOT NULL)::int AS club
      FROM announcements a`
    expect(s).toEqual({ total: 25, pinned: 2, grouped: 9, expired: 13, club: 4 })
    const states = await n.sql<{ title: string; rejected: boolean; adminEmailSent: boolean }[]>`SELECT title, rejected, admin_email_sent FROM announcement_requests WHERE title IN ('Bake sale for the animal shelter', 'Poetry slam open mic', 'Lost calculator') ORDER BY id`
    expect(states.map((r) => [r.rejected, r.adminEmailSent])).toEqual([[false, false], [false, true], [true, true]])
    // the demo student sees the club box and their class's posts
    const dash = await text(get('/', student.cookie))
    expect(dash).toContain('Club announcements')
    expect(dash).toContain('Senior portraits: last chance')
    expect(await announcementsDemoSeed.run(ctx)).toBe('0 new (already seeded)')
    expect((await n.sql`SELECT count(*)::int AS c FROM announcements`)[0]!.c).toBe(25)
  })
})

describe('robustness', () => {
  test('two admins posting one request at once: exactly one succeeds', async () => {
    const requester = await person(n, { graduationYear: 2029 })
    const t = await person(n, { type: 'teacher' })
    const a1 = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
    const a2 = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
    await n.handle(post('/announcements/request', [['title', 'Race'], ['content', 'x'], ['teachers', String(t.id)]], requester.cookie))
    const [req] = await n.sql<{ id: number }[]>`SELECT id FROM announcement_requests WHERE title = 'Race'`
    const form = { decision: 'approve', title: 'Race', content: 'x', no_expiration: 'on' }
    const [r1, r2, r3] = await Promise.all([
      n.handle(post(`/announcements/admin_approve/${req!.id}`, form, a1.cookie)),
      n.handle(post(`/announcements/admin_approve/${req!.id}`, form, a2.cookie)),
      n.handle(post(`/announcements/admin_approve/${req!.id}`, { decision: 'reject' }, a1.cookie)),
    ])
    expect([r1.status, r2.status, r3.status].sort()).toEqual([303, 409, 409])
    const [row] = await n.sql<{ posted: number; rejected: boolean }[]>`SELECT posted_id AS posted, rejected FROM announcement_requests WHERE id = ${req!.id}`
    expect((await n.sql`SELECT count(*)::int AS c FROM announcements WHERE title = 'Race'`)[0]!.c).toBe(row!.posted === null ? 0 : 1)
    expect(row!.rejected).toBe(row!.posted === null)
  })

  test('control characters and huge link-heavy text are refused or cleaned, never a 500', async () => {
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
    // A NUL anywhere refuses the whole request (400, platform/input.ts) before any handler runs.
    const nul = await n.handle(post('/announcements/add', { title: 'Nul\u0000 title', author: 'A\u0000B', content: 'Text\u0000 here' }, admin.cookie))
    expect(nul.status).toBe(400)
    expect((await n.sql`SELECT count(*)::int AS c FROM announcements WHERE title LIKE 'Nul%'`)[0]!.c).toBe(0)
    // Other control characters are cleaned out of the stored text.
    const r = await n.handle(post('/announcements/add', { title: 'Bel\u0007 title', author: 'A\u0007B', content: 'Text\u0007 here' }, admin.cookie))
    expect(r.status).toBe(303)
    expect((await n.sql`SELECT title, author, content FROM announcements WHERE title LIKE 'Bel%'`)[0]).toEqual({ title: 'Bel title', author: 'A B', content: 'Text here' })
    const links = 'http://a.bc/ '.repeat(7000)
    const big = await n.handle(post('/announcements/add', { title: 'Big', content: links }, admin.cookie))
    expect(big.status).toBe(422)
    expect(await big.text()).toContain('too long once its links are added')
    expect((await n.handle(post('/announcements/add', { title: 'Bigger', content: 'x'.repeat(100_001) }, admin.cookie))).status).toBe(422)
  })
})
