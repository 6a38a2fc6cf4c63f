import { Elysia } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { safeNext } from '../../platform/redirect.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { toggleFavorite } from './favorites.sql.ts'
import { callerOf, field } from './signup-contract.ts'
import { StarButton, starSelector } from './views/activity-row.tsx'

// POST /eighth/toggle_favorite (Ion's contract): `aid` an integer (else 400); 200 "Favorited
// activity." / "Unfavorited activity."; GET → 405. htmx gets the new star button, aimed at the
// activity's star (the list's one favourite form has no target of its own); a browser without
// JavaScript goes back to the page (303).

type Ctx = { deps: Deps; viewer: Viewer; request: Request; body?: unknown }

const text = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })

async function toggle(c: Ctx): Promise<Response> {
  const body = c.body as Record<string, unknown> | null
  const aid = field(body, 'aid')
  if (aid === undefined || !/^\d{1,9}$/.test(aid)) return text(400, 'aid must be an integer')
  const out = await toggleFavorite(c.deps.sql, c.viewer.id, Number(aid))
  if (!out.found) return text(404, 'That activity does not exist.')
  const caller = callerOf(c.request)
  const next = safeNext(field(body, 'next'), '/eighth/signup')
  if (caller === 'htmx') {
    const html = (<StarButton activityId={Number(aid)} name={out.name} favorite={out.favorited} />) as string
    const headers = { 'content-type': 'text/html; charset=utf-8', vary: 'HX-Request, HX-Request-Type', 'hx-retarget': starSelector(Number(aid)), 'hx-reswap': 'outerHTML' }
    return new Response(html, { headers })
  }
  if (caller === 'browser') return new Response(null, { status: 303, headers: { location: next } })
  return text(200, out.favorited ? 'Favorited activity.' : 'Unfavorited activity.')
}

export function favoriteRoutes(base: Base) {
  return new Elysia({ name: 'eighth-favorites' })
    .use(base)
    .post('/eighth/toggle_favorite', (c) => toggle(c as unknown as Ctx), { policy: 'member' })
}
