import { afterAll, beforeAll, expect, test } from 'bun:test'
import { ORIGIN, testEnv, type TestEnv } from '../helpers/app.ts'
import { listen } from '../helpers/browser.ts'
import { addPhoto, buildObjects, makeCast, restoreCast, ROLES, viewerOf, type Cast, type Objects, type Role } from './roles.ts'
import { allows, type Policy } from '../../src/platform/viewer.ts'

// The permissions matrix (issue 11, item 3): every route of `app.routes` × every role of roles.ts,
// one request each, compared with permissions.expected.txt. Regenerate with
//   UPDATE_PERMISSIONS=1 bun test test/security/permissions.test.ts
// and review every changed cell against the route's policy before checking it in.
//
// A request: the role's session cookie, a same-origin Origin, no htmx headers; path parameters
// are real ids from roles.ts (fillPath); a state-changing method sends an EMPTY form body, so a
// form route that lets the role in answers 422/400 without changing anything. A few routes check
// the object only after reading a field (PROBES): those get the one field that reaches the check.
// After a state-changing cell that succeeded, the objects, accounts and sessions are rebuilt.
//
// The rule, per response:
//   A (allow) 2xx; 3xx except the sign-in redirect; 400, 405, 409, 410, 422 (the policy let the
//             request through and the handler refused its input).
//   D (deny)  401; 403; the sign-in redirect (`/login?next=…`, what an unauthenticated request
//             gets; logout's own redirect to /login is a success); 404 (routes hide objects a
//             viewer may not reach by answering 404, and every fixture id here exists).
//   anything else (5xx, 429, …) fails the test outright.
// A WebSocket route (method WS, or a GET in SOCKETS) is opened against a listening server with the
// role's cookie: A when the socket opens.
// Besides the file, every cell the route's declared policy refuses must be D whatever the body:
// the policy is decided before the body, query and params are validated (http.ts, `transform`).

const EXPECTED = new URL('./permissions.expected.txt', import.meta.url).pathname
const UPDATE = process.env.UPDATE_PERMISSIONS === '1'
type Route = { method: string; path: string; policy: Policy | null }
type Row = { route: Route; cells: Record<Role, string>; statuses: Record<Role, string> }

let env: TestEnv
let cast: Cast
let objects: Objects
let built = 0
let server: Awaited<ReturnType<typeof listen>>
const rows: Row[] = []

beforeAll(async () => {
  env = await testEnv()
  cast = await makeCast(env)
  await addPhoto(env, cast.users.student.id)
  objects = await buildObjects(env, cast, built++)
  server = await listen(env.app)
  for (const route of routesOf(env)) rows.push(await measure(route))
}, 600_000)

afterAll(async () => {
  await server?.stop()
  await env?.close()
})

function routesOf(e: TestEnv): Route[] {
  const out: Route[] = e.app.routes.map((r) => {
    const hooks = (r.hooks ?? {}) as { beforeHandle?: { fn: { policy?: unknown } }[] | { fn: { policy?: unknown } } }
    const bh = Array.isArray(hooks.beforeHandle) ? hooks.beforeHandle : hooks.beforeHandle ? [hooks.beforeHandle] : []
    const declared = bh.map((h) => h?.fn?.policy).find((p): p is Policy => typeof p === 'string') ?? null
    return { method: r.method, path: r.path, policy: declared }
  })
  // Reads first, then what may change state (each followed by a rebuild when it did change something).
  return [...out.filter((r) => r.method === 'GET'), ...out.filter((r) => r.method !== 'GET')]
}

/** Path parameters → real ids (by name, with the prefixes where one name means different things). */
function fillPath(path: string): string {
  const o = objects
  const u = cast.users
  const byPrefix: [RegExp, number | string][] = [
    [/^\/tokens\//, o.token], [/^\/preferences\/emails\//, o.email], [/^\/admin\/users\//, cast.victim.id], [/^\/admin\/mail\//, o.mail],
    [/^\/admin\/jobs\//, 'mail.outbox-retention'], [/^\/public\//, 'app.css'], [/^\/api\/blocks\//, o.block], [/^\/api\/activities\//, o.activity],
    [/^\/api\/signups\/scheduled_activity\//, o.scheduled], [/^\/eighth\/attendance\//, o.scheduled], [/^\/eighth\/admin\/attendance\/csv\//, o.scheduled],
    [/^\/eighth\/admin\/blocks\//, o.block], [/^\/eighth\/admin\/activities\//, o.activity], [/^\/eighth\/admin\/rooms\//, o.room],
    [/^\/eighth\/admin\/sponsors\//, o.sponsorRow], [/^\/groups\//, o.group], [/^\/schedule\/daytype\//, o.dayType], [/^\/api\/bus\//, o.busRoute],
    [/^\/announcements\/(admin_)?approve\//, o.request], [/^\/announcements\/club\/modify\//, o.clubAnnouncement], [/^\/(api\/)?announcements\//, o.announcement],
    [/^\/polls\//, o.poll], [/^\/events\/(approve|reject)\//, o.pendingEvent], [/^\/events\//, o.event], [/^\/admin\/warnings\//, o.warning],
  ]
  const byName: Record<string, number | string> = {
    token: o.resetToken, groupId: o.group, key: u.student.id, block: o.block, uid: u.student.id, gid: o.group, said: o.scheduled,
    bid: o.block, aid: o.activity, year: 'senior', userId: u.student.id, query: 'Student', date: '2026-12-02',
    qid: o.question, cid: o.choice, file: 'public.ics',
  }
  return path.replace(/:(\w+)/g, (_, name: string) => {
    // An absence to clear and a pass to decide: the signup in the past, locked block.
    if (name === 'signup') return String(/^\/eighth\/(absences\/clear|attendance\/pass)\//.test(path) ? o.absence : o.signup)
    if (name in byName) return String(byName[name])
    const hit = byPrefix.find(([re]) => re.test(path))
    if (hit) return String(hit[1])
    if (name === 'id') return String(u.student.id) // /profile/:id, /profile/picture/:id, /bus/riders/:id
    throw new Error(`no fixture for :${name} in ${path}`)
  })
}

/** GET routes that only upgrade to a WebSocket (live.ts upgrades by hand; Elysia's .ws() routes say WS). */
const SOCKETS = new Set(['/eighth/live/:block', '/bus/ws'])

/**
 * The one field (or query) that carries a request past input parsing to the handler's object
 * check: without it these routes answer 404/422 to everyone and the cell would say nothing.
 */
const PROBES: Record<string, (o: Objects, c: Cast) => Record<string, string>> = {
  'POST /announcements/hide': (o) => ({ announcement_id: String(o.announcement) }),
  'POST /announcements/show': (o) => ({ announcement_id: String(o.announcement) }),
  'POST /events/hide': (o) => ({ event_id: String(o.event) }),
  'POST /events/show': (o) => ({ event_id: String(o.event) }),
  'POST /announcements/approve/:id': () => ({ decision: 'reject' }),
  'POST /announcements/club/add': (o) => ({ activity: String(o.activity), title: 'Club news', content: '<p>News.</p>' }),
  'POST /eighth/attendance/:id/toggle': (_, c) => ({ uid: String(c.users.student.id) }),
  'POST /eighth/attendance/pass/:signup': () => ({ status: 'reject' }),
  'GET /eighth/admin/activities/:id/candidates': () => ({ role: 'allowed', q: 'Student' }),
  'GET /eighth/activity/:aid/settings/candidates': () => ({ role: 'officer', q: 'Student' }),
  'POST /eighth/activity/:aid/settings/subscriptions': () => ({ enabled: 'on' }),
  'POST /eighth/activity/:aid/settings/people': (_, c) => ({ role: 'officer', op: 'add', user_id: String(c.users.student.id) }),
  'POST /groups': () => ({ name: `Group ${Math.random().toString(36).slice(2, 8)}` }),
  'POST /groups/:id/rename': () => ({ name: `Renamed ${Math.random().toString(36).slice(2, 8)}` }),
  'POST /groups/:id/visibility': () => ({ student_visible: 'off' }),
  'POST /groups/:id/members': (_, c) => ({ user_id: String(c.users.other.id) }),
}

async function measure(route: Route): Promise<Row> {
  const cells = {} as Record<Role, string>
  const statuses = {} as Record<Role, string>
  for (const role of ROLES) {
    const url = fillPath(route.path)
    if (route.method === 'WS' || (route.method === 'GET' && SOCKETS.has(route.path))) {
      const open = await opens(url, cast.cookies[role])
      cells[role] = open ? 'A' : 'D'
      statuses[role] = open ? 'open' : 'refused'
      continue
    }
    const headers = new Headers({ origin: ORIGIN })
    if (cast.cookies[role]) headers.set('cookie', cast.cookies[role]!)
    const hasBody = route.method !== 'GET' && route.method !== 'DELETE'
    if (hasBody) headers.set('content-type', 'application/x-www-form-urlencoded')
    const probe = new URLSearchParams(PROBES[keyOf(route)]?.(objects, cast) ?? {}).toString()
    const target = ORIGIN + url + (!hasBody && probe ? `?${probe}` : '')
    const res = await env.app.handle(new Request(target, { method: route.method, headers, body: hasBody ? probe : undefined }))
    const location = res.headers.get('location') ?? res.headers.get('hx-redirect') ?? ''
    cells[role] = classify(res.status, location)
    const shown = location.startsWith('/login?next=') ? '/login?next=…' : location.split('?')[0]
    statuses[role] = `${res.status}${location ? ' → ' + shown : ''}`
    await res.arrayBuffer()
    // Anything that may have changed state: fresh objects, accounts and sessions for the next cell.
    if ((route.method !== 'GET' && res.status < 400) || route.path === '/logout') {
      objects = await buildObjects(env, cast, built++)
      await restoreCast(env, cast)
    }
  }
  return { route, cells, statuses }
}

function classify(status: number, location: string): string {
  if (status >= 200 && status < 300) return 'A'
  if (status >= 300 && status < 400) return location.startsWith('/login?next=') ? 'D' : 'A'
  if (status === 401 || status === 403 || status === 404) return 'D'
  if ([400, 405, 409, 410, 422].includes(status)) return 'A'
  return `E${status}`
}

function opens(path: string, cookie: string | undefined): Promise<boolean> {
  const headers: Record<string, string> = { origin: server.base }
  if (cookie) headers.cookie = cookie
  const ws = new WebSocket(server.url(path).replace('http', 'ws'), { headers } as never)
  return new Promise((resolve) => {
    const done = (ok: boolean) => { clearTimeout(timer); ws.close(); resolve(ok) }
    const timer = setTimeout(() => done(false), 5000)
    ws.onopen = () => done(true)
    ws.onerror = () => done(false)
    ws.onclose = () => done(false)
  })
}

// ── the file ──────────────────────────────────────────────────────────────────────────────────

const keyOf = (r: { method: string; path: string }) => `${r.method} ${r.path}`

/** What a reader of the file needs to know to read some cells right (written into its header). */
const NOTES = [
  'Columns: see test/security/roles.ts. Staff roles are all of type teacher, so a staff column differs from',
  '`teacher` only by its permission group (admin = superuser + admin_all) or, for `sponsor`, by sponsoring the activity.',
  '`restricted` is an alum (restricted by type: user, alum, service). Objects belong to `student` and `sponsor`.',
  'POST /preferences/emails/:id/{remove,primary}: a viewer who does not own the address gets 422 "That address is',
  'not yours." and nothing changes (the statement is scoped to the viewer); the status rule reads that as A.',
]

function render(list: Row[]): string {
  const width = 7 + Math.max(...list.map((r) => r.route.path.length)) + 2
  const head = ['METHOD /path'.padEnd(width), ...ROLES.map((r) => r.padEnd(r.length + 1))].join('').trimEnd()
  const lines = list.map((r) =>
    [`${r.route.method.padEnd(7)}${r.route.path}`.padEnd(width), ...ROLES.map((role) => r.cells[role].padEnd(role.length + 1))].join('').trimEnd())
  return [
    '# Permissions matrix: A = allowed past the access checks, D = refused (401/403/404/redirect to /login).',
    '# Generated by UPDATE_PERMISSIONS=1 bun test test/security/permissions.test.ts; every cell reviewed by hand.',
    ...NOTES.map((n) => `# ${n}`),
    head, ...lines, '',
  ].join('\n')
}

function parse(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#') || line.startsWith('METHOD')) continue
    const parts = line.trim().split(/\s+/)
    out.set(`${parts[0]} ${parts[1]}`, parts.slice(2))
  }
  return out
}

test('every cell is A or D (no 5xx, no rate limit) and the matrix covers every role', () => {
  expect(rows.length).toBe(env.app.routes.length)
  const bad = rows.flatMap((r) => ROLES.filter((role) => !/^[AD]$/.test(r.cells[role])).map((role) => `${keyOf(r.route)} as ${role}: ${r.statuses[role]}`))
  expect(bad).toEqual([])
})

test('a role the declared policy refuses is refused, whatever it sent (policy before validation)', () => {
  const wrong: string[] = []
  for (const r of rows) {
    if (!r.route.policy) continue
    for (const role of ROLES) {
      if (!allows(r.route.policy, viewerOf(cast, role)) && r.cells[role] !== 'D') wrong.push(`${keyOf(r.route)} [${r.route.policy}] as ${role}: ${r.statuses[role]}`)
    }
  }
  expect(wrong).toEqual([])
})

test('the matrix matches permissions.expected.txt', async () => {
  const ordered = [...rows].sort((a, b) => env.app.routes.findIndex((x) => keyOf(x) === keyOf(a.route)) - env.app.routes.findIndex((x) => keyOf(x) === keyOf(b.route)))
  if (UPDATE) {
    await Bun.write(EXPECTED, render(ordered))
    // What each cell answered, for the review.
    for (const r of ordered) console.log(keyOf(r.route), `[${r.route.policy ?? 'open'}]`, ROLES.map((role) => `${role}=${r.statuses[role]}`).join('  '))
  }
  const expected = parse(await Bun.file(EXPECTED).text())
  const problems: string[] = []
  for (const r of ordered) {
    const want = expected.get(keyOf(r.route))
    if (!want) { problems.push(`missing from the file: ${keyOf(r.route)}`); continue }
    ROLES.forEach((role, i) => {
      if (want[i] !== r.cells[role]) problems.push(`${keyOf(r.route)} as ${role}: expected ${want[i]}, got ${r.cells[role]} (${r.statuses[role]})`)
    })
  }
  const live = new Set(rows.map((r) => keyOf(r.route)))
  for (const k of expected.keys()) if (!live.has(k)) problems.push(`in the file but no longer a route: ${k}`)
  expect(problems).toEqual([])
})
