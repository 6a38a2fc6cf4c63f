import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, asStudent, schedule, signup } from '../helpers/eighth.ts'
import { parseCsv } from '../../src/platform/csv.ts'
import { findJob } from '../../src/platform/jobs/registry.ts'
import { runNow, runSlot } from '../../src/platform/jobs/run.ts'
import { createActivity } from '../../src/features/eighth/catalog.sql.ts'
import { placeUnsignedInDefault } from '../../src/features/eighth/admin/moves/index.tsx'
import { STATUS_JOBS } from '../../src/features/eighth/admin/moves/status-email.ts'
import { auditRows, emailOf, people, postForm, signupsIn } from './moves-fixture.ts'

// Unsigned students (issue 7, item 6): the list with counts by grade and its CSV, the
// signup-status jobs (acceptance case 29) with the injected clock, and the optional placement in
// a default activity.
setDefaultTimeout(60_000)

const DEFAULT_AID = 900
let env: TestEnv
let admin: MadeUser, stu: MadeUser
let cAdmin: string, cStu: string
const P: Record<string, number | undefined> = {}
let block: number

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z', config: { SCHOOL_EMAIL_DOMAINS: 'school.example', EIGHTH_DEFAULT_ACTIVITY_ID: String(DEFAULT_AID) } })
  admin = await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] })
  stu = await makeUser(env.sql, { type: 'student', graduationYear: 2040 }) // not a current student
  ;[cAdmin, cStu] = await Promise.all([login(env.app, admin), login(env.app, stu)])
  block = await addBlock(env.sql, '2026-12-02', 'A')
  const chess = await schedule(env.sql, block, await addActivity(env.sql, 'Chess', { defaultCapacity: 30 }))
  ;[P.fresh1, P.fresh2] = await people(env.sql, 2, { gradYear: 2030, last: 'Frosh' })
  ;[P.soph] = await people(env.sql, 1, { gradYear: 2029, last: 'Soph' })
  ;[P.junior] = await people(env.sql, 1, { gradYear: 2028, last: 'Junior' })
  ;[P.senior] = await people(env.sql, 1, { gradYear: 2027, last: 'Senior' })
  ;[P.teacher] = await people(env.sql, 1, { type: 'teacher', gradYear: null, last: 'Teacher' })
  ;[P.inactive] = await people(env.sql, 1, { gradYear: 2028, active: false, last: 'Gone' })
  ;[P.graduated] = await people(env.sql, 1, { gradYear: 2026, last: 'Alum' })
  ;[P.eighth] = await people(env.sql, 1, { gradYear: 2031, last: 'Middle' })
  await signup(env.sql, env.clock, { userId: P.soph!, scheduledId: chess, requester: asStudent(P.soph!) })
  await env.sql`INSERT INTO emails (user_id, address, is_primary) VALUES (${P.senior!}, 'senior@home.example', false)`
  await env.sql`UPDATE users SET counselor_id = ${P.teacher!} WHERE id = ${P.senior!}`
})
afterAll(async () => { await env?.close() })

const get = (path: string, cookie = cAdmin) => env.app.handle(req(path, { cookie }))

describe('the unsigned list', () => {
  test('only current students, counted by grade', async () => {
    const r = await get(`/eighth/admin/unsigned/${block}`)
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('Unsigned students: Wed, December 2, 2026 (A)')
    expect(html).toContain('4 of 5 current students have no signup (1 signed up).')
    const counts = html.slice(html.indexOf('Unsigned students by grade'))
    expect(counts).toMatch(/<tbody><tr><td>2<\/td><td>0<\/td><td>1<\/td><td>1<\/td><td>4<\/td><\/tr><\/tbody>/)
    for (const name of ['Frosh000', 'Frosh001', 'Junior000', 'Senior000']) expect(html).toContain(name)
    for (const name of ['Soph000', 'Teacher000', 'Gone000', 'Alum000', 'Middle000']) expect(html).not.toContain(name)
    // the first upcoming block is the default
    const d = await get('/eighth/admin/unsigned')
    expect([d.status, d.headers.get('location')]).toEqual([303, `/eighth/admin/unsigned/${block}`])
  })

  test('the CSV has Ion\'s no-signups columns', async () => {
    const r = await get(`/eighth/admin/unsigned/${block}/csv`)
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="unsigned-2026-12-02-A.csv"')
    const rows = parseCsv(await r.text()).map((x) => x.fields)
    expect(rows[0]).toEqual(['Block ID', 'Block Date', 'Last', 'First', 'Student ID', 'Grade', 'Counselor', 'School Email', 'Personal Email'])
    expect(rows.slice(1).map((x) => x[2])).toEqual(['Frosh000', 'Frosh001', 'Junior000', 'Senior000'])
    const senior = rows.find((x) => x[2] === 'Senior000')!
    expect(senior).toEqual([String(block), '2026-12-02', 'Senior000', 'F0', senior[4]!, '12', 'Teacher000, F0', await emailOf(env.sql, P.senior!), 'senior@home.example'])
  })

  test('students get 403', async () => {
    for (const p of ['/eighth/admin/unsigned', `/eighth/admin/unsigned/${block}`, `/eighth/admin/unsigned/${block}/csv`]) expect((await get(p, cStu)).status).toBe(403)
    expect((await env.app.handle(postForm(`/eighth/admin/unsigned/${block}/place-default`, [], cStu))).status).toBe(403)
  })
})

type Row = { toAddrs: string[]; subject: string; text: string; idempotencyKey: string }
const statusMail = () => env.sql<Row[]>`SELECT to_addrs, subject, text, idempotency_key FROM mail_outbox WHERE kind = 'eighth.signup_status' ORDER BY id`
const jobEnv = () => ({ sql: env.sql, redis: env.redis, clock: env.clock, config: env.config, log: env.log })
async function runAt(which: 'today' | 'tomorrow', at: string) {
  env.clock.set(at)
  const job = findJob(STATUS_JOBS[which])!
  return runSlot(jobEnv(), job, new Date(at).toISOString())
}

const detail = (r: Awaited<ReturnType<typeof runSlot>>) => (r.status === 'ok' ? r.detail : r.status)

describe('signup-status emails', () => {
  test('the jobs are registered at 08:00 and 20:00, skipping missed runs', () => {
    expect(findJob(STATUS_JOBS.today)).toMatchObject({ schedule: '0 8 * * *', catchUp: 'skip' })
    expect(findJob(STATUS_JOBS.tomorrow)).toMatchObject({ schedule: '0 20 * * *', catchUp: 'skip' })
  })

  test('29. the next block is today: unsigned and cancelled students are emailed, signed ones are not', async () => {
    const cancelled = await schedule(env.sql, block, await addActivity(env.sql, 'Rained Out', { defaultCapacity: 30 }), { cancelled: true })
    const [quiet] = await people(env.sql, 1, { gradYear: 2028, optOut: true, last: 'Quiet' })
    P.quiet = quiet!
    await signup(env.sql, env.clock, { userId: P.junior!, scheduledId: cancelled, requester: null, force: true })
    // Monday evening: the next block is Wednesday, not tomorrow; Tuesday morning: not today
    expect(detail(await runAt('tomorrow', '2026-12-01T01:00:00Z'))).toBe('next block date is 2026-12-02, not tomorrow: nothing sent')
    expect(detail(await runAt('today', '2026-12-01T13:00:00Z'))).toBe('next block date is 2026-12-02, not today: nothing sent')
    expect((await statusMail()).length).toBe(0)
    // Wednesday 08:00
    const r = await runAt('today', '2026-12-02T13:00:00Z')
    expect(r).toMatchObject({ status: 'ok', detail: '4 student(s) to remind for 2026-12-02; 4 new email(s)' })
    const mail = await statusMail()
    const to = mail.flatMap((m) => m.toAddrs).sort()
    expect(to).toEqual((await Promise.all([P.fresh1!, P.fresh2!, P.junior!, P.senior!].map((u) => emailOf(env.sql, u)))).sort())
    expect(to).not.toContain(await emailOf(env.sql, quiet!))
    const junior = mail.find((m) => m.text.includes('Rained Out'))!
    expect(junior.subject).toBe('[Ion] Signup Status for Wednesday, December 2')
    expect(junior.text).toContain('Wed, December 2, 2026 (A): Rained Out ⚠ This activity was cancelled: choose another one')
    expect(junior.text).toContain('Please fix this before 12:40 PM on Wednesday, December 2.')
    const fresh = mail.find((m) => m.text.includes('No activity selected'))!
    expect(fresh.text).toContain('Wed, December 2, 2026 (A): No activity selected')
    expect(mail.every((m) => m.toAddrs.length === 1)).toBe(true) // personal, one per student
  })

  test('a re-run of the same day never duplicates; the same slot runs once', async () => {
    const before = (await statusMail()).length
    expect(await runAt('today', '2026-12-02T13:00:00Z')).toEqual({ status: 'taken' })
    env.clock.set('2026-12-02T14:30:00Z')
    const manual = await runNow(jobEnv(), findJob(STATUS_JOBS.today)!)
    expect(await manual!.done).toMatchObject({ status: 'ok', detail: '4 student(s) to remind for 2026-12-02; 0 new email(s)' })
    expect((await statusMail()).length).toBe(before)
    expect(new Set((await statusMail()).map((m) => m.idempotencyKey)).size).toBe(before)
  })

  test('the evening before: each block of the day is listed', async () => {
    const [a, b] = [await addBlock(env.sql, '2026-12-04', 'A'), await addBlock(env.sql, '2026-12-04', 'B')]
    const robo = await schedule(env.sql, a, await addActivity(env.sql, 'Robotics', { defaultCapacity: 30 }))
    await schedule(env.sql, b, await addActivity(env.sql, 'Band', { defaultCapacity: 30 }))
    await signup(env.sql, env.clock, { userId: P.senior!, scheduledId: robo, requester: asStudent(P.senior!) })
    const before = (await statusMail()).length
    // Wednesday 20:00: the next block (Friday) is not tomorrow
    expect(detail(await runAt('tomorrow', '2026-12-03T01:00:00Z'))).toBe('next block date is 2026-12-04, not tomorrow: nothing sent')
    // Thursday 20:00: it is
    const r = await runAt('tomorrow', '2026-12-04T01:00:00Z')
    expect(r).toMatchObject({ status: 'ok' })
    const mail = (await statusMail()).slice(before)
    const senior = mail.find((m) => m.text.includes('Robotics'))!
    expect(senior.subject).toBe('[Ion] Signup Status for Friday, December 4')
    expect(senior.text).toContain('Fri, December 4, 2026 (A): Robotics ✓')
    expect(senior.text).toContain('Fri, December 4, 2026 (B): No activity selected')
    expect(mail.length).toBe(5) // the two freshmen, the junior and the senior; the sophomore too (no signup on Friday)
  })
})

describe('the default activity', () => {
  test('the page offers it; the office places every unsigned student (forced, no pass), recorded once', async () => {
    env.clock.set('2026-12-07T14:00:00Z')
    cAdmin = await login(env.app, admin) // a week later: a new session
    await createActivity(env.sql, { id: DEFAULT_AID, name: 'Administrative Study Hall', administrative: true, defaultCapacity: 1 })
    const locked = await addBlock(env.sql, '2026-12-09', 'A', true)
    const page = await (await get(`/eighth/admin/unsigned/${locked}`)).text()
    expect(page).toContain('Place all 6 in Administrative Study Hall')
    const r = await env.app.handle(postForm(`/eighth/admin/unsigned/${locked}/place-default`, [], cAdmin))
    expect(r.status).toBe(303)
    const s = await signupsIn(env.sql, locked)
    expect([...s.keys()].sort()).toEqual([P.fresh1!, P.fresh2!, P.soph!, P.junior!, P.senior!, P.quiet!].sort())
    const [passes] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE block_id = ${locked} AND after_deadline`
    expect(passes!.n).toBe(0)
    const [a] = (await auditRows(env.sql, 'eighth.place_unsigned_default')).slice(-1)
    expect(a).toMatchObject({ actorId: admin.id, details: { blockId: locked, activityId: DEFAULT_AID } })
    expect((a!.details.students as number[]).length).toBe(6)
    expect(await (await get(`/eighth/admin/unsigned/${locked}`)).text()).toContain('Every current student has a signup in this block.')
  })

  test('placeUnsignedInDefault for the catalogue\'s lock action; off without the setting', async () => {
    const next = await addBlock(env.sql, '2026-12-11', 'A')
    const out = await placeUnsignedInDefault(env.app.deps, next, admin.id)
    expect(out).toMatchObject({ ok: true })
    expect((await signupsIn(env.sql, next)).size).toBe(6)
    const off = { ...env.app.deps, config: { ...env.config, eighthDefaultActivityId: null } }
    expect(await placeUnsignedInDefault(off, next, admin.id)).toEqual({ ok: false, status: 422, errors: ['No default activity is configured (EIGHTH_DEFAULT_ACTIVITY_ID).'] })
  })

  test('locking a block through the catalogue places the still-unsigned students', async () => {
    const later = await addBlock(env.sql, '2026-12-16', 'A')
    const r = await env.app.handle(req(`/eighth/admin/blocks/${later}/lock`, { form: { locked: 'on' }, cookie: cAdmin }))
    expect(r.status).toBe(303)
    expect((await signupsIn(env.sql, later)).size).toBe(6)
    const [b] = await env.sql<{ locked: boolean }[]>`SELECT locked FROM eighth_blocks WHERE id = ${later}`
    expect(b!.locked).toBe(true)
  })
})
