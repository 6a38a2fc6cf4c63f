import { Elysia } from 'elysia'
import { HttpError } from '../../../platform/errors.ts'
import type { Base, Deps } from '../../../platform/http.ts'
import { page } from '../../../platform/html/page.tsx'
import type { Viewer } from '../../../platform/viewer.ts'
import { readFlash, storeFlash } from '../flash.ts'
import { callerOf, field } from '../signup-contract.ts'
import { clearAbsence, loadAbsences } from './absences.ts'
import { AbsencesPage } from './views/absences.tsx'

// /eighth/absences[/<uid>] (also ?user=<uid> for the office) and the office's "clear absence".

type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  query: Record<string, unknown>
  params?: Record<string, string | undefined>
  set: { headers: Record<string, unknown> }
}

const q1 = (v: unknown) => field({ v }, 'v')

async function show(c: Ctx) {
  const res = await loadAbsences(c.deps, c.viewer, c.params?.uid ?? q1(c.query.user))
  if (res.kind === 'forbidden') throw new HttpError(403, 'You may only view your own absences.')
  if (res.kind === 'notFound') throw new HttpError(404, 'That user does not exist.')
  const flash = await readFlash(c.deps.redis, c.viewer.id, q1(c.query.flash))
  return page(c, 'Eighth-period absences', <AbsencesPage m={res.model} flash={flash ? { kind: flash.kind, text: flash.messages.join(' ') } : null} />)
}

async function clear(c: Ctx) {
  const raw = c.params?.signup
  if (!raw || !/^\d{1,9}$/.test(raw)) throw new HttpError(404, 'That absence does not exist.')
  const out = await clearAbsence(c.deps, c.viewer, Number(raw))
  if (!out.ok) throw new HttpError(404, out.message)
  if (callerOf(c.request) === 'other') return new Response('Absence cleared.', { headers: { 'content-type': 'text/plain; charset=utf-8' } })
  const token = await storeFlash(c.deps.redis, c.viewer.id, { kind: 'ok', messages: ['Absence cleared.'] })
  return new Response(null, { status: 303, headers: { location: `/eighth/absences/${out.userId}?flash=${token}` } })
}

export function absenceRoutes(base: Base) {
  const h = (fn: (c: Ctx) => unknown) => (c: unknown) => fn(c as Ctx)
  return new Elysia({ name: 'eighth-absences' })
    .use(base)
    .get('/eighth/absences', h(show), { policy: 'member' })
    .get('/eighth/absences/:uid', h(show), { policy: 'member' })
    .post('/eighth/absences/clear/:signup', h(clear), { policy: 'admin_eighth' })
}
