import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { bannerFor, halfOf, searchRoutes, staleAt, type Half } from './board.ts'
import { lateAt } from './day-end.ts'
import { routeIdOf } from './riders.sql.ts'
import { readBoard } from './writes.ts'
import type { BoardPage } from './views/page.tsx'

// What a board page shows, for a viewer at a time: three small reads (routes, announcement, the
// viewer's route) and the end of the school day.

const NOTICES: Record<string, string> = {
  saved: 'Saved.',
  stale: 'The board had changed over to the other half of the day; nothing was saved. Here is the current board.',
  error: 'That change could not be saved (another bus may be in that space). Nothing changed.',
}

export async function boardPage(
  deps: Deps, viewer: Viewer | null, access: BoardPage['access'], view: Half | null, q: string, space: string | null, done: string | null,
): Promise<BoardPage> {
  const now = deps.clock.now()
  const { schoolTz: tz, busChangeoverHour: hour } = deps.config
  const current = halfOf(now, tz, hour)
  const [board, myRouteId, late] = await Promise.all([
    readBoard(deps.sql),
    viewer && access !== 'visitor' ? routeIdOf(deps.sql, viewer.id) : Promise.resolve(null),
    lateAt(deps, now),
  ])
  const myRoute = myRouteId === null ? null : board.routes.find((r) => r.id === myRouteId) ?? null
  const found = new Set(searchRoutes(board.routes, q).map((r) => r.id))
  return {
    view: view ?? current, current, access, board, myRoute,
    banner: bannerFor(access === 'visitor' ? null : viewer, myRoute, now, late),
    lateAt: late, staleAt: staleAt(now, tz, hour), q, found, space,
    notice: done ? NOTICES[done] ?? null : null,
  }
}
