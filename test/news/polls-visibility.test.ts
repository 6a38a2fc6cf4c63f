import { afterAll, beforeAll, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { addPoll, addQuestion, daysFrom, NOW } from './polls-fixture.ts'

// Poll visibility against a table of viewers (issue 8, item 10): Ion's group rule (no groups =
// every member; otherwise members of one group), publication, the voting window, restricted
// accounts, and polls admins (who see everything but vote only where they are eligible).

let env: TestEnv
const c: Record<string, string> = {}
const polls: Record<string, { id: number; field: string; choice: string }> = {}

beforeAll(async () => {
  env = await testEnv({ clock: NOW })
  const people = [
    { username: 'kim', groups: ['Band'] }, { username: 'lee' }, { username: 'teach', type: 'teacher' as const },
    { username: 'alum', type: 'alum' as const }, { username: 'padmin', type: 'teacher' as const, groups: ['admin_polls'] },
    { username: 'root', type: 'teacher' as const, groups: ['admin_all'] },
  ]
  for (const p of people) c[p.username] = await login(env.app, await makeUser(env.sql, p))
  const defs = {
    Open: {}, Band: { groups: ['Band'] }, Hidden: { visible: false },
    Closed: { start: daysFrom(NOW, -5), end: daysFrom(NOW, -1) }, Upcoming: { start: daysFrom(NOW, 1), end: daysFrom(NOW, 5) },
  }
  for (const [title, o] of Object.entries(defs)) {
    const id = await addPoll(env.sql, { title, ...o })
    const q = await addQuestion(env.sql, id, 'STD', 'Yes or no?', ['Yes', 'No'])
    polls[title] = { id, field: `q${q.id}`, choice: String(q.choices[0]) }
  }
})
afterAll(async () => { await env.close() })

const titles = (html: string) => Object.keys(polls).filter((t) => html.includes(`>${t}</a></h2>`))
async function listed(who: string, all: boolean): Promise<string[] | number> {
  const r = await env.app.handle(req(all ? '/polls?show_all=1' : '/polls', { cookie: c[who] }))
  return r.status === 200 ? titles(await r.text()) : r.status
}
const view = async (who: string, t: string) => (await env.app.handle(req(`/polls/${polls[t]!.id}`, { cookie: c[who] }))).status
const vote = async (who: string, t: string) =>
  (await env.app.handle(req(`/polls/${polls[t]!.id}`, { cookie: c[who], form: { [polls[t]!.field]: polls[t]!.choice } }))).status

const ALL = ['Open', 'Band', 'Hidden', 'Closed', 'Upcoming']
const TABLE: { who: string; open: string[] | number; all: string[] | number; view: number[]; vote: number[] }[] = [
  //                                                                    view / vote: Open, Band, Hidden, Closed, Upcoming
  { who: 'kim', open: ['Open', 'Band'], all: ['Open', 'Band', 'Closed', 'Upcoming'], view: [200, 200, 403, 200, 200], vote: [303, 303, 403, 409, 409] },
  { who: 'lee', open: ['Open'], all: ['Open', 'Closed', 'Upcoming'], view: [200, 403, 403, 200, 200], vote: [303, 403, 403, 409, 409] },
  { who: 'teach', open: ['Open'], all: ['Open', 'Closed', 'Upcoming'], view: [200, 403, 403, 200, 200], vote: [303, 403, 403, 409, 409] },
  { who: 'alum', open: 403, all: 403, view: [403, 403, 403, 403, 403], vote: [403, 403, 403, 403, 403] },
  { who: 'padmin', open: ['Open'], all: ALL, view: [200, 200, 200, 200, 200], vote: [303, 403, 403, 409, 409] },
  { who: 'root', open: ['Open'], all: ALL, view: [200, 200, 200, 200, 200], vote: [303, 403, 403, 409, 409] },
]

test.each(TABLE.map((row) => [row.who, row] as const))('%s: the list, each ballot, and voting', async (who, row) => {
  expect(await listed(who, false)).toEqual(row.open)
  expect(await listed(who, true)).toEqual(row.all)
  expect(await Promise.all(ALL.map((t) => view(who, t)))).toEqual(row.view)
  expect(await Promise.all(ALL.map((t) => vote(who, t)))).toEqual(row.vote)
})

test('only the allowed votes were stored', async () => {
  const rows = await env.sql<{ title: string; n: number }[]>`
    SELECT p.title, count(a.user_id)::int AS n FROM polls p LEFT JOIN poll_answers a ON a.poll_id = p.id GROUP BY p.title ORDER BY p.title`
  expect(Object.fromEntries(rows.map((r) => [r.title, r.n]))).toEqual({ Band: 1, Closed: 0, Hidden: 0, Open: 5, Upcoming: 0 })
})
