import type { Deps } from '../../../platform/http.ts'
import { searchUsers, type UserHit } from './admin.sql.ts'
import { PAGE_SIZE } from './search-views.tsx'

export type UserSearchResult = { q: string; rows: UserHit[]; total: number; page: number }

/** Up to 8 words, each of which must match; a page past the end shows the first. */
export async function findUsers(deps: Deps, rawQ: string | undefined, page: number | undefined): Promise<UserSearchResult> {
  const q = (rawQ ?? '').trim().replace(/\s+/g, ' ')
  const words = q.split(' ').filter(Boolean).map((w) => w.replace(/^\*+|\*+$/g, '')).filter(Boolean).slice(0, 8)
  const p = page ?? 1
  const { rows, total } = await searchUsers(deps.sql, words, PAGE_SIZE, (p - 1) * PAGE_SIZE)
  if (!rows.length && p > 1) return findUsers(deps, q, 1) // past the end (the list shrank): the first page
  return { q, rows, total, page: p }
}
