import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { addActivity } from '../helpers/eighth.ts'
import { audits, deliver, get, groupId, newsEnv, outbox, person, post, recipientsOf, shownIds, type NewsEnv, type Person } from './announcements-fixture.ts'

// Announcements (issue 8, item 3): the request → teacher → admin workflow end to end with every
// email through the SMTP sink (self-approval and rejection too), and club posts emailed to
// subscribers.

setDefaultTimeout(30_000)
let n: NewsEnv
beforeAll(async () => { n = await newsEnv() })
afterAll(async () => { await n.close() })

const status = async (path: string, p: Person) => (await n.handle(get(path, p.cookie))).status
const text = async (r: Request | Promise<Response>) => (await (r instanceof Request ? n.handle(r) : r)).text()

describe('the request → teacher → admin workflow, end to end through the SMTP sink', () => {
  test('request, teacher edit and approval, admin post with groups; every email', async () => {
    await n.sql`DELETE FROM mail_outbox`
    n.sink.messages.length = 0
    const requester = await person(n, { graduationYear: 2029, firstName: 'Rita', lastName: 'Quest' })
    const t1 = await person(n, { type: 'teacher', firstName: 'Tom', lastName: 'First' })
    const t2 = await person(n, { type: 'counselor', firstName: 'Cara', lastName: 'Second' })
    const t3 = await person(n, { type: 'teacher', lastName: 'Third' })
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'], lastName: 'Poster' })
    const member = await person(n, { graduationYear: 2028 })
    const team = await groupId(n.sql, 'Workflow Team', [member.id])

    // at most two teachers, and only teachers
    const three = await n.handle(post('/announcements/request', [['title', 'Bake sale'], ['content', 'Cookies'], ['teachers', String(t1.id)], ['teachers', String(t2.id)], ['teachers', String(t3.id)]], requester.cookie))
    expect(three.status).toBe(422)
    expect(await three.text()).toContain('Please select a maximum of 2 teachers.')
    expect((await n.handle(post('/announcements/request', [['title', 'Bake sale'], ['content', 'Cookies'], ['teachers', String(member.id)]], requester.cookie))).status).toBe(422)
    expect((await n.handle(post('/announcements/request', [['title', 'Bake sale'], ['content', 'Cookies']], requester.cookie))).status).toBe(422)
    expect((await n.sql`SELECT count(*)::int AS c FROM announcement_requests WHERE title = 'Bake sale'`)[0]!.c).toBe(0)

    const sent = await n.handle(post('/announcements/request', [['title', 'Bake sale'], ['content', '<p>Cookies Friday</p>'], ['notes', 'Please limit to the team'], ['teachers', String(t1.id)], ['teachers', String(t2.id)]], requester.cookie))
    expect(sent.headers.get('location')).toBe('/announcements/request/success')
    const [req] = await n.sql<{ id: number }[]>`SELECT id FROM announcement_requests WHERE title = 'Bake sale'`
    const id = req!.id
    const asks = await outbox(n.sql, 'announcements.request')
    expect(asks.map((m) => [m.subject, m.toAddrs])).toEqual([
      ['[Ion] News Post Confirmation Request from Rita Quest', [t1.email]], ['[Ion] News Post Confirmation Request from Rita Quest', [t2.email]],
    ])
    expect(asks[0]!.text).toContain(`/announcements/approve/${id}`)
    expect(asks[0]!.text).toContain('Please limit to the team')

    // only the named teachers get the approve page; the teacher's dashboard counts it
    expect(await status(`/announcements/approve/${id}`, t3)).toBe(403)
    expect(await status(`/announcements/approve/${id}`, t1)).toBe(200)
    expect(await text(get('/', t1.cookie))).toContain('1 announcement request is waiting for your approval')
    expect(await text(get('/', admin.cookie))).toContain('1 request pending teacher approval')

    // teacher 1 edits and approves: the admins are emailed once
    const ok = await n.handle(post(`/announcements/approve/${id}`, { decision: 'approve', title: 'Bake sale Friday', content: '<p>Cookies Friday at lunch</p>', no_expiration: 'on' }, t1.cookie))
    expect(ok.headers.get('location')).toBe('/announcements/approve?done=approved')
    expect((await n.sql`SELECT title, admin_email_sent FROM announcement_requests WHERE id = ${id}`)[0]).toEqual({ title: 'Bake sale Friday', adminEmailSent: true })
    await n.handle(post(`/announcements/approve/${id}`, { decision: 'approve', title: 'Bake sale Friday', content: '<p>Cookies Friday at lunch</p>' }, t2.cookie))
    const needed = await outbox(n.sql, 'announcements.approval_needed')
    expect(needed.map((m) => m.subject)).toEqual(['[Ion] News Post Approval Needed (Bake sale Friday)'])
    expect(recipientsOf(needed)).toContain(admin.email)
    expect(needed[0]!.text).toContain(`/announcements/admin_approve/${id}`)
    expect(await text(get('/', admin.cookie))).toContain('1 request waiting for admin approval')
    const statusPage = await text(get('/announcements/admin_status', admin.cookie))
    expect(statusPage).toContain('Waiting for admin approval (1)')
    expect(statusPage).toContain(`/announcements/admin_approve/${id}`)
    // a non-admin cannot post it
    expect((await n.handle(post(`/announcements/admin_approve/${id}`, { decision: 'approve', title: 'x', content: 'x' }, t1.cookie))).status).toBe(403)

    // the admin posts it to the team, with email
    const posted = await n.handle(post(`/announcements/admin_approve/${id}`, [['decision', 'approve'], ['title', 'Bake sale Friday'], ['content', '<p>Cookies Friday at lunch</p>'],
      ['no_expiration', 'on'], ['groups', String(team)], ['notify_post', 'on']], admin.cookie))
    expect(posted.status).toBe(303)
    const [ann] = await n.sql<{ id: number; userId: number }[]>`SELECT a.id, a.user_id FROM announcements a JOIN announcement_requests r ON r.posted_id = a.id WHERE r.id = ${id}`
    expect(ann!.userId).toBe(requester.id)
    expect((await n.sql`SELECT posted_by FROM announcement_requests WHERE id = ${id}`)[0]!.postedBy).toBe(admin.id)
    const approved = await outbox(n.sql, 'announcements.approved')
    expect(approved.map((m) => [m.subject, recipientsOf([m])])).toEqual([
      ['[Ion] Announcement Approved: Bake sale Friday', [t1.email, t2.email].sort()], ['[Ion] Announcement Approved: Bake sale Friday', [requester.email]],
    ])
    expect(recipientsOf(await outbox(n.sql, 'announcements.posted'))).toEqual([member.email])
    // posting twice is refused; the requester (not in the team) sees it
    expect((await n.handle(post(`/announcements/admin_approve/${id}`, { decision: 'approve', title: 'x', content: 'x' }, admin.cookie))).status).toBe(409)
    expect(await status(`/announcements/${ann!.id}`, requester)).toBe(200)
    expect(await status(`/announcements/${ann!.id}`, t3)).toBe(404)

    // every message reaches the SMTP server
    const queued = (await outbox(n.sql)).length
    expect(await deliver(n)).toBe(queued)
    const subjects = n.sink.messages.map((m) => m.subject).sort()
    expect(subjects).toEqual([
      '[Ion] Announcement Approved: Bake sale Friday', '[Ion] Announcement Approved: Bake sale Friday', '[Ion] Announcement: Bake sale Friday',
      '[Ion] News Post Approval Needed (Bake sale Friday)', '[Ion] News Post Confirmation Request from Rita Quest', '[Ion] News Post Confirmation Request from Rita Quest',
    ])
    expect(n.sink.messages.find((m) => m.subject === '[Ion] Announcement: Bake sale Friday')!.to).toEqual([member.email])
    expect((await audits(n.sql, 'announcement.request.admin_approve')).at(-1)).toMatchObject({ actorId: admin.id, targetId: String(id) })
  })

  test('a teacher may approve their own request; an admin rejection tells the requester', async () => {
    await n.sql`DELETE FROM mail_outbox`
    const teacher = await person(n, { type: 'teacher', firstName: 'Selma', lastName: 'Self' })
    const admin = await person(n, { type: 'teacher', groups: ['admin_announcements'] })
    const r = await n.handle(post('/announcements/request', [['title', 'Field trip'], ['content', 'Permission slips'], ['teachers', String(teacher.id)]], teacher.cookie))
    expect(r.headers.get('location')).toBe('/announcements/request/success_self')
    expect(await outbox(n.sql, 'announcements.request')).toEqual([])
    expect((await outbox(n.sql, 'announcements.approval_needed')).map((m) => m.subject)).toEqual(['[Ion] News Post Approval Needed (Field trip)'])
    const [req] = await n.sql<{ id: number }[]>`SELECT id FROM announcement_requests WHERE title = 'Field trip'`
    expect((await n.sql`SELECT state FROM announcement_request_teachers WHERE request_id = ${req!.id}`)[0]!.state).toBe('approved')

    const rej = await n.handle(post(`/announcements/admin_approve/${req!.id}`, { decision: 'reject' }, admin.cookie))
    expect(rej.headers.get('location')).toBe('/announcements/admin_status?done=rejected')
    expect((await outbox(n.sql, 'announcements.rejected')).map((m) => [m.subject, m.toAddrs])).toEqual([['[Ion] Announcement Request Rejected: Field trip', [teacher.email]]])
    expect((await n.sql`SELECT rejected, rejected_by FROM announcement_requests WHERE id = ${req!.id}`)[0]).toEqual({ rejected: true, rejectedBy: admin.id })
    expect((await n.handle(post(`/announcements/admin_approve/${req!.id}`, { decision: 'approve', title: 'x', content: 'x' }, admin.cookie))).status).toBe(409)
    expect((await n.handle(post(`/announcements/approve/${req!.id}`, { decision: 'reject' }, teacher.cookie))).status).toBe(409)
    expect(await text(get('/announcements/admin_status', admin.cookie))).toContain('Rejected (1)')
  })
})

describe('club announcements', () => {
  test('officers post for their club; subscribers are emailed (students by preference); others are refused', async () => {
    await n.sql`DELETE FROM mail_outbox`
    const officer = await person(n, { graduationYear: 2028, lastName: 'Officer' })
    const fan = await person(n, { graduationYear: 2028 })
    const quietFan = await person(n, { graduationYear: 2029, news: false })
    const sponsorFan = await person(n, { type: 'teacher', news: false })
    const stranger = await person(n, { graduationYear: 2028 })
    const club = await addActivity(n.sql, 'Astronomy Club', { subscriptionsEnabled: true })
    await n.sql`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES
      (${club}, ${officer.id}, 'officer'), (${club}, ${officer.id}, 'subscriber'), (${club}, ${fan.id}, 'subscriber'),
      (${club}, ${quietFan.id}, 'subscriber'), (${club}, ${sponsorFan.id}, 'subscriber')`

    expect(await text(get('/announcements/club/add', officer.cookie))).toContain('Astronomy Club')
    const r = await n.handle(post('/announcements/club/add', { activity: String(club), title: 'Star party', content: 'Bring a telescope', notify_post: 'on' }, officer.cookie))
    expect(r.status).toBe(303)
    const mail = await outbox(n.sql, 'announcements.posted')
    expect(mail.map((m) => m.subject)).toEqual(['[Ion] Club Announcement for Astronomy Club: Star party'])
    expect(recipientsOf(mail)).toEqual([officer.email, fan.email, sponsorFan.email].sort())
    expect((await n.handle(post('/announcements/club/add', { activity: String(club), title: 'Hijack', content: 'x' }, stranger.cookie))).status).toBe(403)

    // the club box on subscribers' dashboards, not the main feed
    const [ann] = await n.sql<{ id: number }[]>`SELECT id FROM announcements WHERE title = 'Star party'`
    const dash = await text(get('/', fan.cookie))
    expect(dash).toContain('Club announcements')
    expect(dash).toContain('Star party')
    expect(shownIds(await text(get('/announcements', fan.cookie)))).not.toContain(ann!.id)
    expect(await text(get('/', stranger.cookie))).not.toContain('Star party')
    // the officer may edit and expire it, not delete it for good; a stranger may do neither
    expect(await status(`/announcements/club/modify/${ann!.id}`, officer)).toBe(200)
    expect((await n.handle(post(`/announcements/club/modify/${ann!.id}`, { title: 'Star party moved', content: 'Saturday', no_expiration: 'on' }, officer.cookie))).status).toBe(303)
    expect((await n.handle(post(`/announcements/club/modify/${ann!.id}`, { title: 'x', content: 'x' }, stranger.cookie))).status).toBe(403)
    expect((await n.handle(post(`/announcements/delete/${ann!.id}`, { full_delete: '1' }, officer.cookie))).status).toBe(403)
    expect((await n.handle(post(`/announcements/delete/${ann!.id}`, {}, officer.cookie))).status).toBe(303)
    const [row] = await n.sql<{ title: string; expirationDate: Date }[]>`SELECT title, expiration_date FROM announcements WHERE id = ${ann!.id}`
    expect(row!.title).toBe('Star party moved')
    expect(row!.expirationDate.getTime()).toBe(n.env.clock.now().getTime())

    // subscriptions off: the post is made but nobody is emailed
    await n.sql`UPDATE eighth_activities SET subscriptions_enabled = false WHERE id = ${club}`
    await n.sql`DELETE FROM mail_outbox`
    await n.handle(post('/announcements/club/add', { activity: String(club), title: 'Quiet post', content: 'x', notify_post: 'on' }, officer.cookie))
    expect(await outbox(n.sql, 'announcements.posted')).toEqual([])
  })
})
