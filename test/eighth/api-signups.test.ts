import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { testEnv, type TestEnv } from '../helpers/app.ts'
import { makeUser } from '../helpers/factories.ts'
import { membersOf } from '../helpers/eighth.ts'
import { blockTopic } from '../../src/features/eighth/live-seats.tsx'
import { BASE, bearer, blacklist, caller, catalogue, CLOCK, student, type Catalogue } from './api-fixture.ts'

// Ion's eighth REST API (ion-eighth.md §4.2): /api/signups/user[/<uid>] (GET and POST), favourites,
// and scheduled-activity rosters with their privacy rule (§1.5).

let env: TestEnv
let cat: Catalogue
let api: ReturnType<typeof caller>
let teacherAuth: { authorization: string }
let adminAuth: { authorization: string }
/** What the live seat updates publish (a stand-in for the Redis pubsub). */
const published: { topic: string; payload: string }[] = []
const pubsub = {
  async publish(topic: string, payload: string | object) { published.push({ topic, payload: String(payload) }) },
  attach() {}, async start() {}, async stop() {}, subscribed: true,
}

beforeAll(async () => {
  env = await testEnv({ clock: CLOCK, build: { services: { pubsub } } })
  api = caller(env)
  cat = await catalogue(env)
  teacherAuth = await bearer(env, (await makeUser(env.sql, { type: 'teacher' })).id)
  adminAuth = await bearer(env, (await makeUser(env.sql, { type: 'teacher', groups: ['admin_eighth'] })).id)
})
afterAll(async () => { await env.close() })

const ACTIVITY_DETAIL_KEYS = ['id', 'name', 'description', 'administrative', 'restricted', 'presign', 'one_a_day', 'both_blocks', 'sticky', 'special', 'scheduled_on']
const STUDENT_TEXT = {
  ActivityDeleted: 'This activity has been deleted. Refresh the page to see the current list of activities.',
  ActivityFull: 'This activity is full. You may not sign up for it at this time.',
  Blacklisted: 'You are blacklisted from this activity.',
  BlockLocked: 'This block has been locked. Signups are not allowed at this time.',
  OneADay: 'You may only sign up for this activity once per day. Change your signup in the other block first.',
  Presign: 'You may not sign up for this activity until Monday, November 30 at 8:00 PM.',
  Restricted: 'This activity is restricted. You are not on the list of students allowed to sign up.',
  ScheduledActivityCancelled: 'This activity has been cancelled for this block.',
  SignupForbidden: 'You may not sign this student up for activities.',
  Sticky: 'You may not switch out of a sticky activity.',
}

async function insertSignup(userId: number, scheduledId: number) {
  await env.sql`
    INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time)
    SELECT ${userId}, block_id, id, ${env.clock.now()} FROM eighth_scheduled_activities WHERE id = ${scheduledId}`
}

describe('GET /api/signups/user[/<uid>]', () => {
  test('own signups this school year, by date and letter, Ion shape', async () => {
    const s = await student(env)
    for (const sa of [cat.sa.chessNextYear, cat.sa.tripB, cat.sa.gone, cat.sa.chessPast, cat.sa.chessLastYear]) await insertSignup(s.id, sa)
    const r = await api('/api/signups/user', { headers: s.auth })
    expect(r.status).toBe(200)
    expect(r.body.map((x: any) => x.block.date + x.block.block_letter)).toEqual(['2026-09-02A', '2026-12-02A', '2026-12-02B'])
    const [first, gone, trip] = r.body
    expect(first).toEqual({
      id: first.id,
      block: { id: cat.blocks.past, date: '2026-09-02', url: `${BASE}/api/blocks/${cat.blocks.past}`, block_letter: 'A' },
      activity: { id: cat.a.chess, title: 'Chess Club', url: `${BASE}/api/activities/${cat.a.chess}` },
      scheduled_activity: cat.sa.chessPast,
      user: s.id,
    })
    expect(Object.keys(first)).toEqual(['id', 'block', 'activity', 'scheduled_activity', 'user'])
    expect(gone.activity.title).toBe('Cancelled Club (Cancelled)')
    expect(trip.activity.title).toBe('Field Trip (BB)')
    // Filters
    expect((await api('/api/signups/user?date=2026-12-02', { headers: s.auth })).body.length).toBe(2)
    expect((await api('/api/signups/user?start_date=2026-12-02', { headers: s.auth })).body.length).toBe(3)
    expect((await api('/api/signups/user?start_date=2020-01-01', { headers: s.auth })).body.length).toBe(5)
    const bad = await api('/api/signups/user?date=12/02/2026', { headers: s.auth })
    expect([bad.status, bad.body]).toEqual([400, { details: ['Invalid format for date.'] }])
  })

  test('another user: [] unless their schedule is public or the viewer is a teacher or eighth admin', async () => {
    const viewer = await student(env)
    const hidden = await student(env)
    const shown = await student(env, { public: true })
    const half = await student(env)
    await env.sql`UPDATE users SET self_show_eighth = true WHERE id = ${half.id}` // parent consent missing
    for (const u of [hidden, shown, half]) await insertSignup(u.id, cat.sa.chessB)
    const seen = async (uid: number, auth: { authorization: string }) => (await api(`/api/signups/user/${uid}`, { headers: auth })).body.length
    expect(await seen(hidden.id, viewer.auth)).toBe(0)
    expect(await seen(half.id, viewer.auth)).toBe(0)
    expect(await seen(shown.id, viewer.auth)).toBe(1)
    expect(await seen(hidden.id, teacherAuth)).toBe(1)
    expect(await seen(hidden.id, adminAuth)).toBe(1)
    expect(await seen(hidden.id, hidden.auth)).toBe(1)
    const missing = await api('/api/signups/user/999999', { headers: viewer.auth })
    expect([missing.status, missing.body]).toEqual([404, { details: ['Object does not exist (in database).'] }])
  })
})

describe('POST /api/signups/user[/<uid>]', () => {
  test('{block, activity} as JSON → 201 with the activity detail', async () => {
    const s = await student(env)
    const r = await api('/api/signups/user', { headers: s.auth, json: { block: cat.blocks.wedB, activity: cat.a.chess } })
    expect(r.status).toBe(201)
    expect(Object.keys(r.body)).toEqual(ACTIVITY_DETAIL_KEYS)
    expect(r.body.id).toBe(cat.a.chess)
    expect(r.body.scheduled_on[cat.blocks.wedB].roster.id).toBe(cat.sa.chessB)
    expect(await membersOf(env.sql, cat.sa.chessB)).toContain(s.id)
  })

  test('a signup through the API sends the live seat update of the signup page', async () => {
    const s = await student(env)
    published.length = 0
    expect((await api('/api/signups/user', { headers: s.auth, json: { scheduled_activity: cat.sa.tutoringB } })).status).toBe(201)
    const end = performance.now() + 3000
    while (!published.some((m) => m.topic === blockTopic(cat.blocks.wedB)) && performance.now() < end) await Bun.sleep(20)
    const msg = published.find((m) => m.topic === blockTopic(cat.blocks.wedB))
    expect(msg).toBeDefined()
    expect(msg!.payload).toContain(String(cat.sa.tutoringB))
  })

  test('{scheduled_activity, use_scheduled_activity} form-encoded → 201; a switch keeps one signup', async () => {
    const s = await student(env)
    const form = { scheduled_activity: String(cat.sa.study), use_scheduled_activity: 'true' }
    expect((await api('/api/signups/user', { headers: s.auth, form })).status).toBe(201)
    expect((await api('/api/signups/user', { headers: s.auth, json: { scheduled_activity: cat.sa.chess } })).status).toBe(201)
    const rows = await env.sql`SELECT scheduled_activity_id FROM eighth_signups WHERE user_id = ${s.id}`
    expect(rows.map((x) => x.scheduledActivityId)).toEqual([cat.sa.chess])
  })

  test('validation errors → 400 {"details"}', async () => {
    const s = await student(env)
    const post = (json: unknown) => api('/api/signups/user', { headers: s.auth, json })
    const either = 'Either scheduled_activity, or block and activity must exist. use_scheduled_activity must be false to use block and activity.'
    expect((await post({})).body).toEqual({ details: [either] })
    expect((await post({ block: cat.blocks.wedA })).body).toEqual({ details: [either] })
    expect((await post({ block: cat.blocks.wedA, activity: cat.a.chess, use_scheduled_activity: true })).body).toEqual({ details: [either] })
    const typed = await post({ block: 'A', activity: cat.a.chess })
    expect(typed.status).toBe(400)
    expect(typed.body.details[0]).toContain('block')
    expect((await post({ scheduled_activity: cat.sa.chess, force: 'maybe' })).status).toBe(400)
    expect((await post({ block: 999999, activity: cat.a.chess })).body).toEqual({ details: ['Invalid pk "999999" - object does not exist.'] })
    const unscheduled = await post({ block: cat.blocks.past, activity: cat.a.study })
    expect([unscheduled.status, unscheduled.body]).toEqual([404, { details: ['Object does not exist (in database).'] }])
    const bad = await api('/api/signups/user', { headers: { ...s.auth, 'content-type': 'application/json' }, method: 'POST', body: '{not json' })
    expect(bad.status).toBe(400)
    expect(await membersOf(env.sql, cat.sa.chess)).not.toContain(s.id)
  })

  test('each rule failure → 400 with the student text', async () => {
    const one = async (sa: number, setup?: (id: number) => Promise<void>) => {
      const s = await student(env)
      if (setup) await setup(s.id)
      const r = await api('/api/signups/user', { headers: s.auth, json: { scheduled_activity: sa } })
      expect(r.status).toBe(400)
      return r.body
    }
    expect(await one(cat.sa.old)).toEqual({ details: [STUDENT_TEXT.ActivityDeleted] })
    expect(await one(cat.sa.chessLocked)).toEqual({ details: [STUDENT_TEXT.BlockLocked] })
    expect(await one(cat.sa.gone)).toEqual({ details: [STUDENT_TEXT.ScheduledActivityCancelled] })
    expect(await one(cat.sa.tiny)).toEqual({ details: [STUDENT_TEXT.ActivityFull] })
    expect(await one(cat.sa.early)).toEqual({ details: [STUDENT_TEXT.Presign] })
    expect(await one(cat.sa.robotics)).toEqual({ details: [STUDENT_TEXT.Restricted] })
    expect(await one(cat.sa.banned, (id) => blacklist(env, cat.a.banned, [id]))).toEqual({ details: [STUDENT_TEXT.Blacklisted] })
    expect(await one(cat.sa.tutoringB, (id) => insertSignup(id, cat.sa.tutoringA))).toEqual({ details: [STUDENT_TEXT.OneADay] })
    expect(await one(cat.sa.chess, (id) => insertSignup(id, cat.sa.detention))).toEqual({ details: [STUDENT_TEXT.Sticky] })
    // A teacher has no grade: never signed up, even by themselves.
    const r = await api('/api/signups/user', { headers: teacherAuth, json: { scheduled_activity: cat.sa.chess } })
    expect([r.status, r.body]).toEqual([400, { details: [STUDENT_TEXT.SignupForbidden] }])
  })

  test('every failing rule is reported at once, sorted by code', async () => {
    const s = await student(env)
    await env.sql`UPDATE eighth_scheduled_activities SET capacity = 0, cancelled = true, restricted = true WHERE id = ${cat.sa.banned}`
    await blacklist(env, cat.a.banned, [s.id])
    const r = await api('/api/signups/user', { headers: s.auth, json: { block: cat.blocks.wedA, activity: cat.a.banned } })
    expect(r.body).toEqual({ details: [STUDENT_TEXT.ActivityFull, STUDENT_TEXT.Blacklisted, STUDENT_TEXT.Restricted, STUDENT_TEXT.ScheduledActivityCancelled] })
    await env.sql`UPDATE eighth_scheduled_activities SET capacity = NULL, cancelled = false, restricted = false WHERE id = ${cat.sa.banned}`
  })

  test('force from a non-admin → 400 {"error"}; a uid from a non-admin → 403', async () => {
    const s = await student(env)
    const forced = await api('/api/signups/user', { headers: s.auth, json: { scheduled_activity: cat.sa.tiny, force: true } })
    expect([forced.status, forced.body]).toEqual([400, { error: 'You are not an administrator.' }])
    const other = await student(env)
    for (const uid of [other.id, s.id]) {
      const r = await api(`/api/signups/user/${uid}`, { headers: s.auth, json: { scheduled_activity: cat.sa.chess } })
      expect([r.status, r.body]).toEqual([403, { details: ['You do not have permission to perform this action.'] }])
    }
    expect(await membersOf(env.sql, cat.sa.tiny)).toEqual([])
  })

  test('an eighth admin signs another user up, and forces (full, locked → a pass)', async () => {
    const s = await student(env)
    const plain = await api(`/api/signups/user/${s.id}`, { headers: adminAuth, json: { scheduled_activity: cat.sa.tiny } })
    expect([plain.status, plain.body]).toEqual([400, { details: [STUDENT_TEXT.ActivityFull] }])
    const full = await api(`/api/signups/user/${s.id}`, { headers: adminAuth, json: { scheduled_activity: cat.sa.tiny, force: true } })
    expect(full.status).toBe(201)
    expect(await membersOf(env.sql, cat.sa.tiny)).toEqual([s.id])
    const pass = await api(`/api/signups/user/${s.id}/`, { headers: adminAuth, form: { block: String(cat.blocks.friA), activity: String(cat.a.chess), force: 'True' } })
    expect(pass.status).toBe(201)
    const [row] = await env.sql`SELECT after_deadline, own_signup FROM eighth_signups WHERE user_id = ${s.id} AND block_id = ${cat.blocks.friA}`
    expect(row).toEqual({ afterDeadline: true, ownSignup: false })
    const nobody = await api('/api/signups/user/999999', { headers: adminAuth, json: { scheduled_activity: cat.sa.chess } })
    expect(nobody.status).toBe(404)
  })
})

describe('/api/signups/user/favorites', () => {
  test('GET lists favourites; POST {activity} toggles → 201 with the activity detail', async () => {
    const s = await student(env)
    const list = async () => (await api('/api/signups/user/favorites', { headers: s.auth })).body
    expect(await list()).toEqual([])
    const on = await api('/api/signups/user/favorites', { headers: s.auth, json: { activity: cat.a.study } })
    expect(on.status).toBe(201)
    expect(Object.keys(on.body)).toEqual(ACTIVITY_DETAIL_KEYS)
    expect(on.body.id).toBe(cat.a.study)
    await api('/api/signups/user/favorites', { headers: s.auth, form: { activity: String(cat.a.chess) } })
    expect(await list()).toEqual([
      { id: cat.a.chess, url: `${BASE}/api/activities/${cat.a.chess}`, name: 'Chess Club' },
      { id: cat.a.study, url: `${BASE}/api/activities/${cat.a.study}`, name: 'Open Study' },
    ])
    const off = await api('/api/signups/user/favorites/', { headers: s.auth, json: { activity: cat.a.study } })
    expect(off.status).toBe(201)
    expect((await list()).map((a: any) => a.id)).toEqual([cat.a.chess])
    // The block detail agrees.
    const acts = (await api(`/api/blocks/${cat.blocks.wedA}`, { headers: s.auth })).body.activities
    expect([acts[cat.a.chess].favorited, acts[cat.a.study].favorited]).toEqual([true, false])
  })

  test('bad activity → 400', async () => {
    const s = await student(env)
    for (const json of [{}, { activity: 'chess' }, { activity: 999999 }, { activity: cat.a.old }]) {
      const r = await api('/api/signups/user/favorites', { headers: s.auth, json })
      expect(r.status).toBe(400)
      expect(r.body.details.length).toBe(1)
    }
  })
})

describe('GET /api/signups/scheduled_activity/<id>', () => {
  test('shape, true capacity, and members filtered by privacy', async () => {
    const me = await student(env, { firstName: 'Mia', lastName: 'Bravo' })
    const open = await student(env, { firstName: 'Pat', lastName: 'Alpha', public: true })
    const shy = await student(env, { firstName: 'Quin', lastName: 'Charlie' })
    const outsider = await student(env)
    for (const u of [me, open, shy]) await insertSignup(u.id, cat.sa.study)
    const roster = async (auth: { authorization: string }) => (await api(`/api/signups/scheduled_activity/${cat.sa.study}`, { headers: auth })).body

    const mine = await roster(me.auth)
    expect(Object.keys(mine)).toEqual(['id', 'name', 'block', 'activity', 'signups', 'capacity'])
    expect(mine).toMatchObject({
      id: cat.sa.study, name: 'Open Study', capacity: -1,
      block: { id: cat.blocks.wedA, date: '2026-12-02', url: `${BASE}/api/blocks/${cat.blocks.wedA}` },
      activity: { id: cat.a.study, title: 'Open Study', url: `${BASE}/api/activities/${cat.a.study}` },
    })
    expect(mine.signups.members).toEqual([
      { id: open.id, full_name: 'Pat Alpha', username: open.username, url: `${BASE}/api/profile/${open.id}` },
      { id: me.id, full_name: 'Mia Bravo', username: me.username, url: `${BASE}/api/profile/${me.id}` },
    ])
    expect([mine.signups.count, mine.signups.viewable_count]).toEqual([3, 2])
    const theirs = await roster(outsider.auth)
    expect(theirs.signups.members.map((m: any) => m.id)).toEqual([open.id])
    expect([theirs.signups.count, theirs.signups.viewable_count]).toEqual([3, 1])
    for (const auth of [teacherAuth, adminAuth]) {
      const all = await roster(auth)
      expect(all.signups.members.map((m: any) => m.id)).toEqual([open.id, me.id, shy.id])
      expect(all.signups.viewable_count).toBe(3)
    }
  })

  test('capacity and title with flags; 404 for an unknown id', async () => {
    const r = await api(`/api/signups/scheduled_activity/${cat.sa.chess}`, { headers: adminAuth })
    expect([r.body.name, r.body.capacity]).toEqual(['Chess Club - Blitz', 20])
    const gone = await api(`/api/signups/scheduled_activity/${cat.sa.gone}`, { headers: adminAuth })
    expect(gone.body.name).toBe('Cancelled Club (Cancelled)')
    const missing = await api('/api/signups/scheduled_activity/999999', { headers: adminAuth })
    expect([missing.status, missing.body]).toEqual([404, { details: ['Object does not exist (in database).'] }])
  })
})
