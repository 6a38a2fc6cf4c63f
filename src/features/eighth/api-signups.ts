import { Elysia } from 'elysia'
import { json } from '../../platform/api.ts'
import type { Base, Deps } from '../../platform/http.ts'
import { isEighthAdmin, type Viewer } from '../../platform/viewer.ts'
import { activityDetail } from './api.sql.ts'
import { eighthVisibility, favoritesOf, rosterOf, userSignups } from './api-signups.sql.ts'
import { toggleFavorite } from './favorites.sql.ts'
import { apiRefusal, bodyRecord, dateFilter, fail, intField, jsonRaw, OBJECT_MISSING, pathId, urls } from './api-common.ts'
import { activityPayload, rosterPayload, seesWholeRoster, signupItem } from './api-payloads.ts'
import { apiSignup } from './api-signup-post.ts'

// GET|POST /api/signups/user[/<uid>], GET|POST /api/signups/user/favorites and
// GET /api/signups/scheduled_activity/<id> (ion-eighth.md §4.2).

const FORBIDDEN = 'You do not have permission to perform this action.'

async function listSignups(deps: Deps, viewer: Viewer, uid: number, query: Record<string, string | undefined>): Promise<Response> {
  if (uid !== viewer.id) {
    const target = await eighthVisibility(deps.sql, uid)
    if (!target) return fail(404, OBJECT_MISSING)
    // Ion answers an empty list, not a 403, for a schedule that is not public.
    if (!target.isPublic && !seesWholeRoster(viewer)) return json([])
  }
  const range = dateFilter(query, deps.clock.today(), deps.config.yearTurnoverMonth, 'date')
  if (range instanceof Response) return range
  const u = urls(deps.config)
  return json((await userSignups(deps.sql, uid, range)).map((s) => signupItem(s, u)))
}

export function eighthSignupApi(base: Base) {
  return new Elysia({ name: 'eighth-api-signups' })
    .use(base)
    .get('/api/signups/user', async ({ deps, viewer, query }) => {
      return (await apiRefusal(deps, viewer)) ?? listSignups(deps, viewer, viewer.id, query)
    }, { policy: 'member' })

    .post('/api/signups/user', async ({ deps, viewer, body }) => {
      return (await apiRefusal(deps, viewer)) ?? apiSignup(deps, viewer, viewer.id, bodyRecord(body))
    }, { policy: 'member' })

    .get('/api/signups/user/favorites', async ({ deps, viewer }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      const u = urls(deps.config)
      return json((await favoritesOf(deps.sql, viewer.id)).map((a) => ({ id: a.id, url: u.activity(a.id), name: a.name })))
    }, { policy: 'member' })

    .post('/api/signups/user/favorites', async ({ deps, viewer, body }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      const f = intField(bodyRecord(body), 'activity')
      if (!f.ok) return fail(400, f.message)
      if (f.value === null) return fail(400, 'The activity field is required.')
      // The toggle the signup page uses (one statement under the user's row lock).
      const toggled = await toggleFavorite(deps.sql, viewer.id, f.value)
      const a = toggled.found ? await activityDetail(deps.sql, f.value) : null
      if (!a) return fail(400, `Invalid pk "${f.value}" - object does not exist.`)
      return jsonRaw(activityPayload(a, urls(deps.config)), 201)
    }, { policy: 'member' })

    .get('/api/signups/user/:uid', async ({ deps, viewer, params, query }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      const uid = pathId(params.uid)
      if (uid === null) return fail(404, OBJECT_MISSING)
      return listSignups(deps, viewer, uid, query)
    }, { policy: 'member' })

    .post('/api/signups/user/:uid', async ({ deps, viewer, params, body }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      // Signing up someone else (the office's pages build on this) needs an eighth admin.
      if (!isEighthAdmin(viewer)) return fail(403, FORBIDDEN)
      const uid = pathId(params.uid)
      if (uid === null) return fail(404, OBJECT_MISSING)
      return apiSignup(deps, viewer, uid, bodyRecord(body))
    }, { policy: 'member' })

    .get('/api/signups/scheduled_activity/:id', async ({ deps, viewer, params }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      const id = pathId(params.id)
      const r = id === null ? null : await rosterOf(deps.sql, id)
      if (!r) return fail(404, OBJECT_MISSING)
      return json(rosterPayload(r, viewer, urls(deps.config)))
    }, { policy: 'member' })
}
