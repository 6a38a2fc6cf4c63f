import { Elysia } from 'elysia'
import { HttpError } from '../../../../platform/errors.ts'
import type { Base } from '../../../../platform/http.ts'
import { page } from '../../../../platform/html/page.tsx'
import { addDays } from '../../../../platform/zoned.ts'
import { seniorYear } from '../../../users/grade.ts'
import { dateParam, h, idParam, intParam, q1, rangeCheck, type Ctx } from './common.ts'
import { attendanceNotTaken, dashboardBlocks, openPassCount } from './dashboard.sql.ts'
import { loadHistory } from './history.ts'
import { currentYear, loadStats, yearRange } from './stats.ts'
import { activitiesForStats } from './stats.sql.ts'
import { DashboardPage } from './views/dashboard.tsx'
import { HistoryPage } from './views/history.tsx'
import { StatsPage, StatsPicker } from './views/stats.tsx'

// The office dashboard (/eighth/admin), activity statistics and the audit trail.

const NOT_TAKEN_LIMIT = 100

async function dashboard(c: Ctx) {
  const today = c.deps.clock.today()
  const [blocks, notTaken, openPasses] = await Promise.all([
    dashboardBlocks(c.deps.sql, today, seniorYear(today, c.deps.config.yearTurnoverMonth)),
    attendanceNotTaken(c.deps.sql, addDays(today, -14), today, NOT_TAKEN_LIMIT),
    openPassCount(c.deps.sql, addDays(today, -60)),
  ])
  const links = c.deps.registries.admin.filter((l) => l.group === 'Eighth period' && l.visible(c.viewer))
  return page(c, 'Eighth-period office', <DashboardPage m={{ today, blocks, notTaken, notTakenLimit: NOT_TAKEN_LIMIT, openPasses, links }} />)
}

function yearOf(c: Ctx): number {
  return intParam(c.query.year, { fallback: currentYear(c.deps), min: 2000, max: 2100, label: 'The school year' })!
}

async function statsPicker(c: Ctx) {
  const q = (q1(c.query.q) ?? '').trim().slice(0, 100)
  const year = currentYear(c.deps)
  const { start, end } = yearRange(year)
  return page(c, 'Activity statistics', <StatsPicker q={q} year={year} rows={await activitiesForStats(c.deps.sql, q, start, end)} />)
}

async function stats(c: Ctx) {
  const m = await loadStats(c.deps, idParam(c.params?.aid, 'That activity'), yearOf(c))
  if (!m) throw new HttpError(404, 'That activity does not exist.')
  return page(c, `${m.activity.name}: statistics`, <StatsPage m={m} />)
}

async function history(c: Ctx) {
  const text = (v: unknown, label: string) => {
    const s = (q1(v) ?? '').trim()
    if (s.length > 60) throw new HttpError(422, `${label} is too long.`)
    return s
  }
  const from = dateParam(c.query.from, '', 'From') || null
  const to = dateParam(c.query.to, '', 'To') || null
  if (from && to) rangeCheck(from, to)
  const action = text(c.query.action, 'The action').replace(/^eighth\./, '')
  const q = { action, actor: text(c.query.actor, 'Done by'), student: text(c.query.student, 'The student'), from, to, page: intParam(c.query.page, { fallback: 1, min: 1, max: 100_000, label: 'The page' })! }
  return page(c, 'Eighth-period history', <HistoryPage m={await loadHistory(c.deps, q)} tz={c.deps.config.schoolTz} />)
}

export function officeRoutes(base: Base) {
  return new Elysia({ name: 'eighth-office-reports' })
    .use(base)
    .get('/eighth/admin', h(dashboard), { policy: 'admin_eighth' })
    .get('/eighth/admin/statistics', h(statsPicker), { policy: 'admin_eighth' })
    .get('/eighth/admin/statistics/:aid', h(stats), { policy: 'admin_eighth' })
    .get('/eighth/admin/history', h(history), { policy: 'admin_eighth' })
}
