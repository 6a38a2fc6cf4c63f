import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, asStudent, schedule, signup } from '../helpers/eighth.ts'
import type { SinkMessage } from '../background/sink.ts'
import { addDays } from '../../src/platform/zoned.ts'
import { createMail } from '../../src/platform/mail/enqueue.ts'
import { setActivityUsers } from '../../src/features/eighth/catalog.sql.ts'
import { auditRows, emailOf, mailSink, makeGroup, people, postForm, signupsIn } from './moves-fixture.ts'

// The office's moves (issue 7, item 5) through their pages: group signup (acceptance case 28),
// distribute, transfer (case 27) with and without emails, clear, sticky students (emails through
// the SMTP sink), the office signup form with force, and who may use them.
setDefaultTimeout(60_000)

let env: TestEnv
let mail: Awaited<ReturnType<typeof mailSink>>
let admin: MadeUser, stu: MadeUser
let cAdmin: string, cStu: string
const services: Record<string, unknown> = {}
let day = 0
const nextDate = () => addDays('2026-12-02', day++)

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z', build: { services } }) // Mon 09:00 in New York
  mail = await mailSink(env.db.url)
  services.mail = createMail({ config: env.config, clock: env.clock, nudge: mail.worker.nudge })
  admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] })
  stu = await makeUser(env.sql, { type: 'student' })
  ;[cAdmin, cStu] = await Promise.all([login(env.app, admin), login(env.app, stu)])
})
afterAll(async () => {
  await mail?.stop()
  await env?.close()
})

/** Activities have 30 seats unless told otherwise. */
const act = (name: string, f: Parameters<typeof addActivity>[2] = {}) => addActivity(env.sql, name, { defaultCapacity: 30, ...f })
const get = (path: string, cookie = cAdmin, htmx = false) => env.app.handle(req(path, { cookie, htmx }))
const post = (path: string, pairs: [string, string][], cookie = cAdmin, htmx = false) => env.app.handle(postForm(path, pairs, cookie, htmx))
/** A plain form post: 303 back to the tool; the page then shows the result. */
async function postAndFollow(path: string, pairs: [string, string][]): Promise<string> {
  const r = await post(path, pairs)
  expect(r.status).toBe(303)
  return (await get(r.headers.get('location')!)).text()
}
const delivered = (match: (m: SinkMessage) => boolean, what: string) => mail.delivered(env.sql, match, what)
const text = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&')

describe('sign up a group', () => {
  test('28. a group of 3 and an activity with capacity 5: each member has exactly one signup there', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A')
    const sa = await schedule(env.sql, block, await act('Meme Club'), { capacity: 5 })
    const other = await schedule(env.sql, block, await act('Chess'))
    const members = await people(env.sql, 3, { last: 'Robot' })
    await signup(env.sql, env.clock, { userId: members[0]!, scheduledId: other, requester: asStudent(members[0]!) })
    const gid = await makeGroup(env.sql, 'Robotics Team', members)
    // the wizard sends a complete choice to the confirm page
    const w = await get(`/eighth/admin/moves/group?group=${gid}&block=${block}&activity=${sa}`)
    expect([w.status, w.headers.get('location')]).toEqual([303, `/eighth/admin/moves/group/${gid}/${sa}`])
    const confirm = await (await get(`/eighth/admin/moves/group/${gid}/${sa}`)).text()
    expect(confirm).toContain('Robot000')
    expect(confirm).toContain('Sign up 3 members')
    const page = text(await postAndFollow(`/eighth/admin/moves/group/${gid}/${sa}`, []))
    expect(page).toContain('Signed up 3 students from Robotics Team for Meme Club')
    const s = await signupsIn(env.sql, block)
    expect(members.map((u) => s.get(u))).toEqual([sa, sa, sa])
    const rows = await env.sql<{ n: number; afterDeadline: boolean }[]>`SELECT count(*)::int AS n, bool_or(after_deadline) AS after_deadline FROM eighth_signups WHERE user_id = ANY(${members}::int[])`
    expect(rows[0]).toEqual({ n: 3, afterDeadline: false })
    const [a] = await auditRows(env.sql, 'eighth.group_signup')
    expect(a).toMatchObject({ actorId: admin.id, targetId: String(sa), details: { groupId: gid, students: [...members].sort((x, y) => x - y) } })
  })

  test('forced and no pass on a locked, full block; sticky members are listed and skipped unless ticked', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A', true)
    const sa = await schedule(env.sql, block, await act('Full House'), { capacity: 0 })
    const stickyAct = await schedule(env.sql, block, await act('Detention', { sticky: true }))
    const members = await people(env.sql, 4, { last: 'Sticky' })
    const teacher = (await people(env.sql, 1, { type: 'teacher', gradYear: null }))[0]!
    for (const u of members.slice(0, 2)) await signup(env.sql, env.clock, { userId: u, scheduledId: stickyAct, requester: null, force: true })
    const gid = await makeGroup(env.sql, 'Mixed Group', [...members, teacher])
    const confirm = text(await (await get(`/eighth/admin/moves/group/${gid}/${sa}`)).text())
    expect(confirm).toContain('Members in a sticky activity in this block')
    expect(confirm).toContain(`value="${members[0]}"`)
    expect(confirm).toContain('Not a current student: skipped')
    // tick one of the two stuck members
    const r = await post(`/eighth/admin/moves/group/${gid}/${sa}`, [['remove_from_sticky', String(members[1])]], cAdmin, true)
    expect(r.status).toBe(200)
    const html = text(await r.text())
    expect(html).toContain('id="moves-tool"')
    expect(html).not.toContain('<html')
    expect(html).toContain('Signed up 3 students')
    expect(html).toContain('Skipped 1 student in a sticky activity')
    expect(html).toContain('Not moved, not current students')
    const s = await signupsIn(env.sql, block)
    expect([s.get(members[0]!), s.get(members[1]!), s.get(members[2]!), s.get(members[3]!), s.get(teacher)]).toEqual([stickyAct, sa, sa, sa, undefined])
    const [pass] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE scheduled_activity_id = ${sa} AND after_deadline`
    expect(pass!.n).toBe(0)
  })

  test('bad input changes nothing: 422 for a malformed tick, 404 for an unknown group or activity', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A')
    const sa = await schedule(env.sql, block, await act('Nothing Happens'))
    const gid = await makeGroup(env.sql, 'Quiet Group', await people(env.sql, 2))
    expect((await post(`/eighth/admin/moves/group/${gid}/${sa}`, [['remove_from_sticky', 'x1']])).status).toBe(422)
    expect((await post(`/eighth/admin/moves/group/999999/${sa}`, [])).status).toBe(404)
    expect((await post(`/eighth/admin/moves/group/${gid}/999999`, [])).status).toBe(404)
    expect((await signupsIn(env.sql, block)).size).toBe(0)
  })
})

describe('distribute', () => {
  test('round-robin over a group: proposed, adjustable, then signed up', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A')
    const [x, y] = [await schedule(env.sql, block, await act('Xylophone')), await schedule(env.sql, block, await act('Yoga'))]
    const members = await people(env.sql, 4, { last: 'Round' })
    const gid = await makeGroup(env.sql, 'Round Group', members)
    const html = await (await get(`/eighth/admin/moves/distribute?source=group&group=${gid}&block=${block}&activity=${x}&activity=${y}&mode=round`)).text()
    // Round000 → X, Round001 → Y, Round002 → X, Round003 → Y
    for (const [i, to] of [[0, x], [1, y], [2, x], [3, y]] as const) {
      expect(html).toMatch(new RegExp(`name="to_${members[i]}">[^]*?<option value="${to}" selected>`))
    }
    // the office moves the last one elsewhere and leaves the third out
    const pairs: [string, string][] = [['block', String(block)], ['source', 'group'], ['group', String(gid)],
      [`to_${members[0]}`, String(x)], [`to_${members[1]}`, String(y)], [`to_${members[2]}`, ''], [`to_${members[3]}`, String(x)]]
    const page = text(await postAndFollow('/eighth/admin/moves/distribute', pairs))
    expect(page).toContain('Signed up 3 students across Xylophone, Yoga')
    const s = await signupsIn(env.sql, block)
    expect(members.map((u) => s.get(u) ?? null)).toEqual([x, y, null, x])
    expect((await auditRows(env.sql, 'eighth.distribute')).at(-1)!.details).toMatchObject({ blockId: block, source: { kind: 'group', groupId: gid } })
  })

  test('fill in order over the unsigned students of a block, with a limit', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A')
    const small = await schedule(env.sql, block, await act('Aa Small'), { capacity: 2 })
    const big = await schedule(env.sql, block, await act('Bb Big'), { capacity: 100 })
    const already = (await people(env.sql, 1))[0]!
    await signup(env.sql, env.clock, { userId: already, scheduledId: small, requester: asStudent(already) })
    const html = await (await get(`/eighth/admin/moves/distribute?source=unsigned&block=${block}&activity=${small}&activity=${big}&mode=fill&limit=5`)).text()
    const proposed = [...html.matchAll(/name="to_(\d+)">[^]*?<option value="(\d+)" selected>/g)].map((m) => Number(m[2]))
    expect(proposed).toEqual([small, big, big, big, big]) // one free seat in Small, then Big
    const users = [...html.matchAll(/name="to_(\d+)"/g)].map((m) => Number(m[1]))
    expect(users).not.toContain(already)
    const pairs: [string, string][] = [['block', String(block)], ['source', 'unsigned'], ...users.map((u, i) => [`to_${u}`, String(proposed[i])] as [string, string])]
    await postAndFollow('/eighth/admin/moves/distribute', pairs)
    const s = await signupsIn(env.sql, block)
    expect(users.map((u) => s.get(u))).toEqual(proposed)
    expect(s.get(already)).toBe(small)
  })

  test('an activity from another block is refused and nothing changes', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A')
    const elsewhere = await schedule(env.sql, await addBlock(env.sql, nextDate(), 'A'), await act('Elsewhere'))
    const [u] = await people(env.sql, 1)
    const r = await post('/eighth/admin/moves/distribute', [['block', String(block)], ['source', 'unsigned'], [`to_${u}`, String(elsewhere)]])
    expect(r.status).toBe(422)
    expect(await r.text()).toContain('Every activity must be scheduled in this block.')
    expect((await env.sql`SELECT 1 FROM eighth_signups WHERE user_id = ${u!}`).length).toBe(0)
  })
})

describe('transfer and clear', () => {
  test('27. cross-block transfer: the mover ends with one signup in block A (a1) and none in block B', async () => {
    const date = nextDate()
    const [A, B] = [await addBlock(env.sql, date, 'A'), await addBlock(env.sql, date, 'B')]
    const a1 = await schedule(env.sql, A, await act('Alpha One'))
    const a2 = await schedule(env.sql, A, await act('Alpha Two'))
    const b1 = await schedule(env.sql, B, await act('Beta One'))
    const [u, v] = await people(env.sql, 2, { last: 'Mover' })
    for (const [w, sa] of [[u, a2], [u, b1], [v, b1]] as const) await signup(env.sql, env.clock, { userId: w!, scheduledId: sa, requester: asStudent(w!) })
    const confirm = text(await (await get(`/eighth/admin/moves/transfer?from_block=${B}&from=${b1}&to_block=${A}&to=${a1}`)).text())
    expect(confirm).toContain('Move 2 students from Beta One')
    expect(confirm).toContain('Mover000, F0: Alpha Two') // the signup that will be deleted
    const page = text(await postAndFollow('/eighth/admin/moves/transfer', [['from', String(b1)], ['to', String(a1)]]))
    expect(page).toContain('Moved 2 students from Beta One')
    const [sA, sB] = [await signupsIn(env.sql, A), await signupsIn(env.sql, B)]
    expect([sA.get(u!), sA.get(v!), sB.size]).toEqual([a1, a1, 0])
    const [a] = (await auditRows(env.sql, 'eighth.transfer')).slice(-1)
    expect(a!.details).toMatchObject({ from: b1, to: a1, students: [u, v].sort((x, y) => x! - y!), emailed: 0 })
  })

  test('same block: re-pointed; emails respect the preference, and "email everyone" overrides it (audited)', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A')
    const from = await schedule(env.sql, block, await act('Old Room Club'))
    const to = await schedule(env.sql, block, await act('New Room Club'))
    const [keen] = await people(env.sql, 1)
    const [quiet] = await people(env.sql, 1, { optOut: true })
    for (const w of [keen!, quiet!]) await signup(env.sql, env.clock, { userId: w, scheduledId: from, requester: asStudent(w) })
    const page = text(await postAndFollow('/eighth/admin/moves/transfer', [['from', String(from)], ['to', String(to)], ['send_emails', 'on']]))
    expect(page).toContain('Emailed 1 student (1 asked not to get eighth-period email)')
    expect([...(await signupsIn(env.sql, block)).values()]).toEqual([to, to])
    const first = await delivered((m) => !!m.subject?.startsWith('[Ion] 8th Period Transfer to New Room Club on '), 'the transfer email')
    expect(first.flatMap((m) => m.to).sort()).toEqual([await emailOf(env.sql, keen!)])
    // back again, emailing everyone
    await postAndFollow('/eighth/admin/moves/transfer', [['from', String(to)], ['to', String(from)], ['send_emails', 'on'], ['email_everyone', 'on']])
    const back = await delivered((m) => !!m.subject?.startsWith('[Ion] 8th Period Transfer to Old Room Club on '), 'the second transfer email')
    expect(back.flatMap((m) => m.to).sort()).toEqual([await emailOf(env.sql, keen!), await emailOf(env.sql, quiet!)].sort())
    const [override] = (await auditRows(env.sql, 'mail.optout_override')).slice(-1)
    expect(override).toMatchObject({ actorId: admin.id, targetId: 'eighth.transfer', details: { overridden: 1, recipients: 2 } })
  })

  test('the same activity twice is refused (422); clear removes every signup', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A')
    const sa = await schedule(env.sql, block, await act('Clear Me'))
    const members = await people(env.sql, 3)
    for (const w of members) await signup(env.sql, env.clock, { userId: w, scheduledId: sa, requester: asStudent(w) })
    expect((await post('/eighth/admin/moves/transfer', [['from', String(sa)], ['to', String(sa)]])).status).toBe(422)
    expect((await signupsIn(env.sql, block)).size).toBe(3)
    const confirm = await (await get(`/eighth/admin/moves/clear?block=${block}&activity=${sa}`)).text()
    expect(confirm).toContain('Remove all 3 signups from Clear Me')
    const page = await postAndFollow('/eighth/admin/moves/clear', [['activity', String(sa)]])
    expect(page).toContain('Successfully removed signups for 3 students')
    expect((await signupsIn(env.sql, block)).size).toBe(0)
    expect((await auditRows(env.sql, 'eighth.clear_signups')).at(-1)!.details).toMatchObject({ students: [...members].sort((a, b) => a - b) })
  })
})

describe('sticky students and the office signup form', () => {
  test('the sticky page moves students in, sticks them, and emails them (and those released) through SMTP', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A')
    const hall = await schedule(env.sql, block, await act('Study Hall'))
    const other = await schedule(env.sql, block, await act('Other Thing'))
    const [u, v] = await people(env.sql, 2, { last: 'Stuck' })
    await signup(env.sql, env.clock, { userId: u!, scheduledId: other, requester: asStudent(u!) })
    const [un, vn] = await env.sql<{ username: string }[]>`SELECT username FROM users WHERE id IN (${u!}, ${v!}) ORDER BY id`
    expect((await post(`/eighth/admin/moves/sticky/${hall}`, [['students', 'nobody-like-this']])).status).toBe(422)
    const page = text(await postAndFollow(`/eighth/admin/moves/sticky/${hall}`, [['students', `${un!.username}\n${vn!.username}`]]))
    expect(page).toContain('Study Hall on')
    expect(page).toContain('now has 2 students stuck in it')
    const s = await signupsIn(env.sql, block)
    expect([s.get(u!), s.get(v!)]).toEqual([hall, hall])
    // they cannot switch out on their own
    expect((await signup(env.sql, env.clock, { userId: u!, scheduledId: other, requester: asStudent(u!) })).ok).toBe(false)
    const stuck = await delivered((m) => m.subject === '[Ion] You have been stickied into an activity', 'the stickied email')
    expect(stuck.flatMap((m) => m.to).sort()).toEqual([await emailOf(env.sql, u!), await emailOf(env.sql, v!)].sort())
    // release one
    await postAndFollow(`/eighth/admin/moves/sticky/${hall}`, [['students', vn!.username]])
    const released = await delivered((m) => m.subject === '[Ion] You have been unstickied from an activity', 'the unstickied email')
    expect(released.flatMap((m) => m.to)).toEqual([await emailOf(env.sql, u!)])
    expect((await auditRows(env.sql, 'eighth.sticky_students')).at(-1)!.details).toMatchObject({ students: [v], removed: [u] })
  })

  test('without force every failing rule is shown; with force the signup is made and audited', async () => {
    const block = await addBlock(env.sql, nextDate(), 'A', true)
    const exclusive = await act('Very Exclusive', { restricted: true })
    const sa = await schedule(env.sql, block, exclusive, { capacity: 0 })
    const [u] = await people(env.sql, 1, { last: 'Forced' })
    await setActivityUsers(env.sql, exclusive, 'blacklisted', [u!])
    // the form finds the student by name
    const find = await get('/eighth/admin/moves/students?q=Forced000', cAdmin, true)
    expect(await find.text()).toContain(`value="${u}"`)
    const form = await (await get(`/eighth/admin/moves/signup?uid=${u}&block=${block}`)).text()
    expect(form).toContain('Very Exclusive (0/0)')
    const r = await post('/eighth/admin/moves/signup', [['uid', String(u)], ['activity', String(sa)]])
    expect(r.status).toBe(409)
    const html = text(await r.text())
    for (const reason of ['This activity is full.', 'This student is blacklisted from this activity.', 'This block has been locked.', 'This activity is restricted for this student.'])
      expect(html).toContain(reason)
    expect((await signupsIn(env.sql, block)).size).toBe(0)
    const page = text(await postAndFollow('/eighth/admin/moves/signup', [['uid', String(u)], ['activity', String(sa)], ['force', 'on']]))
    expect(page).toContain('Signed up Forced000, F0 for Very Exclusive')
    expect((await signupsIn(env.sql, block)).get(u!)).toBe(sa)
    const [a] = (await env.sql<{ actorId: number; targetId: string }[]>`SELECT actor_id, target_id FROM audit_log WHERE action = 'eighth.force_signup' ORDER BY id DESC LIMIT 1`)
    expect(a).toEqual({ actorId: admin.id, targetId: String(u) })
    // a pass: the block was locked
    const [row] = await env.sql<{ afterDeadline: boolean }[]>`SELECT after_deadline FROM eighth_signups WHERE user_id = ${u!}`
    expect(row!.afterDeadline).toBe(true)
  })
})

describe('who may use them', () => {
  const pages = ['/eighth/admin/moves', '/eighth/admin/moves/group', '/eighth/admin/moves/group/1/1', '/eighth/admin/moves/distribute',
    '/eighth/admin/moves/transfer', '/eighth/admin/moves/clear', '/eighth/admin/moves/sticky', '/eighth/admin/moves/sticky/1',
    '/eighth/admin/moves/signup', '/eighth/admin/moves/students?q=a', '/eighth/admin/unsigned', '/eighth/admin/unsigned/1', '/eighth/admin/unsigned/1/csv']
  const posts = ['/eighth/admin/moves/group/1/1', '/eighth/admin/moves/distribute', '/eighth/admin/moves/transfer', '/eighth/admin/moves/clear',
    '/eighth/admin/moves/sticky/1', '/eighth/admin/moves/signup', '/eighth/admin/unsigned/1/place-default']

  test('students get 403 on every page and every action; nothing changes', async () => {
    const before = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`
    for (const p of pages) expect([p, (await get(p, cStu)).status]).toEqual([p, 403])
    for (const p of posts) expect([p, (await post(p, [['from', '1'], ['to', '2'], ['activity', '1']], cStu)).status]).toEqual([p, 403])
    const after = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`
    expect(after[0]!.n).toBe(before[0]!.n)
  })

  test('the office sees the tools in the admin index', async () => {
    const html = await (await get('/admin')).text()
    for (const l of ['Sign up a group', 'Distribute students', 'Transfer students', 'Clear signups', 'Sticky students', 'Sign up a student', 'Unsigned students'])
      expect(html).toContain(`>${l}</a>`)
    expect((await get('/eighth/admin/moves')).status).toBe(200)
  })
})
