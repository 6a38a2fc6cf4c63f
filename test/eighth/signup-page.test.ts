import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, addRoom, addSponsor, asStudent, schedule, signup } from '../helpers/eighth.ts'
import { setActivityUsers } from '../../src/features/eighth/catalog.sql.ts'

// The signup page (GET): default block, picker, badges, search, escaping, who may see it.
// The POST contract and favorites are in signup-contract.test.ts.
setDefaultTimeout(30_000)

let env: TestEnv
let stu: MadeUser, other: MadeUser, teacher: MadeUser, admin: MadeUser
let cStu: string, cTeacher: string, cAdmin: string
const ids: Record<string, number> = {}

beforeAll(async () => {
  env = await testEnv({ clock: '2026-11-30T14:00:00Z' }) // Mon 09:00 in New York
  const sql = env.sql
  stu = await makeUser(sql, { type: 'student', firstName: 'Ada', lastName: 'Lovelace' })
  other = await makeUser(sql, { type: 'student' })
  teacher = await makeUser(sql, { type: 'teacher' })
  admin = await makeUser(sql, { type: 'teacher', groups: ['admin_eighth'] })
  ;[cStu, cTeacher, cAdmin] = await Promise.all([login(env.app, stu), login(env.app, teacher), login(env.app, admin)])
  ids.past = await addBlock(sql, '2026-11-25', 'A')
  ids.a = await addBlock(sql, '2026-12-02', 'A')
  ids.b = await addBlock(sql, '2026-12-02', 'B')
  ids.locked = await addBlock(sql, '2026-12-04', 'A', true)
  const room = await addRoom(sql, '214', 20)
  const lib = await addRoom(sql, 'Library', 40)
  const smith = await addSponsor(sql, 'Smith', 'Jo')
  ids.chess = await addActivity(sql, 'Chess Club', { rooms: [room], sponsors: [smith], description: 'Boards provided' })
  // (No rooms and no default capacity is capacity 0, Ion's rule: so each activity gets one.)
  ids.robot = await addActivity(sql, 'Robotics', { rooms: [lib], defaultCapacity: 2 })
  ids.band = await addActivity(sql, 'Jazz Band', { restricted: true, sticky: true, defaultCapacity: 10 })
  ids.talk = await addActivity(sql, 'Guest Speaker', { special: true, presign: true, defaultCapacity: 10 })
  ids.mun = await addActivity(sql, 'Model UN', { bothBlocks: true, defaultCapacity: -1 })
  ids.office = await addActivity(sql, 'Office Duty', { administrative: true, defaultCapacity: 10 })
  ids.art = await addActivity(sql, 'Art Studio', { defaultCapacity: 10 })
  ids.xss = await addActivity(sql, '<script>alert(1)</script>', { description: '<img src=x onerror=alert(2)>', defaultCapacity: 10 })
  ids.gone = await addActivity(sql, 'Deleted Thing', { deleted: true })
  for (const k of ['chess', 'robot', 'band', 'talk', 'mun', 'office', 'xss', 'gone']) ids[`sa_${k}`] = await schedule(sql, ids.a, ids[k]!)
  ids.sa_art = await schedule(sql, ids.a, ids.art, { cancelled: true })
  await schedule(sql, ids.b, ids.mun)
  ids.sa_b_art = await schedule(sql, ids.b, ids.art, { cancelled: true })
  await setActivityUsers(sql, ids.robot, 'favorite', [stu.id])
  await signup(env.sql, env.clock, { userId: other.id, scheduledId: ids.sa_robot!, requester: asStudent(other.id) })
  await signup(env.sql, env.clock, { userId: stu.id, scheduledId: ids.sa_b_art!, requester: null, force: true })
})
afterAll(async () => { await env.close() })

const get = (path: string, cookie?: string, init: Parameters<typeof req>[1] = {}) => env.app.handle(req(path, { ...init, cookie }))
const text = async (path: string, cookie: string) => {
  const r = await get(path, cookie)
  expect(r.status).toBe(200)
  return r.text()
}
/** The list item of one scheduled activity. */
const rowOf = (html: string, sa: number) => {
  const start = html.indexOf(`<li id="sa-${sa}"`)
  if (start < 0) return null
  return html.slice(start, html.indexOf('</li>', start))
}

describe('the page', () => {
  test('defaults to the first upcoming block, with the picker, summary and live connection', async () => {
    const html = await text('/eighth/signup', cStu)
    expect(html).toContain('<h1 id="signup-title">Eighth period signup</h1>')
    expect(html).toContain('aria-label="Blocks"')
    expect(html).toContain(`<a href="/eighth/signup/${ids.a}" aria-current="page">`)
    expect(html).not.toContain(`id="pick-${ids.past}"`) // past blocks are not in the picker
    expect(html).toContain(`id="pick-${ids.locked}"`)
    expect(html).toMatch(new RegExp(`id="pick-${ids.b}"[^]*?Art Studio[^]*?Cancelled`))
    expect(html).toMatch(new RegExp(`id="pick-${ids.locked}"[^]*?Not signed up[^]*?Locked`))
    expect(html).toContain('You have not signed up for an activity yet.')
    expect(html).toContain(`hx-ws:connect="/eighth/live/${ids.a}"`)
    expect(html).toMatch(/<script src="\/public\/hx-ws\.js\?v=\w+" defer><\/script>/)
  })

  test('after 17:00 today\'s blocks stop being upcoming; with none left the latest block is shown', async () => {
    // (A session idles out after 2 hours: log in again at each moved time, never reuse cStu.)
    env.clock.set('2026-12-02T22:30:00Z') // Wed 17:30 in New York
    try {
      let html = await text('/eighth/signup', await login(env.app, stu))
      expect(html).toContain(`<a href="/eighth/signup/${ids.locked}" aria-current="page">`)
      env.clock.set('2026-12-10T15:00:00Z')
      html = await text('/eighth/signup', await login(env.app, stu))
      expect(html).toContain(`<a href="/eighth/signup/${ids.locked}" aria-current="page">`)
    } finally {
      env.clock.set('2026-11-30T14:00:00Z')
    }
  })

  test('favorites first, then specials, then the rest, alphabetical; admin-only and deleted activities hidden from students', async () => {
    const html = await text(`/eighth/signup/${ids.a}`, cStu)
    const order = [...html.matchAll(/<li id="sa-\d+"[^>]*><div>(?:<button [^]*?<\/button>)?<h3>([^<]*)</g)].map((m) => m[1])
    expect(order).toEqual(['Robotics', 'Guest Speaker', '&lt;script&gt;alert(1)&lt;/script&gt;', 'Art Studio', 'Chess Club', 'Jazz Band', 'Model UN'])
    expect(html).toContain('<h2 id="sec-favorites">Favorites</h2>')
    expect(html).not.toContain('Office Duty')
    expect(html).not.toContain('Deleted Thing')
    const forAdmin = await text(`/eighth/signup/${ids.a}?user=${stu.id}`, cAdmin)
    expect(rowOf(forAdmin, ids.sa_office!)).toContain('Administrative')
    expect(rowOf(forAdmin, ids.sa_band!)).toContain('Sticky') // admins see sticky; students only in it
  })

  test('flags as badges; the capacity bar and seats; the sign-up button named for the activity', async () => {
    const html = await text(`/eighth/signup/${ids.a}`, cStu)
    const band = rowOf(html, ids.sa_band!)!
    expect(band).toContain('Restricted for you')
    expect(band).not.toContain('Sticky') // shown only to its members and admins
    expect(rowOf(html, ids.sa_mun!)).toContain('Both blocks')
    expect(rowOf(html, ids.sa_talk!)).toContain('Special')
    expect(rowOf(html, ids.sa_talk!)).toContain('2 day')
    expect(html).toContain('Opens Monday, November 30 at 8:00 PM')
    expect(rowOf(html, ids.sa_art!)).toContain('Cancelled')
    const robot = rowOf(html, ids.sa_robot!)!
        expect(robot).toContain(`<span id="seats-${ids.sa_robot}"><i class="w50"></i>1 / 2 · 1 seat left</span>`)
    expect(rowOf(html, ids.sa_mun!)).toContain('0 signed up · Unlimited')
    expect(rowOf(html, ids.sa_chess!)).toContain('<dd>Rm. 214</dd>')
    expect(rowOf(html, ids.sa_chess!)).toContain('<dd>Smith</dd>')
    expect(html).toContain('aria-label="Sign up for Chess Club"')
    expect(html).toContain('aria-label="Favorite Robotics"')
    expect(html).toMatch(/aria-pressed="true" aria-label="Favorite Robotics"/)
    // No buttons where the student cannot sign up.
    expect(html).not.toContain('aria-label="Sign up for Jazz Band"')
    expect(html).not.toContain('aria-label="Sign up for Art Studio"')
    expect(html).not.toContain('aria-label="Sign up for Guest Speaker"')
  })

  test('a malicious activity name and description are escaped', async () => {
    const html = await text(`/eighth/signup/${ids.a}`, cStu)
    // Parsed like a browser: the only scripts are the page's own files, and there is no <img>.
    const scripts: (string | null)[] = []
    let imgs = 0
    await new HTMLRewriter()
      .on('script', { element: (e) => { scripts.push(e.getAttribute('src')) } })
      .on('img', { element: () => { imgs++ } })
      .transform(new Response(html)).text()
    expect(scripts.every((src) => src !== null && src.startsWith('/public/'))).toBe(true)
    expect(imgs).toBe(0)
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;')
  })

  test('search: an htmx partial gets the list alone; without JavaScript ?q= filters the page', async () => {
    const partial = await get(`/eighth/signup/${ids.a}?q=smith`, cStu, { htmx: true })
    expect(partial.status).toBe(200)
    expect(partial.headers.get('vary')).toContain('HX-Request')
    const frag = await partial.text()
    expect(frag).not.toContain('<html')
    expect(frag).toContain('Chess Club')
    expect(frag).not.toContain('Robotics')
    for (const [q, name] of [['library', 'Robotics'], ['BOARDS', 'Chess Club'], ['model un', 'Model UN']] as const) {
      const f = await (await get(`/eighth/signup/${ids.a}?q=${encodeURIComponent(q)}`, cStu, { htmx: true })).text()
      expect(f).toContain(name)
      expect([...f.matchAll(/<h3>/g)].length).toBe(1)
    }
    const none = await (await get(`/eighth/signup/${ids.a}?q=zzz`, cStu, { htmx: true })).text()
    expect(none).toContain('No activities match &quot;zzz&quot;.')
    const full = await text(`/eighth/signup/${ids.a}?q=chess`, cStu)
    expect(full).toContain('<html')
    expect(full).toContain('value="chess"')
    expect(full).toContain('Chess Club')
    expect(full).not.toContain('Robotics</h3>')
  })
})

describe('who and which block', () => {
  test('?block=X answers 302 to /eighth/signup/X and keeps ?user=', async () => {
    let r = await get(`/eighth/signup?block=${ids.b}`, cStu)
    expect(r.status).toBe(302)
    expect(r.headers.get('location')).toBe(`/eighth/signup/${ids.b}`)
    r = await get(`/eighth/signup?block=${ids.b}&user=${stu.id}`, cAdmin)
    expect(r.status).toBe(302)
    expect(r.headers.get('location')).toBe(`/eighth/signup/${ids.b}?user=${stu.id}`)
  })

  test('an unknown block is 404; a non-student non-admin goes to /; a restricted account is refused', async () => {
    expect((await get('/eighth/signup/999999', cStu)).status).toBe(404)
    expect((await get('/eighth/signup/abc', cStu)).status).toBe(404)
    const r = await get('/eighth/signup', cTeacher)
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toBe('/')
    const alum = await makeUser(env.sql, { type: 'alum' })
    expect((await get('/eighth/signup', await login(env.app, alum))).status).toBe(403)
    expect((await get('/eighth/signup')).status).toBe(303) // not signed in → login
  })

  test('an eighth admin acts for a student with ?user=; the ?user= of a student is ignored', async () => {
    const html = await text(`/eighth/signup/${ids.a}?user=${stu.id}`, cAdmin)
    expect(html).toContain('Eighth period signup for Ada Lovelace')
    expect(html).toContain(`<a href="/eighth/signup/${ids.b}?user=${stu.id}">`)
    expect(html).toContain(`name="uid" value="${stu.id}"`)
    expect(html).toContain('aria-label="Sign up for Jazz Band"') // admins may always try (and force)
    expect(html).not.toContain('aria-label="Favorite') // favorites are the viewer's own
    expect((await get('/eighth/signup?user=999999', cAdmin)).status).toBe(404)
    const own = await text(`/eighth/signup/${ids.a}?user=${other.id}`, cStu)
    expect(own).toContain(`name="uid" value="${stu.id}"`)
    expect(own).not.toContain(`name="uid" value="${other.id}"`)
  })
})

test('no blocks at all: an empty state', async () => {
  const empty = await testEnv()
  try {
    const s = await makeUser(empty.sql, { type: 'student' })
    const r = await empty.app.handle(req('/eighth/signup', { cookie: await login(empty.app, s) }))
    expect(r.status).toBe(200)
    expect(await r.text()).toContain('No eighth-period blocks have been scheduled yet.')
  } finally {
    await empty.close()
  }
})
