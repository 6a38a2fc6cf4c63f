import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { addActivity, addBlock, schedule } from '../helpers/eighth.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addEvent, attend } from '../news/events-fixture.ts'

// Privacy (issue 11 item 4): viewer × flags × surface × field, each cell computed by looking for
// the field's distinctive value in the response, compared with the checked-in table
// privacy.expected.txt. `UPDATE_PRIVACY=1 bun test test/security/privacy.test.ts` rewrites it; then
// review every changed cell against Ion's rule (ion-apps.md §4): for another student a field
// shows only when BOTH the parent's and the student's own flag allow it; the owner, teachers,
// counselors, the eighth office and admins see past the flags; student ID, counselor and the
// school address are staff-only (the address also the owner's). The second test states that rule
// independently of the file, so a regenerated table cannot accept a leak.

const TABLE = new URL('./privacy.expected.txt', import.meta.url).pathname

let env: TestEnv
let tamsin: MadeUser
const ids: Record<string, number> = {}
const cookies: Record<string, string> = {}

const T = {
  first: 'Tamsin', last: 'Quillfeather', nick: 'Thistle', username: 'tq2029', sid: '7654321',
  school: 'tqf-mail@school.example.org', personal: 'tamsin.home@example.net', counselor: 'Hargreave',
  activity: 'Zeppelin Engineering', photo: 'PHOTO-BYTES-OF-TAMSIN', note: 'AdminNoteXyzzy', group: 'Quill Circle 77', route: 'JT-77',
}

/** Surfaces about the activity itself: its name is there anyway; her eighth period shows as her name on it. */
const ROSTERS = new Set(['api-roster', 'attendance', 'office-roster'])

/** The fields, each with how to see it in a response body. */
const FIELDS: [string, (body: string, surface: string) => boolean][] = [
  ['name', (b) => b.includes(T.last)],
  ['nick', (b) => b.includes(T.nick)],
  ['user', (b) => b.includes(T.username)],
  ['grade', (b) => /sophomore|grade 10\b|class of 2029|"graduation_year":2029/i.test(b)],
  ['email', (b) => b.includes(T.school)],
  ['personal', (b) => b.includes(T.personal)],
  ['sid', (b) => b.includes(T.sid)],
  ['counselor', (b) => b.includes(T.counselor)],
  ['photo', (b) => b.includes(T.photo) || new RegExp(`src="/profile/picture/${tamsin.id}"`).test(b)],
  ['eighth', (b, s) => b.includes(T.activity) && (!ROSTERS.has(s) || b.includes(T.last))],
  ['sex', (b) => /non-binary/i.test(b)],
  ['notes', (b) => b.includes(T.note)],
  ['groups', (b) => b.includes(T.group)],
  // Route names are public (the preferences form lists them all); the rider's own route is not.
  ['bus', (b) => b.includes(`Rides ${T.route}`)],
]

const VIEWERS = ['self', 'student', 'teacher', 'counselor', 'office', 'admin', 'alum'] as const
type ViewerName = (typeof VIEWERS)[number]

/** Parent and self flags, all three pairs (pictures, eighth, schedule) set alike. */
const FLAGS = { closed: [false, false], parent: [true, false], self: [false, true], open: [true, true] } as const
type FlagName = keyof typeof FLAGS

/** Each surface: where the target student's data may appear. */
const SURFACES = (): [string, string, Record<string, string>?][] => [
  ['profile', `/profile/${tamsin.id}`],
  ['api-profile', `/api/profile/${tamsin.id}`],
  ['picture', `/profile/picture/${tamsin.id}`],
  ['api-picture', `/api/profile/${tamsin.id}/picture`],
  ['search', `/search?q=${T.last}`, { 'hx-request': 'true', 'hx-request-type': 'partial' }],
  ['api-search', `/api/search/${T.last}`],
  ['eighth-profile', `/eighth/profile/${tamsin.id}`],
  ['api-signups', `/api/signups/user/${tamsin.id}`],
  ['api-roster', `/api/signups/scheduled_activity/${ids.sa}`],
  ['attendance', `/eighth/attendance/${ids.sa}`],
  ['office-roster', `/eighth/admin/rosters/${ids.block}`],
  ['event-roster', `/events/${ids.event}`],
  ['bus-riders', `/bus/riders?q=${T.username}`],
]

beforeAll(async () => {
  env = await testEnv({ config: { SCHOOL_EMAIL_DOMAINS: 'school.example.org' } }) // Monday 2026-11-30
  const sql = env.sql
  // Her counselor is not one of the viewers: a viewer's own name is in every page's header.
  const counselor = await makeUser(sql, { username: 'chargreave', type: 'counselor', firstName: 'Cyril', lastName: T.counselor })
  tamsin = await makeUser(sql, {
    username: T.username, firstName: T.first, lastName: T.last, nickname: T.nick, graduationYear: 2029, studentId: T.sid,
    counselorId: counselor.id, email: T.personal, groups: [T.group],
  })
  const [route] = await sql<{ id: number }[]>`INSERT INTO bus_routes (route_name, updated_at) VALUES (${T.route}, ${env.clock.now()}) RETURNING id`
  await sql`UPDATE users SET bus_route_id = ${route!.id} WHERE id = ${tamsin.id}`
  await sql`INSERT INTO emails (user_id, address, is_primary) VALUES (${tamsin.id}, ${T.school}, false)`
  await sql`UPDATE users SET gender = 'non-binary', admin_comments = ${T.note} WHERE id = ${tamsin.id}`
  const bytes = new TextEncoder().encode(T.photo)
  await sql`INSERT INTO photos (user_id, grade_number, bytes, content_type, etag, created_at)
            VALUES (${tamsin.id}, 10, ${bytes}, 'image/png', ${createHash('sha256').update(bytes).digest('hex')}, ${env.clock.now()})`

  const users: Record<ViewerName, MadeUser> = {
    self: tamsin,
    student: await makeUser(sql, { username: 'sother', firstName: 'Sam', lastName: 'Other', graduationYear: 2029 }),
    teacher: await makeUser(sql, { username: 'tteach', type: 'teacher', firstName: 'Tess', lastName: 'Teach' }),
    counselor: await makeUser(sql, { username: 'csmith', type: 'counselor', firstName: 'Cora', lastName: 'Smith' }),
    office: await makeUser(sql, { username: 'eoffice', type: 'simple_user', firstName: 'Eve', lastName: 'Office', groups: ['admin_eighth'] }),
    admin: await makeUser(sql, { username: 'aadmin', type: 'simple_user', firstName: 'Ada', lastName: 'Admin', groups: ['admin_all'] }),
    // A restricted account (alum): sees no one but itself.
    alum: await makeUser(sql, { username: 'otimer', type: 'alum', firstName: 'Old', lastName: 'Timer', graduationYear: 2020 }),
  }
  ids.block = await addBlock(sql, '2026-12-02', 'A')
  ids.sa = await schedule(sql, ids.block, await addActivity(sql, T.activity))
  await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${tamsin.id}, ${ids.block}, ${ids.sa}, ${env.clock.now()})`
  ids.event = await addEvent(sql, { title: 'Robotics open house', rsvp: true })
  await attend(sql, ids.event, [tamsin.id])
  for (const v of VIEWERS) cookies[v] = await login(env.app, users[v])
}, 60_000)
afterAll(async () => { await env?.close() })

async function setFlags(f: FlagName) {
  const [parent, self] = FLAGS[f]
  await env.sql`UPDATE users SET parent_show_pictures = ${parent}, self_show_pictures = ${self}, parent_show_eighth = ${parent},
                self_show_eighth = ${self}, parent_show_schedule = ${parent}, self_show_schedule = ${self} WHERE id = ${tamsin.id}`
}

const HEAD = ['viewer', 'flags', 'surface', 'status'].map((h, i) => h.padEnd([10, 7, 15, 6][i]!)).join(' ') + ' | ' + FIELDS.map(([f]) => f).join(' ')

function row(viewer: string, flags: string, surface: string, status: number, seen: boolean[]): string {
  const cells = FIELDS.map(([f], i) => (seen[i] ? 'Y' : '.').padEnd(f.length))
  return `${viewer.padEnd(10)} ${flags.padEnd(7)} ${surface.padEnd(15)} ${String(status).padEnd(6)} | ${cells.join(' ')}`.trimEnd()
}

type Cell = { viewer: ViewerName; flags: FlagName; surface: string; status: number; seen: Record<string, boolean> }
let cells: Cell[] = []

/** Computes the whole table: every viewer, flag setting and surface. */
async function measure(): Promise<Cell[]> {
  const out: Cell[] = []
  for (const flags of Object.keys(FLAGS) as FlagName[]) {
    await setFlags(flags)
    for (const viewer of VIEWERS) {
      for (const [surface, path, headers] of SURFACES()) {
        const r = await env.app.handle(req(path, { cookie: cookies[viewer], headers }))
        const body = await r.text()
        out.push({ viewer, flags, surface, status: r.status, seen: Object.fromEntries(FIELDS.map(([f, sees]) => [f, sees(body, surface)])) })
      }
    }
  }
  return out
}

const render = (cs: Cell[]) => [
  '# Privacy: what each viewer sees of a student, by the student\'s flags (parent/self for pictures, eighth, schedule).',
  '# Y = the field\'s distinctive value is in the response; . = it is not. Generated by privacy.test.ts (UPDATE_PRIVACY=1).',
  '# flags: closed = both off; parent = parent on, self off; self = self on, parent off; open = both on.',
  HEAD,
  ...cs.map((c) => row(c.viewer, c.flags, c.surface, c.status, FIELDS.map(([f]) => c.seen[f]!))),
].join('\n') + '\n'

describe('the privacy table', () => {
  beforeAll(async () => { cells = await measure() }, 120_000)

  test('matches privacy.expected.txt, cell by cell', async () => {
    const actual = render(cells)
    if (process.env.UPDATE_PRIVACY === '1') await Bun.write(TABLE, actual)
    const expected = await Bun.file(TABLE).text()
    const want = expected.split('\n')
    const diffs = actual.split('\n').flatMap((line, i) => (line === want[i] ? [] : [`line ${i + 1}:\n  expected ${want[i]}\n  actual   ${line}`]))
    expect(diffs).toEqual([])
    expect(want.length).toBe(actual.split('\n').length)
  })

  test('the rule, stated apart from the file: no cell leaks', () => {
    const staff = new Set<ViewerName>(['teacher', 'counselor', 'office', 'admin'])
    const leaks: string[] = []
    for (const c of cells) {
      const open = c.flags === 'open'
      const other = c.viewer === 'student'
      const hidden = (f: string, why: string) => { if (c.seen[f]) leaks.push(`${c.viewer}/${c.flags}/${c.surface}: ${f} (${why})`) }
      // Nobody's page shows the personal address or the office's notes about a student.
      hidden('personal', 'personal address is never shown')
      hidden('notes', 'admin comments are never shown')
      if (other) {
        for (const f of ['sid', 'counselor', 'email', 'groups', 'bus']) hidden(f, 'staff-only')
        if (!open) for (const f of ['photo', 'eighth']) hidden(f, 'needs parent AND self flag')
      }
      if (!staff.has(c.viewer) && c.viewer !== 'self') hidden('sid', 'staff-only')
      if (c.viewer === 'alum') for (const [f] of FIELDS) hidden(f, 'restricted accounts see only themselves')
    }
    expect(leaks).toEqual([])
  })

  test('the probes can see: staff see everything a flag hides, and the owner sees her own', () => {
    const seen = (v: ViewerName, flags: FlagName, surface: string) => cells.find((c) => c.viewer === v && c.flags === flags && c.surface === surface)!.seen
    for (const v of ['self', 'teacher', 'counselor', 'office', 'admin'] as const) {
      expect(seen(v, 'closed', 'profile')).toMatchObject({ name: true, photo: true, eighth: true })
      expect(seen(v, 'closed', 'picture').photo).toBe(true)
    }
    expect(seen('student', 'open', 'profile')).toMatchObject({ name: true, photo: true, eighth: true, sid: false })
    expect(seen('student', 'open', 'api-roster').name).toBe(true)
    expect(seen('student', 'open', 'event-roster').name).toBe(true)
    expect(seen('teacher', 'closed', 'profile')).toMatchObject({ sid: true, counselor: true, email: true })
  })
})
