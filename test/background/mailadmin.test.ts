import { afterAll, beforeAll, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { createMail } from '../../src/platform/mail/enqueue.ts'

let env: TestEnv
let admin: string
let student: string

beforeAll(async () => {
  env = await testEnv()
  admin = await login(env.app, await makeUser(env.sql, { type: 'teacher', groups: ['admin_all'] }))
  student = await login(env.app, await makeUser(env.sql, { type: 'student' }))
})
afterAll(async () => { await env.close() })

async function failedMessage(key: string, error: string): Promise<string> {
  const mail = createMail({ config: env.config, clock: env.clock })
  await mail.enqueue(env.sql, { kind: 'test.admin', key, to: 'x@school.example', subject: `Subject ${key}`, html: '<p>x</p>', text: 'x' })
  const [r] = await env.sql<{ id: string }[]>`
    UPDATE mail_outbox SET state = 'failed', attempts = 8, last_error = ${error} WHERE idempotency_key = ${`<${key}@localhost>`} RETURNING id`
  return r!.id
}

test('only admin_all may see /admin/mail and /admin/jobs', async () => {
  expect((await env.app.handle(req('/admin/mail', { cookie: student }))).status).toBe(403)
  expect((await env.app.handle(req('/admin/jobs', { cookie: student }))).status).toBe(403)
  expect((await env.app.handle(req('/admin/mail/1/retry', { form: {}, cookie: student }))).status).toBe(403)
  expect((await env.app.handle(req('/admin/mail'))).status).toBe(303) // to the login page
  const index = await (await env.app.handle(req('/admin', { cookie: admin }))).text()
  expect(index).toContain('href="/admin/mail"')
  expect(index).toContain('href="/admin/jobs"')
})

test('the page shows counts and failures (escaped); without SMTP it says so', async () => {
  await failedMessage('shown', '550 <b>No such user</b>')
  const r = await env.app.handle(req('/admin/mail', { cookie: admin }))
  expect(r.status).toBe(200)
  const html = await r.text()
  expect(html).toContain('SMTP_URL is not set')
  expect(html).toContain('550 &lt;b&gt;No such user&lt;/b&gt;')
  expect(html).toContain('[Ion] Subject shown')
  expect(html).toMatch(/<dt>Failed<\/dt><dd>1<\/dd>/)
})

test('retry (without JavaScript: redirect back) and discard (htmx: the partial), both audited', async () => {
  const id = await failedMessage('retry-me', '451 later')
  const r = await env.app.handle(req(`/admin/mail/${id}/retry`, { form: {}, cookie: admin }))
  expect(r.status).toBe(303)
  expect(r.headers.get('location')).toBe('/admin/mail?done=retried')
  const [row] = await env.sql`SELECT state, attempts FROM mail_outbox WHERE id = ${id}`
  expect(row).toMatchObject({ state: 'pending', attempts: 0 })
  expect(await (await env.app.handle(req('/admin/mail?done=retried', { cookie: admin }))).text()).toContain('The message is queued again.')

  const id2 = await failedMessage('discard-me', '550 gone')
  const d = await env.app.handle(req(`/admin/mail/${id2}/discard`, { form: {}, cookie: admin, htmx: true }))
  expect(d.status).toBe(200)
  const frag = await d.text()
  expect(frag).toStartWith('<div id="mail-admin">')
  expect(frag).not.toContain('<html')
  expect(frag).toContain('will not be sent')
  expect((await env.sql`SELECT state FROM mail_outbox WHERE id = ${id2}`)[0]!.state).toBe('discarded')

  // acting on a message that is no longer failed changes nothing
  const again = await env.app.handle(req(`/admin/mail/${id2}/retry`, { form: {}, cookie: admin }))
  expect(again.headers.get('location')).toBe('/admin/mail?done=gone')
  const audit = await env.sql<{ action: string; targetId: string }[]>`SELECT action, target_id FROM audit_log WHERE action LIKE 'mail.%' ORDER BY id`
  expect(audit.map((a) => [a.action, a.targetId])).toEqual([['mail.retry', id], ['mail.discard', id2]])
})

test('a test email to the address typed in is queued', async () => {
  const r = await env.app.handle(req('/admin/mail/test', { form: { to: 'me@school.example' }, cookie: admin }))
  expect(r.status).toBe(303)
  const [m] = await env.sql<{ toAddrs: string[]; subject: string; html: string; text: string; kind: string }[]>`
    SELECT * FROM mail_outbox WHERE kind = 'admin.test'`
  expect(m!.toAddrs).toEqual(['me@school.example'])
  expect(m!.subject).toBe('[Ion] Test email')
  expect(m!.html).toContain('Test High School')
  expect(m!.text).toContain('/preferences')
  const bad = await env.app.handle(req('/admin/mail/test', { form: { to: 'nope' }, cookie: admin, htmx: true }))
  expect(bad.status).toBe(422)
  expect(await bad.text()).toContain('Enter an email address')
})

test('/admin/jobs lists the jobs with their next run; run now records a manual run', async () => {
  const html = await (await env.app.handle(req('/admin/jobs', { cookie: admin }))).text()
  expect(html).toContain('mail.outbox-retention')
  expect(html).toContain('jobs.runs-cleanup')
  expect(html).toContain('Dec 1, 2026') // the next 03:20 after Nov 30, 09:00
  const r = await env.app.handle(req('/admin/jobs/jobs.runs-cleanup/run', { form: {}, cookie: admin }))
  expect(r.status).toBe(303)
  expect(r.headers.get('location')).toBe('/admin/jobs?done=ok')
  const [run] = await env.sql`SELECT slot, outcome, detail FROM job_runs WHERE job = 'jobs.runs-cleanup'`
  expect(run).toMatchObject({ slot: 'manual:2026-11-30T14:00:00.000Z', outcome: 'ok', detail: 'deleted 0 runs' })
  const page = await (await env.app.handle(req('/admin/jobs', { cookie: admin }))).text()
  expect(page).toContain('run by hand')
  expect((await env.app.handle(req('/admin/jobs/no.such-job/run', { form: {}, cookie: admin }))).status).toBe(404)
})
