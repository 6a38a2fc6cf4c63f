import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { listSessions } from '../../src/platform/session.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { addActivity, addBlock, schedule } from '../helpers/eighth.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addPoll, addQuestion } from '../news/polls-fixture.ts'
import { addEvent, attend } from '../news/events-fixture.ts'

// IDOR probes (issue 11 item 3): Mallory, a student, reads or changes what belongs to Alice, another
// student — by her id in paths, query strings and form fields. Every probe must be refused (403/404)
// or answer with Mallory's own data, never a byte of Alice's; every change must leave the database
// as it was. Alice's data is made distinctive so "absent from the body" means something.

let env: TestEnv
let alice: MadeUser
let mallory: MadeUser
let aliceCookie: string
let malloryCookie: string
let aliceToken: string
const ids: Record<string, number> = {}

const A = {
  first: 'Alicia', last: 'Vandermeer', nick: 'Zuzu', username: 'avandermeer', studentId: '7123456',
  email: 'alicia.home@example.net', activity: 'Xenobotany Circle', absentActivity: 'Quasar Watch',
  token: 'alice-robot-token', device: 'Samsung Internet on Android', answer: 'AliceSecretAnswer42', route: 'JT-99',
}
const ALICE_UA = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 SamsungBrowser/25.0 Mobile Safari/537.36'
/** Strings that identify Alice or her data (the activity names are checked where they are not public catalogue). */
const ALICE_IDENTITY = [A.first, A.last, A.nick, A.username, A.studentId, A.email]
/** What the signup rules would say about Alice's state to whoever asks. */
const ORACLE = ['sticky', 'blacklisted', 'did not exist']

beforeAll(async () => {
  env = await testEnv() // Monday 2026-11-30, 09:00 in New York
  const sql = env.sql
  alice = await makeUser(sql, { username: A.username, firstName: A.first, lastName: A.last, nickname: A.nick, studentId: A.studentId, email: A.email })
  mallory = await makeUser(sql, { username: 'mallory', firstName: 'Mallory', lastName: 'Mischief' })
  ids.email = (await sql<{ id: number }[]>`SELECT id FROM emails WHERE user_id = ${alice.id}`)[0]!.id

  ids.block = await addBlock(sql, '2026-12-02', 'A')
  ids.xenoAct = await addActivity(sql, A.activity)
  ids.xeno = await schedule(sql, ids.block, ids.xenoAct)
  ids.decoyAct = await addActivity(sql, 'Decoy Chess')
  ids.decoy = await schedule(sql, ids.block, ids.decoyAct)
  await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${alice.id}, ${ids.block}, ${ids.xeno}, ${env.clock.now()})`
  // State that the signup rules would report, were they run for Mallory on Alice's behalf: her
  // activity is sticky, she is blacklisted from fencing, and she has no signup on Thursday.
  await sql`UPDATE eighth_scheduled_activities SET sticky = true WHERE id = ${ids.xeno}`
  ids.fencingAct = await addActivity(sql, 'Fencing')
  await schedule(sql, ids.block, ids.fencingAct)
  await sql`INSERT INTO eighth_activity_users (activity_id, user_id, role) VALUES (${ids.fencingAct}, ${alice.id}, 'blacklisted')`
  ids.thursday = await addBlock(sql, '2026-12-03', 'A')
  await schedule(sql, ids.thursday, ids.decoyAct)
  const past = await addBlock(sql, '2026-11-20', 'A')
  const quasar = await schedule(sql, past, await addActivity(sql, A.absentActivity))
  await sql`UPDATE eighth_scheduled_activities SET attendance_taken = true WHERE id = ${quasar}`
  ids.absence = (await sql<{ id: number }[]>`
    INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time, was_absent)
    VALUES (${alice.id}, ${past}, ${quasar}, ${env.clock.now()}, true) RETURNING id`)[0]!.id

  const [route] = await sql<{ id: number }[]>`INSERT INTO bus_routes (route_name, updated_at) VALUES (${A.route}, ${env.clock.now()}) RETURNING id`
  await sql`UPDATE users SET bus_route_id = ${route!.id} WHERE id = ${alice.id}`

  ids.poll = await addPoll(sql, { title: 'Cafeteria survey', results: 'admins' })
  ids.question = (await addQuestion(sql, ids.poll, 'FRE', 'What should change?')).id
  ids.event = await addEvent(sql, { title: 'Science night', rsvp: true })
  await attend(sql, ids.event, [alice.id])

  // Alice signs in from her phone and makes an API token; Mallory signs in.
  const r = await env.app.handle(req('/login', { form: { username: alice.username, password: alice.password }, headers: { 'user-agent': ALICE_UA } }))
  expect(r.status).toBe(303)
  aliceCookie = r.headers.get('set-cookie')!.split(';')[0]!
  malloryCookie = await login(env.app, mallory)
  const made = await (await env.app.handle(req('/tokens', { cookie: aliceCookie, form: { name: A.token } }))).text()
  aliceToken = made.match(/<code id="new-token">(ion_[a-z2-7]+)<\/code>/)![1]!
  ids.token = (await sql<{ id: number }[]>`SELECT id FROM api_tokens WHERE user_id = ${alice.id}`)[0]!.id
  const vote = await env.app.handle(req(`/polls/${ids.poll}`, { cookie: aliceCookie, form: { [`q${ids.question}`]: A.answer } }))
  expect(vote.status).toBe(303)
}, 60_000)
afterAll(async () => { await env?.close() })

type Init = { method?: string; form?: Record<string, string>; json?: unknown; htmx?: boolean; headers?: Record<string, string> }

/** A request as Mallory; returns the status and the whole body. */
async function asMallory(path: string, init: Init = {}): Promise<{ status: number; body: string; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers }
  let body: string | undefined
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(init.json)
  }
  const r = await env.app.handle(req(path, { method: init.method ?? (init.form || body ? 'POST' : 'GET'), form: init.form, body, htmx: init.htmx, headers, cookie: malloryCookie }))
  return { status: r.status, body: await r.text(), headers: r.headers }
}

function expectNoneOf(body: string, secrets: string[]) {
  for (const s of secrets) expect(body, `leaked "${s}"`).not.toContain(s)
}

/** Everything of Alice's that a change could touch, as one comparable value. */
async function aliceState() {
  const sql = env.sql
  const [signups, emails, user, tokens, answers, attending] = await Promise.all([
    sql`SELECT block_id, scheduled_activity_id, was_absent, pass_accepted FROM eighth_signups WHERE user_id = ${alice.id} ORDER BY block_id`,
    sql`SELECT id, address, is_primary FROM emails WHERE user_id = ${alice.id} ORDER BY id`,
    sql`SELECT bus_route_id, receive_news_emails, receive_eighth_emails, dark_mode, self_show_pictures, parent_show_pictures,
               self_show_eighth, parent_show_eighth, locked FROM users WHERE id = ${alice.id}`,
    sql`SELECT id, name, revoked_at FROM api_tokens WHERE user_id = ${alice.id} ORDER BY id`,
    sql`SELECT question_id, response, cleared FROM poll_answers WHERE user_id = ${alice.id} ORDER BY question_id`,
    sql`SELECT event_id FROM event_attendees WHERE user_id = ${alice.id} ORDER BY event_id`,
  ])
  const sessions = (await listSessions(env.redis, alice.id, env.clock.now().getTime())).map((s) => s.id).sort()
  return JSON.parse(JSON.stringify({ signups, emails, user, tokens, answers, attending, sessions }))
}

/** Alice can still use her cookie and her token (nothing of hers was revoked). */
async function aliceStillWorks() {
  const page = await env.app.handle(req('/sessions', { cookie: aliceCookie }))
  expect(page.status).toBe(200)
  expect(await page.text()).toContain(A.device)
  const api = await env.app.handle(req('/api/profile', { headers: { authorization: `Bearer ${aliceToken}` } }))
  expect(api.status).toBe(200)
  expect(((await api.json()) as { id: number }).id).toBe(alice.id)
}

// ---------------------------------------------------------------------------------------------
// Reads: refused, or Mallory's own view, and nothing of Alice's in the body.

type Read = { what: string; path: string; init?: Init; status: number[]; secrets: string[]; also?: (body: string) => void }

const reads = (): Read[] => [
  // Eighth period: signups (API and pages), absences, the eighth profile, attendance.
  { what: 'API: Alice’s signups (schedule not public)', path: `/api/signups/user/${alice.id}`, status: [200], secrets: [A.activity, A.absentActivity],
    also: (b) => expect(JSON.parse(b)).toEqual([]) },
  { what: 'API: Alice’s signups, a date filter', path: `/api/signups/user/${alice.id}?date=2026-12-02`, status: [200], secrets: [A.activity], also: (b) => expect(JSON.parse(b)).toEqual([]) },
  { what: 'API: the roster of Alice’s activity', path: `/api/signups/scheduled_activity/${ids.xeno}`, status: [200], secrets: ALICE_IDENTITY,
    also: (b) => expect(JSON.parse(b).signups).toEqual({ members: [], count: 1, viewable_count: 0 }) },
  { what: 'signup page with ?user=Alice (Mallory’s own page)', path: `/eighth/signup?user=${alice.id}`, status: [200], secrets: ALICE_IDENTITY,
    also: (b) => expect(b).toContain('You have not signed up for an activity yet.') },
  { what: 'signup page of the block with ?user=Alice', path: `/eighth/signup/${ids.block}?user=${alice.id}`, status: [200], secrets: ALICE_IDENTITY,
    also: (b) => { expect(b).toContain('You have not signed up for an activity yet.'); expect(b).not.toContain('Your activity</span>') } },
  { what: 'signup page ?block=…&user=Alice (redirect keeps ?user=, then Mallory’s page)', path: `/eighth/signup?block=${ids.block}&user=${alice.id}`, status: [302], secrets: ALICE_IDENTITY },
  { what: 'absences ?user=Alice', path: `/eighth/absences?user=${alice.id}`, status: [403], secrets: [...ALICE_IDENTITY, A.absentActivity] },
  { what: 'absences /<Alice>', path: `/eighth/absences/${alice.id}`, status: [403], secrets: [...ALICE_IDENTITY, A.absentActivity] },
  { what: 'eighth profile of Alice', path: `/eighth/profile/${alice.id}`, status: [403], secrets: [...ALICE_IDENTITY, A.activity, A.absentActivity] },
  { what: 'attendance roster of Alice’s activity', path: `/eighth/attendance/${ids.xeno}`, status: [403], secrets: ALICE_IDENTITY },
  { what: 'office rosters of Alice’s block', path: `/eighth/admin/rosters/${ids.block}`, status: [403], secrets: ALICE_IDENTITY },
  // Profile: the page and the API show only the public part; no edit page exists for another user.
  { what: 'profile of Alice (private fields)', path: `/profile/${alice.id}`, status: [200], secrets: [A.studentId, A.email, A.activity, A.route, `src="/profile/picture/${alice.id}"`] },
  { what: 'API profile of Alice (private fields)', path: `/api/profile/${alice.id}`, status: [200], secrets: [A.studentId, A.email, A.activity, A.route],
    also: (b) => { const j = JSON.parse(b); expect(j.tj_email).toBeNull(); expect(j.counselor).toBeNull(); expect('student_id' in j).toBe(false) } },
  { what: 'API profile of Alice by username', path: `/api/profile/${A.username}`, status: [200], secrets: [A.studentId, A.email] },
  { what: 'a profile edit page for Alice', path: `/profile/${alice.id}/edit`, status: [404], secrets: ALICE_IDENTITY },
  { what: 'the admin page of Alice', path: `/admin/users/${alice.id}`, status: [403], secrets: ALICE_IDENTITY },
  { what: 'privacy settings of Alice', path: `/preferences/privacy?user=${alice.id}`, status: [403], secrets: ALICE_IDENTITY },
  // (Route names are public — the form lists them all — so the probe is that none is chosen.)
  { what: 'preferences ?user=Alice (Mallory’s own)', path: `/preferences?user=${alice.id}`, status: [200], secrets: ALICE_IDENTITY,
    also: (b) => { expect(b).toContain(`>${A.route}</option>`); expect(b).not.toMatch(new RegExp(`<option[^>]*selected[^>]*>${A.route}<`)) } },
  // Sessions and tokens: the lists are Mallory's only, whatever the query says.
  { what: 'sessions ?user=Alice (Mallory’s own)', path: `/sessions?user=${alice.id}`, status: [200], secrets: [A.device, ...ALICE_IDENTITY] },
  { what: 'tokens ?user=Alice (Mallory’s own)', path: `/tokens?user=${alice.id}`, status: [200], secrets: [A.token] },
  { what: 'API favourites ?user=Alice', path: `/api/signups/user/favorites?user=${alice.id}`, status: [200], secrets: [A.activity] },
  // Polls: Mallory's ballot is blank; the results and individual answers are admins'.
  { what: 'Alice’s poll ballot (Mallory sees her own, blank)', path: `/polls/${ids.poll}?user=${alice.id}`, status: [200], secrets: [A.answer] },
  { what: 'poll results', path: `/polls/${ids.poll}/results`, status: [403], secrets: [A.answer] },
  { what: 'poll individual answers CSV', path: `/polls/${ids.poll}/answers.csv`, status: [403], secrets: [A.answer, ...ALICE_IDENTITY] },
  // Events: Alice (schedule not public) is not named on the roster; only counted.
  { what: 'event roster Alice attends', path: `/events/${ids.event}`, status: [200], secrets: ALICE_IDENTITY },
  // Bus: riders are the bus office's.
  { what: 'bus rider lookup of Alice', path: `/bus/riders?q=${A.username}`, status: [403], secrets: [...ALICE_IDENTITY, A.route] },
]

describe('Mallory reads Alice’s data', () => {
  test('every read is refused or shows nothing of Alice’s', async () => {
    const failures: string[] = []
    for (const r of reads()) {
      const got = await asMallory(r.path, r.init)
      if (!r.status.includes(got.status)) failures.push(`${r.what}: ${r.path} → ${got.status}, expected ${r.status.join('/')}`)
      for (const s of r.secrets) if (got.body.includes(s)) failures.push(`${r.what}: ${r.path} leaks "${s}"`)
      try { r.also?.(got.body) } catch (e) { failures.push(`${r.what}: ${(e as Error).message.split('\n')[0]}`) }
    }
    expect(failures).toEqual([])
  })

  test('the same reads as Alice do show her data (the probes would see a leak)', async () => {
    const asAlice = async (path: string) => (await env.app.handle(req(path, { cookie: aliceCookie }))).text()
    expect(await asAlice(`/api/signups/user/${alice.id}`)).toContain(A.activity)
    expect(await asAlice(`/eighth/absences/${alice.id}`)).toContain(A.absentActivity)
    expect(await asAlice(`/eighth/signup/${ids.block}`)).toContain('Your activity</span>')
    expect(await asAlice(`/profile/${alice.id}`)).toContain(A.email)
    expect(await asAlice('/sessions')).toContain(A.device)
    expect(await asAlice('/tokens')).toContain(A.token)
    expect(await asAlice(`/polls/${ids.poll}`)).toContain(A.answer)
    expect(await asAlice('/preferences')).toMatch(new RegExp(`<option[^>]*selected[^>]*>${A.route}<`))
  })
})

// ---------------------------------------------------------------------------------------------
// Changes: refused (or a no-op on Mallory's own data), and Alice's rows, sessions and token intact.

type Change = { what: string; path: string; init: Init; status: number[]; secrets?: string[] }

const changes = (): Change[] => {
  const uid = String(alice.id)
  const bid = String(ids.block)
  return [
    // Eighth signups: the API (POST to Alice's uid; DELETE has no route) and Ion's HTML contract.
    { what: 'API: sign Alice up elsewhere', path: `/api/signups/user/${uid}`, init: { json: { scheduled_activity: ids.decoy } }, status: [403] },
    { what: 'API: sign Alice up, forced', path: `/api/signups/user/${uid}`, init: { json: { scheduled_activity: ids.decoy, force: true } }, status: [403] },
    { what: 'API: DELETE Alice’s signups', path: `/api/signups/user/${uid}`, init: { method: 'DELETE' }, status: [404, 405] },
    { what: 'API: DELETE a signup by id', path: `/api/signups/user/${uid}/${ids.absence}`, init: { method: 'DELETE' }, status: [404, 405] },
    { what: 'contract: change Alice’s signup', path: '/eighth/signup', init: { form: { uid, bid, aid: String(ids.decoyAct) } }, status: [403], secrets: [A.activity, ...ORACLE] },
    { what: 'contract: change Alice’s signup, forced', path: '/eighth/signup?force', init: { form: { uid, bid, aid: String(ids.decoyAct), force: 'true' } }, status: [403], secrets: [A.activity, ...ORACLE] },
    { what: 'contract: remove Alice’s signup', path: '/eighth/signup', init: { form: { uid, bid, unsignup: '1' } }, status: [403], secrets: [A.activity, ...ORACLE] },
    { what: 'contract (htmx): change Alice’s signup', path: `/eighth/signup/${bid}`, init: { form: { uid, bid, aid: String(ids.decoyAct) }, htmx: true }, status: [403], secrets: [A.activity, ...ALICE_IDENTITY, ...ORACLE] },
    { what: 'contract (htmx): "sign up" to Alice’s own activity', path: `/eighth/signup/${bid}`, init: { form: { uid, bid, aid: String(ids.xenoAct) }, htmx: true }, status: [403], secrets: ['Your activity', ...ALICE_IDENTITY] },
    { what: 'contract (htmx): remove Alice’s signup', path: `/eighth/signup/${bid}`, init: { form: { uid, bid, unsignup: '1' }, htmx: true }, status: [403], secrets: [A.activity, ...ALICE_IDENTITY, ...ORACLE] },
    // No oracle: the answer is the same one refusal whatever Alice's state (sticky, blacklisted, no signup).
    { what: 'contract: remove Alice’s (non-existent) Thursday signup', path: '/eighth/signup', init: { form: { uid, bid: String(ids.thursday), unsignup: '1' } }, status: [403], secrets: ORACLE },
    { what: 'contract: sign Alice up where she is blacklisted', path: '/eighth/signup', init: { form: { uid, bid, aid: String(ids.fencingAct) } }, status: [403], secrets: ORACLE },
    { what: 'contract (htmx): sign Alice up where she is blacklisted', path: `/eighth/signup/${bid}`, init: { form: { uid, bid, aid: String(ids.fencingAct) }, htmx: true }, status: [403], secrets: ORACLE },
    { what: 'contract (browser): remove Alice’s signup', path: '/eighth/signup', init: { form: { uid, bid, unsignup: '1' }, headers: { accept: 'text/html' } }, status: [303] },
    // Absences and attendance: the office's and the sponsors'.
    { what: 'clear Alice’s absence', path: `/eighth/absences/clear/${ids.absence}`, init: { form: {} }, status: [403] },
    { what: 'accept a pass for Alice', path: `/eighth/attendance/pass/${ids.absence}`, init: { form: { accept: '1' } }, status: [403] },
    { what: 'take attendance marking Alice absent', path: `/eighth/attendance/${ids.xeno}`, init: { form: { absent: uid } }, status: [403] },
    { what: 'office: move Alice', path: '/eighth/admin/moves/signup', init: { form: { user: uid, scheduled_activity: String(ids.decoy) } }, status: [403] },
    // Profile and preferences of another user: the admin's forms, the privacy editor, Alice's email rows.
    { what: 'admin: edit Alice', path: `/admin/users/${uid}/edit`, init: { form: { first_name: 'Pwned' } }, status: [403] },
    { what: 'privacy editor on Alice', path: '/preferences/privacy', init: { form: { user: uid, parent_show_eighth: 'on', self_show_eighth: 'on', parent_show_pictures: 'on', self_show_pictures: 'on' } }, status: [403] },
    { what: 'remove Alice’s email by id', path: `/preferences/emails/${ids.email}/remove`, init: { form: {} }, status: [200, 422], secrets: [A.email] },
    { what: 'make Alice’s email primary by id', path: `/preferences/emails/${ids.email}/primary`, init: { form: {} }, status: [200, 422], secrets: [A.email] },
    { what: 'notification preferences with user=Alice', path: '/preferences/notifications', init: { form: { user: uid } }, status: [200, 303] },
    { what: 'bus route with user=Alice', path: '/preferences/bus', init: { form: { user: uid, route_id: '' } }, status: [200, 303, 422] },
    { what: 'bus office: set Alice’s route', path: `/bus/riders/${uid}`, init: { form: { route_id: '' } }, status: [403] },
    // Sessions: Alice's id prefix in Mallory's revoke form; the admin's end-all and revoke.
    { what: 'revoke Alice’s session by id', path: '/sessions/revoke', init: { form: { id: '@SESSION' } }, status: [404], secrets: [A.device] },
    { what: 'admin: revoke Alice’s session', path: `/admin/users/${uid}/sessions/revoke`, init: { form: { id: '@SESSION' } }, status: [403] },
    { what: 'admin: end all Alice’s sessions', path: `/admin/users/${uid}/sessions/end-all`, init: { form: {} }, status: [403] },
    { what: 'admin: impersonate Alice', path: `/admin/users/${uid}/impersonate`, init: { form: {} }, status: [403] },
    // Tokens: Alice's token id.
    { what: 'revoke Alice’s token by id', path: `/tokens/${ids.token}/revoke`, init: { form: {} }, status: [404], secrets: [A.token] },
    // Polls and events: Mallory's vote and RSVP are her own, whatever she says.
    { what: 'vote with user=Alice', path: `/polls/${ids.poll}`, init: { form: { user: uid, uid, [`q${ids.question}`]: 'overwritten' } }, status: [303] },
    { what: 'un-RSVP Alice from the event', path: `/events/join/${ids.event}`, init: { form: { attending: 'false', user: uid } }, status: [303] },
    { what: 'hide the event for Alice', path: '/events/hide', init: { form: { event_id: String(ids.event), user: uid } }, status: [200, 303] },
  ]
}

describe('Mallory changes Alice’s data', () => {
  test('every change is refused or touches only Mallory; Alice’s rows, sessions and token survive', async () => {
    const before = await aliceState()
    const session = before.sessions[0] as string
    expect(session).toBeDefined()
    const failures: string[] = []
    for (const c of changes()) {
      const form = c.init.form && Object.fromEntries(Object.entries(c.init.form).map(([k, v]) => [k, v === '@SESSION' ? session.slice(0, 16) : v]))
      const got = await asMallory(c.path, { ...c.init, form })
      if (!c.status.includes(got.status)) failures.push(`${c.what}: ${c.path} → ${got.status}, expected ${c.status.join('/')}`)
      for (const s of [...(c.secrets ?? []), session.slice(0, 16)]) if (got.body.includes(s)) failures.push(`${c.what}: leaks "${s}"`)
      const after = await aliceState()
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.push(`${c.what}: changed Alice’s data: ${JSON.stringify(after)}`)
    }
    expect(failures).toEqual([])
    await aliceStillWorks()
  })

  test('the probe can fail: Alice herself revokes a session of hers with the same form', async () => {
    const before = await aliceState()
    const other = await env.app.handle(req('/login', { form: { username: alice.username, password: alice.password } }))
    const second = other.headers.get('set-cookie')!.split(';')[0]!
    const mid = await aliceState()
    const fresh = mid.sessions.find((s: string) => !before.sessions.includes(s)) as string
    const r = await env.app.handle(req('/sessions/revoke', { cookie: aliceCookie, form: { id: fresh.slice(0, 16) } }))
    expect(r.status).toBe(303)
    expect((await env.app.handle(req('/sessions', { cookie: second }))).status).not.toBe(200)
    expect((await aliceState()).sessions).toEqual(before.sessions)
  })
})
