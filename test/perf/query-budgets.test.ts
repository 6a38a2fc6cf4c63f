import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req } from '../helpers/app.ts'
import { listen } from '../helpers/browser.ts'
import { client } from '../bus/helpers.ts'
import { COALESCE_MS } from '../../src/features/eighth/live-seats.tsx'
import { school, type School } from './school-fixture.ts'

// Query budgets (issue 10, item 3; DESIGN §7): every hot route sends at most its declared number of
// SQL statements, and the SAME number in a school 8 times larger (activities, students, signups,
// announcements, events, search hits, bus routes: school-fixture.ts). Counts are whole requests,
// the statement that loads the signed-in viewer included; connection setup is not counted
// (test/helpers/statements.ts). `SHOW_SQL=1` prints each request's statements.
setDefaultTimeout(120_000)

const BUDGET = {
  // Eighth period. "cold": the first request after the block's activity list changed (the list is
  // read again); "warm": the next one. The signup page's and the block API's budgets are issue 5's
  // (6 + the viewer, 6 in all): both are being cached now, so they stay below.
  signupPage: 7, // GET /eighth/signup/<block>, cold
  signupPageWarm: 7,
  blockApi: 6, // GET /api/blocks/<block>, cold
  blockApiWarm: 6,
  signupPost: 11, // POST /eighth/signup (htmx; cold): sign up in one transaction, then the row is redrawn
  signupSwitch: 12, // the same, moving to another activity of the block
  signupPostApi: 12, // POST /api/signups/user {scheduled_activity}
  // Everything else.
  dashboard: 6, // GET / (a student: eighth, schedule and who widgets, the feed with events, warnings); 4 once the day's schedule and warnings are cached (the feed's posts, club box and approval counts are one statement)
  search: 5, // GET /search?q=budget (people, activities, events)
  profileSelf: 4, // GET /profile (a student)
  profileStudent: 6, // GET /profile/<student> by a teacher (upcoming signups, groups, emails, counselor)
  profileSponsor: 4, // GET /profile/<teacher> (sponsored activities)
  apiProfile: 6, // GET /api/profile/<student>
  busPage: 5, // GET /bus/afternoon (a rider; the day's bell schedule, cached after the first)
  busApi: 3, // GET /api/bus (the first page of routes, and how many there are)
  busSnapshot: 7, // WebSocket /bus/ws: the upgrade's viewer and the snapshot sent when it opens
} as const
type Route = keyof typeof BUDGET

const SMALL = 1
const LARGE = 8
let small: School, large: School
const counts: Partial<Record<Route, [number, number][]>> = {}

beforeAll(async () => {
  ;[small, large] = [await school(SMALL), await school(LARGE)]
})
afterAll(async () => {
  await small?.close()
  await large?.close()
})

type Measure = (s: School) => Promise<{ n: number; status: number; body: string }>

const get = (path: (s: School) => string, who: (s: School) => string): Measure =>
  (s) => s.counter.request(s.app, req(path(s), { cookie: who(s) }))

const form = (path: string, fields: (s: School) => Record<string, string>, who: (s: School) => string): Measure =>
  (s) => s.counter.request(s.app, req(path, { form: fields(s), cookie: who(s), htmx: true }))

const json = (path: string, body: (s: School) => unknown, who: (s: School) => string): Measure =>
  (s) => s.counter.request(s.app, req(path, { method: 'POST', body: JSON.stringify(body(s)), headers: { 'content-type': 'application/json' }, cookie: who(s) }))

const student = (s: School) => s.student.cookie
const teacher = (s: School) => s.teacher.cookie

/**
 * Measures a route in both schools, twice unless it changes something (`once`): the first request
 * may fill a cache (the day's bell schedule, a block's activity list) that the second one uses.
 * Every count is within the route's budget and the same in the larger school.
 */
async function holds(route: Route, measure: Measure, status: number, check?: (body: string, s: School) => void, once = false) {
  const rounds: [number, number][] = []
  for (let i = 0; i < (once ? 1 : 2); i++) {
    const n: number[] = []
    for (const s of [small, large]) {
      const r = await measure(s)
      expect([route, s.k, r.status]).toEqual([route, s.k, status])
      check?.(r.body, s)
      n.push(r.n)
    }
    rounds.push([n[0]!, n[1]!])
  }
  counts[route] = rounds
  for (const [a, b] of rounds) {
    expect([route, b]).toEqual([route, a])
    expect([route, a <= BUDGET[route]]).toEqual([route, true])
  }
}

describe('statement budgets, the same for a school 8x larger', () => {
  /** A change to the block's activity list (a description): whatever is cached of the list is stale. */
  const changeList = (s: School) => s.db.sql`UPDATE eighth_activities SET description = description || '.' WHERE id = ${s.open[1]!.aid}`
  const cold = (m: Measure): Measure => async (s) => { await changeList(s); return m(s) }

  test('the signup page and the block API, cold and warm', async () => {
    const page = get((s) => `/eighth/signup/${s.block}`, student)
    const api = get((s) => `/api/blocks/${s.block}`, student)
    const all = (html: string, s: School) => expect(html).toContain(`Budget activity ${10 * s.k - 1}`)
    const activities = (body: string, s: School) => expect(Object.keys(JSON.parse(body).activities).length).toBe(10 * s.k + 2)
    await holds('signupPage', cold(page), 200, all)
    await holds('signupPageWarm', page, 200, all)
    await holds('blockApi', cold(api), 200, activities)
    await holds('blockApiWarm', api, 200, activities)
  })

  test('signing up: the HTML contract (htmx), a switch, and the API', async () => {
    // The live seat counts go out once per block per COALESCE_MS, whatever the number of signups
    // (one statement, not the request's): each signup lets that one go before anything else is counted.
    const settled = (m: Measure): Measure => async (s) => { const r = await m(s); await Bun.sleep(COALESCE_MS + 150); return r }
    const signup = (i: number, j: number) => settled(cold(form('/eighth/signup', (s) => ({ uid: String(s.signers[i]!.id), bid: String(s.block), aid: String(s.open[j]!.aid) }), (s) => s.signers[i]!.cookie)))
    await holds('signupPost', signup(0, 0), 200, undefined, true)
    await holds('signupSwitch', signup(0, 1), 200, undefined, true)
    await holds('signupPostApi', settled(cold(json('/api/signups/user', (s) => ({ scheduled_activity: s.open[0]!.sid }), (s) => s.signers[1]!.cookie))), 201, undefined, true)
    for (const s of [small, large]) {
      const rows = await s.db.sql<{ userId: number; scheduledActivityId: number }[]>`
        SELECT user_id, scheduled_activity_id FROM eighth_signups WHERE user_id IN ${s.db.sql([s.signers[0]!.id, s.signers[1]!.id])} ORDER BY user_id`
      expect([...rows]).toEqual([{ userId: s.signers[0]!.id, scheduledActivityId: s.open[1]!.sid }, { userId: s.signers[1]!.id, scheduledActivityId: s.open[0]!.sid }])
    }
  })

  test('the dashboard', () => holds('dashboard', get(() => '/', student), 200, (html) => expect(html).toContain('Budget news')))

  test('the directory search', () => holds('search', get(() => '/search?q=budget', teacher), 200, (html, s) =>
    expect(html).toContain(`Budget${6 * s.k - 1}`)))

  test('profiles: one’s own, a student’s, a sponsor’s, and the API', async () => {
    await holds('profileSelf', get(() => '/profile', student), 200)
    await holds('profileStudent', get((s) => `/profile/${s.student.id}`, teacher), 200, (html) => expect(html).toContain('Budget activity'))
    await holds('profileSponsor', get((s) => `/profile/${s.teacher.id}`, student), 200)
    await holds('apiProfile', get((s) => `/api/profile/${s.student.id}`, teacher), 200, (body, s) => expect(JSON.parse(body).id).toBe(s.student.id))
  })

  test('the bus board page and the WebSocket snapshot', async () => {
    await holds('busPage', get(() => '/bus/afternoon', student), 200, (html) => expect(html).toContain('JT-1'))
    await holds('busApi', get(() => '/api/bus', student), 200, (body, s) => expect(JSON.parse(body).count).toBe(60 * s.k))
    await holds('busSnapshot', async (s) => {
      const server = await listen(s.app)
      try {
        const url = server.url('/bus/ws').replace('http', 'ws')
        const { value, n } = await s.counter.during(async () => {
          const c = await client(url, { cookie: s.student.cookie, origin: server.base })
          const first = await c.json()
          c.ws.close()
          return first
        })
        expect((value.allRoutes as unknown[]).length).toBe(60 * s.k)
        expect(value.userRouteName).toBe('JT-1')
        return { n, status: 101, body: '' } // 101 Switching Protocols: the socket opened
      } finally {
        await server.stop()
      }
    }, 101)
  })
})

afterAll(() => {
  const lines = Object.entries(counts).map(([r, rounds]) =>
    `${r.padEnd(15)} ${rounds!.map(([a, b]) => `${String(a).padStart(2)} / ${String(b).padStart(2)}`).join(', then ').padEnd(20)} (budget ${BUDGET[r as Route]})`)
  console.log(`statements per request, school x${SMALL} / x${LARGE} (a second request where it changes nothing):\n${lines.join('\n')}`)
})
