import { Elysia, t } from 'elysia'
import { json, pageNumber } from '../../platform/api.ts'
import type { Base } from '../../platform/http.ts'
import { isPartial, page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { canUseApi } from '../users/api-access.sql.ts'
import { apiSearch } from './api-search.ts'
import { seesPastPrivacy } from './privacy.ts'
import { runSearch } from './search.ts'
import { SearchPage, SearchResults, statusText } from './views/search.tsx'

// /search (the page, and its results alone for search-as-you-type) and /api/search/<query>.

const FORBIDDEN = 'You do not have permission to perform this action.'

export function searchRoutes(base: Base) {
  return new Elysia({ name: 'directory-search' })
    .use(base)
    .get('/search', async (c) => {
      const partial = isPartial(c.request)
      // Typing never navigates away; a submitted search may open the one profile it found.
      const out = await runSearch(c.deps, c.viewer, c.query.q, !partial)
      if (out.kind === 'profile') return redirect(c.request, `/profile/${out.id}`)
      const results = <SearchResults out={out} staffView={seesPastPrivacy(c.viewer)} oob={partial} />
      const title = out.kind === 'results' ? `${out.q} · Directory` : 'Directory'
      return page(c, title, partial ? results : <SearchPage q={out.kind === 'results' ? out.q : ''} status={statusText(out)}>{results}</SearchPage>)
    }, { policy: 'member', query: t.Object({ q: t.Optional(t.String({ maxLength: 1000 })) }) })

    .get('/api/search/:query', async ({ deps, viewer, params, query, request }) => {
      if (viewer.via !== 'token' && !(await canUseApi(deps.sql, viewer.id))) return json({ detail: FORBIDDEN, details: [FORBIDDEN] }, 403)
      const a = await apiSearch(deps, viewer, request.url, params.query, pageNumber(query.page))
      return json(a.body, a.status)
    }, {
      policy: 'member',
      params: t.Object({ query: t.String({ maxLength: 1000 }) }),
      query: t.Object({ page: t.Optional(t.String({ maxLength: 12 })), format: t.Optional(t.String({ maxLength: 10 })) }),
    })
}
