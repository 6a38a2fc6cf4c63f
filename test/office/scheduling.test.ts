import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { header } from '../background/sink.ts'
import { addActivity, addBlock, addRoom, asAdmin, asStudent, schedule, signup } from '../helpers/eighth.ts'
import { removeSignup } from '../../src/features/eighth/signup.ts'
import { addressOf, audits, deliver, get, officeEnv, outbox, post, signupCount, students, type OfficeEnv } from './catalog-fixture.ts'

// The scheduling grids (issue 7, item 4) through HTTP: acceptance case 26, both-blocks pairs,
// room-change emails for every affected block (SMTP sink), validation, the sanity check.

setDefaultTimeout(30_000)
let o: OfficeEnv
beforeAll(async () => { o = await officeEnv() })
afterAll(async () => { await o.close() })

const handle = (r: Request) => o.env.app.handle(r)
type CellForm = { scheduled?: boolean; unschedule?: boolean; rooms?: number[]; sponsors?: number[]; capacity?: string; title?: string; comments?: string; flags?: string[] }
function cell(blockId: number, activityId: number, f: CellForm = {}): [string, string][] {
  const k = `${blockId}_${activityId}`
  const out: [string, string][] = [['cell', `${blockId}:${activityId}`]]
  if (f.scheduled) out.push([`scheduled_${k}`, 'on'])
  if (f.unschedule) out.push([`unschedule_${k}`, 'on'])
  for (const r of f.rooms ?? []) out.push([`rooms_${k}`, String(r)])
  for (const s of f.sponsors ?? []) out.push([`sponsors_${k}`, String(s)])
  out.push([`capacity_${k}`, f.capacity ?? ''], [`title_${k}`, f.title ?? ''], [`comments_${k}`, f.comments ?? ''])
  for (const flag of f.flags ?? []) out.push([`${flag}_${k}`, 'on'])
  return out
}
const saveActivityGrid = (aid: number, cells: [string, string][][], htmx = true) => handle(post(`/eighth/admin/scheduling/activity/${aid}`, cells.flat(), o.adminCookie, htmx))
const schact = (blockId: number, activityId: number) =>
  o.sql<{ id: number; cancelled: boolean; capacity: number | null; title: string; special: boolean }[]>`
    SELECT id, cancelled, capacity, title, special FROM eighth_scheduled_activities WHERE block_id = ${blockId} AND activity_id = ${activityId}`.then((r) => r[0] ?? null)
const force = (u: number, sa: number) => signup(o.sql, o.env.clock, { userId: u, scheduledId: sa, requester: asAdmin(o.admin.id), force: true })

describe('acceptance case 26: the scheduling lifecycle', () => {
  test('tick → scheduled; untick → cancelled (members emailed), not deleted; unschedule → deleted', async () => {
    const act = await addActivity(o.sql, 'Lifecycle Club', { defaultCapacity: 10 })
    const b = await addBlock(o.sql, '2026-12-02', 'A')
    const page = await (await handle(get(`/eighth/admin/scheduling/activity/${act}`, o.adminCookie))).text()
    expect(page).toContain('Wed, December 2, 2026 (A)')
    expect(page).toContain(`name="scheduled_${b}_${act}"`)
    let r = await saveActivityGrid(act, [cell(b, act, { scheduled: true, title: 'Opening \\ day' })], false)
    expect(r.status).toBe(303)
    const sa = (await schact(b, act))!
    expect(sa).toMatchObject({ cancelled: false, title: 'Opening / day' })
    const [u] = await students(o.sql, 1)
    expect((await signup(o.sql, o.env.clock, { userId: u!, scheduledId: sa.id, requester: asStudent(u!) })).ok).toBe(true)
    const before = (await outbox(o.sql, 'eighth.cancelled')).length
    r = await saveActivityGrid(act, [cell(b, act, { title: 'Opening / day' })])
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('Saved: 0 scheduled, 0 changed, 1 cancelled, 0 uncancelled, 0 unscheduled.')
    expect((await schact(b, act))!.cancelled).toBe(true)
    expect(await signupCount(o.sql, { scheduledId: sa.id })).toBe(1)
    expect((await outbox(o.sql, 'eighth.cancelled')).slice(before)).toHaveLength(1)
    // unschedule with a member: refused with Ion's message; the row stays cancelled
    r = await saveActivityGrid(act, [cell(b, act, { unschedule: true, title: 'Opening / day' })])
    expect(await r.text()).toContain('Did not unschedule Lifecycle Club on Wed, December 2, 2026 (A) because there is 1 student signed up.')
    expect((await schact(b, act))!.cancelled).toBe(true)
    // tick again → uncancelled; unschedule of a live activity is refused
    r = await saveActivityGrid(act, [cell(b, act, { scheduled: true, unschedule: true, title: 'Opening / day' })])
    const text = await r.text()
    expect(text).toContain('1 uncancelled')
    expect(text).toContain('because it is not cancelled')
    expect((await schact(b, act))!.cancelled).toBe(false)
    // the member leaves; untick + unschedule in one save → cancelled, then deleted
    expect((await removeSignup(o.sql, o.env.clock, { userId: u!, blockId: b, requester: asAdmin(o.admin.id), force: true })).ok).toBe(true)
    r = await saveActivityGrid(act, [cell(b, act, { unschedule: true })])
    expect(await r.text()).toContain('1 cancelled, 0 uncancelled, 1 unscheduled')
    expect(await schact(b, act)).toBe(null)
    expect((await audits(o.sql, 'eighth.unschedule')).map((a) => a.targetId)).toEqual([String(sa.id)])
    expect((await audits(o.sql, 'eighth.schedule.add'))[0]).toMatchObject({ actorId: o.admin.id })
  })

  test('both blocks: unticking one half cancels both; unschedule is blocked while the pair has signups', async () => {
    const act = await addActivity(o.sql, 'Overnight Hike', { bothBlocks: true, defaultCapacity: 20 })
    const a = await addBlock(o.sql, '2026-12-04', 'A')
    const b = await addBlock(o.sql, '2026-12-04', 'B')
    await saveActivityGrid(act, [cell(a, act, { scheduled: true }), cell(b, act, { scheduled: true })])
    const [sA, sB] = [(await schact(a, act))!, (await schact(b, act))!]
    const [u] = await students(o.sql, 1)
    expect((await signup(o.sql, o.env.clock, { userId: u!, scheduledId: sA.id, requester: asStudent(u!) })).ok).toBe(true)
    expect(await signupCount(o.sql, { scheduledId: sB.id })).toBe(1)
    // the grid shows both rows; the admin unticks only A (B stays ticked) and asks to unschedule A
    const r = await saveActivityGrid(act, [cell(a, act, { unschedule: true }), cell(b, act, { scheduled: true })])
    const text = await r.text()
    expect(text).toContain('Overnight Hike on Fri, December 4, 2026 (B) was cancelled too: it runs in both blocks.')
    expect(text).toContain('Overnight Hike on Fri, December 4, 2026 (B) stays cancelled: its both-blocks pair was cancelled.')
    expect(text).toContain('Did not unschedule Overnight Hike on Fri, December 4, 2026 (A) because there are 2 students signed up.')
    expect((await schact(a, act))!.cancelled).toBe(true)
    expect((await schact(b, act))!.cancelled).toBe(true)
    // B's cancellation emailed too (Ion skipped B blocks)
    const subjects = (await outbox(o.sql, 'eighth.cancelled')).map((m) => m.subject)
    expect(subjects).toContain('[Ion] Activity Cancelled on Fri, December 4, 2026 (B)')
    // still blocked from the B side while A has the member
    await o.sql`DELETE FROM eighth_signups WHERE scheduled_activity_id = ${sB.id}`
    const r2 = await saveActivityGrid(act, [cell(b, act, { unschedule: true })])
    expect(await r2.text()).toContain('Did not unschedule Overnight Hike on Fri, December 4, 2026 (B) because there is 1 student signed up.')
    await o.sql`DELETE FROM eighth_signups WHERE scheduled_activity_id = ${sA.id}`
    const r3 = await saveActivityGrid(act, [cell(a, act, { unschedule: true }), cell(b, act, { unschedule: true })])
    expect(await r3.text()).toContain('2 unscheduled')
    expect(await schact(a, act)).toBe(null)
    expect(await schact(b, act)).toBe(null)
  })
})

describe('overrides and emails', () => {
  test('a room change emails the members of every affected block, A and B alike (through the SMTP sink)', async () => {
    const r101 = await addRoom(o.sql, '101', 30)
    const lab = await addRoom(o.sql, 'Lab', 30)
    const act = await addActivity(o.sql, 'Physics Club', { bothBlocks: true, rooms: [r101] })
    const a = await addBlock(o.sql, '2026-12-09', 'A')
    const b = await addBlock(o.sql, '2026-12-09', 'B')
    const other = await addBlock(o.sql, '2026-12-11', 'A')
    const sA = await schedule(o.sql, a, act)
    await schedule(o.sql, b, act)
    const sOther = await schedule(o.sql, other, act)
    const [u1, u2] = await students(o.sql, 2)
    expect((await force(u1!, sA)).ok).toBe(true) // both blocks
    expect((await force(u2!, sOther)).ok).toBe(true)
    o.sink.messages.length = 0
    const r = await saveActivityGrid(act, [cell(a, act, { scheduled: true, rooms: [lab] }), cell(b, act, { scheduled: true, rooms: [lab] }), cell(other, act, { scheduled: true })])
    const text = await r.text()
    expect(text).toContain('Physics Club on Wed, December 9, 2026 (A): emailed 1 student about the room change.')
    expect(text).toContain('Physics Club on Wed, December 9, 2026 (B): emailed 1 student about the room change.')
    await deliver(o)
    const addr = await addressOf(o.sql, u1!)
    const subjects = o.sink.messages.filter((m) => m.to.includes(addr)).map((m) => header(m.raw, 'Subject')).sort()
    expect(subjects).toEqual(['[Ion] Room change for Physics Club on Wed, December 9, 2026 (A)', '[Ion] Room change for Physics Club on Wed, December 9, 2026 (B)'])
    const rows = await outbox(o.sql, 'eighth.room_change')
    expect(rows[0]!.text).toContain('has moved from Rm. 101 to Lab.')
    // the block whose rooms did not change sent nothing; saving again sends nothing more
    const addr2 = await addressOf(o.sql, u2!)
    expect(o.sink.messages.filter((m) => m.to.includes(addr2))).toHaveLength(0)
    await saveActivityGrid(act, [cell(a, act, { scheduled: true, rooms: [lab] })])
    expect(await outbox(o.sql, 'eighth.room_change')).toHaveLength(2)
    expect((await audits(o.sql, 'eighth.schedule.edit')).some((x) => (x.details.students as number[] | undefined)?.includes(u1!))).toBe(true)
  })

  test('overrides are saved (capacity, title, flags, sponsors) and every bad row refuses the whole save', async () => {
    const act = await addActivity(o.sql, 'Override Club')
    const b1 = await addBlock(o.sql, '2026-12-16', 'A')
    const b2 = await addBlock(o.sql, '2026-12-16', 'B')
    const r = await saveActivityGrid(act, [cell(b1, act, { scheduled: true, capacity: '-1', title: 'Finals', flags: ['special', 'sticky'] })])
    expect(r.status).toBe(200)
    const s1 = (await schact(b1, act))!
    expect(s1).toMatchObject({ capacity: -1, title: 'Finals', special: true })
    const bad = await saveActivityGrid(act, [cell(b1, act, { scheduled: true, capacity: '5' }), cell(b2, act, { scheduled: true, capacity: '-3' }), cell(b2, act, { scheduled: true, rooms: [987654] })].slice(0, 2))
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('Override Club on Wed, December 16, 2026 (B): the capacity must be a whole number of at least −1')
    expect((await schact(b1, act))!.capacity).toBe(-1)
    expect(await schact(b2, act)).toBe(null)
    const unknownRoom = await saveActivityGrid(act, [cell(b2, act, { scheduled: true, rooms: [987654] })])
    expect(unknownRoom.status).toBe(422)
    expect(await schact(b2, act)).toBe(null)
    // a cell of another activity in this activity's grid, or garbage: refused
    const other = await addActivity(o.sql, 'Intruder Club')
    expect((await saveActivityGrid(act, [cell(b2, other, { scheduled: true })])).status).toBe(422)
    expect((await handle(post(`/eighth/admin/scheduling/activity/${act}`, [['cell', 'x:y']], o.adminCookie))).status).toBe(422)
    expect(await schact(b2, other)).toBe(null)
  })

  test('the block grid schedules several activities at once and finds others to add', async () => {
    const b = await addBlock(o.sql, '2027-01-06', 'A')
    const x = await addActivity(o.sql, 'Xylophone Ensemble')
    const y = await addActivity(o.sql, 'Yearbook Staff')
    await addActivity(o.sql, 'Deleted Yodeling', { deleted: true })
    let page = await (await handle(get(`/eighth/admin/scheduling/block/${b}?q=y`, o.adminCookie))).text()
    expect(page).toContain('Xylophone Ensemble')
    expect(page).toContain('Yearbook Staff')
    expect(page).not.toContain('Deleted Yodeling')
    const r = await handle(post(`/eighth/admin/scheduling/block/${b}?q=y`, [...cell(b, x, { scheduled: true }), ...cell(b, y, { scheduled: true, capacity: '12' })], o.adminCookie))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toStartWith(`/eighth/admin/scheduling/block/${b}?q=y&flash=`)
    expect((await schact(b, x))!.capacity).toBe(null)
    expect((await schact(b, y))!.capacity).toBe(12)
    page = await (await handle(get(`/eighth/admin/scheduling/block/${b}`, o.adminCookie))).text()
    expect(page).toContain('0/12 signed up')
  })
})

describe('sanity check', () => {
  test('rooms shared by two live activities, rooms with more students than seats, sponsors booked twice', async () => {
    const b = await addBlock(o.sql, '2027-01-08', 'A')
    const small = await addRoom(o.sql, 'Tiny Room', 1)
    const shared = await addRoom(o.sql, 'Shared Room', 50)
    const a1 = await addActivity(o.sql, 'Packed Club', { rooms: [small], defaultCapacity: 5 })
    const a2 = await addActivity(o.sql, 'Sharing One', { rooms: [shared] })
    const a3 = await addActivity(o.sql, 'Sharing Two')
    const a4 = await addActivity(o.sql, 'Cancelled Sharer', { rooms: [shared] })
    const s1 = await schedule(o.sql, b, a1)
    await schedule(o.sql, b, a2)
    await schedule(o.sql, b, a3, { rooms: [shared] })
    await schedule(o.sql, b, a4, { cancelled: true })
    for (const u of await students(o.sql, 2)) expect((await force(u, s1)).ok).toBe(true)
    const html = await (await handle(get(`/eighth/admin/scheduling/block/${b}/sanity`, o.adminCookie))).text()
    const conflicts = html.slice(html.indexOf('Room conflicts'), html.indexOf('Over capacity'))
    expect(conflicts).toContain('Shared Room')
    expect(conflicts).toContain('Sharing One')
    expect(conflicts).toContain('Sharing Two')
    expect(conflicts).not.toContain('Cancelled Sharer')
    expect(conflicts).not.toContain('Tiny Room')
    const over = html.slice(html.indexOf('Over capacity'), html.indexOf('Sponsor conflicts'))
    expect(over).toContain('Tiny Room: 2 students for 1 seats')
    expect(over).not.toContain('Shared Room')
    expect((await handle(get('/eighth/admin/scheduling/block/999999/sanity', o.adminCookie))).status).toBe(404)
  })
})
