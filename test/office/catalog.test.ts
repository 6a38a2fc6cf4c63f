import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { addActivity, addBlock, addRoom, asAdmin, schedule, signup } from '../helpers/eighth.ts'
import { makeUser } from '../helpers/factories.ts'
import { createSponsor } from '../../src/features/eighth/catalog.sql.ts'
import { audits, get, officeEnv, post, signupCount, students, type OfficeEnv } from './catalog-fixture.ts'

// The office catalogue (issue 7, item 3) through HTTP: students refused everywhere, blocks, rooms,
// sponsors. Activities are in catalog-activities.test.ts.

setDefaultTimeout(30_000)
let o: OfficeEnv
beforeAll(async () => { o = await officeEnv() })
afterAll(async () => { await o.close() })

const handle = (r: Request) => o.env.app.handle(r)
const asAdminPost = (path: string, pairs: [string, string][] | Record<string, string>, htmx = false) => handle(post(path, pairs, o.adminCookie, htmx))
const blocksOn = (from: string, to: string) =>
  o.sql<{ date: string; blockLetter: string }[]>`SELECT date, block_letter FROM eighth_blocks WHERE date BETWEEN ${from} AND ${to} ORDER BY date, block_letter`

describe('students are refused every office page', () => {
  test('GET and POST on each admin route answer 403', async () => {
    const block = await addBlock(o.sql, '2027-03-01', 'A')
    const act = await addActivity(o.sql, 'Refusal Club')
    const room = await addRoom(o.sql, 'R-refuse')
    const sp = await createSponsor(o.sql, { lastName: 'Refuse' })
    const gets = [
      '/eighth/admin/blocks', `/eighth/admin/blocks/${block}`, `/eighth/admin/blocks/${block}/copy`, `/eighth/admin/blocks/${block}/delete`,
      '/eighth/admin/activities', `/eighth/admin/activities/${act}`, `/eighth/admin/activities/${act}/delete`, `/eighth/admin/activities/${act}/candidates?role=allowed&q=a`,
      '/eighth/admin/rooms', `/eighth/admin/rooms/${room}`, `/eighth/admin/rooms/${room}/delete`,
      '/eighth/admin/sponsors', `/eighth/admin/sponsors/${sp}`, `/eighth/admin/sponsors/${sp}/schedule`, `/eighth/admin/sponsors/${sp}/delete`, '/eighth/admin/sponsors/accounts?account=a',
      `/eighth/admin/scheduling/activity/${act}`, `/eighth/admin/scheduling/block/${block}`, `/eighth/admin/scheduling/block/${block}/sanity`,
    ]
    for (const path of gets) expect([path, (await handle(get(path, o.studentCookie))).status]).toEqual([path, 403])
    const posts: [string, Record<string, string>][] = [
      ['/eighth/admin/blocks/add', { start: '2027-03-03', day: '3', letter: 'A' }], [`/eighth/admin/blocks/${block}`, { date: '2027-03-01', letter: 'Z' }],
      [`/eighth/admin/blocks/${block}/lock`, { locked: 'on' }], [`/eighth/admin/blocks/${block}/copy`, { source: String(block) }], [`/eighth/admin/blocks/${block}/delete`, {}],
      ['/eighth/admin/activities', { name: 'Sneaky Club' }], [`/eighth/admin/activities/${act}`, { name: 'Renamed Club' }],
      [`/eighth/admin/activities/${act}/people`, { role: 'allowed', op: 'add', user_id: String(o.student.id) }],
      [`/eighth/admin/activities/${act}/delete`, {}], [`/eighth/admin/activities/${act}/restore`, {}],
      ['/eighth/admin/rooms', { name: 'X', capacity: '3' }], [`/eighth/admin/rooms/${room}`, { name: 'X', capacity: '3' }], [`/eighth/admin/rooms/${room}/delete`, {}],
      ['/eighth/admin/sponsors', { last_name: 'X' }], [`/eighth/admin/sponsors/${sp}`, { last_name: 'X' }], [`/eighth/admin/sponsors/${sp}/delete`, {}],
      [`/eighth/admin/scheduling/activity/${act}`, { cell: `${block}:${act}`, [`scheduled_${block}_${act}`]: 'on' }],
      [`/eighth/admin/scheduling/block/${block}`, { cell: `${block}:${act}`, [`scheduled_${block}_${act}`]: 'on' }],
    ]
    for (const [path, form] of posts) expect([path, (await handle(post(path, form, o.studentCookie))).status]).toEqual([path, 403])
    // nothing changed
    const [b] = await o.sql<{ locked: boolean; blockLetter: string }[]>`SELECT locked, block_letter FROM eighth_blocks WHERE id = ${block}`
    expect(b).toEqual({ locked: false, blockLetter: 'A' })
    expect((await o.sql`SELECT 1 FROM eighth_scheduled_activities WHERE activity_id = ${act}`).length).toBe(0)
    expect((await o.sql`SELECT 1 FROM eighth_activities WHERE name IN ('Sneaky Club', 'Renamed Club')`).length).toBe(0)
    // a teacher without the office permission is refused too
    const teacher = await makeUser(o.sql, { type: 'teacher' })
    const { login } = await import('../helpers/factories.ts')
    expect((await handle(get('/eighth/admin/blocks', await login(o.env.app, teacher)))).status).toBe(403)
  })
})

describe('blocks', () => {
  test('A and B on every Wednesday and Friday between two dates, in one step; again adds nothing', async () => {
    const form: [string, string][] = [['start', '2027-01-04'], ['end', '2027-01-17'], ['day', '3'], ['day', '5'], ['letter', 'A'], ['letter', 'B'], ['signup_time', '12:30']]
    const r = await asAdminPost('/eighth/admin/blocks/add', form)
    expect(r.status).toBe(303)
    const made = await blocksOn('2027-01-04', '2027-01-17')
    expect(made.map((b) => `${b.date} ${b.blockLetter}`)).toEqual([
      '2027-01-06 A', '2027-01-06 B', '2027-01-08 A', '2027-01-08 B', '2027-01-13 A', '2027-01-13 B', '2027-01-15 A', '2027-01-15 B',
    ])
    const page = await (await handle(get(r.headers.get('location')!, o.adminCookie))).text()
    expect(page).toContain('Added 8 blocks.')
    // idempotent: a second run adds nothing; a wider run adds only the new ones (custom letters too)
    const again = await asAdminPost('/eighth/admin/blocks/add', form, true)
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('Added 0 blocks; 8 already existed.')
    await asAdminPost('/eighth/admin/blocks/add', [...form.filter(([k]) => k !== 'end'), ['end', '2027-01-20'], ['custom', 'sol, a1']])
    const after = await blocksOn('2027-01-04', '2027-01-20')
    expect(after.filter((b) => b.date === '2027-01-20').map((b) => b.blockLetter)).toEqual(['A', 'A1', 'B', 'Sol'])
    expect(after).toHaveLength(8 + 4 * 2 + 4)
    const [t] = await o.sql<{ t: string }[]>`SELECT to_char(signup_time, 'HH24:MI') AS t FROM eighth_blocks WHERE date = '2027-01-06' AND block_letter = 'A'`
    expect(t!.t).toBe('12:30')
    expect((await audits(o.sql, 'eighth.blocks.add')).length).toBeGreaterThanOrEqual(2)
  })

  test('a bad range is refused with every reason and creates nothing', async () => {
    const r = await asAdminPost('/eighth/admin/blocks/add', [['start', '2027-02-10'], ['end', '2027-02-01'], ['letter', 'A!'], ['signup_time', '25:00']])
    expect(r.status).toBe(422)
    const html = await r.text()
    for (const m of ['The last date is before the first date.', 'Choose at least one day of the week.', 'A block letter may have', 'The signup time must be a time']) expect(html).toContain(m)
    expect(await blocksOn('2027-02-01', '2027-02-10')).toHaveLength(0)
  })

  test('edit, lock and unlock; a second block with the same date and letter is refused', async () => {
    const a = await addBlock(o.sql, '2027-02-03', 'A')
    await addBlock(o.sql, '2027-02-03', 'B')
    const r = await asAdminPost(`/eighth/admin/blocks/${a}`, { date: '2027-02-03', letter: 'c', signup_time: '13:00', comments: 'Assembly', locked: 'on' })
    expect(r.status).toBe(303)
    const [b] = await o.sql<{ blockLetter: string; locked: boolean; comments: string }[]>`SELECT block_letter, locked, comments FROM eighth_blocks WHERE id = ${a}`
    expect(b).toEqual({ blockLetter: 'C', locked: true, comments: 'Assembly' })
    const dup = await asAdminPost(`/eighth/admin/blocks/${a}`, { date: '2027-02-03', letter: 'B', signup_time: '13:00', comments: 'x' })
    expect(dup.status).toBe(422)
    expect(await dup.text()).toContain('There is already a block B on 2027-02-03.')
    expect((await o.sql`SELECT comments FROM eighth_blocks WHERE id = ${a}`)[0]!.comments).toBe('Assembly')
    const unlock = await asAdminPost(`/eighth/admin/blocks/${a}/lock`, { locked: 'off' }, true)
    expect(unlock.status).toBe(200)
    expect(await unlock.text()).toContain('unlocked: signups are open')
    expect((await o.sql`SELECT locked FROM eighth_blocks WHERE id = ${a}`)[0]!.locked).toBe(false)
    expect((await asAdminPost(`/eighth/admin/blocks/${a}/lock`, { locked: 'maybe' })).status).toBe(422)
    expect((await asAdminPost('/eighth/admin/blocks/999999/lock', { locked: 'on' })).status).toBe(404)
  })

  test('copy a schedule without and then with signups: the target is replaced, never duplicated', async () => {
    const src = await addBlock(o.sql, '2027-02-10', 'A')
    const dst = await addBlock(o.sql, '2027-02-12', 'A')
    const r1 = await addRoom(o.sql, 'Copy Room 1')
    const sp = await createSponsor(o.sql, { lastName: 'Copier' })
    const chess = await addActivity(o.sql, 'Chess Copy')
    const drama = await addActivity(o.sql, 'Drama Copy')
    const gone = await addActivity(o.sql, 'Cancelled Copy')
    const old = await addActivity(o.sql, 'Old Target')
    const sChess = await schedule(o.sql, src, chess, { rooms: [r1], sponsors: [sp], bothBlocks: true, special: true, capacity: 5 })
    const sDrama = await schedule(o.sql, src, drama)
    await schedule(o.sql, src, gone, { cancelled: true })
    const sOld = await schedule(o.sql, dst, old)
    const [s1, s2, s3] = await students(o.sql, 3)
    const clock = o.env.clock
    for (const [u, sa] of [[s1!, sChess], [s2!, sDrama], [s3!, sOld]] as const) expect((await signup(o.sql, clock, { userId: u, scheduledId: sa, requester: asAdmin(o.admin.id), force: true })).ok).toBe(true)
    await signup(o.sql, clock, { userId: s3!, scheduledId: sChess, requester: asAdmin(o.admin.id), force: true })

    const page = await (await handle(get(`/eighth/admin/blocks/${dst}/copy`, o.adminCookie))).text()
    expect(page).toContain('This first deletes the 1 scheduled activities of Fri, February 12, 2027 (A) and their 1 signups.')
    const r = await asAdminPost(`/eighth/admin/blocks/${dst}/copy`, { source: String(src) })
    expect(r.status).toBe(303)
    const target = () => o.sql<{ activityId: number; bothBlocks: boolean; special: boolean; capacity: number | null; rooms: number[]; sponsors: number[] }[]>`
      SELECT sa.activity_id, sa.both_blocks, sa.special, sa.capacity,
             ARRAY(SELECT room_id FROM eighth_scheduled_activity_rooms WHERE scheduled_activity_id = sa.id) AS rooms,
             ARRAY(SELECT sponsor_id FROM eighth_scheduled_activity_sponsors WHERE scheduled_activity_id = sa.id) AS sponsors
      FROM eighth_scheduled_activities sa WHERE sa.block_id = ${dst} ORDER BY sa.activity_id`
    expect([...await target()]).toEqual([
      { activityId: chess, bothBlocks: true, special: true, capacity: null, rooms: [r1], sponsors: [sp] },
      { activityId: drama, bothBlocks: false, special: false, capacity: null, rooms: [], sponsors: [] },
    ])
    expect(await signupCount(o.sql, { blockId: dst })).toBe(0)
    // with signups, twice: still one schedule, each student once in the block, the source untouched
    for (let i = 0; i < 2; i++) expect((await asAdminPost(`/eighth/admin/blocks/${dst}/copy`, { source: String(src), with_signups: 'on' }, true)).status).toBe(200)
    expect((await target()).map((t) => t.activityId)).toEqual([chess, drama])
    const copied = await o.sql<{ userId: number; activityId: number }[]>`
      SELECT s.user_id, sa.activity_id FROM eighth_signups s JOIN eighth_scheduled_activities sa ON sa.id = s.scheduled_activity_id WHERE s.block_id = ${dst} ORDER BY s.user_id`
    expect([...copied]).toEqual([{ userId: s1!, activityId: chess }, { userId: s2!, activityId: drama }, { userId: s3!, activityId: chess }])
    expect(await signupCount(o.sql, { blockId: src })).toBe(3)
    const [audit] = (await audits(o.sql, 'eighth.block.copy')).slice(-1)
    expect(audit!.details).toMatchObject({ source: src, withSignups: true, copiedScheduled: 2, copiedSignups: 3, deletedSignups: 3 })
    expect(((audit!.details.students as number[]) ?? []).sort()).toEqual([s1!, s2!, s3!].sort())
    // onto itself, or from nowhere: refused, nothing changed
    expect((await asAdminPost(`/eighth/admin/blocks/${dst}/copy`, { source: String(dst) })).status).toBe(422)
    expect((await asAdminPost(`/eighth/admin/blocks/${dst}/copy`, { source: 'x' })).status).toBe(422)
    expect(await signupCount(o.sql, { blockId: dst })).toBe(3)
  })

  test('delete: the confirmation says how many signups will be lost; the POST deletes everything', async () => {
    const b = await addBlock(o.sql, '2027-02-17', 'A')
    const sa = await schedule(o.sql, b, await addActivity(o.sql, 'Doomed Club'))
    const us = await students(o.sql, 2)
    for (const u of us) await signup(o.sql, o.env.clock, { userId: u, scheduledId: sa, requester: asAdmin(o.admin.id), force: true })
    const confirm = await (await handle(get(`/eighth/admin/blocks/${b}/delete`, o.adminCookie))).text()
    expect(confirm).toContain('2 signups will be lost')
    expect(confirm).toContain('1 scheduled activity')
    expect((await o.sql`SELECT 1 FROM eighth_blocks WHERE id = ${b}`).length).toBe(1)
    const r = await asAdminPost(`/eighth/admin/blocks/${b}/delete`, {})
    expect(r.status).toBe(303)
    expect((await o.sql`SELECT 1 FROM eighth_blocks WHERE id = ${b}`).length).toBe(0)
    expect((await o.sql`SELECT 1 FROM eighth_scheduled_activities WHERE id = ${sa}`).length).toBe(0)
    const [audit] = (await audits(o.sql, 'eighth.block.delete')).slice(-1)
    expect(audit).toMatchObject({ actorId: o.admin.id, targetId: String(b), details: { signups: 2, students: [...us].sort((x, y) => x - y) } })
  })
})

describe('rooms and sponsors', () => {
  test('rooms: −1 unlimited, 0 none, anything below is refused; edit and delete', async () => {
    expect((await asAdminPost('/eighth/admin/rooms', { name: 'Auditorium', capacity: '-1', available_for_eighth: 'on' })).status).toBe(303)
    expect((await asAdminPost('/eighth/admin/rooms', { name: 'Closet', capacity: '0' })).status).toBe(303)
    const bad = await asAdminPost('/eighth/admin/rooms', { name: 'Nowhere', capacity: '-5' })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Capacity must be a whole number')
    expect((await asAdminPost('/eighth/admin/rooms', { name: '', capacity: '3' })).status).toBe(422)
    const rooms = await o.sql<{ id: number; name: string; capacity: number; availableForEighth: boolean }[]>`
      SELECT id, name, capacity, available_for_eighth FROM eighth_rooms WHERE name IN ('Auditorium', 'Closet', 'Nowhere') ORDER BY name`
    expect(rooms.map((r) => [r.name, r.capacity, r.availableForEighth])).toEqual([['Auditorium', -1, true], ['Closet', 0, false]])
    const list = await (await handle(get('/eighth/admin/rooms', o.adminCookie))).text()
    expect(list).toContain('Unlimited')
    expect(list).toContain('No signups')
    const id = rooms[1]!.id
    expect((await asAdminPost(`/eighth/admin/rooms/${id}`, { name: 'Big Closet', capacity: '4' })).status).toBe(303)
    expect((await o.sql`SELECT capacity FROM eighth_rooms WHERE id = ${id}`)[0]!.capacity).toBe(4)
    expect((await asAdminPost(`/eighth/admin/rooms/${id}/delete`, {})).status).toBe(303)
    expect((await o.sql`SELECT 1 FROM eighth_rooms WHERE id = ${id}`).length).toBe(0)
    expect((await audits(o.sql, 'eighth.room.delete')).length).toBe(1)
  })

  test('sponsors: name-only, linked by type-ahead pick or exact username; one sponsor per account', async () => {
    const teacher = await makeUser(o.sql, { type: 'teacher', firstName: 'Ada', lastName: 'Lovelace', username: 'alovelace' })
    expect((await asAdminPost('/eighth/admin/sponsors', { last_name: 'Substitute', department: 'general' })).status).toBe(303)
    const opts = await (await handle(get('/eighth/admin/sponsors/accounts?account=Lovelace', o.adminCookie, true))).text()
    expect(opts).toContain(`value="${teacher.id}"`)
    expect(await (await handle(get(`/eighth/admin/sponsors/accounts?account=${o.student.username}`, o.adminCookie, true))).text()).not.toContain(`value="${o.student.id}"`)
    const r = await asAdminPost('/eighth/admin/sponsors', { first_name: 'Ada', last_name: 'Lovelace', user_id: String(teacher.id), department: 'math_cs', show_full_name: 'on' })
    expect(r.status).toBe(303)
    const [sp] = await o.sql<{ id: number; userId: number; department: string; showFullName: boolean; fullTime: boolean }[]>`
      SELECT id, user_id, department, show_full_name, full_time FROM eighth_sponsors WHERE last_name = 'Lovelace'`
    expect(sp).toMatchObject({ userId: teacher.id, department: 'math_cs', showFullName: true, fullTime: false })
    // the same account again, a student, an unknown username, a bad department: refused
    const again = await asAdminPost('/eighth/admin/sponsors', { last_name: 'Twice', account: 'alovelace', department: 'general' })
    expect(again.status).toBe(422)
    expect(await again.text()).toContain('That account is already linked to the sponsor Lovelace.')
    expect((await asAdminPost('/eighth/admin/sponsors', { last_name: 'Kid', user_id: String(o.student.id), department: 'general' })).status).toBe(422)
    expect(await (await asAdminPost('/eighth/admin/sponsors', { last_name: 'Ghost', account: 'nobody-here', department: 'general' })).text()).toContain('No teacher account is named “nobody-here”.')
    expect((await asAdminPost('/eighth/admin/sponsors', { last_name: 'Dept', department: 'cooking' })).status).toBe(422)
    expect((await o.sql`SELECT 1 FROM eighth_sponsors WHERE last_name IN ('Twice', 'Kid', 'Ghost', 'Dept')`).length).toBe(0)
    // linking by exact username without JavaScript; unlinking
    const other = await makeUser(o.sql, { type: 'counselor', lastName: 'Hopper', username: 'ghopper' })
    const [sub] = await o.sql<{ id: number }[]>`SELECT id FROM eighth_sponsors WHERE last_name = 'Substitute'`
    expect((await asAdminPost(`/eighth/admin/sponsors/${sub!.id}`, { last_name: 'Hopper', account: 'GHopper', department: 'scitech' })).status).toBe(303)
    expect((await o.sql`SELECT user_id FROM eighth_sponsors WHERE id = ${sub!.id}`)[0]!.userId).toBe(other.id)
    expect((await asAdminPost(`/eighth/admin/sponsors/${sub!.id}`, { last_name: 'Hopper', department: 'scitech' })).status).toBe(303)
    expect((await o.sql`SELECT user_id FROM eighth_sponsors WHERE id = ${sub!.id}`)[0]!.userId).toBe(other.id)
    expect((await asAdminPost(`/eighth/admin/sponsors/${sub!.id}`, { last_name: 'Hopper', unlink: 'on', department: 'scitech' })).status).toBe(303)
    expect((await o.sql`SELECT user_id FROM eighth_sponsors WHERE id = ${sub!.id}`)[0]!.userId).toBe(null)
  })

  test("a sponsor's schedule lists their scheduled activities, overrides included", async () => {
    const sp = await createSponsor(o.sql, { lastName: 'Busy' })
    const b = await addBlock(o.sql, '2027-03-03', 'A')
    const mine = await addActivity(o.sql, 'Busy Club', { sponsors: [sp] })
    const lent = await addActivity(o.sql, 'Borrowed Club')
    const replaced = await addActivity(o.sql, 'Replaced Club', { sponsors: [sp] })
    await schedule(o.sql, b, mine)
    await schedule(o.sql, b, lent, { sponsors: [sp], cancelled: true })
    await schedule(o.sql, b, replaced, { sponsors: [await createSponsor(o.sql, { lastName: 'Other' })] })
    const html = await (await handle(get(`/eighth/admin/sponsors/${sp}/schedule`, o.adminCookie))).text()
    expect(html).toContain('Busy Club')
    expect(html).toContain('Borrowed Club')
    expect(html).toContain('Cancelled')
    expect(html).not.toContain('Replaced Club')
  })
})
