import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { header } from '../background/sink.ts'
import { addActivity, addBlock, addRoom, asAdmin, schedule, signup } from '../helpers/eighth.ts'
import { createSponsor } from '../../src/features/eighth/catalog.sql.ts'
import { addressOf, audits, deliver, get, officeEnv, outbox, post, signupCount, students, type OfficeEnv } from './catalog-fixture.ts'

// The office catalogue's activities (issue 7, item 3), through HTTP: create with a chosen id,
// every field and flag, validation, allow list and blacklist, soft then hard delete, and the
// room-change notice for new default rooms (SMTP sink).

setDefaultTimeout(30_000)
let o: OfficeEnv
beforeAll(async () => { o = await officeEnv() })
afterAll(async () => { await o.close() })

const handle = (r: Request) => o.env.app.handle(r)
const asAdminPost = (path: string, pairs: [string, string][] | Record<string, string>, htmx = false) => handle(post(path, pairs, o.adminCookie, htmx))

describe('activities', () => {
  const row = (id: number) => o.sql<{ name: string; defaultCapacity: number | null; deleted: boolean; restricted: boolean; presign: boolean; seniorsAllowed: boolean; wedA: boolean; finance: string; description: string }[]>`
    SELECT name, default_capacity, deleted, restricted, presign, seniors_allowed, wed_a, finance, description FROM eighth_activities WHERE id = ${id}`.then((r) => r[0] ?? null)

  test('create with a chosen free id; a taken id and a short name are refused', async () => {
    const list = await (await handle(get('/eighth/admin/activities', o.adminCookie))).text()
    const [{ m }] = await o.sql<{ m: number }[]>`SELECT COALESCE(max(id), 0)::int AS m FROM eighth_activities` as unknown as [{ m: number }]
    expect(list).toContain(`Free IDs: ${m + 1}, ${m + 2}`)
    const r = await asAdminPost('/eighth/admin/activities', { name: 'Robotics Team', id: '2999' })
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toStartWith('/eighth/admin/activities/2999?flash=')
    expect((await row(2999))!.name).toBe('Robotics Team')
    const taken = await asAdminPost('/eighth/admin/activities', { name: 'Another Team', id: '2999' })
    expect(taken.status).toBe(422)
    expect(await taken.text()).toContain('The activity ID 2999 is taken; choose a free one.')
    const short = await asAdminPost('/eighth/admin/activities', { name: 'Gym' })
    expect(short.status).toBe(422)
    expect(await short.text()).toContain('The name must be 4 to 100 characters long.')
    expect((await o.sql`SELECT 1 FROM eighth_activities WHERE name IN ('Another Team', 'Gym')`).length).toBe(0)
    // an id left empty takes the next number
    const next = await asAdminPost('/eighth/admin/activities', { name: 'Quiz Bowl' })
    expect(next.headers.get('location')).toStartWith('/eighth/admin/activities/3000?')
  })

  test('every field and flag is saved; bad values are refused with 422 and nothing changes', async () => {
    const id = await addActivity(o.sql, 'Model UN')
    const room = await addRoom(o.sql, 'MUN Room', 30)
    const sp = await createSponsor(o.sql, { lastName: 'Diplomat' })
    const [g] = await o.sql<{ id: number }[]>`INSERT INTO groups (name) VALUES ('MUN delegates') RETURNING id`
    const form: [string, string][] = [
      ['name', 'Model United Nations'], ['description', 'Debate <b>the</b> world.'], ['default_capacity', '40'], ['finance', 'MUN-01'],
      ['presign', 'on'], ['restricted', 'on'], ['seniors_allowed', 'on'], ['wed_a', 'on'], ['rooms', String(room)], ['sponsors', String(sp)], ['groups', String(g!.id)],
      ['subscriptions_enabled', 'on'], ['admin_comments', 'Budget approved'],
    ]
    const r = await asAdminPost(`/eighth/admin/activities/${id}`, form)
    expect(r.status).toBe(303)
    expect(await row(id)).toEqual({ name: 'Model United Nations', defaultCapacity: 40, deleted: false, restricted: true, presign: true, seniorsAllowed: true, wedA: true, finance: 'MUN-01', description: 'Debate <b>the</b> world.' })
    const lists = await o.sql`SELECT
      ARRAY(SELECT room_id FROM eighth_activity_rooms WHERE activity_id = ${id}) AS rooms,
      ARRAY(SELECT sponsor_id FROM eighth_activity_sponsors WHERE activity_id = ${id}) AS sponsors,
      ARRAY(SELECT group_id FROM eighth_activity_groups_allowed WHERE activity_id = ${id}) AS groups`
    expect(lists[0]).toEqual({ rooms: [room], sponsors: [sp], groups: [g!.id] })
    // the page escapes what it shows
    const page = await (await handle(get(`/eighth/admin/activities/${id}`, o.adminCookie))).text()
    expect(page).toContain('Debate &lt;b&gt;the&lt;/b&gt; world.')
    expect(page).not.toContain('<b>the</b>')
    // bad capacity, short name, unknown room: every reason, nothing changed
    for (const bad of [[['name', 'MUN'], ['default_capacity', '40']], [['name', 'Model UN 2'], ['default_capacity', '-2']], [['name', 'Model UN 3'], ['rooms', '99999']], [['name', 'Model UN 4'], ['default_capacity', 'lots']]] as [string, string][][]) {
      const res = await asAdminPost(`/eighth/admin/activities/${id}`, bad)
      expect(res.status).toBe(422)
    }
    const both = await (await asAdminPost(`/eighth/admin/activities/${id}`, [['name', 'MUN'], ['default_capacity', '-2']])).text()
    expect(both).toContain('The name must be 4 to 100 characters long.')
    expect(both).toContain('The default capacity must be a whole number of at least −1')
    expect((await row(id))!.name).toBe('Model United Nations')
    expect((await row(id))!.defaultCapacity).toBe(40)
    // −1 (unlimited) is a valid capacity, empty means the rooms
    expect((await asAdminPost(`/eighth/admin/activities/${id}`, { name: 'Model United Nations', default_capacity: '-1' })).status).toBe(303)
    expect((await row(id))!.defaultCapacity).toBe(-1)
    expect((await asAdminPost(`/eighth/admin/activities/${id}`, { name: 'Model United Nations', default_capacity: '' })).status).toBe(303)
    expect((await row(id))!.defaultCapacity).toBe(null)
    const [audit] = (await audits(o.sql, 'eighth.activity.edit')).slice(0, 1)
    expect(audit!.details.changed).toContain('restricted')
  })

  test('the allow list and the blacklist: type-ahead candidates, add and remove', async () => {
    const id = await addActivity(o.sql, 'Secret Society', { restricted: true })
    const [s] = await students(o.sql, 1)
    const [u] = await o.sql<{ username: string; lastName: string }[]>`SELECT username, last_name FROM users WHERE id = ${s!}`
    const cand = await handle(get(`/eighth/admin/activities/${id}/candidates?role=allowed&q=${u!.lastName}`, o.adminCookie, true))
    expect(cand.status).toBe(200)
    const html = await cand.text()
    expect(html).toContain(`id="cand-allowed"`)
    expect(html).toContain(u!.username)
    // a teacher is no candidate for a student list
    expect(await (await handle(get(`/eighth/admin/activities/${id}/candidates?role=allowed&q=Office`, o.adminCookie, true))).text()).not.toContain(o.admin.username)
    expect((await asAdminPost(`/eighth/admin/activities/${id}/people`, { role: 'allowed', op: 'add', user_id: String(s!) }, true)).status).toBe(200)
    expect((await asAdminPost(`/eighth/admin/activities/${id}/people`, { role: 'blacklisted', op: 'add', user_id: String(s!) })).status).toBe(303)
    expect((await asAdminPost(`/eighth/admin/activities/${id}/people`, { role: 'allowed', op: 'add', user_id: String(o.admin.id) })).status).toBe(422)
    expect((await asAdminPost(`/eighth/admin/activities/${id}/people`, { role: 'favorite', op: 'add', user_id: String(s!) })).status).toBe(422)
    const roles = async () => (await o.sql<{ role: string }[]>`SELECT role FROM eighth_activity_users WHERE activity_id = ${id} ORDER BY role`).map((r) => r.role)
    expect(await roles()).toEqual(['allowed', 'blacklisted'])
    expect((await asAdminPost(`/eighth/admin/activities/${id}/people`, { role: 'blacklisted', op: 'remove', user_id: String(s!) })).status).toBe(303)
    expect(await roles()).toEqual(['allowed'])
    expect((await audits(o.sql, 'eighth.activity.allowed.add'))[0]!.details).toMatchObject({ userId: s!, students: [s!] })
  })

  test('soft delete keeps the data; only a deleted activity can be destroyed, which removes its schedule', async () => {
    const id = await addActivity(o.sql, 'Fading Club')
    const b = await addBlock(o.sql, '2027-02-24', 'A')
    const sa = await schedule(o.sql, b, id)
    const [s] = await students(o.sql, 1)
    await signup(o.sql, o.env.clock, { userId: s!, scheduledId: sa, requester: asAdmin(o.admin.id), force: true })
    expect((await asAdminPost(`/eighth/admin/activities/${id}/delete`, { permanent: 'on' })).status).toBe(422)
    expect((await asAdminPost(`/eighth/admin/activities/${id}/delete`, {})).status).toBe(303)
    expect((await row(id))!.deleted).toBe(true)
    expect(await signupCount(o.sql, { scheduledId: sa })).toBe(1)
    const confirm = await (await handle(get(`/eighth/admin/activities/${id}/delete`, o.adminCookie))).text()
    expect(confirm).toContain('Destroying it removes its 1 scheduled activities and 1 signups')
    expect((await asAdminPost(`/eighth/admin/activities/${id}/restore`, {})).status).toBe(303)
    expect((await row(id))!.deleted).toBe(false)
    await asAdminPost(`/eighth/admin/activities/${id}/delete`, {})
    const r = await asAdminPost(`/eighth/admin/activities/${id}/delete`, { permanent: 'on' })
    expect(r.status).toBe(303)
    expect(await row(id)).toBe(null)
    expect((await o.sql`SELECT 1 FROM eighth_scheduled_activities WHERE id = ${sa}`).length).toBe(0)
    expect((await audits(o.sql, 'eighth.activity.destroy')).slice(-1)[0]!.details).toMatchObject({ students: [s!] })
    expect((await asAdminPost(`/eighth/admin/activities/${id}/delete`, {})).status).toBe(404)
  })

  test('new default rooms email every student whose upcoming blocks use them, each with their blocks', async () => {
    const r1 = await addRoom(o.sql, '101')
    const r2 = await addRoom(o.sql, '202')
    const r3 = await addRoom(o.sql, 'Library')
    const act = await addActivity(o.sql, 'Astronomy', { rooms: [r1] })
    const wedA = await addBlock(o.sql, '2026-12-09', 'A')
    const wedB = await addBlock(o.sql, '2026-12-09', 'B')
    const fri = await addBlock(o.sql, '2026-12-11', 'A')
    const past = await addBlock(o.sql, '2026-11-25', 'A')
    const sA = await schedule(o.sql, wedA, act)
    const sB = await schedule(o.sql, wedB, act)
    const sOverride = await schedule(o.sql, fri, act, { rooms: [r3] })
    const sPast = await schedule(o.sql, past, act)
    const [both, onlyB, overrideOnly, optOut] = await students(o.sql, 3).then(async (x) => [...x, ...(await students(o.sql, 1, { optOut: true }))])
    const force = (u: number, sa: number) => signup(o.sql, o.env.clock, { userId: u, scheduledId: sa, requester: asAdmin(o.admin.id), force: true })
    for (const [u, sa] of [[both!, sA], [both!, sB], [both!, sPast], [onlyB!, sB], [overrideOnly!, sOverride], [optOut!, sA]] as const) expect((await force(u, sa)).ok).toBe(true)
    o.sink.messages.length = 0
    const before = (await outbox(o.sql, 'eighth.activity_rooms')).length
    const r = await asAdminPost(`/eighth/admin/activities/${act}`, [['name', 'Astronomy'], ['rooms', String(r2)]], true)
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('Notifying 2 students of the room change.')
    const rows = (await outbox(o.sql, 'eighth.activity_rooms')).slice(before)
    expect(rows).toHaveLength(2)
    await deliver(o)
    const to = async (u: number) => { const a = await addressOf(o.sql, u); return o.sink.messages.filter((m) => m.to.includes(a)) }
    const mBoth = await to(both!)
    expect(mBoth).toHaveLength(1)
    expect(header(mBoth[0]!.raw, 'Subject')).toBe('[Ion] Room changes for Astronomy')
    const text = rows.find((x) => x.bccAddrs.includes(mBoth[0]!.to[0]!) || x.toAddrs.includes(mBoth[0]!.to[0]!))!.text
    expect(text).toContain('Astronomy now meets in Rm. 202 instead of Rm. 101.')
    expect(text).toContain('Wed, December 9, 2026 (A)')
    expect(text).toContain('Wed, December 9, 2026 (B)')
    expect(text).not.toContain('November')
    const mB = await to(onlyB!)
    expect(mB).toHaveLength(1)
    const textB = rows.find((x) => x.bccAddrs.includes(mB[0]!.to[0]!) || x.toAddrs.includes(mB[0]!.to[0]!))!.text
    expect(textB).toContain('Wed, December 9, 2026 (B)')
    expect(textB).not.toContain('(A)')
    expect(await to(overrideOnly!)).toHaveLength(0)
    expect(await to(optOut!)).toHaveLength(0)
    // saving again without a room change sends nothing
    await asAdminPost(`/eighth/admin/activities/${act}`, [['name', 'Astronomy Club'], ['rooms', String(r2)]])
    expect((await outbox(o.sql, 'eighth.activity_rooms')).length).toBe(before + 2)
  })
})
