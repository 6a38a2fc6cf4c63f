import { Elysia } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base, Deps } from '../../platform/http.ts'
import { errorAlert, isPartial, page } from '../../platform/html/page.tsx'
import { Redirect } from '../../platform/redirect.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { readFlash, storeFlash } from './flash.ts'
import { runContract, type ContractOutcome } from './signup-actions.ts'
import { callerOf, field, ionAnswer, parseContract, type Caller } from './signup-contract.ts'
import { isEighthAdmin, loadModel, loadSignupPage } from './signup-page.ts'
import { htmxAnswer } from './views/signup-answer.tsx'
import { ActivityList, SignupPage } from './views/signup-page.tsx'

// /eighth/signup[/<block>]: the page (GET) and Ion's HTML signup contract (POST).
// Thin handlers: parse → authorize (policy + the service's rules) → service → render.

type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  query: Record<string, unknown>
  params?: Record<string, string | undefined>
  body?: unknown
  set: { headers: Record<string, unknown>; status?: number | string }
}

const VARY = 'HX-Request, HX-Request-Type'
const q1 = (v: unknown) => field({ v }, 'v')

async function showPage(c: Ctx) {
  const blockParam = q1(c.query.block)
  if (blockParam !== undefined) {
    // Ion: ?block=X → 302 to /eighth/signup/X, keeping ?user=.
    if (!/^\d{1,9}$/.test(blockParam)) throw new HttpError(404, 'That block does not exist.')
    const user = q1(c.query.user)
    const to = `/eighth/signup/${blockParam}${user !== undefined ? `?user=${encodeURIComponent(user)}` : ''}`
    return new Response(null, { status: 302, headers: { location: to } })
  }
  const res = await loadSignupPage(c.deps, c.viewer, { block: c.params?.block, user: q1(c.query.user), q: (q1(c.query.q) ?? '').slice(0, 200) })
  if (res.kind === 'redirect') throw new Redirect(res.to)
  if (res.kind === 'notFound') throw new HttpError(404, res.message)
  c.set.headers['vary'] = VARY
  // The only partial GET of this page is the search: answer the list alone.
  if (isPartial(c.request) && res.model.block) return (<ActivityList m={res.model} />) as string
  const flash = await readFlash(c.deps.redis, c.viewer.id, q1(c.query.flash))
  return page(c, 'Eighth period signup', <SignupPage m={res.model} flash={flash} />, { scripts: ['hx-ws.js'] })
}

function backTo(viewer: Viewer, uid: number | null, bid: number | null): string {
  const path = bid === null ? '/eighth/signup' : `/eighth/signup/${bid}`
  return uid !== null && uid !== viewer.id ? `${path}?user=${uid}` : path
}

/** A no-JavaScript form post: 303 back to the page, the message kept for it in Redis. */
async function browserAnswer(c: Ctx, uid: number | null, bid: number | null, ok: boolean, messages: string[]): Promise<Response> {
  const token = await storeFlash(c.deps.redis, c.viewer.id, { kind: ok ? 'ok' : 'error', messages })
  const to = backTo(c.viewer, uid, bid)
  return new Response(null, { status: 303, headers: { location: `${to}${to.includes('?') ? '&' : '?'}flash=${token}` } })
}

/** An htmx request whose row cannot be drawn: the message goes to the page's message area. */
function htmxMessage(status: number, messages: string[]): Response {
  const html = status === 200
    ? messages.map((m) => (<p class="alert ok" role="status" safe>{m}</p>) as string).join('')
    : messages.map((m) => errorAlert(m)).join('')
  const headers = { 'content-type': 'text/html; charset=utf-8', vary: VARY, 'hx-retarget': '#messages', 'hx-reswap': 'innerHTML' }
  return new Response(html, { status, headers })
}

async function answer(c: Ctx, caller: Caller, uid: number, bid: number, out: ContractOutcome): Promise<Response> {
  if (caller === 'other') return ionAnswer(out.status, out.messages)
  if (caller === 'browser') return browserAnswer(c, uid, bid, out.status === 200, out.messages)
  // Only the student's own page (or the office's) is redrawn: another student's row would show
  // whose activity it is ("Your activity") to someone who may not see that schedule.
  if (out.status === 404 || (uid !== c.viewer.id && !isEighthAdmin(c.viewer))) return htmxMessage(out.status, out.messages)
  const model = await loadModel(c.deps, c.viewer, uid, bid, '')
  const html = typeof model === 'object' ? htmxAnswer(model, out) : null
  if (html === null) return htmxMessage(out.status, out.messages)
  // The list's one signup form has no target of its own: the answer names the row by its id.
  const headers = { 'content-type': 'text/html; charset=utf-8', vary: VARY, 'hx-retarget': `#sa-${out.schactId}`, 'hx-reswap': 'outerHTML' }
  return new Response(html, { status: out.status, headers })
}

async function signupPost(c: Ctx) {
  const caller = callerOf(c.request)
  const parsed = parseContract(c.body as Record<string, unknown> | null, c.query)
  if (!parsed.ok) {
    if (caller === 'other') return ionAnswer(400, [parsed.message])
    if (caller === 'browser') return browserAnswer(c, null, parsed.bid, false, [parsed.message])
    return htmxMessage(400, [parsed.message])
  }
  const out = await runContract(c.deps, c.viewer, parsed.input)
  return answer(c, caller, parsed.input.uid, parsed.input.bid, out)
}

export function signupRoutes(base: Base) {
  return new Elysia({ name: 'eighth-signup' })
    .use(base)
    .get('/eighth/signup', (c) => showPage(c as unknown as Ctx), { policy: 'member' })
    .get('/eighth/signup/:block', (c) => showPage(c as unknown as Ctx), { policy: 'member' })
    .post('/eighth/signup', (c) => signupPost(c as unknown as Ctx), { policy: 'member' })
    .post('/eighth/signup/:block', (c) => signupPost(c as unknown as Ctx), { policy: 'member' })
}
