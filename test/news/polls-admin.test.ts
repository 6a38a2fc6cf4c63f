import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addPoll, addQuestion, answer, daysFrom, NOW } from './polls-fixture.ts'

// The builder (policy admin_polls): creating and editing a poll, questions and choices with htmx
// or plain forms, reordering, validation (422 and nothing changed), election candidates from a
// CSV, deletion rules, and the audit trail.

let env: TestEnv
const c: Record<string, string> = {}
let studentId = 0

beforeAll(async () => {
  env = await testEnv({ clock: NOW })
  const admin = await makeUser(env.sql, { username: 'padmin', type: 'teacher', groups: ['admin_polls'] })
  const all = await makeUser(env.sql, { username: 'alladmin', type: 'teacher', groups: ['admin_all'] })
  const kim = await makeUser(env.sql, { username: 'kim', groups: ['Class of 2027'] })
  studentId = kim.id
  for (const u of [admin, all, kim]) c[u.username] = await login(env.app, u)
})
afterAll(async () => { await env.close() })

const get = (path: string, who: string) => env.app.handle(req(path, { cookie: c[who] }))
const post = (path: string, who: string, form: Record<string, string | string[]> = {}, htmx = false) => {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', cookie: c[who]! }
  if (htmx) Object.assign(headers, { 'hx-request': 'true', 'hx-request-type': 'partial' })
  return env.app.handle(new Request(`http://localhost${path}`, { method: 'POST', headers, body: body.toString() }))
}
const upload = (path: string, who: string, fields: Record<string, string>, file?: { name: string; text: string }) => {
  const fd = new FormData()
  for (const [k, v] of Object.entries(fields)) fd.append(k, v)
  if (file) fd.append('file', new File([file.text], file.name, { type: 'text/csv' }))
  return env.app.handle(new Request(`http://localhost${path}`, { method: 'POST', headers: { origin: 'http://localhost', cookie: c[who]!, 'hx-request': 'true', 'hx-request-type': 'partial' }, body: fd }))
}
const rows = <T>(xs: Iterable<T>): T[] => [...xs]
const snapshot = async (pollId: number) => ({
  poll: rows(await env.sql`SELECT title, description, start_time, end_time, visible, results_visibility FROM polls WHERE id = ${pollId}`),
  questions: rows(await env.sql`SELECT id, num, question, type, max_choices FROM poll_questions WHERE poll_id = ${pollId} ORDER BY num`),
  choices: rows(await env.sql`SELECT c.id, c.num, c.info, c.question_id FROM poll_choices c JOIN poll_questions q ON q.id = c.question_id WHERE q.poll_id = ${pollId} ORDER BY c.question_id, c.num`),
  groups: rows(await env.sql`SELECT group_id FROM poll_groups WHERE poll_id = ${pollId} ORDER BY 1`),
})
const questions = async (pollId: number) =>
  rows(await env.sql<{ question: string; type: string; maxChoices: number; choices: string[] }[]>`
    SELECT q.question, q.type, q.max_choices, coalesce(array_agg(c.info ORDER BY c.num) FILTER (WHERE c.id IS NOT NULL), '{}') AS choices
    FROM poll_questions q LEFT JOIN poll_choices c ON c.question_id = q.id WHERE q.poll_id = ${pollId} GROUP BY q.id ORDER BY q.num`)
const audits = async (action: string) => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`)[0]!.n

describe('access', () => {
  test('only polls admins (admin_polls, admin_all) reach the builder; others get 403 and change nothing', async () => {
    const p = await addPoll(env.sql, { title: 'Guarded' })
    expect((await get('/polls/new', 'padmin')).status).toBe(200)
    expect((await get(`/polls/${p}/edit`, 'alladmin')).status).toBe(200)
    expect((await get('/polls/new', 'kim')).status).toBe(403)
    expect((await get(`/polls/${p}/edit`, 'kim')).status).toBe(403)
    const before = await snapshot(p)
    expect((await post(`/polls/${p}/questions`, 'kim', { question: 'Sneaky', type: 'STD' })).status).toBe(403)
    expect((await post(`/polls/${p}/edit`, 'kim', { title: 'Hacked', start: '2026-11-01T08:00', end: '2026-12-01T08:00' })).status).toBe(403)
    expect((await post(`/polls/${p}/delete`, 'kim', { confirm: 'yes' })).status).toBe(403)
    expect(await snapshot(p)).toEqual(before)
  })
})

describe('the poll form', () => {
  test('creating a poll: times in the school zone, groups, options; audited; then the builder', async () => {
    const [group] = await env.sql<{ id: number }[]>`SELECT id FROM groups WHERE name = 'Class of 2027'`
    const r = await post('/polls/new', 'padmin', {
      title: '  Class   officers ', description: '<p>Vote <b>now</b><script>alert(1)</script></p>', start: '2026-12-01T08:00', end: '2026-12-05T15:30',
      visible: 'on', is_election: 'on', results_visibility: 'after_close', groups: String(group!.id),
    })
    expect(r.status).toBe(303)
    const id = Number(/\/polls\/(\d+)\/edit\?done=created/.exec(r.headers.get('location') ?? '')?.[1])
    const [p] = await env.sql`SELECT * FROM polls WHERE id = ${id}`
    expect(p).toMatchObject({ title: 'Class officers', description: '<p>Vote <b>now</b></p>', visible: true, isElection: true, resultsVisibility: 'after_close' })
    expect((p!.startTime as Date).toISOString()).toBe('2026-12-01T13:00:00.000Z') // 08:00 in New York
    expect((p!.endTime as Date).toISOString()).toBe('2026-12-05T20:30:00.000Z')
    expect((await snapshot(id)).groups).toEqual([{ groupId: group!.id }])
    expect(await audits('poll.create')).toBe(1)
    const page = await (await get(`/polls/${id}/edit?done=created`, 'padmin')).text()
    expect(page).toContain('Poll created. Now add its questions.')
    expect(page).toContain('value="2026-12-01T08:00"')
  })

  test('a bad poll form: 422 with every reason, the typed values kept, nothing created or changed', async () => {
    const count = async () => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM polls`)[0]!.n
    const before = await count()
    const r = await post('/polls/new', 'padmin', { title: '', start: '2026-12-05T08:00', end: '2026-12-01T08:00', results_visibility: 'everyone', description: 'keep me' })
    expect(r.status).toBe(422)
    const html = await r.text()
    for (const m of ['Enter a title.', 'The poll must close after it opens.', 'Choose who sees the results.']) expect(html).toContain(m)
    expect(html).toContain('keep me</textarea>')
    expect((await post('/polls/new', 'padmin', { title: 'X', start: 'tomorrow', end: '2026-12-01T08:00' })).status).toBe(422)
    expect((await post('/polls/new', 'padmin', { title: 'X', start: '2026-03-08T02:30', end: '2026-12-01T08:00' })).status).toBe(422) // no such time (DST)
    expect((await post('/polls/new', 'padmin', { title: 'X', start: '2026-12-01T08:00', end: '2026-12-02T08:00', groups: '999999' })).status).toBe(422)
    expect(await count()).toBe(before)
    const p = await addPoll(env.sql, { title: 'Untouched' })
    const snap = await snapshot(p)
    const e = await post(`/polls/${p}/edit`, 'padmin', { title: 'New title', start: '2026-12-01T08:00', end: '2026-11-01T08:00' })
    expect(e.status).toBe(422)
    expect(await e.text()).toContain('The poll must close after it opens.')
    expect(await snapshot(p)).toEqual(snap)
  })
})

describe('questions and choices', () => {
  let p = 0
  beforeAll(async () => { p = await addPoll(env.sql, { title: 'Builder' }) })

  test('adding questions with htmx answers the questions partial; a plain form redirects back', async () => {
    const r = await post(`/polls/${p}/questions`, 'padmin', { question: 'Favorite color?', type: 'STD', max_choices: '3', choices: 'Red\n\n Green \nBlue' }, true)
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html.startsWith('<section id="poll-questions"')).toBe(true)
    expect(html).toContain('Question added.')
    const plain = await post(`/polls/${p}/questions`, 'padmin', { question: 'Snacks?', type: 'APP', max_choices: '2', choices: 'Chips\nFruit' })
    expect(plain.status).toBe(303)
    expect(plain.headers.get('location')).toBe(`/polls/${p}/edit?done=q-added#poll-questions`)
    await post(`/polls/${p}/questions`, 'padmin', { question: 'Ideas?', type: 'FRE' }, true)
    expect(await questions(p)).toEqual([
      { question: 'Favorite color?', type: 'STD', maxChoices: 1, choices: ['Red', 'Green', 'Blue'] }, // single-choice: max 1
      { question: 'Snacks?', type: 'APP', maxChoices: 2, choices: ['Chips', 'Fruit'] },
      { question: 'Ideas?', type: 'FRE', maxChoices: 1, choices: [] },
    ])
    expect(await audits('poll.question.add')).toBe(3)
  })

  test('bad questions and choices: 422 with the reasons, the draft kept, nothing changed', async () => {
    const snap = await snapshot(p)
    const bad: Record<string, string>[] = [
      { question: '', type: 'STD' }, { question: 'Q', type: 'XYZ' }, { question: 'Q', type: 'APP', max_choices: '0' },
      { question: 'Q', type: 'FRE', choices: 'A\nB' }, { question: 'x'.repeat(2001), type: 'STD' },
    ]
    for (const form of bad) expect((await post(`/polls/${p}/questions`, 'padmin', form, true)).status).toBe(422)
    const r = await post(`/polls/${p}/questions`, 'padmin', { question: 'Keep this text', type: 'APP', max_choices: 'lots' }, true)
    const html = await r.text()
    expect(html).toContain('Max choices is a whole number from 1 to 100.')
    expect(html).toContain('Keep this text</textarea>')
    const [q1, , q3] = snap.questions as unknown as { id: number }[]
    expect((await post(`/polls/${p}/questions/${q1!.id}`, 'padmin', { question: '', type: 'STD' }, true)).status).toBe(422)
    expect((await post(`/polls/${p}/questions/${q3!.id}/choices`, 'padmin', { info: 'A choice' }, true)).status).toBe(422)
    const [c1] = snap.choices as unknown as { id: number }[]
    expect((await post(`/polls/${p}/choices/${c1!.id}`, 'padmin', { info: '   ' }, true)).status).toBe(422)
    expect((await post(`/polls/${p}/questions/${q1!.id}/move`, 'padmin', { dir: 'sideways' }, true)).status).toBe(422)
    const other = await addPoll(env.sql, { title: 'Other' })
    expect((await post(`/polls/${other}/questions/${q1!.id}/delete`, 'padmin', {}, true)).status).toBe(404)
    expect((await post(`/polls/${other}/choices/${c1!.id}/delete`, 'padmin', {}, true)).status).toBe(404)
    expect(await snapshot(p)).toEqual(snap)
  })

  test('edit, reorder and delete questions and choices (numbers stay 1, 2, 3)', async () => {
    const [q1, q2] = (await snapshot(p)).questions as unknown as { id: number }[]
    expect((await post(`/polls/${p}/questions/${q1!.id}`, 'padmin', { question: 'Best color?', type: 'APP', max_choices: '2' }, true)).status).toBe(200)
    expect((await post(`/polls/${p}/questions/${q2!.id}/move`, 'padmin', { dir: 'up' }, true)).status).toBe(200)
    expect((await post(`/polls/${p}/questions/${q2!.id}/move`, 'padmin', { dir: 'up' }, true)).status).toBe(200) // already first: no change
    expect((await questions(p)).map((q) => q.question)).toEqual(['Snacks?', 'Best color?', 'Ideas?'])
    const choices = (await snapshot(p)).choices as unknown as { id: number; info: string }[]
    const blue = choices.find((x) => x.info === 'Blue')!
    const red = choices.find((x) => x.info === 'Red')!
    await post(`/polls/${p}/choices/${blue.id}/move`, 'padmin', { dir: 'up' })
    await post(`/polls/${p}/choices/${red.id}`, 'padmin', { info: 'Crimson | bold' })
    await post(`/polls/${p}/questions/${q1!.id}/choices`, 'padmin', { info: 'Teal\nGold' })
    await post(`/polls/${p}/choices/${choices.find((x) => x.info === 'Green')!.id}/delete`, 'padmin')
    expect((await questions(p))[1]).toEqual({ question: 'Best color?', type: 'APP', maxChoices: 2, choices: ['Crimson | bold', 'Blue', 'Teal', 'Gold'] })
    const nums = await env.sql<{ num: number }[]>`SELECT num FROM poll_choices WHERE question_id = ${q1!.id} ORDER BY num`
    expect(nums.map((n) => n.num)).toEqual([1, 2, 3, 4])
    await post(`/polls/${p}/questions/${q2!.id}/delete`, 'padmin')
    expect((await env.sql<{ num: number; question: string }[]>`SELECT num, question FROM poll_questions WHERE poll_id = ${p} ORDER BY num`).map((q) => `${q.num}. ${q.question}`))
      .toEqual(['1. Best color?', '2. Ideas?'])
  })

  test('a question with answers keeps its type (409); deleting a choice removes its votes', async () => {
    const q = await addQuestion(env.sql, p, 'STD', 'Answered', ['Yes', 'No'])
    await answer(env.sql, p, q.id, studentId, { choices: [q.byName.Yes!] })
    const r = await post(`/polls/${p}/questions/${q.id}`, 'padmin', { question: 'Answered', type: 'APP', max_choices: '2' }, true)
    expect(r.status).toBe(409)
    expect(await r.text()).toContain('already has answers')
    expect((await env.sql`SELECT type FROM poll_questions WHERE id = ${q.id}`)[0]!.type).toBe('STD')
    await post(`/polls/${p}/choices/${q.byName.Yes}/delete`, 'padmin', {}, true)
    expect((await env.sql`SELECT count(*)::int AS n FROM poll_answers WHERE question_id = ${q.id}`)[0]!.n).toBe(0)
  })
})

describe('election candidates from a CSV', () => {
  test('a CSV with position, name and slogan columns: one ranked question per position, max min(candidates, 3)', async () => {
    const p = await addPoll(env.sql, { title: 'Election', election: true })
    const csv = 'position,name,slogan\nPresident,Alice Chen,Every voice heard\nPresident,"Bo, Jr.",\nPresident,Cy,\nPresident,Di,Go\nTreasurer,Eve,Count on me\n'
    const r = await upload(`/polls/${p}/import`, 'padmin', { type: 'RAN', position: '' }, { name: 'candidates.csv', text: csv })
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('Candidates imported.')
    expect(await questions(p)).toEqual([
      { question: 'President', type: 'RAN', maxChoices: 3, choices: ['Alice Chen | Every voice heard', 'Bo, Jr.', 'Cy', 'Di | Go'] },
      { question: 'Treasurer', type: 'RAN', maxChoices: 1, choices: ['Eve | Count on me'] },
    ])
    expect(await audits('poll.import')).toBe(1)
  })

  test('a name per line (pasted) for one position; bad files are refused with nothing changed', async () => {
    const p = await addPoll(env.sql, { title: 'Homecoming' })
    expect((await upload(`/polls/${p}/import`, 'padmin', { type: 'ELC', position: 'King', text: 'Sam Lee\n\nJo Park, the Third\n' })).status).toBe(200)
    expect(await questions(p)).toEqual([{ question: 'King', type: 'ELC', maxChoices: 1, choices: ['Sam Lee', 'Jo Park, the Third'] }])
    const snap = await snapshot(p)
    const noPosition = await upload(`/polls/${p}/import`, 'padmin', { type: 'ELC', position: '', text: 'Ann\nBen' })
    expect(noPosition.status).toBe(422)
    expect(await noPosition.text()).toContain('Enter the position')
    const twice = await upload(`/polls/${p}/import`, 'padmin', { type: 'RAN', position: 'Queen', text: 'name\nAnn\nann\n' })
    expect(twice.status).toBe(422)
    expect(await twice.text()).toContain('Line 3: ann is listed twice.')
    expect((await upload(`/polls/${p}/import`, 'padmin', { type: 'RAN', position: 'Queen', text: '' })).status).toBe(422)
    expect((await upload(`/polls/${p}/import`, 'padmin', { type: 'STD', position: 'Queen', text: 'Ann' })).status).toBe(422)
    expect((await upload(`/polls/${p}/import`, 'padmin', { type: 'RAN', position: 'Queen' }, { name: 'photo.png', text: 'x' })).status).toBe(415)
    expect(await snapshot(p)).toEqual(snap)
    // Into an existing question: candidates are added as choices.
    const [king] = snap.questions as unknown as { id: number }[]
    expect((await upload(`/polls/${p}/questions/${king!.id}/import`, 'padmin', {}, { name: 'more.csv', text: 'name,slogan\nKai,Fresh start\n' })).status).toBe(200)
    expect((await questions(p))[0]!.choices).toEqual(['Sam Lee', 'Jo Park, the Third', 'Kai | Fresh start'])
  })
})

describe('deleting a poll', () => {
  test('only with the confirmation box, only before it closes; audited', async () => {
    const open = await addPoll(env.sql, { title: 'Doomed' })
    const closed = await addPoll(env.sql, { title: 'History', start: daysFrom(NOW, -3), end: daysFrom(NOW, -1) })
    expect((await post(`/polls/${open}/delete`, 'padmin')).status).toBe(422)
    const r = await post(`/polls/${closed}/delete`, 'padmin', { confirm: 'yes' })
    expect(r.status).toBe(409)
    expect(await r.text()).toContain('A closed poll cannot be deleted')
    const ok = await post(`/polls/${open}/delete`, 'padmin', { confirm: 'yes' })
    expect(ok.headers.get('location')).toBe('/polls?show_all=1&deleted=1')
    expect((await env.sql`SELECT id FROM polls WHERE id IN (${open}, ${closed}) ORDER BY id`).map((x) => x.id)).toEqual([closed])
    expect(await audits('poll.delete')).toBe(1)
  })
})
