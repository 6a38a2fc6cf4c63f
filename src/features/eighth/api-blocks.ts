import { Elysia } from 'elysia'
import { json, paged } from '../../platform/api.ts'
import type { Base } from '../../platform/http.ts'
import { activitiesPage, activityDetail, blockAndOverlay, blocksPage } from './api.sql.ts'
import { blockList, countsOf } from './block-list.ts'
import { apiRefusal, dateFilter, fail, jsonRaw, OBJECT_MISSING, pageMissing, pageParams, pathId, urls } from './api-common.ts'
import { activityPayload, blockDetail } from './api-payloads.ts'
import { formatOpening, presignOpensAt } from './effective.ts'

// GET /api/blocks[/<id>] and /api/activities[/<id>] (ion-eighth.md §4.2–§4.3).

export function eighthBlockApi(base: Base) {
  return new Elysia({ name: 'eighth-api-blocks' })
    .use(base)
    .get('/api/blocks', async ({ deps, viewer, query, request }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      const range = dateFilter(query, deps.clock.today(), deps.config.yearTurnoverMonth)
      if (range instanceof Response) return range
      const p = pageParams(query)
      if (p instanceof Response) return p
      const rows = await blocksPage(deps.sql, range, p.size, p.offset)
      if (pageMissing(p, rows.length)) return fail(404, 'Invalid page.')
      const u = urls(deps.config)
      const results = rows.map((b) => ({ id: b.id, url: u.block(b.id), date: b.date, block_letter: b.blockLetter, locked: b.locked }))
      return json(paged(request.url, deps.config.baseUrl, p.page, p.size, rows[0]?.total ?? 0, results))
    }, { policy: 'member' })

    .get('/api/blocks/:id', async ({ deps, viewer, params }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      const id = pathId(params.id)
      if (id === null) return fail(404, OBJECT_MISSING)
      // The block's live side and the viewer's in one statement; the shared list from the versioned cache (block-list.ts).
      const { live: block, overlay } = await blockAndOverlay(deps.sql, viewer.id, id)
      const list = block && await blockList(deps, id, block.version)
      if (!block || !list) return fail(404, OBJECT_MISSING)
      const tz = deps.config.schoolTz
      return jsonRaw(blockDetail(block, list, countsOf(block.countIds, block.countNs), {
        viewer, overlay, today: deps.clock.today(), turnoverMonth: deps.config.yearTurnoverMonth,
        presignTime: formatOpening(presignOpensAt(block.date, tz), tz), urls: urls(deps.config),
      }))
    }, { policy: 'member' })

    .get('/api/activities', async ({ deps, viewer, query, request }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      const p = pageParams(query)
      if (p instanceof Response) return p
      const rows = await activitiesPage(deps.sql, p.size, p.offset)
      if (pageMissing(p, rows.length)) return fail(404, 'Invalid page.')
      const u = urls(deps.config)
      const results = rows.map((a) => ({ id: a.id, url: u.activity(a.id), name: a.name }))
      return json(paged(request.url, deps.config.baseUrl, p.page, p.size, rows[0]?.total ?? 0, results))
    }, { policy: 'member' })

    .get('/api/activities/:id', async ({ deps, viewer, params }) => {
      const refused = await apiRefusal(deps, viewer)
      if (refused) return refused
      const id = pathId(params.id)
      const a = id === null ? null : await activityDetail(deps.sql, id)
      if (!a || a.deleted) return fail(404, OBJECT_MISSING)
      return jsonRaw(activityPayload(a, urls(deps.config)))
    }, { policy: 'member' })
}
