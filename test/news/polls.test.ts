import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addPoll, addQuestion, answerRows, daysFrom, NOW, stored, type MadeQuestion } from './polls-fixture.ts'

// Voting (issue 8, items 5 and 10): who may vote and when, max choices, clear, changing a vote,
// the eight question types end to end, the list and the nav badge, and two submissions at once.

let env: TestEnv
let kim: MadeUser, lee: MadeUser, teach: MadeUser, alum: MadeUser, admin: MadeUser, band: MadeUser
const c: Record<string, string> = {}
let poll = 0
let color: MadeQuestion, approve: MadeQuestion

beforeAll(async () => {
  env = await testEnv({ clock: NOW })
  kim = await makeUser(env.sql, { username: 'kim', graduationYear: 2027 })
  lee = await makeUser(env.sql, { username: 'lee', graduationYear: 2028 })
  band = await makeUser(env.sql, { username: 'bandie', groups: ['Band'] })
  teach = await makeUser(env.sql, { username: 'teach', type: 'teacher' })
  alum = await makeUser(env.sql, { username: 'alum', type: 'alum' })
  admin = await makeUser(env.sql, { username: 'padmin', type: 'teacher', groups: ['admin_polls'] })
  for (const u of [kim, lee, band, teach, alum, admin]) c[u.username] = await login(env.app, u)
  poll = await addPoll(env.sql, { title: 'Spirit week' })
  color = await addQuestion(env.sql, poll, 'STD', 'Favorite color?', ['Red', 'Green', 'Blue'])
  approve = await addQuestion(env.sql, poll, 'APP', 'Which snacks?', ['Chips', 'Fruit', 'Cookies'], 2)
})
afterAll(async () => { await env.close() })

const get = (path: string, who: string, headers: Record<string, string> = {}) => env.app.handle(req(path, { cookie: c[who], headers }))
const vote = (id: number, who: string, form: Record<string, string | string[]>, htmx = false) => {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', cookie: c[who]! }
  if (htmx) Object.assign(headers, { 'hx-request': 'true', 'hx-request-type': 'partial' })
  return env.app.handle(new Request(`http://localhost/polls/${id}`, { method: 'POST', headers, body: body.toString() }))
}
const q = (m: MadeQuestion) => `q${m.id}`

describe('vote rules', () => {
  test('a standard question: voting Red twice leaves one answer; Clear replaces it; Blue replaces that', async () => {
    for (let i = 0; i < 2; i++) expect((await vote(poll, 'kim', { [q(color)]: String(color.byName.Red) })).status).toBe(303)
    expect(await stored(env.sql, color.id, kim.id)).toMatchObject({ answers: 1, cleared: false, choices: [color.byName.Red] })
    expect((await vote(poll, 'kim', { [q(color)]: 'clear' })).status).toBe(303)
    expect(await stored(env.sql, color.id, kim.id)).toMatchObject({ answers: 1, cleared: true, choices: [] })
    expect((await vote(poll, 'kim', { [q(color)]: String(color.byName.Blue) })).status).toBe(303)
    expect(await stored(env.sql, color.id, kim.id)).toMatchObject({ answers: 1, cleared: false, choices: [color.byName.Blue] })
  })

  test('approval with max 2: three picks are refused with Ion\'s message and the previous two stay', async () => {
    const [chips, fruit, cookies] = approve.choices.map(String) as [string, string, string]
    expect((await vote(poll, 'kim', { [q(approve)]: [chips, fruit] })).status).toBe(303)
    const r = await vote(poll, 'kim', { [q(approve)]: [chips, fruit, cookies], [q(color)]: String(color.byName.Green) })
    expect(r.status).toBe(422)
    const html = await r.text()
    expect(html).toContain('You have voted on too many options for Question #2: “Which snacks?”')
    expect((await stored(env.sql, approve.id, kim.id)).choices).toEqual([approve.byName.Chips!, approve.byName.Fruit!])
    expect((await stored(env.sql, color.id, kim.id)).choices).toEqual([color.byName.Blue!]) // nothing of the refused ballot was saved
    // The refused ballot shows what was submitted, so nothing typed is lost.
    expect(html).toMatch(new RegExp(`value="${cookies}" checked`))
    expect((await vote(poll, 'kim', { [q(approve)]: ['clear', chips] })).status).toBe(422)
    expect((await vote(poll, 'kim', { [q(approve)]: 'clear' })).status).toBe(303)
    expect(await stored(env.sql, approve.id, kim.id)).toMatchObject({ answers: 1, cleared: true, choices: [] })
    expect((await vote(poll, 'kim', { [q(approve)]: fruit })).status).toBe(303)
    expect(await stored(env.sql, approve.id, kim.id)).toMatchObject({ answers: 1, cleared: false, choices: [approve.byName.Fruit] })
  })

  test('a choice from another question, two radios at once, or an empty ballot are refused', async () => {
    expect((await vote(poll, 'lee', { [q(color)]: String(approve.choices[0]) })).status).toBe(422)
    expect((await vote(poll, 'lee', { [q(color)]: [String(color.choices[0]), String(color.choices[1])] })).status).toBe(422)
    const empty = await vote(poll, 'lee', {})
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain('Answer at least one question before you submit.')
    expect(await answerRows(env.sql, color.id)).toBe(1)
  })

  test('a closed poll and a poll not open yet refuse votes (409) and store nothing', async () => {
    const closed = await addPoll(env.sql, { title: 'Closed', start: daysFrom(NOW, -5), end: daysFrom(NOW, -1) })
    const soon = await addPoll(env.sql, { title: 'Soon', start: daysFrom(NOW, 1 / 24), end: daysFrom(NOW, 5) })
    const q1 = await addQuestion(env.sql, closed, 'STD', 'Q', ['A', 'B'])
    const q2 = await addQuestion(env.sql, soon, 'STD', 'Q', ['A', 'B'])
    const r1 = await vote(closed, 'kim', { [q(q1)]: String(q1.choices[0]) })
    expect(r1.status).toBe(409)
    expect(await r1.text()).toContain('This poll closed')
    const r2 = await vote(soon, 'kim', { [q(q2)]: String(q2.choices[0]) })
    expect(r2.status).toBe(409)
    expect(await r2.text()).toContain('This poll opens')
    expect(await answerRows(env.sql, q1.id) + await answerRows(env.sql, q2.id)).toBe(0)
    // The window is the injected clock's: at the opening instant (an hour later) the poll takes votes.
    env.clock.set(daysFrom(NOW, 1 / 24))
    try {
      expect((await vote(soon, 'kim', { [q(q2)]: String(q2.choices[0]) })).status).toBe(303)
    } finally {
      env.clock.set(NOW)
    }
  })

  test('a group poll: outsiders get 403 (page and vote), members vote; restricted accounts get 403 everywhere', async () => {
    const p = await addPoll(env.sql, { title: 'Band trip', groups: ['Band'] })
    const qq = await addQuestion(env.sql, p, 'STD', 'Where?', ['Zoo', 'Museum'])
    expect((await get(`/polls/${p}`, 'kim')).status).toBe(403)
    expect((await vote(p, 'kim', { [q(qq)]: String(qq.choices[0]) })).status).toBe(403)
    expect((await vote(p, 'bandie', { [q(qq)]: String(qq.choices[0]) })).status).toBe(303)
    for (const path of ['/polls', `/polls/${poll}`, `/polls/${poll}/results`]) expect((await get(path, 'alum')).status).toBe(403)
    expect((await vote(poll, 'alum', { [q(color)]: String(color.choices[0]) })).status).toBe(403)
    // The polls admin may look at the ballot but is not eligible, so cannot vote.
    expect((await get(`/polls/${p}`, 'padmin')).status).toBe(200)
    expect((await vote(p, 'padmin', { [q(qq)]: String(qq.choices[0]) })).status).toBe(403)
    expect(await answerRows(env.sql, qq.id)).toBe(1)
    // An unpublished poll is nobody's but the admins'.
    const hidden = await addPoll(env.sql, { title: 'Draft', visible: false })
    expect((await get(`/polls/${hidden}`, 'kim')).status).toBe(403)
    expect((await get(`/polls/${hidden}`, 'padmin')).status).toBe(200)
    expect((await get('/polls/999999', 'kim')).status).toBe(404)
  })

  test('htmx gets the ballot back with the thanks; a plain form is redirected to it', async () => {
    const r = await vote(poll, 'teach', { [q(color)]: String(color.byName.Green) }, true)
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html.startsWith('<div id="ballot"')).toBe(true)
    expect(html).toContain('Thank you for voting!')
    expect(html).toMatch(new RegExp(`value="${color.byName.Green}" checked`))
    const plain = await vote(poll, 'teach', { [q(color)]: String(color.byName.Red) })
    expect(plain.headers.get('location')).toBe(`/polls/${poll}?voted=1`)
    expect(await (await get(`/polls/${poll}?voted=1`, 'teach')).text()).toContain('Thank you for voting!')
  })
})

describe('the eight question types end to end', () => {
  let p = 0
  const Q: Record<string, MadeQuestion> = {}
  beforeAll(async () => {
    p = await addPoll(env.sql, { title: 'Every type' })
    Q.std = await addQuestion(env.sql, p, 'STD', 'Standard', ['A', 'B', 'C'])
    Q.elc = await addQuestion(env.sql, p, 'ELC', 'President', ['Alice | Every voice heard', 'Bob', 'Carol', 'Dan', 'Eve', 'Finn', 'Gus', 'Hal'])
    Q.sto = await addQuestion(env.sql, p, 'STO', 'Lunch', ['Pizza', 'Tacos'])
    Q.app = await addQuestion(env.sql, p, 'APP', 'Clubs', ['W', 'X', 'Y', 'Z'], 2)
    Q.sap = await addQuestion(env.sql, p, 'SAP', 'Charities', ['P', 'Q', 'R'], 3)
    Q.ran = await addQuestion(env.sql, p, 'RAN', 'Mascot', ['Owl', 'Fox', 'Bear', 'Wolf'], 3)
    Q.fre = await addQuestion(env.sql, p, 'FRE', 'Ideas?')
    Q.sre = await addQuestion(env.sql, p, 'SRE', 'One word')
  })

  test('one ballot answers all eight; the ballot page shows it back; the answers CSV holds it', async () => {
    const r = await vote(p, 'lee', {
      [q(Q.std!)]: String(Q.std!.byName.B), [q(Q.elc!)]: String(Q.elc!.byName.Bob), [q(Q.sto!)]: 'other', [`${q(Q.sto!)}-other`]: 'Sushi',
      [q(Q.app!)]: [String(Q.app!.byName.W), String(Q.app!.byName.Y)], [q(Q.sap!)]: [String(Q.sap!.byName.P), String(Q.sap!.byName.R)],
      [`${q(Q.ran!)}-rank-${Q.ran!.byName.Bear}`]: '1', [`${q(Q.ran!)}-rank-${Q.ran!.byName.Owl}`]: '3', [`${q(Q.ran!)}-rank-${Q.ran!.byName.Wolf}`]: '',
      [q(Q.fre!)]: 'More benches\r\nand shade', [q(Q.sre!)]: '  Onward  ',
    })
    expect(r.status).toBe(303)
    expect((await stored(env.sql, Q.sto!.id, lee.id)).otherText).toBe('Sushi')
    expect(await stored(env.sql, Q.ran!.id, lee.id)).toMatchObject({ choices: [Q.ran!.byName.Bear, Q.ran!.byName.Owl], ranks: [1, 2] }) // gaps close
    expect((await stored(env.sql, Q.fre!.id, lee.id)).response).toBe('More benches\nand shade')
    const html = await (await get(`/polls/${p}`, 'lee')).text()
    expect(html).toContain('value="other" checked')
    expect(html).toContain('value="Sushi"')
    expect(html).toMatch(new RegExp(`name="${q(Q.ran!)}-rank-${Q.ran!.byName.Owl}"><option value="">—</option><option value="1">1</option><option value="2" selected>`))
    expect(html).toContain('More benches\nand shade</textarea>')
    const csv = await (await get(`/polls/${p}/answers.csv`, 'padmin')).text()
    const row = csv.split('\r\n').find((l) => l.startsWith('lee,'))
    expect(row).toBe('lee,Test,' + csv.split('\r\n')[1]!.split(',')[2] + ',Grade 11,B,Bob,Other: Sushi,W; Y,P; R,1. Bear; 2. Owl,"More benches\nand shade",Onward')
  })

  test('ranked ballots: one rank per candidate, ranks within max, no clear with a ranking; other needs its text', async () => {
    const rank = (c: string) => `${q(Q.ran!)}-rank-${Q.ran!.byName[c]}`
    expect((await vote(p, 'kim', { [rank('Owl')]: '1', [rank('Fox')]: '1' })).status).toBe(422)
    expect((await vote(p, 'kim', { [rank('Owl')]: '4' })).status).toBe(422)
    expect((await vote(p, 'kim', { [rank('Owl')]: '1', [q(Q.ran!)]: 'clear' })).status).toBe(422)
    const other = await vote(p, 'kim', { [q(Q.sto!)]: 'other', [`${q(Q.sto!)}-other`]: ' ' })
    expect(other.status).toBe(422)
    expect(await other.text()).toContain('Write your “Other” answer')
    expect((await vote(p, 'kim', { [q(Q.sre!)]: 'x'.repeat(201) })).status).toBe(422)
    expect(await answerRows(env.sql, Q.ran!.id) + await answerRows(env.sql, Q.sto!.id)).toBe(2) // lee's two only
  })

  test('an emptied text box withdraws the answer; the election order is shuffled per voter and stable', async () => {
    expect((await vote(p, 'lee', { [q(Q.sre!)]: '' })).status).toBe(303)
    expect((await stored(env.sql, Q.sre!.id, lee.id)).answers).toBe(0)
    const order = async (who: string) => [...(await (await get(`/polls/${p}`, who)).text()).matchAll(new RegExp(`name="${q(Q.elc!)}" value="(\\d+)"`, 'g'))].map((m) => Number(m[1]))
    const kimOrder = await order('kim')
    expect(kimOrder.slice().sort((a, b) => a - b)).toEqual(Q.elc!.choices)
    expect(await order('kim')).toEqual(kimOrder)
    expect(await order('lee')).not.toEqual(kimOrder)
  })
})

describe('the list, the nav badge and double submits', () => {
  test('/polls: open polls by default; ?show_all adds past ones; admins also see hidden and other groups\' polls', async () => {
    const mine = await (await get('/polls', 'kim')).text()
    expect(mine).toContain('Spirit week')
    expect(mine).not.toContain('>Closed<')
    const all = await (await get('/polls?show_all=1', 'kim')).text()
    expect(all).toContain('>Closed<')
    expect(all).not.toContain('>Draft<')
    expect(all).not.toContain('>Band trip<')
    const adminAll = await (await get('/polls?show_all=1', 'padmin')).text()
    for (const t of ['>Draft<', '>Band trip<', '>Closed<']) expect(adminAll).toContain(t)
  })

  test('the Polls nav item counts open polls not voted in, for page views', async () => {
    const newbie = await makeUser(env.sql, { username: 'newbie' })
    c.newbie = await login(env.app, newbie)
    const page = () => get('/polls', 'newbie', { accept: 'text/html' }).then((r) => r.text())
    const badge = (html: string) => /aria-label="Polls: (\d+) open polls? you have not voted in"><span>Polls<\/span> <span class="badge nav-count">(\d+)<\/span>/.exec(html)?.slice(1).join('=')
    expect(badge(await page())).toBe('2=2') // Spirit week and Every type (Soon is not open, Band trip not theirs)
    expect((await vote(poll, 'newbie', { [q(color)]: String(color.choices[0]) })).status).toBe(303)
    expect(badge(await page())).toBe('1=1')
    expect(await (await get('/polls', 'newbie')).text()).toContain('>Polls</a>') // not a page view: no count
    expect(await (await get('/polls', 'alum', { accept: 'text/html' })).text()).not.toContain('nav-count')
  })

  test('two submissions at once by the same person end with one whole answer set, never a mix', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => makeUser(env.sql, { username: `race${i}` })))
    for (const u of people) c[u.username] = await login(env.app, u)
    const a = { [q(color)]: String(color.byName.Red), [q(approve)]: [String(approve.byName.Chips), String(approve.byName.Fruit)] }
    const b = { [q(color)]: String(color.byName.Blue), [q(approve)]: String(approve.byName.Cookies) }
    const results = await Promise.all(people.flatMap((u) => [vote(poll, u.username, a), vote(poll, u.username, b)]))
    expect(results.map((r) => r.status)).toEqual(Array(24).fill(303))
    for (const u of people) {
      const s = [(await stored(env.sql, color.id, u.id)), (await stored(env.sql, approve.id, u.id))]
      expect(s.map((x) => x.answers)).toEqual([1, 1])
      const pair = [s[0]!.choices, s[1]!.choices]
      expect([JSON.stringify([[color.byName.Red], [approve.byName.Chips, approve.byName.Fruit]]), JSON.stringify([[color.byName.Blue], [approve.byName.Cookies]])]).toContain(JSON.stringify(pair))
    }
    const [v] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM poll_voters WHERE poll_id = ${poll} AND user_id = ANY(${people.map((u) => u.id)}::int[])`
    expect(v!.n).toBe(12)
  })
})

describe('statement budget', () => {
  // The badge is one statement per page view; a vote and the results cost the same whatever the
  // number of questions or voters. Counted through postgres.js's `debug` hook.
  test('nav badge: +1 statement on a page view only; vote and results: flat', async () => {
    const { createTestDb } = await import('../helpers/db.ts')
    const { buildApp } = await import('../../src/app.tsx')
    const { testConfig } = await import('../helpers/app.ts')
    const { fixedClock } = await import('../../src/platform/clock.ts')
    const { Redis } = await import('../../src/platform/redis.ts')
    const { memoryLogger } = await import('../../src/platform/log.ts')
    const { students, answer } = await import('./polls-fixture.ts')
    let n = 0
    const db = await createTestDb({ debug: () => { n++ } })
    const config = testConfig()
    const redis = new Redis(config.redisUrl, { prefix: `t:${db.name}:` })
    try {
      const app = buildApp({ sql: db.sql, redis, clock: fixedClock(NOW, config.schoolTz), config, log: memoryLogger() })
      const u = await makeUser(db.sql, { username: 'budget' })
      const cookie = await login(app, u)
      const admin = await login(app, await makeUser(db.sql, { username: 'budgetadmin', type: 'teacher', groups: ['admin_polls'] }))
      const count = async (r: Request) => { n = 0; const res = await app.handle(r); await res.text(); expect(res.status).toBeLessThan(400); return n }
      const small = await addPoll(db.sql, { title: 'Small' })
      const big = await addPoll(db.sql, { title: 'Big' })
      const s1 = await addQuestion(db.sql, small, 'STD', 'Q', ['A', 'B'])
      const b: MadeQuestion[] = []
      for (let i = 0; i < 8; i++) b.push(await addQuestion(db.sql, big, i % 2 ? 'APP' : 'STD', `Q${i}`, ['A', 'B', 'C'], i % 2 ? 2 : 1))
      const page = (html: boolean) => req('/polls', { cookie, headers: html ? { accept: 'text/html' } : {} })
      await count(page(true)) // warm-up: the first statement of each shape is also described
      const plain = await count(page(false))
      expect(await count(page(true))).toBe(plain + 1)
      const post = (id: number, form: Record<string, string>) => req(`/polls/${id}`, { cookie, form })
      await count(post(small, { [`q${s1.id}`]: String(s1.choices[1]) }))
      const one = await count(post(small, { [`q${s1.id}`]: String(s1.choices[0]) }))
      const eight = await count(post(big, Object.fromEntries(b.map((q) => [`q${q.id}`, String(q.choices[1])]))))
      expect(eight).toBe(one)
      const results = () => count(req(`/polls/${big}/results`, { cookie: admin }))
      await results()
      const before = await results()
      for (const id of await students(db.sql, 100, 2028, 'bud')) await answer(db.sql, big, b[0]!.id, id, { choices: [b[0]!.choices[0]!] })
      expect(await results()).toBe(before)
      console.log(`polls statements: badge 1, vote ${one} (1 or 8 questions), results ${before} (1 or 101 voters)`)
    } finally {
      redis.close()
      await db.drop()
    }
  })
})
