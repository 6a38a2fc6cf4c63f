import { paged, type Page } from '../../platform/api.ts'
import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { apiProfileUrl } from '../users/profile-api.ts'
import { fullName } from '../users/names.ts'
import { gradeOf } from '../users/grade.ts'
import { parse } from './search.ts'
import { peopleById } from './search.sql.ts'

// GET /api/search/<query> in Ion's shape (ion-apps.md §19.1): `+` is a space, pages of 50 by id.

export const API_PAGE_SIZE = 50

export type ApiSearchRow = {
  id: number
  url: string
  user_type: string
  username: string
  full_name: string
  first_name: string
  last_name: string
  grade?: { number: number; name: string }
}

export type ApiSearchAnswer = { status: 200; body: Page<ApiSearchRow> } | { status: 404; body: { detail: string; details: string[] } }

export async function apiSearch(deps: Deps, viewer: Viewer, requestUrl: string, rawQuery: string, page: number): Promise<ApiSearchAnswer> {
  const q = parse(deps, viewer, rawQuery.replace(/\+/g, ' '))
  const rows = q.branches.length ? await peopleById(deps.sql, q, API_PAGE_SIZE, (page - 1) * API_PAGE_SIZE) : []
  if (!rows.length && page > 1) return { status: 404, body: { detail: 'Invalid page.', details: ['Invalid page.'] } }
  const today = deps.clock.today()
  const results = rows.map((u) => {
    const row: ApiSearchRow = {
      id: u.id, url: apiProfileUrl(deps.config, u.id), user_type: u.userType, username: u.username,
      full_name: fullName(u), first_name: u.firstName, last_name: u.lastName,
    }
    if (u.userType === 'student') row.grade = gradeOf(u.graduationYear, today, deps.config.yearTurnoverMonth)
    return row
  })
  return { status: 200, body: paged(requestUrl, deps.config.baseUrl, page, API_PAGE_SIZE, rows[0]?.total ?? 0, results) }
}
