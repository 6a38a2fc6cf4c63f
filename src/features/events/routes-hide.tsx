import { Elysia } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base } from '../../platform/http.ts'
import { isPartial, page } from '../../platform/html/page.tsx'
import { redirect, safeNext } from '../../platform/redirect.ts'
import { formOf, one } from './form.ts'
import { act, ctx, type Ctx } from './route-kit.ts'
import { NOT_FOUND, setHide } from './service.ts'
import { EventFeedCard } from './views/item.tsx'

// Ion's /events/hide and /events/show (POST event_id): collapse or expand an event's card in the
// viewer's dashboard feed. htmx gets the card back (it replaces itself); a plain form goes back to
// `next`; a client without `next` gets Ion's plain "Hidden" / "Unhidden". GET is 405, a missing,
// unknown or invisible id 404.

async function hideOrShow(c: Ctx, hidden: boolean) {
  const f = formOf(c.body)
  const raw = one(f, 'event_id')
  if (!/^\d{1,9}$/.test(raw)) throw new HttpError(404, NOT_FOUND)
  const r = await setHide(act(c), Number(raw), hidden)
  if (!r.ok) throw new HttpError(r.status, r.errors.join(' '))
  const next = one(f, 'next')
  if (isPartial(c.request)) return page(c, r.value.title, <EventFeedCard e={r.value} tz={c.deps.config.schoolTz} next={safeNext(next)} />)
  if (!next) return new Response(hidden ? 'Hidden' : 'Unhidden', { headers: { 'content-type': 'text/plain; charset=utf-8' } })
  return redirect(c.request, `${safeNext(next)}#event-${raw}`)
}

const notAllowed = () => {
  throw new HttpError(405, 'That action is not allowed here.', { allow: 'POST' })
}

export function eventHideRoutes(base: Base) {
  return new Elysia({ name: 'events-hide' })
    .use(base)
    .post('/events/hide', (c) => hideOrShow(ctx(c), true), { policy: 'member' })
    .post('/events/show', (c) => hideOrShow(ctx(c), false), { policy: 'member' })
    .get('/events/hide', notAllowed, { policy: 'member' })
    .get('/events/show', notAllowed, { policy: 'member' })
}
