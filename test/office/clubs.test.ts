import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { addActivity, addBlock, addRoom, schedule } from '../helpers/eighth.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { createSponsor } from '../../src/features/eighth/catalog.sql.ts'
import { audits, get, officeEnv, post, type OfficeEnv } from './catalog-fixture.ts'
import { checkA11y, describeViolations, listen, openPage, withBrowser } from '../helpers/browser.ts'

// Club settings and the activity page (issue 7, item 9): who may manage a club (the office,
// this activity's sponsors and club sponsors — not any sponsor), officers and club sponsors,
// subscriptions, and subscribing from the activity page.

setDefaultTimeout(30_000)
let o: OfficeEnv
beforeAll(async () => { o = await officeEnv() })
afterAll(async () => { await o.close() })

const handle = (r: Request) => o.env.app.handle(r)
const roles = (aid: number, role: string) =>
  o.sql<{ userId: number }[]>`SELECT user_id FROM eighth_activity_users WHERE activity_id = ${aid} AND role = ${role} ORDER BY user_id`.then((r) => r.map((x) => x.userId))

async function teacherWithSponsor(last: string) {
  const t = await makeUser(o.sql, { type: 'teacher', lastName: last })
  const sp = await createSponsor(o.sql, { lastName: last, userId: t.id })
  return { t, sp, cookie: await login(o.env.app, t) }
}

describe('club settings permissions', () => {
  test("the activity's sponsors (default or override) and club sponsors get in; a sponsor of another activity gets 403", async () => {
    const own = await teacherWithSponsor('Owner')
    const over = await teacherWithSponsor('Overrider')
    const stranger = await teacherWithSponsor('Stranger')
    const club = await addActivity(o.sql, 'Chess Club', { sponsors: [own.sp] })
    await addActivity(o.sql, 'Go Club', { sponsors: [stranger.sp] })
    await schedule(o.sql, await addBlock(o.sql, '2026-12-02', 'A'), club, { sponsors: [over.sp] })
    const clubSponsor = await makeUser(o.sql, { type: 'counselor', lastName: 'Moderator' })
    await o.sql`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES (${club}, ${clubSponsor.id}, 'club_sponsor')`
    const url = `/eighth/activity/${club}/settings`
    for (const cookie of [o.adminCookie, own.cookie, over.cookie, await login(o.env.app, clubSponsor)]) expect((await handle(get(url, cookie))).status).toBe(200)
    for (const cookie of [stranger.cookie, o.studentCookie]) {
      expect((await handle(get(url, cookie))).status).toBe(403)
      expect((await handle(post(`${url}/subscriptions`, { enabled: 'on' }, cookie))).status).toBe(403)
      expect((await handle(post(`${url}/people`, { role: 'officer', op: 'add', user_id: String(o.student.id) }, cookie))).status).toBe(403)
      expect((await handle(get(`${url}/candidates?role=officer&q=Pupil`, cookie, true))).status).toBe(403)
    }
    expect(await roles(club, 'officer')).toEqual([])
    expect((await o.sql`SELECT subscriptions_enabled FROM eighth_activities WHERE id = ${club}`)[0]!.subscriptionsEnabled).toBe(false)
    expect((await handle(get('/eighth/activity/999999/settings', o.adminCookie))).status).toBe(404)
  })

  test('a sponsor names officers (students) and club sponsors (teachers), who are subscribed; turns subscriptions on and off', async () => {
    const own = await teacherWithSponsor('Keeper')
    const club = await addActivity(o.sql, 'Debate Club', { sponsors: [own.sp] })
    const url = `/eighth/activity/${club}/settings`
    const cand = await (await handle(get(`${url}/candidates?role=officer&q=Pupil`, own.cookie, true))).text()
    expect(cand).toContain(o.student.username)
    expect((await handle(post(`${url}/people`, { role: 'officer', op: 'add', user_id: String(o.student.id) }, own.cookie, true))).status).toBe(200)
    const coach = await makeUser(o.sql, { type: 'teacher', lastName: 'Coach' })
    expect((await handle(post(`${url}/people`, { role: 'club_sponsor', op: 'add', user_id: String(coach.id) }, own.cookie))).status).toBe(303)
    // the wrong kind of account for each list
    const badOfficer = await handle(post(`${url}/people`, { role: 'officer', op: 'add', user_id: String(coach.id) }, own.cookie))
    expect(badOfficer.status).toBe(422)
    expect(await badOfficer.text()).toContain('Officers must be students')
    expect((await handle(post(`${url}/people`, { role: 'club_sponsor', op: 'add', user_id: String(o.student.id) }, own.cookie))).status).toBe(422)
    expect((await handle(post(`${url}/people`, { role: 'subscriber', op: 'add', user_id: String(o.student.id) }, own.cookie))).status).toBe(422)
    expect(await roles(club, 'officer')).toEqual([o.student.id])
    expect(await roles(club, 'club_sponsor')).toEqual([coach.id])
    expect(await roles(club, 'subscriber')).toEqual([o.student.id, coach.id].sort((a, b) => a - b))
    expect((await handle(post(`${url}/subscriptions`, { enabled: 'on' }, own.cookie))).status).toBe(303)
    expect((await o.sql`SELECT subscriptions_enabled FROM eighth_activities WHERE id = ${club}`)[0]!.subscriptionsEnabled).toBe(true)
    expect((await handle(post(`${url}/subscriptions`, { enabled: 'maybe' }, own.cookie))).status).toBe(422)
    const page = await (await handle(get(url, own.cookie))).text()
    expect(page).toContain('Subscriptions are on.')
    expect(page).toContain('Turn subscriptions off')
    expect((await handle(post(`${url}/people`, { role: 'officer', op: 'remove', user_id: String(o.student.id) }, own.cookie))).status).toBe(303)
    expect(await roles(club, 'officer')).toEqual([])
    expect((await audits(o.sql, 'eighth.club.officer.add'))[0]).toMatchObject({ actorId: own.t.id, targetId: String(club), details: { students: [o.student.id] } })
    // the club sponsor can manage the club now too
    expect((await handle(get(url, await login(o.env.app, coach)))).status).toBe(200)
  })
})

describe('the activity page', () => {
  test('schedulings of the next 8 weeks (show_all: every one), description, sponsors and rooms', async () => {
    const sp = await createSponsor(o.sql, { lastName: 'Curie', firstName: 'Marie', showFullName: true })
    const room = await addRoom(o.sql, '214')
    const act = await addActivity(o.sql, 'Chemistry Olympiad', { description: 'Titrations & <fun>', sponsors: [sp], rooms: [room] })
    await schedule(o.sql, await addBlock(o.sql, '2026-12-09', 'A'), act, { title: 'Kickoff' })
    await schedule(o.sql, await addBlock(o.sql, '2027-01-20', 'A'), act, { cancelled: true })
    await schedule(o.sql, await addBlock(o.sql, '2027-04-07', 'A'), act)
    await schedule(o.sql, await addBlock(o.sql, '2026-11-04', 'A'), act)
    const html = await (await handle(get(`/eighth/activity/${act}`, o.studentCookie))).text()
    expect(html).toContain('Titrations &amp; &lt;fun&gt;')
    expect(html).toContain('Curie, Marie')
    expect(html).toContain('Rm. 214')
    expect(html).toContain('Wed, December 9, 2026 (A)')
    expect(html).toContain('Kickoff')
    expect(html).toContain('Wed, January 20, 2027 (A)')
    expect(html).toContain('Cancelled')
    expect(html).not.toContain('April 7')
    expect(html).not.toContain('November 4')
    expect(html).toContain('href="/eighth/signup/')
    const all = await (await handle(get(`/eighth/activity/${act}?show_all=1`, o.studentCookie))).text()
    expect(all).toContain('Wed, April 7, 2027 (A)')
    expect(all).toContain('Wed, November 4, 2026 (A)')
    // a deleted activity is gone for students, still there for the office
    await o.sql`UPDATE eighth_activities SET deleted = true WHERE id = ${act}`
    expect((await handle(get(`/eighth/activity/${act}`, o.studentCookie))).status).toBe(404)
    expect((await handle(get(`/eighth/activity/${act}`, o.adminCookie))).status).toBe(200)
    expect((await handle(get('/eighth/activity/abc', o.studentCookie))).status).toBe(404)
  })

  test('subscribe and unsubscribe (POST) when subscribable: enabled, and not restricted unless allowed', async () => {
    const open = await addActivity(o.sql, 'Open Club', { subscriptionsEnabled: true })
    const off = await addActivity(o.sql, 'Closed Club')
    const secret = await addActivity(o.sql, 'Secret Club', { subscriptionsEnabled: true, restricted: true })
    const subscribers = (aid: number) => roles(aid, 'subscriber')
    let page = await (await handle(get(`/eighth/activity/${open}`, o.studentCookie))).text()
    expect(page).toContain('Subscribe to club announcements')
    const r = await handle(post(`/eighth/activity/${open}/subscribe`, {}, o.studentCookie, true))
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('Unsubscribe from club announcements')
    expect(await subscribers(open)).toEqual([o.student.id])
    expect((await handle(post(`/eighth/activity/${open}/unsubscribe`, {}, o.studentCookie))).status).toBe(303)
    expect(await subscribers(open)).toEqual([])
    // subscriptions off: no button, and the POST is refused
    page = await (await handle(get(`/eighth/activity/${off}`, o.studentCookie))).text()
    expect(page).not.toContain('Subscribe to club announcements')
    expect((await handle(post(`/eighth/activity/${off}/subscribe`, {}, o.studentCookie))).status).toBe(403)
    // restricted: only students allowed by name or group
    expect((await handle(post(`/eighth/activity/${secret}/subscribe`, {}, o.studentCookie))).status).toBe(403)
    const [g] = await o.sql<{ id: number }[]>`INSERT INTO groups (name) VALUES ('Secret members') RETURNING id`
    await o.sql`INSERT INTO user_groups (user_id, group_id) VALUES (${o.student.id}, ${g!.id})`
    await o.sql`INSERT INTO eighth_activity_groups_allowed (activity_id, group_id) VALUES (${secret}, ${g!.id})`
    expect((await handle(post(`/eighth/activity/${secret}/subscribe`, {}, o.studentCookie))).status).toBe(303)
    expect(await subscribers(secret)).toEqual([o.student.id])
    // the office may subscribe to anything; a club's sponsor stays subscribed
    expect((await handle(post(`/eighth/activity/${off}/subscribe`, {}, o.adminCookie))).status).toBe(303)
    const own = await teacherWithSponsor('Stays')
    const theirs = await addActivity(o.sql, 'Sponsored Club', { sponsors: [own.sp], subscriptionsEnabled: true })
    expect((await handle(post(`/eighth/activity/${theirs}/subscribe`, {}, own.cookie))).status).toBe(303)
    expect((await handle(post(`/eighth/activity/${theirs}/unsubscribe`, {}, own.cookie))).status).toBe(403)
    // restricted accounts are not members: the page and the POSTs are refused
    const alum = await makeUser(o.sql, { type: 'alum' })
    expect((await handle(get(`/eighth/activity/${open}`, await login(o.env.app, alum)))).status).toBe(403)
  })
})

describe('in a phone-sized browser', () => {
  test('the type-ahead adds an officer and the scheduling grid saves in place (htmx 4); axe finds nothing', async () => {
    const act = await addActivity(o.sql, 'Browser Club')
    await schedule(o.sql, await addBlock(o.sql, '2026-12-23', 'A'), act)
    await makeUser(o.sql, { type: 'student', firstName: 'Zelda', lastName: 'Quintessa' })
    const server = await listen(o.env.app)
    try {
      await withBrowser(async (browser) => {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
        const [name, value] = o.adminCookie.split('=') as [string, string]
        await context.addCookies([{ name, value, url: server.base }])
        const s = await openPage(context as never, server.url(`/eighth/activity/${act}/settings`))
        expect(describeViolations(await checkA11y(s.page))).toEqual([])
        await s.page.getByRole('searchbox', { name: 'Find a person to add to Student officers' }).fill('Quintessa')
        await s.page.getByRole('button', { name: /^Add / }).click()
        await s.page.getByText('Zelda Quintessa is now an officer.').waitFor()
        expect(s.page.url()).toBe(server.url(`/eighth/activity/${act}/settings`))
        expect(s.problems).toEqual([])
        const g = await openPage(context as never, server.url(`/eighth/admin/scheduling/activity/${act}`))
        expect(describeViolations(await checkA11y(g.page))).toEqual([])
        expect(await g.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390)
        await g.page.getByRole('group', { name: 'Wed, December 23, 2026 (A)' }).getByRole('checkbox', { name: 'Scheduled' }).uncheck()
        await g.page.getByRole('button', { name: 'Save all' }).click()
        await g.page.getByText('1 cancelled').waitFor()
        expect(g.problems).toEqual([])
        await context.close()
      })
    } finally {
      await server.stop()
    }
    expect(await roles(act, 'officer')).toHaveLength(1)
    expect((await o.sql`SELECT cancelled FROM eighth_scheduled_activities WHERE activity_id = ${act}`)[0]!.cancelled).toBe(true)
  }, 90_000)
})
