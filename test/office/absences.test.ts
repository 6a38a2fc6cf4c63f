import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testConfig, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, addRoom, schedule } from '../helpers/eighth.ts'
import { startSink, until, type Sink } from '../background/sink.ts'
import { createSponsor } from '../../src/features/eighth/catalog.sql.ts'
import { sendAbsenceEmails } from '../../src/features/eighth/attendance/absences.ts'
import { findJob, runSlot } from '../../src/platform/jobs/index.ts'
import { createMail } from '../../src/platform/mail/enqueue.ts'
import { fixedClock } from '../../src/platform/clock.ts'
import { startMailWorker, type MailWorker } from '../../src/platform/mail/mailer.ts'

// Students' absences (issue 7, item 2): the list and who may see it, the office clearing one,
// and the 16:05 absence email (acceptance case 30) through the outbox and the real mail worker
// into an SMTP sink: once per absence, never to a student who turned eighth-period email off,
// and `pretend` sends and marks nothing.
setDefaultTimeout(30_000)

let env: TestEnv
let sink: Sink
let worker: MailWorker
const u: Record<string, MadeUser> = {}
const c: Record<string, string> = {}
const ids = {} as Record<'b1' | 'b2' | 'b3' | 'sa1' | 'sa2' | 'sa3' | 'ada1' | 'ada2' | 'ada3' | 'bob1' | 'cy1', number>
// Pages: Tuesday 2026-12-01. The job runs on Friday 2026-11-20 at 16:05 in New York: a time in
// the past, so the mail worker (which reads the real clock) finds its mail due at once.
const NOW = '2026-12-01T15:00:00Z'
const jobClock = fixedClock('2026-11-20T21:05:00Z')

async function signup(userId: number, blockId: number, sa: number, absent: boolean) {
  const [row] = await env.sql<{ id: number }[]>`
    INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time, was_absent) VALUES (${userId}, ${blockId}, ${sa}, now(), ${absent}) RETURNING id`
  return row!.id
}

beforeAll(async () => {
  sink = await startSink()
  env = await testEnv({ clock: NOW })
  const sql = env.sql
  u.ada = await makeUser(sql, { type: 'student', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@school.example' })
  u.bob = await makeUser(sql, { type: 'student', firstName: 'Bob', lastName: 'Moses', email: 'bob@school.example' })
  u.cy = await makeUser(sql, { type: 'student', firstName: 'Cy', lastName: 'Young', email: 'cy@school.example' })
  u.office = await makeUser(sql, { type: 'teacher', groups: ['admin_eighth'] })
  u.teacher = await makeUser(sql, { type: 'teacher', lastName: 'Smith' })
  for (const k of Object.keys(u)) c[k] = await login(env.app, u[k]!, { remember: true })
  await sql`UPDATE users SET receive_eighth_emails = false WHERE id = ${u.bob!.id}`
  const smith = await createSponsor(sql, { lastName: 'Smith', userId: u.teacher!.id })
  const room = await addRoom(sql, '214')
  const chess = await addActivity(sql, 'Chess Club', { rooms: [room], sponsors: [smith] })
  ids.b1 = await addBlock(sql, '2026-11-18', 'A')
  ids.b2 = await addBlock(sql, '2026-11-18', 'B')
  ids.b3 = await addBlock(sql, '2026-11-13', 'A')
  ids.sa1 = await schedule(sql, ids.b1, chess)
  ids.sa2 = await schedule(sql, ids.b2, chess)
  ids.sa3 = await schedule(sql, ids.b3, chess, { title: 'Finals' })
  await sql`UPDATE eighth_scheduled_activities SET attendance_taken = true WHERE id IN (${ids.sa1}, ${ids.sa3})`
  ids.ada1 = await signup(u.ada!.id, ids.b1, ids.sa1, true) // an absence
  ids.ada2 = await signup(u.ada!.id, ids.b2, ids.sa2, true) // attendance not taken: not an absence
  ids.ada3 = await signup(u.ada!.id, ids.b3, ids.sa3, true) // an absence, earlier block
  ids.bob1 = await signup(u.bob!.id, ids.b1, ids.sa1, true) // absent, but no eighth-period email
  ids.cy1 = await signup(u.cy!.id, ids.b1, ids.sa1, false) // present
}, 60_000)
afterAll(async () => {
  await worker?.stop()
  await sink?.close()
  await env?.close()
})

const get = (path: string, who: string) => env.app.handle(req(path, { cookie: c[who] }))

describe('the absences page', () => {
  test('a student sees their absences, ordered by block, and how to clear one', async () => {
    const r = await get('/eighth/absences', 'ada')
    expect(r.status).toBe(200)
    const html = await r.text()
    const rows = [...html.matchAll(/<td data-label="Block">([^<]*)<\/td>/g)].map((m) => m[1])
    expect(rows).toEqual(['Fri, November 13, 2026 (A)', 'Wed, November 18, 2026 (A)'])
    expect(html).toContain('Chess Club - Finals')
    expect(html).toContain('How to clear an absence')
    expect(html).toContain('within 14 days')
    expect(html).not.toContain('>Clear<')
  })

  test('the eighth profile links to it', async () => {
    expect(await (await get('/eighth/profile', 'ada')).text()).toContain('href="/eighth/absences"')
  })

  test("nobody but the office sees someone else's absences (403)", async () => {
    expect((await get(`/eighth/absences/${u.ada!.id}`, 'bob')).status).toBe(403)
    expect((await get(`/eighth/absences?user=${u.ada!.id}`, 'teacher')).status).toBe(403)
    expect((await get('/eighth/absences/x', 'office')).status).toBe(404)
    const html = await (await get(`/eighth/absences?user=${u.ada!.id}`, 'office')).text()
    expect(html).toContain('Absences: Lovelace, Ada')
    expect(html.match(/>Clear</g)).toHaveLength(2)
  })

  test('the office clears an absence (POST, audited); a student cannot', async () => {
    const path = `/eighth/absences/clear/${ids.ada3}`
    const denied = await env.app.handle(req(path, { method: 'POST', cookie: c.ada, form: {} }))
    expect(denied.status).toBe(403)
    const r = await env.app.handle(req(path, { method: 'POST', cookie: c.office, form: {}, headers: { accept: 'text/html' } }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toMatch(new RegExp(`^/eighth/absences/${u.ada!.id}\\?flash=`))
    expect(await (await get(r.headers.get('location')!, 'office')).text()).toContain('Absence cleared.')
    const [row] = await env.sql<{ wasAbsent: boolean }[]>`SELECT was_absent FROM eighth_signups WHERE id = ${ids.ada3}`
    expect(row!.wasAbsent).toBe(false)
    const [audit] = await env.sql<{ actorId: number; details: { students: number[] } }[]>`SELECT actor_id, details FROM audit_log WHERE action = 'eighth.absence_clear'`
    expect(audit).toMatchObject({ actorId: u.office!.id, details: { students: [u.ada!.id] } })
    expect((await env.app.handle(req(path, { method: 'POST', cookie: c.office, form: {} }))).status).toBe(404)
    await env.sql`UPDATE eighth_signups SET was_absent = true WHERE id = ${ids.ada3}`
  })
})

describe('case 30: the absence email job', () => {
  test('is registered at 16:05 daily, catching up once after a restart', () => {
    const job = findJob('eighth.absence-emails')!
    expect(job).toMatchObject({ schedule: '5 16 * * *', catchUp: 'run-once' })
  })

  test('pretend: nothing is sent or marked', async () => {
    const r = await sendAbsenceEmails({ sql: env.sql, clock: jobClock, config: env.config }, { pretend: true })
    expect(r).toEqual({ absences: 3, emailed: 2, skipped: 1, pretend: true })
    const n = (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM eighth_signups WHERE absence_emailed`)[0]!.n
    expect(n).toBe(0)
    expect(await env.sql`SELECT 1 FROM mail_outbox`).toHaveLength(0)
  })

  test('each absence is emailed once, through the outbox and SMTP; opted-out students get nothing', async () => {
    const config = testConfig({ DATABASE_URL: env.db.url, SMTP_URL: sink.url })
    worker = startMailWorker(config, env.log, { pollMs: 100 })
    expect(await worker.ready).toEqual({ smtp: true })
    const job = findJob('eighth.absence-emails')!
    const jobEnv = { sql: env.sql, redis: env.redis, clock: jobClock, config: env.config, log: env.log }
    const r = await runSlot(jobEnv, job, '2026-11-20T21:05:00.000Z')
    expect(r).toMatchObject({ status: 'ok', detail: '3 absence(s): 2 emailed, 1 without email' })
    await sink.waitFor(2)
    const mine = sink.messages.filter((m) => m.to.includes('ada@school.example'))
    expect(mine).toHaveLength(2)
    expect(sink.messages.some((m) => m.to.includes('bob@school.example'))).toBe(false)
    expect(sink.messages.some((m) => m.to.includes('cy@school.example'))).toBe(false)
    expect(mine[0]!.subject).toBe('[Ion] Eighth Period Absence Information')
    expect(mine.map((m) => m.raw).join('\n')).toContain('Chess Club')
    const flags = await env.sql<{ id: number; absenceEmailed: boolean }[]>`SELECT id, absence_emailed FROM eighth_signups ORDER BY id`
    const emailed = flags.filter((f) => f.absenceEmailed).map((f) => f.id).sort()
    expect(emailed).toEqual([ids.ada1, ids.ada3, ids.bob1].sort())
    await until(async () => (await env.sql`SELECT 1 FROM mail_outbox WHERE state = 'sent'`).length === 2, 5000, 'sent rows')

    // The next day's run (and a catch-up run) sends nothing again.
    const again = await runSlot(jobEnv, job, '2026-11-21T21:05:00.000Z')
    expect(again).toMatchObject({ status: 'ok', detail: '0 absence(s): 0 emailed, 0 without email' })
    await Bun.sleep(300)
    expect(sink.messages).toHaveLength(2)
  })

  test('a later absence is emailed on the next run, and only it', async () => {
    await env.sql`UPDATE eighth_scheduled_activities SET attendance_taken = true WHERE id = ${ids.sa2}`
    const r = await sendAbsenceEmails({ sql: env.sql, clock: jobClock, config: env.config, mail: createMail({ config: env.config, clock: jobClock, nudge: worker.nudge }) })
    expect(r).toMatchObject({ absences: 1, emailed: 1, skipped: 0 })
    await sink.waitFor(3)
    expect(sink.messages[2]!.to).toEqual(['ada@school.example'])
    expect(sink.messages[2]!.messageId).toBe(`<eighth-absence-${ids.ada2}@localhost>`)
  })
})
