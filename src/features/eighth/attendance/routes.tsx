import { Elysia } from 'elysia'
import { HttpError } from '../../../platform/errors.ts'
import type { Base, Deps } from '../../../platform/http.ts'
import { errorAlert, page } from '../../../platform/html/page.tsx'
import { Redirect, safeNext } from '../../../platform/redirect.ts'
import type { Viewer } from '../../../platform/viewer.ts'
import { gradeNumber } from '../../users/grade.ts'
import { readFlash, storeFlash } from '../flash.ts'
import { callerOf, field } from '../signup-contract.ts'
import { decidePass, loadRoster, markAllPresent, markOne, saveAttendance, takeCancelled, type Done, type Roster } from './attendance.ts'
import { loadChooser } from './chooser.ts'
import { acceptAllPasses, meetMessage, takeFromMeet, type UploadRefusal } from './meet.ts'
import { ChooserPage } from './views/chooser.tsx'
import { activityTitle, AttendanceBody, AttendancePage, AttendanceRow, AttendanceStatus, type RosterView } from './views/roster.tsx'

// /eighth/attendance: the wizard, the roster page, and the writes (a save of the whole form, one
// tap, "mark all present", pass decisions, the office's cancelled-activity attendance). Every
// write answers three callers: htmx (a fragment), a browser without JavaScript (303 back to the
// page with a message), and scripts (plain text).

type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  query: Record<string, unknown>
  params: Record<string, string | undefined>
  body?: unknown
  set: { headers: Record<string, unknown> }
}

const VARY = 'HX-Request, HX-Request-Type'
const q1 = (v: unknown) => field({ v }, 'v')

function idOf(raw: string | undefined): number {
  if (!raw || !/^\d{1,9}$/.test(raw)) throw new HttpError(404, 'That scheduled activity does not exist.')
  return Number(raw)
}

/** The `present` checkboxes: every value must be a user id. */
function presentIds(body: unknown): number[] {
  const v = (body as Record<string, unknown> | null)?.present
  const list = v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]
  if (list.some((x) => !/^\d{1,9}$/.test(x))) throw new HttpError(422, 'The list of students present was not understood.')
  return [...new Set(list.map(Number))]
}

function viewOf(c: Ctx, roster: Roster, message: RosterView['message'] = null): RosterView {
  const today = c.deps.clock.today()
  const grade = (gy: number | null) => {
    const n = gradeNumber(gy, today, c.deps.config.yearTurnoverMonth)
    return n >= 9 && n <= 12 ? `Grade ${n}` : ''
  }
  return { ...roster, grade, message }
}

async function roster(c: Ctx, id: number): Promise<Roster> {
  const r = await loadRoster(c.deps, c.viewer, id)
  if (!r.ok) throw new HttpError(r.status, r.message)
  return r.roster
}

async function showChooser(c: Ctx) {
  const res = await loadChooser(c.deps, c.viewer, { block: q1(c.query.block), all: q1(c.query.all) === '1' })
  if (res.kind === 'notFound') throw new HttpError(404, 'That block does not exist.')
  if (res.kind === 'redirect') throw new Redirect(res.to)
  return page(c, 'Take attendance', <ChooserPage m={res.model} today={c.deps.clock.today()} />)
}

async function showRoster(c: Ctx) {
  const id = idOf(c.params.id)
  const r = await roster(c, id)
  const flash = await readFlash(c.deps.redis, c.viewer.id, q1(c.query.flash))
  const message = flash ? { kind: flash.kind, text: flash.messages.join(' ') } : null
  return page(c, activityTitle(r.head), <AttendancePage v={viewOf(c, r, message)} />)
}

const html = (body: string, status = 200, extra: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8', vary: VARY, ...extra } })
const text = (body: string, status: number) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })

/** Answers a write: `okText` on success; `row` answers one tap with the student's row. */
async function respond(c: Ctx, id: number, out: Done | UploadRefusal, okText: string, row?: number, back?: string): Promise<Response> {
  const caller = callerOf(c.request)
  if (!out.ok) {
    if (caller === 'other') return text(out.message, out.status)
    if (caller === 'htmx') return html(errorAlert(out.message), out.status, { 'hx-retarget': '#messages', 'hx-reswap': 'innerHTML' })
    throw new HttpError(out.status, out.message)
  }
  if (caller === 'other') return text(okText, 200)
  if (caller === 'browser') {
    const token = await storeFlash(c.deps.redis, c.viewer.id, { kind: 'ok', messages: [okText] })
    const to = back ?? `/eighth/attendance/${id}`
    return new Response(null, { status: 303, headers: { location: `${to}${to.includes('?') ? '&' : '?'}flash=${token}` } })
  }
  const v = viewOf(c, await roster(c, id), row === undefined ? { kind: 'ok', text: okText } : null)
  const member = row === undefined ? undefined : v.members.find((m) => m.userId === row)
  if (!member) return html((<AttendanceBody v={v} />) as string)
  return html(((<AttendanceRow v={v} m={member} />) as string) + ((<AttendanceStatus v={v} oob />) as string))
}

const counts = (o: { present: number; absent: number }) => `Attendance saved: ${o.present} present, ${o.absent} absent.`

async function save(c: Ctx) {
  const id = idOf(c.params.id)
  const out = await saveAttendance(c.deps, c.viewer, id, presentIds(c.body))
  return respond(c, id, out, out.ok ? counts(out) : '')
}

async function allPresent(c: Ctx) {
  const id = idOf(c.params.id)
  const out = await markAllPresent(c.deps, c.viewer, id)
  return respond(c, id, out, out.ok ? counts(out) : '')
}

async function toggle(c: Ctx) {
  const id = idOf(c.params.id)
  const uid = field(c.body as Record<string, unknown> | null, 'uid')
  if (!uid || !/^\d{1,9}$/.test(uid)) throw new HttpError(422, 'Which student? (uid must be an integer)')
  const present = presentIds(c.body).includes(Number(uid))
  const out = await markOne(c.deps, c.viewer, id, Number(uid), present)
  return respond(c, id, out, present ? 'Marked present.' : 'Marked absent.', Number(uid))
}

async function cancelled(c: Ctx) {
  const id = idOf(c.params.id)
  const out = await takeCancelled(c.deps, c.viewer, id)
  return respond(c, id, out, out.ok ? `Attendance taken for the cancelled activity: ${out.absent} absent.` : '')
}

async function pass(c: Ctx) {
  const signupId = idOf(c.params.signup)
  const status = field(c.body as Record<string, unknown> | null, 'status')
  if (status !== 'accept' && status !== 'reject') throw new HttpError(422, 'status must be "accept" or "reject".')
  const out = await decidePass(c.deps, c.viewer, signupId, status === 'accept')
  // The office's passes report sends its own page back (`next`, a local path only).
  const next = field(c.body as Record<string, unknown> | null, 'next')
  const back = next === undefined ? undefined : safeNext(next, '/eighth/admin/passes')
  return respond(c, out.ok ? out.scheduledId : 0, out, status === 'accept' ? 'Pass accepted: marked present.' : 'Pass rejected: marked absent.', undefined, back)
}

/** A Google Meet attendance CSV: multipart `file`, or pasted `csv`. */
async function meet(c: Ctx) {
  const id = idOf(c.params.id)
  const body = (c.body && typeof c.body === 'object' ? c.body : {}) as Record<string, unknown>
  const out = await takeFromMeet(c.deps, c.viewer, id, body.file, typeof body.csv === 'string' ? body.csv : undefined)
  return respond(c, id, out, out.ok ? meetMessage(out) : '')
}

async function acceptAll(c: Ctx) {
  const id = idOf(c.params.id)
  const out = await acceptAllPasses(c.deps, c.viewer, id)
  return respond(c, id, out, out.ok ? (out.accepted ? `Accepted ${out.accepted} ${out.accepted === 1 ? 'pass' : 'passes'}: marked present.` : 'There were no passes to accept.') : '')
}

export function attendanceRoutes(base: Base) {
  const h = (fn: (c: Ctx) => unknown) => (c: unknown) => fn(c as Ctx)
  return new Elysia({ name: 'eighth-attendance' })
    .use(base)
    .get('/eighth/attendance', h(showChooser), { policy: 'attendance' })
    .get('/eighth/attendance/:id', h(showRoster), { policy: 'attendance' })
    .post('/eighth/attendance/:id', h(save), { policy: 'attendance' })
    .post('/eighth/attendance/:id/toggle', h(toggle), { policy: 'attendance' })
    .post('/eighth/attendance/:id/all-present', h(allPresent), { policy: 'attendance' })
    .post('/eighth/attendance/:id/meet', h(meet), { policy: 'attendance' })
    .post('/eighth/attendance/:id/accept-all-passes', h(acceptAll), { policy: 'attendance' })
    .post('/eighth/attendance/:id/cancelled', h(cancelled), { policy: 'admin_eighth' })
    .post('/eighth/attendance/pass/:signup', h(pass), { policy: 'attendance' })
}
