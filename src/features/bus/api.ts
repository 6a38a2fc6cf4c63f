import { Elysia, t } from 'elysia'
import { json, paged } from '../../platform/api.ts'
import type { Base, Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { canUseApi } from '../users/api-access.sql.ts'
import { routeById, routesPage } from './bus.sql.ts'

// GET /api/bus and /api/bus/<id> (ion-apps.md §12, §19): Ion's route objects
// {id, route_name, bus_number, space, status}; the list is paged 50 at a time like every Ion list.

const PER_PAGE = 50
const fail = (status: number, detail: string) => json({ detail, details: [detail] }, status)

/** Ion's API users: signed in, not restricted (the route's policy), with API access — or a token. */
async function refusal(deps: Deps, viewer: Viewer): Promise<Response | null> {
  if (viewer.via === 'token' || (await canUseApi(deps.sql, viewer.id))) return null
  return fail(403, 'You do not have permission to perform this action.')
}

export function busApiRoutes(base: Base) {
  return new Elysia({ name: 'bus-api' })
    .use(base)
    .get('/api/bus', async ({ deps, viewer, query, request }) => {
      const refused = await refusal(deps, viewer)
      if (refused) return refused
      const p = query.page ?? '1'
      if (!/^\d{1,6}$/.test(p) || Number(p) < 1) return fail(404, 'Invalid page.')
      const n = Number(p)
      const { total, routes } = await routesPage(deps.sql, PER_PAGE, (n - 1) * PER_PAGE)
      if (routes.length === 0 && n > 1) return fail(404, 'Invalid page.')
      return json(paged(request.url, deps.config.baseUrl, n, PER_PAGE, total, routes))
    }, { policy: 'member', query: t.Object({ page: t.Optional(t.String({ maxLength: 12 })), format: t.Optional(t.String({ maxLength: 10 })) }) })
    .get('/api/bus/:id', async ({ deps, viewer, params }) => {
      const refused = await refusal(deps, viewer)
      if (refused) return refused
      const route = /^\d{1,9}$/.test(params.id) ? await routeById(deps.sql, Number(params.id)) : null
      return route ? json(route) : fail(404, 'Not found.')
    }, { policy: 'member', params: t.Object({ id: t.String({ maxLength: 20 }) }), query: t.Object({ format: t.Optional(t.String({ maxLength: 10 })) }) })
}
