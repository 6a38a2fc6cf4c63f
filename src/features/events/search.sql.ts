import type { Db } from '../../platform/db.ts'
import { listable, type Scope } from './events.sql.ts'

// Event hits for the directory search (Ion's do_events_search, plus its visibility rule): approved
// events the viewer may see, starting in [from, to) (this school year), where every word of one
// branch appears in the title or the description's text (tags and entities are not text, so
// "strong", "href" or "amp" do not match every event); branches are a union. One statement,
// whatever the number of words.

export type EventHit = { id: number; title: string; description: string; location: string; startsAt: Date; endsAt: Date | null }

const MAX_BRANCHES = 8
const MAX_WORDS = 12

/** The description's text: tags dropped and the entities the sanitizer writes decoded (&amp; last). */
const TEXT_OF_DESCRIPTION = (db: Db) => db`replace(replace(replace(replace(replace(replace(
  regexp_replace(e.description, '<[^>]*>', ' ', 'g'), '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&nbsp;', ' '), '&amp;', '&')`

/** A case-insensitive "contains" pattern: the word's own %, _ and \ match themselves. */
const contains = (w: string) => '%' + w.replace(/[\\%_]/g, (ch) => '\\' + ch) + '%'

export async function searchEvents(db: Db, s: Scope, branches: string[][], from: Date, to: Date, limit: number): Promise<EventHit[]> {
  const usable = branches.map((ws) => ws.slice(0, MAX_WORDS)).filter((ws) => ws.length).slice(0, MAX_BRANCHES)
  if (!usable.length) return []
  const word = (w: string) => db`(e.title ILIKE ${contains(w)} OR d.text ILIKE ${contains(w)})`
  const branch = (ws: string[]) => ws.map(word).reduce((x, y) => db`${x} AND ${y}`)
  const where = usable.map(branch).reduce((x, y) => db`(${x}) OR (${y})`)
  return db<EventHit[]>`
    SELECT e.id, e.title, e.description, e.location, e.starts_at, e.ends_at
    FROM events e CROSS JOIN LATERAL (SELECT ${TEXT_OF_DESCRIPTION(db)} AS text) d
    WHERE ${listable(db, s)} AND e.starts_at >= ${from} AND e.starts_at < ${to} AND (${where})
    ORDER BY e.starts_at, e.id LIMIT ${limit}`
}
