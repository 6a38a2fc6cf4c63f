import { Elysia } from 'elysia'
import { json, pageNumber, paged } from '../../platform/api.ts'
import type { Base } from '../../platform/http.ts'
import { parseIsoDate } from './dates.ts'
import { apiTime } from './format.ts'
import { futureDays, type DaySchedule } from './schedule.sql.ts'
import { scheduleFor } from './service.ts'

// Ion's public schedule API (ion-apps.md §11, §19): /api/schedule lists the stored days from
// today on (one per page by default, `page_size` up to 7); /api/schedule/<YYYY-MM-DD> is one
// day, and a date with no schedule is Ion's synthetic day "NO SCHOOL<br>" with no blocks.

const NO_SCHOOL = 'NO SCHOOL<br>'
const MAX_PAGE_SIZE = 7

const fail = (status: number, ...details: string[]) => json({ details }, status)

export function dayPayload(baseUrl: string, d: DaySchedule) {
  const t = d.dayType
  return {
    url: `${baseUrl}/api/schedule/${d.date}`,
    date: d.date,
    day_type: t
      ? { name: t.name, special: t.special, blocks: t.blocks.map((b) => ({ order: b.order, name: b.name, start: apiTime(b.start), end: apiTime(b.end) })) }
      : { name: NO_SCHOOL, special: false, blocks: [] },
  }
}

/** DRF's page_size: a positive whole number, capped at the maximum; anything else is the default. */
function pageSize(raw: string | undefined): number {
  const n = Number(raw)
  if (raw === undefined || !/^\d{1,6}$/.test(raw) || n < 1) return 1
  return Math.min(n, MAX_PAGE_SIZE)
}

export function scheduleApiRoutes(base: Base) {
  return new Elysia({ name: 'schedule-api' })
    .use(base)
    .get('/api/schedule', async ({ deps, query, request }) => {
      const q = query as Record<string, string | undefined>
      const size = pageSize(q.page_size)
      const pageNo = q.page === undefined ? 1 : /^\d{1,6}$/.test(q.page) && Number(q.page) >= 1 ? pageNumber(q.page) : 0
      if (pageNo === 0) return fail(404, 'Invalid page.')
      const { total, days } = await futureDays(deps.sql, deps.clock.today(), size, (pageNo - 1) * size)
      if (pageNo > 1 && days.length === 0) return fail(404, 'Invalid page.')
      const base = deps.config.baseUrl
      return json(paged(request.url, base, pageNo, size, total, days.map((d) => dayPayload(base, d))))
    }, { open: 'public' })

    .get('/api/schedule/:date', async ({ deps, params }) => {
      const date = parseIsoDate(params.date)
      if (!date) return fail(400, `"${params.date.slice(0, 40)}" is not a date: use YYYY-MM-DD.`)
      return json(dayPayload(deps.config.baseUrl, await scheduleFor(deps, date)))
    }, { open: 'public' })
}
