import type { Deps } from '../../platform/http.ts'
import { byOrder, type SearchHit } from '../../platform/registry.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { gradeLabel, listName } from './people.ts'
import { canSee, seesPastPrivacy } from './privacy.ts'
import { parseQuery, plainWords, studentIdQuery, type SearchQuery } from './query.ts'
import { idOfStudentId, peopleByName } from './search.sql.ts'

// /search: people by Ion's syntax, plus the registered sections (activities, later news).
// A 7-digit student id, or a single person with no section holding the page, opens the profile.

export const PAGE_LIMIT = 100

export type PersonRow = { id: number; name: string; username: string; label: string; studentId: string | null }
export type SectionResult = { id: string; title: string; hits: SearchHit[] }

export type SearchOutcome =
  | { kind: 'empty' }
  | { kind: 'profile'; id: number }
  | { kind: 'results'; q: string; people: PersonRow[]; total: number; sections: SectionResult[] }

export function parse(deps: Deps, viewer: Viewer, raw: string | undefined): SearchQuery {
  return parseQuery(raw ?? '', { today: deps.clock.today(), turnoverMonth: deps.config.yearTurnoverMonth, staff: seesPastPrivacy(viewer) })
}

/** `openProfile`: false for search-as-you-type, which must never navigate away while typing. */
export async function runSearch(deps: Deps, viewer: Viewer, raw: string | undefined, openProfile: boolean): Promise<SearchOutcome> {
  const q = parse(deps, viewer, raw)
  if (!q.branches.length) return { kind: 'empty' }
  const sid = studentIdQuery(q)
  if (sid && openProfile) {
    const id = await idOfStudentId(deps.sql, sid)
    if (id !== null) return { kind: 'profile', id }
  }
  const ctx = { viewer, now: deps.clock.now(), today: deps.clock.today(), q: q.text, words: plainWords(q) }
  const sections = byOrder(deps.registries.search).filter((s) => s.visible(viewer))
  const [rows, found] = await Promise.all([
    peopleByName(deps.sql, q, PAGE_LIMIT),
    Promise.all(sections.map(async (s) => ({ s, hits: await s.find(ctx) }))),
  ])
  const total = rows[0]?.total ?? 0
  const held = found.some((f) => f.hits.length > 0 && f.s.holdsRedirect !== false)
  if (openProfile && total === 1 && !held) return { kind: 'profile', id: rows[0]!.id }
  const { today } = ctx
  const turnover = deps.config.yearTurnoverMonth
  return {
    kind: 'results',
    q: q.text,
    total,
    people: rows.map((r) => ({
      id: r.id,
      name: listName(r),
      username: r.username,
      label: gradeLabel(r, today, turnover),
      studentId: canSee(viewer, r, 'studentId') ? r.studentId : null,
    })),
    sections: found.filter((f) => f.hits.length).map((f) => ({ id: f.s.id, title: f.s.title, hits: f.hits })),
  }
}
