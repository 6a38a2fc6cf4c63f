import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { parseQuery } from '../../src/features/directory/query.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { addActivity } from '../helpers/eighth.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { bulkPeople } from '../helpers/people.ts'
import { peopleByName } from '../../src/features/directory/search.sql.ts'
import { PAGE_LIMIT } from '../../src/features/directory/search.ts'

// The directory search (ion-apps.md §5), case by case, through /api/search (the set of people
// found) and /search (redirects, sections, partials); then its latency over a school of 2,200.
// The clock says 2026-11-30: this year's seniors (grade 12) graduate in 2027.

let env: TestEnv
type Who = 'cora' | 'ada' | 'alan' | 'grace' | 'anna' | 'ann' | 'bo' | 'inactive' | 'locked' | 'svc' | 'quinn' | 'tess' | 'alum' | 'bold'
const u = {} as Record<Who, MadeUser>
const cookie: Record<string, string> = {}

beforeAll(async () => {
  env = await testEnv()
  const sql = env.sql
  u.cora = await makeUser(sql, { username: 'csmith', type: 'counselor', firstName: 'Cora', lastName: 'Smith' })
  u.ada = await makeUser(sql, { username: 'alovelace', firstName: 'Ada', lastName: 'Lovelace', nickname: 'Countess', graduationYear: 2027, studentId: '1234567', counselorId: u.cora.id, email: 'ada@school.example.org' })
  u.alan = await makeUser(sql, { username: 'aturing', firstName: 'Alan', lastName: 'Turing', graduationYear: 2028, studentId: '2345678' })
  u.grace = await makeUser(sql, { username: 'ghopper', type: 'teacher', firstName: 'Grace', lastName: 'Hopper', email: 'grace.hopper@school.example.org' })
  u.anna = await makeUser(sql, { username: 'annas', firstName: 'Anna', lastName: 'Smithson', graduationYear: 2029, studentId: '3456789' })
  u.ann = await makeUser(sql, { username: 'alee', firstName: 'Ann', lastName: 'Lee', graduationYear: 2030, studentId: '4567890' })
  u.bo = await makeUser(sql, { username: 'bleeds', firstName: 'Bo', lastName: 'Leeds', graduationYear: 2030, studentId: '4567891' })
  u.inactive = await makeUser(sql, { username: 'zhidden1', firstName: 'Zed', lastName: 'Hidden', active: false })
  u.locked = await makeUser(sql, { username: 'zhidden2', firstName: 'Zoe', lastName: 'Hidden', locked: true })
  u.svc = await makeUser(sql, { username: 'zhidden3', type: 'service', firstName: 'Svc', lastName: 'Hidden' })
  u.quinn = await makeUser(sql, { username: 'qquarry', firstName: 'Quinn', lastName: 'Quarry', graduationYear: 2027, studentId: '7777777' })
  u.tess = await makeUser(sql, { username: 'tteach', type: 'teacher', firstName: 'Tess', lastName: 'Teach' })
  u.alum = await makeUser(sql, { username: 'otimer', type: 'alum', firstName: 'Old', lastName: 'Timer', graduationYear: 2020 })
  u.bold = await makeUser(sql, { username: 'bbold', type: 'teacher', firstName: '<b>Bold</b>', lastName: 'Xss&Co' })
  await sql`UPDATE users SET gender = 'female' WHERE id IN (${u.ada.id}, ${u.anna.id}, ${u.ann.id})`
  await sql`UPDATE users SET gender = 'male' WHERE id IN (${u.alan.id}, ${u.bo.id})`
  await sql`UPDATE users SET middle_name = 'Augusta' WHERE id = ${u.ada.id}`
  await addActivity(sql, 'Turing Machines Club', { description: 'Build a computer out of paper.' })
  await addActivity(sql, 'Lovelace Reading Group', { description: 'Old notes.', deleted: true })
  cookie.quinn = await login(env.app, u.quinn)
  cookie.tess = await login(env.app, u.tess)
  cookie.alum = await login(env.app, u.alum)
})
afterAll(async () => { await env?.close() })

const get = (path: string, who = 'quinn', init: Parameters<typeof req>[1] = {}) => env.app.handle(req(path, { cookie: cookie[who], ...init }))

/** The usernames /api/search finds for q, sorted. */
/** The syntax as staff use it (a teacher); students are limited (see 'what only staff may match'). */
async function found(q: string, who = 'tess'): Promise<string[]> {
  const r = await get(`/api/search/${encodeURIComponent(q)}`, who)
  expect(r.status).toBe(200)
  const body = await r.json() as { count: number; results: { username: string }[] }
  expect(body.count).toBe(body.results.length)
  return body.results.map((x) => x.username).sort()
}

describe('the syntax, case by case', () => {
  test('a plain word: contains, any case, over first, last, nickname and username', async () => {
    expect(await found('LOVE')).toEqual(['alovelace'])
    expect(await found('countess')).toEqual(['alovelace'])
    expect(await found('turi')).toEqual(['aturing'])
    expect(await found('quarry')).toEqual(['qquarry'])
  })
  test('every word must match (AND)', async () => {
    expect(await found('ada love')).toEqual(['alovelace'])
    expect(await found('ada turing')).toEqual([])
  })
  test('a numeric word also matches the student id (contains) or the id', async () => {
    expect(await found('234567 a')).toEqual(['alovelace', 'aturing'])
    expect(await found(`${u.ann.id} "ann"`)).toEqual(['alee'])
  })
  test('all digits: exact student id or id', async () => {
    expect(await found('2345678')).toEqual(['aturing'])
    expect(await found(String(u.bo.id))).toEqual(['bleeds'])
    expect(await found('234567')).toEqual([])
  })
  test('"quoted" is an exact match', async () => {
    expect(await found('ann')).toEqual(['alee', 'annas'])
    expect(await found('"ann"')).toEqual(['alee'])
    expect(await found('"ANNA" smith')).toEqual(['annas'])
  })
  test('A OR B is the union, each person once', async () => {
    expect(await found('lovelace OR hopper')).toEqual(['alovelace', 'ghopper'])
    expect(await found('last:lee OR last:turing')).toEqual(['alee', 'aturing', 'bleeds'])
    expect(await found('ada OR lovelace OR countess')).toEqual(['alovelace'])
  })
  test('grade: 9–12 → graduation year; staff; student; < and >', async () => {
    expect(await found('grade:12')).toEqual(['alovelace', 'qquarry'])
    expect(await found('grade=9')).toEqual(['alee', 'bleeds'])
    expect(await found('grade:staff')).toEqual(['bbold', 'csmith', 'ghopper', 'tteach'])
    expect(await found('grade:student')).toEqual(['alee', 'alovelace', 'annas', 'aturing', 'bleeds', 'qquarry'])
    expect(await found('grade>11 type:student')).toEqual(['alovelace', 'aturing', 'qquarry'])
    expect(await found('grade>13')).toEqual(['otimer']) // graduated (an alum of 2020)
    expect(await found('grade<10')).toEqual(['alee', 'annas', 'bleeds'])
  })
  test('gradyear with :, < (≤) and > (≥)', async () => {
    expect(await found('gradyear:2028')).toEqual(['aturing'])
    expect(await found('gradyear<2028 type:student')).toEqual(['alovelace', 'aturing', 'qquarry'])
    expect(await found('gradyear>2029')).toEqual(['alee', 'annas', 'bleeds'])
  })
  test('first (and nickname), last, nick, name, middle', async () => {
    expect(await found('first:countess')).toEqual(['alovelace'])
    expect(await found('firstname:an*a')).toEqual(['annas'])
    expect(await found('last:smith')).toEqual(['annas', 'csmith'])
    expect(await found('nick:count')).toEqual(['alovelace'])
    expect(await found('name:lee')).toEqual(['alee', 'bleeds'])
    expect(await found('middle:augusta')).toEqual(['alovelace'])
    expect(await found('name:augusta')).toEqual(['alovelace'])
    expect(await found('augusta')).toEqual([]) // plain words skip the middle name
  })
  test('email, studentid, sex/gender, id, username, counselor, type', async () => {
    expect(await found('email:grace.hopper')).toEqual(['ghopper'])
    expect(await found('studentid:3456789')).toEqual(['annas'])
    expect(await found('studentid:45678')).toEqual(['alee', 'annas', 'aturing', 'bleeds'])
    expect(await found('sex:female')).toEqual(['alee', 'alovelace', 'annas'])
    expect(await found('gender:m')).toEqual(['aturing', 'bleeds'])
    expect(await found(`id:${u.ada.id}`)).toEqual(['alovelace'])
    expect(await found(`id>${u.quinn.id} type:teacher`)).toEqual(['bbold', 'tteach'])
    expect(await found('username:hopper')).toEqual(['ghopper'])
    expect(await found('counselor:smith')).toEqual(['alovelace'])
    expect(await found('type:teacher')).toEqual(['bbold', 'ghopper', 'tteach'])
    expect(await found('type:counselor')).toEqual(['csmith'])
  })
  test('what only staff may match: a student cannot test a guess at a student id, an email or a counselor', async () => {
    expect(await found('studentid:3456789', 'quinn')).toEqual([])
    expect(await found('email:grace.hopper', 'quinn')).toEqual([])
    expect(await found('counselor:smith', 'quinn')).toEqual([])
    expect(await found('2345678', 'quinn')).toEqual([])
    expect(await found('234567 a', 'quinn')).toEqual([])
    // the account id and the names still work for everyone
    expect(await found(String(u.bo.id), 'quinn')).toEqual(['bleeds'])
    expect(await found('last:turing', 'quinn')).toEqual(['aturing'])
    const page = await get('/search?q=1234567')
    expect(page.status).toBe(200)
    expect(await page.text()).not.toContain('Lovelace')
  })
  test('< and > on names compare alphabetically', async () => {
    expect(await found('last<hopper type:teacher')).toEqual(['ghopper'])
    expect(await found('first>t type:teacher')).toEqual(['tteach'])
  })
  test('unknown keys are ignored; leading/trailing * stripped; an advanced branch skips usernames', async () => {
    expect(await found('color:blue last:turing')).toEqual(['aturing'])
    expect(await found('*lovelace*')).toEqual(['alovelace'])
    expect(await found('alan grade:11')).toEqual(['aturing'])
    expect(await found('aturing grade:11')).toEqual([])
  })
  test('inactive, locked and service accounts are never found', async () => {
    expect(await found('hidden')).toEqual([])
    expect(await found('last:hidden')).toEqual([])
    expect(await found('type:service')).toEqual([])
    expect(await found('zhidden1')).toEqual([])
    expect(await found(String(u.svc.id))).toEqual([])
  })
})

describe('/search', () => {
  test('a 7-digit student id opens that profile for staff (303)', async () => {
    const r = await get('/search?q=1234567', 'tess')
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe(`/profile/${u.ada.id}`)
    const none = await get('/search?q=9999999', 'tess')
    expect(none.status).toBe(200)
    expect(await none.text()).toContain('Nothing matches')
  })
  test('a single match opens the profile', async () => {
    const r = await get('/search?q=lovelace')
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe(`/profile/${u.ada.id}`)
  })
  test('…unless there are activity hits (own section; deleted activities never)', async () => {
    const r = await get('/search?q=turing')
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain(`href="/profile/${u.alan.id}"`)
    expect(html).toContain('Eighth-period activities')
    expect(html).toContain('Turing Machines Club')
    expect(html).not.toContain('Lovelace Reading Group')
  })
  test('search-as-you-type: the results partial alone, never a redirect', async () => {
    const r = await get('/search?q=lovelace', 'quinn', { htmx: true })
    expect(r.status).toBe(200)
    expect(r.headers.get('vary')).toContain('HX-Request')
    const html = await r.text()
    expect(html.startsWith('<div id="search-results"')).toBe(true)
    expect(html).not.toContain('<html')
    expect(html).toContain(`href="/profile/${u.ada.id}"`)
    // The status line lives outside the results; the partial updates it out of band.
    expect(html).toContain('<p id="search-status" class="visually-hidden" role="status" hx-swap-oob="true">1 person matches “lovelace”.</p>')
  })
  test('the full page: form, labels "Grade N" / "Staff", names escaped', async () => {
    const html = await (await get('/search?q=grade:12+OR+type:teacher')).text()
    expect(html).toContain('<form method="get" action="/search" role="search"')
    expect(html).toContain('hx-trigger="input changed delay:250ms, search"')
    expect(html).toContain('Lovelace, Ada (Countess)')
    expect(html).toContain('Grade 12')
    expect(html).toContain('Staff')
    expect(html).toContain('Xss&amp;Co, &lt;b&gt;Bold&lt;/b&gt;')
    expect(html).not.toContain('<b>Bold</b>')
    expect(html).not.toContain('Hidden')
  })
  test('student ids in results: for staff only', async () => {
    const q = '/search?q=grade:12'
    expect(await (await get(q, 'quinn')).text()).not.toContain('1234567')
    expect(await (await get(q, 'tess')).text()).toContain('ID 1234567')
  })
  test('no query: the form alone', async () => {
    const r = await get('/search')
    expect(r.status).toBe(200)
    const html = await r.text()
    expect(html).toContain('<div id="search-results"></div>')
    expect(html).toContain('>Directory</a>') // the nav item
  })
  test('restricted accounts may not search (page or API)', async () => {
    expect((await get('/search?q=ada', 'alum')).status).toBe(403)
    expect((await get('/api/search/ada', 'alum')).status).toBe(403)
    expect((await env.app.handle(req('/search?q=ada'))).status).toBe(303) // anonymous → login
  })
})

describe('/api/search/<query>', () => {
  test('Ion’s rows: students with grade, others without; url → /api/profile/<id>; + is a space', async () => {
    const r = await get('/api/search/ada+lovelace+OR+hopper')
    const body = await r.json()
    expect(body.count).toBe(2)
    expect(body.next).toBeNull()
    expect(body.previous).toBeNull()
    expect(body.results).toEqual([
      { id: u.ada.id, url: `http://localhost:3000/api/profile/${u.ada.id}`, user_type: 'student', username: 'alovelace', full_name: 'Ada Lovelace', first_name: 'Ada', last_name: 'Lovelace', grade: { number: 12, name: 'senior' } },
      { id: u.grace.id, url: `http://localhost:3000/api/profile/${u.grace.id}`, user_type: 'teacher', username: 'ghopper', full_name: 'Grace Hopper', first_name: 'Grace', last_name: 'Hopper' },
    ])
  })
  test('pages of 50 ordered by id, with absolute next/previous; past the end is 404', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ username: `pager${i}`, userType: 'student', firstName: 'Pat', lastName: 'Pager', graduationYear: 2028 }))
    await env.sql`INSERT INTO users ${env.sql(rows)}`
    const one = await (await get('/api/search/last:pager')).json()
    expect(one.count).toBe(60)
    expect(one.results).toHaveLength(50)
    expect(one.next).toBe('http://localhost:3000/api/search/last:pager?page=2')
    const ids = one.results.map((x: { id: number }) => x.id)
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b))
    const two = await (await get('/api/search/last:pager?page=2')).json()
    expect(two.results).toHaveLength(10)
    expect(two.previous).toBe('http://localhost:3000/api/search/last:pager')
    expect(two.results[0].id).toBeGreaterThan(ids[49])
    expect((await get('/api/search/last:pager?page=3')).status).toBe(404)
  })
})

describe('latency over a school of 2,200', () => {
  // Last in the file: the same database, now filled with a whole school.
  let big: TestEnv
  let teacher: string
  beforeAll(async () => {
    big = env
    await bulkPeople(big.sql, 2000, 200, 2027)
    teacher = cookie.tess!
  }, 60_000)

  test('each query answers in a few milliseconds (median and p95 printed)', async () => {
    const queries = ['smith', 'ann', 'olivia', 'li', 'lee OR li', 'grade:12 sex:female', 'first:an*a last:s', 'email:smith', '5001234', 'zzzz']
    const RUNS = 40
    const stats = async (f: () => Promise<unknown>) => {
      const times: number[] = []
      for (let i = 0; i < RUNS + 5; i++) {
        const t0 = performance.now()
        await f()
        if (i >= 5) times.push(performance.now() - t0) // 5 warm-up runs
      }
      times.sort((a, b) => a - b)
      return { median: times[Math.floor(RUNS / 2)]!, p95: times[Math.ceil(RUNS * 0.95) - 1]! }
    }
    const ms = (x: number) => x.toFixed(2).padStart(6)
    const total = (await big.sql`SELECT count(*)::int AS n FROM users`)[0]!.n as number
    const lines: string[] = []
    const ctx = { today: big.clock.today(), turnoverMonth: big.config.yearTurnoverMonth, staff: true }
    for (const text of queries) {
      const q = parseQuery(text, ctx)
      const found = (await peopleByName(big.sql, q, PAGE_LIMIT))[0]?.total ?? 0
      const db = await stats(() => peopleByName(big.sql, q, PAGE_LIMIT))
      const path = `/search?q=${encodeURIComponent(text)}`
      const page = await stats(async () => { await (await big.app.handle(req(path, { cookie: teacher }))).text() })
      lines.push(`${text.padEnd(20)} ${String(found).padStart(4)} found   SQL median ${ms(db.median)} p95 ${ms(db.p95)} ms   whole request median ${ms(page.median)} p95 ${ms(page.p95)} ms`)
      expect(page.median).toBeLessThan(50)
    }
    console.log(`directory search over ${total} users, server-side, ${RUNS} runs each (whole request = app.handle: session, viewer, people + activities, HTML):\n  ${lines.join('\n  ')}`)
  }, 60_000)
})
