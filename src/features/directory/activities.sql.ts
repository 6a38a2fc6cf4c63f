import type { Db } from '../../platform/db.ts'
import { likePattern } from './search.sql.ts'

// Activity hits for the directory search (Ion's do_activities_search): every word of a branch
// appears in the name or the description of a non-deleted activity; branches are a union.

export type ActivityHit = { id: number; name: string; description: string }

export async function activitiesMatching(db: Db, branches: string[][], limit: number): Promise<ActivityHit[]> {
  const usable = branches.map((ws) => ws.slice(0, 12)).filter((ws) => ws.length).slice(0, 8)
  if (!usable.length) return []
  const word = (w: string) => db`(lower(a.name) LIKE lower(${likePattern(w)}) OR lower(a.description) LIKE lower(${likePattern(w)}))`
  const branch = (ws: string[]) => ws.map(word).reduce((x, y) => db`${x} AND ${y}`)
  const where = usable.map(branch).reduce((x, y) => db`(${x}) OR (${y})`)
  return db<ActivityHit[]>`
    SELECT a.id, a.name, left(a.description, 200) AS description
    FROM eighth_activities a
    WHERE NOT a.deleted AND (${where})
    ORDER BY lower(a.name), a.id LIMIT ${limit}`
}
