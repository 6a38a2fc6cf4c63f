import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { createSponsor, setBlockLocked } from '../../src/features/eighth/catalog.sql.ts'
import { matchMeet, readMeetCsv } from '../../src/features/eighth/attendance/meet.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { addActivity, addBlock, addRoom, schedule } from '../helpers/eighth.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'

// Google Meet attendance files (Ion's acceptance case 22; ion-eighth.md §3.5) and "Accept all
// passes" (§3.2): the same rules as every attendance write — the office always, a sponsor for
// their own activity until 22:00 on the block's date — audited; a bad file changes nothing.
setDefaultTimeout(30_000)

let env: TestEnv
const u: Record<string, MadeUser> = {}
const c: Record<string, string> = {}
const ids = {} as { chess: number; passes: number; passBlock: number; user1: number; user2: number; p1: number; p2: number; p3: number }
const MORNING = '2026-12-02T15:00:00Z' // Wed 10:00 in New York
const LATE = '2026-12-03T03:30:00Z' // Wed 22:30 in New York

beforeAll(async () => {
  env = await testEnv({ clock: MORNING })
  const sql = env.sql
  for (const [k, type, groups] of [['smith', 'teacher'], ['other', 'teacher'], ['office', 'teacher', ['admin_eighth']], ['student', 'student']] as const)
    u[k] = await makeUser(sql, { type, groups: groups ? [...groups] : [] })
  for (const k of Object.keys(u)) c[k] = await login(env.app, u[k]!, { remember: true })
  const smith = await createSponsor(sql, { lastName: 'Smith', firstName: 'Jo', userId: u.smith!.id })
  const room = await addRoom(sql, '214', 20)
  const blockA = await addBlock(sql, '2026-12-02', 'A')
  ids.passBlock = await addBlock(sql, '2026-12-02', 'B')
  const chess = await addActivity(sql, 'Chess Club', { rooms: [room], sponsors: [smith] })
  ids.chess = await schedule(sql, blockA, chess)
  ids.passes = await schedule(sql, ids.passBlock, chess)
  ids.user1 = (await makeUser(sql, { type: 'student', studentId: '1234567', firstName: 'Ada', lastName: 'Lovelace' })).id
  ids.user2 = (await makeUser(sql, { type: 'student', username: 'bmoses', studentId: '7654321', firstName: 'Bob', lastName: 'Moses' })).id
  ids.p1 = (await makeUser(sql, { type: 'student' })).id
  ids.p2 = (await makeUser(sql, { type: 'student' })).id
  ids.p3 = (await makeUser(sql, { type: 'student' })).id
  const rows = [
    { userId: ids.user1, blockId: blockA, scheduledActivityId: ids.chess, afterDeadline: false },
    { userId: ids.user2, blockId: blockA, scheduledActivityId: ids.chess, afterDeadline: false },
    { userId: ids.p1, blockId: ids.passBlock, scheduledActivityId: ids.passes, afterDeadline: true },
    { userId: ids.p2, blockId: ids.passBlock, scheduledActivityId: ids.passes, afterDeadline: true },
    { userId: ids.p3, blockId: ids.passBlock, scheduledActivityId: ids.passes, afterDeadline: false },
  ]
  await sql`INSERT INTO eighth_signups ${sql(rows.map((r) => ({ ...r, time: new Date() })))}`
}, 60_000)
afterAll(async () => { await env?.close() })

/** A multipart upload: `file` as a File, `csv` as pasted text. */
const upload = (who: string, parts: { file?: File; csv?: string }, extra: { htmx?: boolean; id?: number } = {}) => {
  const form = new FormData()
  if (parts.file) form.append('file', parts.file)
  if (parts.csv !== undefined) form.append('csv', parts.csv)
  return env.app.handle(req(`/eighth/attendance/${extra.id ?? ids.chess}/meet`, { method: 'POST', body: form, cookie: c[who], htmx: extra.htmx }))
}
const csvFile = (text: string, name = 'meet.csv') => new File([text], name, { type: 'text/csv' })
const post = (path: string, who: string) => env.app.handle(req(path, { method: 'POST', form: {}, cookie: c[who] }))
const get = (path: string, who: string) => env.app.handle(req(path, { cookie: c[who] }))
type State = { userId: number; wasAbsent: boolean; passAccepted: boolean }
const states = async (sa: number): Promise<State[]> => [...await env.sql<State[]>`SELECT user_id, was_absent, pass_accepted FROM eighth_signups WHERE scheduled_activity_id = ${sa} ORDER BY user_id`]
const taken = async (sa: number) => (await env.sql<{ t: boolean }[]>`SELECT attendance_taken AS t FROM eighth_scheduled_activities WHERE id = ${sa}`)[0]!.t
const reset = async () => env.sql`
  WITH x AS (UPDATE eighth_signups SET was_absent = false WHERE scheduled_activity_id = ${ids.chess})
  UPDATE eighth_scheduled_activities SET attendance_taken = false WHERE id = ${ids.chess}`
const absentOf = async (sa: number) => (await states(sa)).filter((s) => s.wasAbsent).map((s) => s.userId)
const audits = (action: string) => env.sql<{ actorId: number; details: Record<string, unknown> & { students: number[] } }[]>`
  SELECT actor_id, details FROM audit_log WHERE action = ${action} ORDER BY id`
const unchanged = async () => {
  expect(await taken(ids.chess)).toBe(false)
  expect(await absentOf(ids.chess)).toEqual([])
}

describe('case 22: a Google Meet attendance CSV', () => {
  test("one row whose email local-part is user1's student ID: user1 present, user2 absent", async () => {
    await reset()
    const r = await upload('smith', { file: csvFile('Name,Email\r\nAda Lovelace,1234567@fcpsschools.net\r\n') })
    expect(r.status).toBe(200)
    expect(await r.text()).toBe('Attendance saved from the Google Meet file: 1 present, 1 absent.')
    expect(await taken(ids.chess)).toBe(true)
    expect(await states(ids.chess)).toEqual([
      { userId: ids.user1, wasAbsent: false, passAccepted: false },
      { userId: ids.user2, wasAbsent: true, passAccepted: false },
    ])
    const [a] = await audits('eighth.attendance_meet')
    expect(a!.actorId).toBe(u.smith!.id)
    expect(a!.details).toMatchObject({ present: [ids.user1], absent: [ids.user2], file: 'meet.csv', unmatched: [] })
    expect(a!.details.students.sort()).toEqual([ids.user1, ids.user2].sort())
  })

  test('pasted text; usernames count too, case-insensitive; addresses of nobody here are reported', async () => {
    await reset()
    const text = 'First name,Last name,EMAIL,Duration\nBob,Moses,BMoses@School.org,40 min\nJo,Smith,jsmith@school.org,45 min\n'
    const r = await upload('office', { csv: text }, { htmx: true })
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('id="att-body"')
    expect(html).toContain('1 present, 1 absent. Not signed up for this activity: jsmith@school.org.')
    expect(await absentOf(ids.chess)).toEqual([ids.user1])
  })

  test('without an Email column, any cell with an @ counts', async () => {
    await reset()
    expect((await upload('smith', { csv: 'Participants\n"Lovelace, Ada <1234567@fcps.edu>"\nbmoses@fcps.edu\n' })).status).toBe(200)
    expect(await absentOf(ids.chess)).toEqual([])
  })

  test('the sponsor sees the upload form (multipart, works without JavaScript); a reader does not', async () => {
    const html = await (await get(`/eighth/attendance/${ids.chess}`, 'smith')).text()
    expect(html).toContain(`action="/eighth/attendance/${ids.chess}/meet" enctype="multipart/form-data"`)
    expect(html).toContain('name="file"')
    expect(await (await get(`/eighth/attendance/${ids.chess}`, 'other')).text()).not.toContain('/meet"')
  })

  test('without JavaScript: 303 back to the roster with the message', async () => {
    await reset()
    const form = new FormData()
    form.append('file', csvFile('Name,Email\nAda,1234567@x.org\n'))
    const r = await env.app.handle(req(`/eighth/attendance/${ids.chess}/meet`, { method: 'POST', body: form, cookie: c.smith, headers: { accept: 'text/html' } }))
    expect(r.status).toBe(303)
    const to = r.headers.get('location')!
    expect(await (await get(to, 'smith')).text()).toContain('Attendance saved from the Google Meet file: 1 present, 1 absent.')
  })

  test('an unaccepted pass stays absent even when in the file', async () => {
    await reset()
    await env.sql`UPDATE eighth_signups SET after_deadline = true WHERE user_id = ${ids.user2} AND scheduled_activity_id = ${ids.chess}`
    try {
      const r = await upload('smith', { csv: 'Email\n1234567@x.org\nbmoses@x.org\n' })
      expect(await r.text()).toBe('Attendance saved from the Google Meet file: 1 present, 1 absent.')
      expect(await absentOf(ids.chess)).toEqual([ids.user2])
    } finally {
      await env.sql`UPDATE eighth_signups SET after_deadline = false WHERE scheduled_activity_id = ${ids.chess}`
    }
  })

  test('reading the file: addresses in an Email column, local parts lower-cased', () => {
    const f = readMeetCsv('\uFEFFName,E-mail\r\n"Lovelace, Ada",1234567@X.org\r\nBob,BMoses@x.org; other@x.org\r\n')
    expect(f).toEqual({ ok: true, people: [
      { line: 2, email: '1234567@X.org', localPart: '1234567' },
      { line: 3, email: 'BMoses@x.org', localPart: 'bmoses' },
      { line: 3, email: 'other@x.org', localPart: 'other' },
    ] })
    const m = matchMeet(f.ok ? f.people : [], [{ userId: 1, studentId: '1234567', username: 'ada' }, { userId: 2, studentId: null, username: 'BMOSES' }, { userId: 3, studentId: '9', username: 'cy' }])
    expect(m).toEqual({ presentIds: [1, 2], unmatched: ['other@x.org'] })
  })
})

describe('a bad file changes nothing (4xx, clear message)', () => {
  test.each([
    ['nothing sent', {}, 422, 'Choose a CSV file or paste its contents'],
    ['an empty file', { file: csvFile('') }, 422, ''],
    ['a picture', { file: new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])], 'meet.png', { type: 'image/png' }) }, 415, 'is not a CSV file'],
    ['binary bytes', { file: new File([new Uint8Array([0x41, 0, 0x42])], 'meet.csv') }, 415, 'is not a CSV text file'],
    ['a broken quote', { csv: 'Name,Email\n"Ada,1234567@x.org\n' }, 422, 'Could not interpret the file (line 2: a quoted field is never closed)'],
    ['no addresses', { csv: 'Name,Duration\nAda,40\n' }, 422, 'No email addresses were found in the file'],
    ['an empty Email column', { csv: 'Name,Email\nAda,\n' }, 422, 'its Email column is empty'],
    ['nobody from this activity', { csv: 'Name,Email\nJo,jsmith@x.org\n' }, 422, 'Nobody in pasted text is signed up for this activity'],
  ] as [string, { file?: File; csv?: string }, number, string][])('%s', async (_name, parts, status, message) => {
    await reset()
    const before = (await audits('eighth.attendance_meet')).length
    const r = await upload('smith', parts)
    expect(r.status).toBe(status)
    expect(await r.text()).toContain(message)
    await unchanged()
    expect(await audits('eighth.attendance_meet')).toHaveLength(before)
  })

  test('htmx: the error goes to #messages', async () => {
    await reset()
    const r = await upload('smith', { csv: 'nothing here' }, { htmx: true })
    expect(r.status).toBe(422)
    expect(r.headers.get('hx-retarget')).toBe('#messages')
    await unchanged()
  })
})

describe('who may upload, and the 22:00 lock', () => {
  const good = () => ({ file: csvFile('Name,Email\nAda,1234567@x.org\n') })

  test('another teacher 403, a student 403, an unknown activity 404: nothing changes', async () => {
    await reset()
    expect((await upload('other', good())).status).toBe(403)
    expect((await upload('student', good())).status).toBe(403)
    expect((await upload('office', good(), { id: 999999 })).status).toBe(404)
    await unchanged()
  })

  test("after 22:00 the sponsor's upload is refused (403); the office's is not", async () => {
    await reset()
    env.clock.set(LATE)
    try {
      const r = await upload('smith', good())
      expect(r.status).toBe(403)
      expect(await r.text()).toContain('locked at 10 p.m.')
      await unchanged()
      expect((await upload('office', good())).status).toBe(200)
      expect(await absentOf(ids.chess)).toEqual([ids.user2])
    } finally {
      env.clock.set(MORNING)
    }
  })
})

describe('accept all passes', () => {
  const path = () => `/eighth/attendance/${ids.passes}/accept-all-passes`

  test('refused while the block is unlocked (409), for another teacher (403) and a student (403)', async () => {
    expect((await post(path(), 'smith')).status).toBe(409)
    expect((await get(`/eighth/attendance/${ids.passes}`, 'smith')).status).toBe(200)
    expect(await (await get(`/eighth/attendance/${ids.passes}`, 'smith')).text()).not.toContain('accept-all-passes')
    await setBlockLocked(env.sql, ids.passBlock, true)
    expect((await post(path(), 'other')).status).toBe(403)
    expect((await post(path(), 'student')).status).toBe(403)
    expect((await states(ids.passes)).filter((s) => s.passAccepted)).toEqual([])
  })

  test('the sponsor accepts every open pass: present, audited; a decided pass is left alone', async () => {
    // p2's pass was already rejected: accepting "all" does not overturn that decision.
    await env.sql`UPDATE eighth_signups SET pass_accepted = true, was_absent = true WHERE user_id = ${ids.p2} AND scheduled_activity_id = ${ids.passes}`
    await env.sql`UPDATE eighth_signups SET was_absent = true WHERE user_id = ${ids.p1} AND scheduled_activity_id = ${ids.passes}`
    await env.sql`UPDATE eighth_signups SET after_deadline = true WHERE user_id = ${ids.p3} AND scheduled_activity_id = ${ids.passes}`
    const page = await (await get(`/eighth/attendance/${ids.passes}`, 'smith')).text()
    expect(page).toContain('Accept all 2 passes')
    const r = await env.app.handle(req(path(), { method: 'POST', form: {}, cookie: c.smith, htmx: true }))
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('Accepted 2 passes: marked present.')
    expect(await states(ids.passes)).toEqual([
      { userId: ids.p1, wasAbsent: false, passAccepted: true },
      { userId: ids.p2, wasAbsent: true, passAccepted: true },
      { userId: ids.p3, wasAbsent: false, passAccepted: true },
    ].sort((a, b) => a.userId - b.userId))
    const [a] = await audits('eighth.pass_accept_all')
    expect(a!.actorId).toBe(u.smith!.id)
    expect(a!.details.students).toEqual([ids.p1, ids.p3].sort((x, y) => x - y))
    expect(await (await post(path(), 'smith')).text()).toBe('There were no passes to accept.')
    expect(await audits('eighth.pass_accept_all')).toHaveLength(1)
  })

  test('after 22:00 only the office', async () => {
    await env.sql`UPDATE eighth_signups SET pass_accepted = false WHERE user_id = ${ids.p1} AND scheduled_activity_id = ${ids.passes}`
    env.clock.set(LATE)
    try {
      expect((await post(path(), 'smith')).status).toBe(403)
      expect((await states(ids.passes)).find((s) => s.userId === ids.p1)!.passAccepted).toBe(false)
      expect(await (await post(path(), 'office')).text()).toBe('Accepted 1 pass: marked present.')
      expect((await states(ids.passes)).find((s) => s.userId === ids.p1)!.passAccepted).toBe(true)
    } finally {
      env.clock.set(MORNING)
      await setBlockLocked(env.sql, ids.passBlock, false)
    }
  })
})
