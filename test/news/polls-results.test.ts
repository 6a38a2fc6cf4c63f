import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { instantRunoff } from '../../src/features/polls/irv.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addPoll, addQuestion, answer, daysFrom, NOW, students } from './polls-fixture.ts'

// Results (issue 8, items 5 and 10): instant-runoff rounds checked against hand-computed ones,
// the grade breakdown, the participation line, split approval, who sees results, and the shapes
// of the two CSV exports (refused for secret polls; no names for anonymous ones).

let env: TestEnv
let kim: MadeUser, admin: MadeUser
const c: Record<string, string> = {}

beforeAll(async () => {
  env = await testEnv({ clock: NOW })
  kim = await makeUser(env.sql, { username: 'kim', firstName: 'Kim', lastName: 'Zhao', graduationYear: 2027 })
  admin = await makeUser(env.sql, { username: 'padmin', type: 'teacher', groups: ['admin_polls'] })
  for (const u of [kim, admin]) c[u.username] = await login(env.app, u)
})
afterAll(async () => { await env.close() })

const get = (path: string, who: string) => env.app.handle(req(path, { cookie: c[who] }))
const text = async (path: string, who: string) => {
  const r = await get(path, who)
  expect(r.status).toBe(200)
  return r.text()
}
const cands = (names: string) => names.split('').map((n, i) => ({ id: i + 1, num: i + 1, name: n }))

describe('instant runoff', () => {
  // 21 ballots for A, B, C, D, E (ids 1–5). By hand:
  //   round 1: A 6, B 5, C 4, D 3, E 3  → no majority of 21; D and E tie for last; E is listed later → E out
  //   round 2: E's ballots (E>D>A ×2, E alone ×1): D +2, one exhausted → A 6, B 5, D 5, C 4 of 20 → C out
  //   round 3: C>B ×4 → B 9; A 6, D 5 of 20 → D out
  //   round 4: D>C>A ×3 and E>D>A ×2 → A 11, B 9 of 20 → A wins (11 > 10)
  const ballots = [
    ...Array(6).fill([1, 2]), ...Array(5).fill([2, 3]), ...Array(4).fill([3, 2]), ...Array(3).fill([4, 3, 1]), ...Array(2).fill([5, 4, 1]), [5],
  ] as number[][]

  test('four rounds, three eliminations, an exhausted ballot: exactly the hand-computed rounds', () => {
    const r = instantRunoff(cands('ABCDE'), ballots)
    const shape = r.rounds.map((x) => ({ counts: x.counts.map((c) => [c.id, c.votes]), continuing: x.continuing, exhausted: x.exhausted, out: x.eliminated, won: x.winner }))
    expect(shape).toEqual([
      { counts: [[1, 6], [2, 5], [3, 4], [4, 3], [5, 3]], continuing: 21, exhausted: 0, out: 5, won: null },
      { counts: [[1, 6], [2, 5], [4, 5], [3, 4]], continuing: 20, exhausted: 1, out: 3, won: null },
      { counts: [[2, 9], [1, 6], [4, 5]], continuing: 20, exhausted: 1, out: 4, won: null },
      { counts: [[1, 11], [2, 9]], continuing: 20, exhausted: 1, out: null, won: 1 },
    ])
    expect(r.winner).toBe(1)
    expect(r.rounds[0]!.tieBreak).toBe('D, E tied for last in every round; E, listed later on the ballot, is eliminated.')
  })

  test('a tie for last is broken by the earlier rounds first, then by ballot order; no ballots, no winner', () => {
    // A, C, B, D (C is listed before B). Round 1: A 6, B 3, C 2, D 1 → D out (alone). Round 2: D>C
    // gives C 3: A 6, C 3, B 3 of 12 → C and B tie; in round 1 C had 2 and B 3 → C out (ballot
    // order alone would have taken B). Round 3: A 6, B 3 of 9 (three exhausted) → A.
    const r = instantRunoff(cands('ACBD'), [...Array(6).fill([1]), ...Array(3).fill([3]), ...Array(2).fill([2]), [4, 2]])
    expect(r.rounds.map((x) => x.eliminated)).toEqual([4, 2, null])
    expect(r.rounds[1]!.tieBreak).toBe('C, B tied for last; C had fewer votes in round 1.')
    expect(r.rounds[2]).toMatchObject({ continuing: 9, exhausted: 3, winner: 1 })
    // Round 1: A 4, B 2, C 3, D 3 → B out. Round 2: C 3, D 3, level in round 1 too → D (listed later) out.
    const tied = instantRunoff(cands('ABCD'), [[1], [1], [1], [1], [2], [2], [3], [3], [3], [4], [4], [4, 2]])
    expect(tied.rounds.map((x) => x.eliminated)).toEqual([2, 4, null])
    expect(tied.winner).toBe(1)
    expect(instantRunoff(cands('AB'), []).winner).toBeNull()
    expect(instantRunoff(cands('A'), [[1]]).winner).toBe(1)
  })

  test('the results page shows the rounds of a ranked question and its winner', async () => {
    const p = await addPoll(env.sql, { title: 'Council' })
    const q = await addQuestion(env.sql, p, 'RAN', 'President', ['Ana', 'Ben', 'Cy', 'Di', 'Ed'], 3)
    const ids = await students(env.sql, 21, 2028, 'irv')
    for (const [i, b] of ballots.entries()) await answer(env.sql, p, q.id, ids[i]!, { choices: b.map((n) => q.choices[n - 1]!), ranked: true })
    const html = await text(`/polls/${p}/results`, 'padmin')
    expect(html).toContain('Winner (instant runoff): Ana')
    expect(html).toContain('<th scope="col" class="num">Round 4</th>')
    expect(html).toContain('No majority: Ed is eliminated. Di, Ed tied for last in every round; Ed, listed later on the ballot, is eliminated.')
    expect(html).toContain('20 ballots count (1 exhausted); a majority is more than 10. Ana wins with 11 (55%).')
    expect(html).toMatch(/<th scope="row">Ana<\/th><td class="num">6<\/td><td class="num">6<\/td><td class="num">6<\/td><td class="num">11 \(won\)<\/td>/)
    // Borda points: a first choice earns 3, a second 2, a third 1.
    expect(html).toMatch(/<th scope="row"><span>Ana<\/span><\/th><td class="num">6<\/td><td class="num">28.6%<\/td><td class="num">23<\/td>/)
  })
})

describe('tallies, turnout and who sees them', () => {
  let p = 0
  let color: Awaited<ReturnType<typeof addQuestion>>, sap: Awaited<ReturnType<typeof addQuestion>>, lunch: Awaited<ReturnType<typeof addQuestion>>, idea: Awaited<ReturnType<typeof addQuestion>>
  let g9: number[], g10: number[], staff: MadeUser
  beforeAll(async () => {
    p = await addPoll(env.sql, { title: 'Spirit week', start: daysFrom(NOW, -1), groups: ['Voters'] })
    color = await addQuestion(env.sql, p, 'STD', 'Color?', ['Red', 'Green | the calm one', 'Blue'])
    sap = await addQuestion(env.sql, p, 'SAP', 'Charities', ['X', 'Y', 'Z'], 3)
    lunch = await addQuestion(env.sql, p, 'STO', 'Lunch', ['Pizza', 'Tacos'])
    idea = await addQuestion(env.sql, p, 'FRE', 'Ideas?')
    g9 = await students(env.sql, 2, 2030, 'nine')
    g10 = await students(env.sql, 1, 2029, 'ten')
    staff = await makeUser(env.sql, { username: 'staffer', type: 'teacher', firstName: 'Sam', lastName: 'Staff' })
    const voters = [...g9, ...g10, staff.id, kim.id]
    await env.sql`INSERT INTO user_groups (user_id, group_id) SELECT u, (SELECT id FROM groups WHERE name = 'Voters') FROM unnest(${voters}::int[]) u`
  })

  test('"X out of Y (Z%) eligible users voted": Y is the poll\'s groups\' unrestricted members', async () => {
    expect(await text(`/polls/${p}/results`, 'padmin')).toContain('0 out of 5 (0.0%) eligible users voted in this poll.')
    await answer(env.sql, p, color.id, g9[0]!, { choices: [color.byName.Red!] })
    await answer(env.sql, p, color.id, g9[1]!, { choices: [color.byName.Red!] })
    await answer(env.sql, p, color.id, g10[0]!, { choices: [color.byName.Green!] })
    await answer(env.sql, p, color.id, staff.id, { cleared: true })
    await answer(env.sql, p, sap.id, g9[0]!, { choices: [sap.byName.X!, sap.byName.Y!] })
    await answer(env.sql, p, sap.id, g10[0]!, { choices: [sap.byName.X!] })
    await answer(env.sql, p, lunch.id, g9[0]!, { other: 'Sushi' })
    await answer(env.sql, p, lunch.id, g9[1]!, { other: 'sushi ' })
    await answer(env.sql, p, lunch.id, staff.id, { choices: [lunch.byName.Tacos!] })
    await answer(env.sql, p, idea.id, staff.id, { response: 'Longer lunch <b>please</b>' })
    const html = await text(`/polls/${p}/results`, 'padmin')
    expect(html).toContain('4 out of 5 (80.0%) eligible users voted in this poll.')
    expect(html).toContain('Results may not be final: the poll is still open.')
  })

  test('choice counts with percent, clear votes, write-ins grouped, split approval, text without names', async () => {
    const html = await text(`/polls/${p}/results`, 'padmin')
    expect(html).toMatch(/<th scope="row"><span>Red<\/span><\/th><td class="num">2<\/td><td class="num">50%<\/td>/)
    expect(html).toMatch(/<th scope="row"><span>Green<\/span><span class="muted choice-detail">the calm one<\/span><\/th><td class="num">1<\/td><td class="num">25%<\/td>/)
    expect(html).toMatch(/<th scope="row"><span>Clear vote<\/span><\/th><td class="num">1<\/td>/)
    expect(html).toContain('Most votes: Red')
    expect(html).toMatch(/<th scope="row"><span>X<\/span><\/th><td class="num">1.5<\/td><td class="num">75%<\/td>/)
    expect(html).toMatch(/<th scope="row"><span>Y<\/span><\/th><td class="num">0.5<\/td>/)
    expect(html).toMatch(/<th scope="row"><span>Other: Sushi<\/span><\/th><td class="num">2<\/td>/)
    expect(html).toContain('<li>Longer lunch &lt;b&gt;please&lt;/b&gt;</li>')
    expect(html).not.toContain('staffer')
    // The chart: an image named by its title, described by its desc; one titled bar per row.
    expect(html).toContain(`<svg class="poll-chart" viewBox="0 0 320 `)
    expect(html).toContain(`role="img" aria-labelledby="q${color.id}-chart-title q${color.id}-chart-desc"`)
    expect(html).toContain(`<title id="q${color.id}-chart-title">Question 1: votes per choice</title>`)
    expect(html).toContain('<title>Red: 2 (50%)</title>')
  })

  test('the breakdown by grade (at the poll\'s start date): grades 9–12 and staff', async () => {
    const html = await text(`/polls/${p}/results`, 'padmin')
    const table = html.slice(html.indexOf(`<table id="q${color.id}-grades">`), html.indexOf('</table>', html.indexOf(`<table id="q${color.id}-grades">`)))
    const heads = [...table.matchAll(/<abbr title="([^"]+)">([^<]+)<\/abbr>/g)].map((m) => `${m[1]}=${m[2]}`)
    expect(heads).toEqual(['Grade 9=9th', 'Grade 10=10th', 'Grade 11=11th', 'Grade 12=12th', 'Staff=Staff'])
    expect(table).toContain('<tr><th scope="row">Red</th><td class="num">2</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td></tr>')
    expect(table).toContain('<tr><th scope="row">Green</th><td class="num">0</td><td class="num">1</td>')
    expect(table).toContain('<tr><th scope="row">Clear vote</th><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">1</td></tr>')
  })

  test('CSV shapes: results per choice with grade columns; answers per voter', async () => {
    const r = await get(`/polls/${p}/results.csv`, 'padmin')
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="spirit-week-results.csv"')
    const lines = (await r.text()).split('\r\n')
    expect(lines[0]).toBe('Question #,Question,Type,Choice,Votes,Percent,Points,Grade 9,Grade 10,Grade 11,Grade 12,Staff,Other')
    expect(lines).toContain('1,Color?,STD,Red,2,50,,2,0,0,0,0,0')
    expect(lines).toContain('1,Color?,STD,Clear vote,1,25,,0,0,0,0,1,0')
    expect(lines).toContain('2,Charities,SAP,X,1.5,75,,0.5,1,0,0,0,0')
    expect(lines).toContain('3,Lunch,STO,Other: Sushi,2,66.7,,2,0,0,0,0,0')
    expect(lines).toContain('4,Ideas?,FRE,Text answers,1,100,,0,0,0,0,1,0')
    const answers = (await (await get(`/polls/${p}/answers.csv`, 'padmin')).text()).split('\r\n')
    expect(answers[0]).toBe('Username,First name,Last name,Grade,1. Color?,2. Charities,3. Lunch,4. Ideas?')
    expect(answers).toContain('staffer,Sam,Staff,Staff,Cleared,,Tacos,Longer lunch <b>please</b>')
    expect(answers).toContain('nine1x2030,Stu,Dent1,Grade 9,Red,X; Y,Other: Sushi,')
    expect(answers.filter(Boolean)).toHaveLength(1 + 4)
  })

  test('anonymous polls export no names; secret polls export nothing (403); voters can\'t export', async () => {
    await env.sql`UPDATE polls SET is_anonymous = true WHERE id = ${p}`
    const anon = (await (await get(`/polls/${p}/answers.csv`, 'padmin')).text()).split('\r\n')
    expect(anon[0]).toBe('Voter,1. Color?,2. Charities,3. Lunch,4. Ideas?')
    expect(anon.filter(Boolean).map((l) => l.split(',')[0]).slice(1).sort()).toEqual(['1', '2', '3', '4'])
    expect(anon.join('\n')).not.toMatch(/staffer|nine1|Staff,|Dent/)
    await env.sql`UPDATE polls SET is_secret = true WHERE id = ${p}`
    for (const kind of ['results', 'answers']) {
      const r = await get(`/polls/${p}/${kind}.csv`, 'padmin')
      expect(r.status).toBe(403)
      expect(await r.text()).toContain('CSV results cannot be generated for secret polls.')
    }
    expect(await text(`/polls/${p}/results`, 'padmin')).toContain('CSV exports are turned off for secret polls.')
    await env.sql`UPDATE polls SET is_secret = false, is_anonymous = false WHERE id = ${p}`
    expect((await get(`/polls/${p}/results.csv`, 'kim')).status).toBe(403)
    expect((await get(`/polls/${p}/answers.csv`, 'kim')).status).toBe(403)
  })

  test('results: admins always; voters per the poll (never, after close, live)', async () => {
    expect((await get(`/polls/${p}/results`, 'kim')).status).toBe(403)
    await env.sql`UPDATE polls SET results_visibility = 'live' WHERE id = ${p}`
    expect((await get(`/polls/${p}/results`, 'kim')).status).toBe(200)
    expect(await text(`/polls/${p}`, 'kim')).toContain('See the results')
    await env.sql`UPDATE polls SET results_visibility = 'after_close', end_time = ${daysFrom(NOW, 1 / 24)} WHERE id = ${p}`
    const early = await get(`/polls/${p}/results`, 'kim')
    expect(early.status).toBe(403)
    expect(await early.text()).toContain('They will be shown here when the poll closes.')
    env.clock.set(daysFrom(NOW, 1.5 / 24))
    try {
      const html = await text(`/polls/${p}/results`, 'kim')
      expect(html).not.toContain('Results may not be final')
      expect(html).not.toContain('Download results')
    } finally {
      env.clock.set(NOW)
    }
  })
})

describe('demo data', () => {
  test('an open poll with one question of each type, and a closed election whose runoff takes rounds', async () => {
    const { demoAccountsSeed } = await import('../../src/features/users/demo-seed.ts')
    const { pollsDemoSeed, SPIRIT_POLL, ELECTION_POLL } = await import('../../src/features/polls/seed.ts')
    const { SEED_STEPS } = await import('../../src/features/seeds.ts')
    expect(SEED_STEPS).toContain(pollsDemoSeed)
    const ctx = { sql: env.sql, config: env.config, clock: env.clock, log: env.log }
    await demoAccountsSeed.run(ctx)
    const t = performance.now()
    expect(await pollsDemoSeed.run(ctx)).toMatch(new RegExp(`^${SPIRIT_POLL} \\(150 voters\\); ${ELECTION_POLL} \\(\\d+ voters, closed\\)$`))
    expect(performance.now() - t).toBeLessThan(10_000)
    expect(await pollsDemoSeed.run(ctx)).toBe('already there')
    const [open] = await env.sql<{ id: number; types: string[] }[]>`
      SELECT p.id, array_agg(q.type ORDER BY q.num) AS types FROM polls p JOIN poll_questions q ON q.poll_id = p.id WHERE p.title = ${SPIRIT_POLL} GROUP BY p.id`
    expect(open!.types).toEqual(['STD', 'ELC', 'STO', 'APP', 'SAP', 'RAN', 'FRE', 'SRE'])
    const [election] = await env.sql<{ id: number }[]>`SELECT id FROM polls WHERE title = ${ELECTION_POLL}`
    const html = await text(`/polls/${election!.id}/results`, 'padmin')
    expect(html).toContain('<span class="badge">closed</span>')
    expect(html).toContain('Round 3')
    expect(html).toMatch(/Winner \(instant runoff\): \w+ \w+/)
    expect(html).not.toContain('Results may not be final')
    expect(await text(`/polls/${open!.id}/results`, 'padmin')).toContain('150 out of ')
  }, 60_000)
})
