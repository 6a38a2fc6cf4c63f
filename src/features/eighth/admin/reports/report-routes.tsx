import { Elysia } from 'elysia'
import { HttpError } from '../../../../platform/errors.ts'
import type { Base } from '../../../../platform/http.ts'
import { page } from '../../../../platform/html/page.tsx'
import { addDays } from '../../../../platform/zoned.ts'
import { graduationYearOfGrade } from '../../../users/grade.ts'
import { lastFirst } from '../../../users/names.ts'
import { sponsorName } from '../../effective.ts'
import { readFlash } from '../../flash.ts'
import { blockText } from '../../format.ts'
import { schoolYear } from '../../profile.ts'
import { absenceLines, delinquents, passLines } from './absences.sql.ts'
import { csvResponse, dateParam, gradeOf, h, idParam, intParam, q1, qAll, rangeCheck, type Ctx } from './common.ts'
import { activityName, attendanceCsvFor, attendanceRows, loadBlockRosters } from './rosters.ts'
import { blocksBetween } from './rosters.sql.ts'
import { AbsenceListPage, DelinquentsPage, type DelinquentFilters } from './views/absences.tsx'
import { PassesPage, passStatus, type PassFilters } from './views/passes.tsx'
import { BlockRostersPage, RosterPicker } from './views/rosters.tsx'

// Rosters (screen, print, CSV), Ion's attendance CSV, absences, delinquents and passes.

const LIST_LIMIT = 1000
const CSV_LIMIT = 100_000

const grade = (c: Ctx) => (gy: number | null) => gradeOf(c.deps, gy)
const yearStart = (c: Ctx) => schoolYear(c.deps.clock.today(), c.deps.config.yearTurnoverMonth).start

async function rosterPicker(c: Ctx) {
  const today = c.deps.clock.today()
  return page(c, 'Rosters', <RosterPicker blocks={await blocksBetween(c.deps.sql, addDays(today, -14), addDays(today, 42))} />)
}

async function blockRosters(c: Ctx) {
  const only = qAll(c.query.sa).filter((x) => /^\d{1,9}$/.test(x)).map(Number)
  const m = await loadBlockRosters(c.deps, idParam(c.params?.block, 'That block'), only)
  if (!m) throw new HttpError(404, 'That block does not exist.')
  return page(c, `Rosters: ${blockText(m.block)}`, <BlockRostersPage m={m} grade={grade(c)} />)
}

async function blockRostersCsv(c: Ctx) {
  const m = await loadBlockRosters(c.deps, idParam(c.params?.block, 'That block'), [])
  if (!m) throw new HttpError(404, 'That block does not exist.')
  return csvResponse(`rosters-${m.block.date}-${m.block.blockLetter}.csv`, attendanceRows(c.deps, m.rosters))
}

async function attendanceCsv(c: Ctx) {
  const out = await attendanceCsvFor(c.deps, c.viewer, idParam(c.params?.id, 'That scheduled activity'))
  if (!out.ok) throw new HttpError(out.status, out.message)
  return csvResponse(out.filename, out.rows)
}

function delinquentFilters(c: Ctx): DelinquentFilters {
  const start = dateParam(c.query.start, yearStart(c), 'From')
  const end = dateParam(c.query.end, c.deps.clock.today(), 'To')
  rangeCheck(start, end)
  const min = intParam(c.query.min, { fallback: 1, min: 1, max: 999, label: 'At least' })!
  const max = intParam(c.query.max, { fallback: null, min: 1, max: 999, label: 'At most' })
  const grades = qAll(c.query.grade)
  if (grades.some((g) => !['9', '10', '11', '12'].includes(g))) throw new HttpError(422, 'Grades are 9, 10, 11 and 12.')
  return { start, end, min, max, grades: [...new Set(grades.map(Number))].sort((a, b) => a - b) }
}

function runDelinquents(c: Ctx, f: DelinquentFilters) {
  const gradYears = f.grades.map((g) => graduationYearOfGrade(g, c.deps.clock.today(), c.deps.config.yearTurnoverMonth))
  return delinquents(c.deps.sql, { from: f.start, to: f.end, min: f.min, max: f.max, gradYears })
}

async function delinquentsPage(c: Ctx) {
  const f = delinquentFilters(c)
  return page(c, 'Absences by student', <DelinquentsPage f={f} rows={await runDelinquents(c, f)} grade={grade(c)} />)
}

async function delinquentsCsv(c: Ctx) {
  const f = delinquentFilters(c)
  const rows = await runDelinquents(c, f)
  return csvResponse(`absences-by-student-${f.start}-${f.end}.csv`, [
    ['Last Name', 'First Name', 'Student ID', 'Grade', 'Email', 'Absences'],
    ...rows.map((r) => [r.lastName, r.firstName, r.studentId ?? '', gradeOf(c.deps, r.graduationYear), r.email ?? '', r.absences]),
  ])
}

function range(c: Ctx): { start: string; end: string } {
  const start = dateParam(c.query.start, yearStart(c), 'From')
  const end = dateParam(c.query.end, c.deps.clock.today(), 'To')
  rangeCheck(start, end)
  return { start, end }
}

async function absencesPage(c: Ctx) {
  const { start, end } = range(c)
  const rows = await absenceLines(c.deps.sql, { from: start, to: end, limit: LIST_LIMIT })
  return page(c, 'Absences', <AbsenceListPage start={start} end={end} rows={rows} limit={LIST_LIMIT} />)
}

async function absencesCsv(c: Ctx) {
  const { start, end } = range(c)
  const rows = await absenceLines(c.deps.sql, { from: start, to: end, limit: CSV_LIMIT })
  return csvResponse(`absences-${start}-${end}.csv`, [
    ['Block', 'Activity', 'Sponsors', 'Name', 'Student ID', 'Grade'],
    ...rows.map((r) => [blockText(r), activityName(r), r.sponsors.map(sponsorName).join(', '), lastFirst(r), r.studentId ?? '', gradeOf(c.deps, r.graduationYear)]),
  ])
}

function passFilters(c: Ctx): PassFilters {
  const { start, end } = range({ ...c, query: { ...c.query, end: q1(c.query.end) || addDays(c.deps.clock.today(), 60) } })
  const status = q1(c.query.status) ?? 'open'
  if (status !== 'open' && status !== 'all') throw new HttpError(422, 'Show must be "open" or "all".')
  return { start, end, open: status === 'open' }
}

async function passesPage(c: Ctx) {
  const f = passFilters(c)
  const rows = await passLines(c.deps.sql, { from: f.start, to: f.end, open: f.open, limit: LIST_LIMIT })
  const flash = await readFlash(c.deps.redis, c.viewer.id, q1(c.query.flash))
  return page(c, 'Passes', <PassesPage f={f} rows={rows} tz={c.deps.config.schoolTz} limit={LIST_LIMIT} flash={flash?.messages.join(' ')} />)
}

async function passesCsv(c: Ctx) {
  const f = passFilters(c)
  const rows = await passLines(c.deps.sql, { from: f.start, to: f.end, open: f.open, limit: CSV_LIMIT })
  return csvResponse(`passes-${f.start}-${f.end}.csv`, [
    ['Block', 'Activity', 'Name', 'Student ID', 'Grade', 'Signed Up', 'Status'],
    ...rows.map((p) => [blockText(p), activityName(p), lastFirst(p), p.studentId ?? '', gradeOf(c.deps, p.graduationYear), p.time.toISOString(), passStatus(p)]),
  ])
}

export function reportRoutes(base: Base) {
  return new Elysia({ name: 'eighth-reports' })
    .use(base)
    .get('/eighth/admin/rosters', h(rosterPicker), { policy: 'admin_eighth' })
    .get('/eighth/admin/rosters/:block', h(blockRosters), { policy: 'admin_eighth' })
    .get('/eighth/admin/rosters/:block/csv', h(blockRostersCsv), { policy: 'admin_eighth' })
    // Sponsors download their own rosters too (ownership checked in attendanceCsvFor).
    .get('/eighth/admin/attendance/csv/:id', h(attendanceCsv), { policy: 'attendance' })
    .get('/eighth/admin/delinquents', h(delinquentsPage), { policy: 'admin_eighth' })
    .get('/eighth/admin/delinquents/csv', h(delinquentsCsv), { policy: 'admin_eighth' })
    .get('/eighth/admin/absences', h(absencesPage), { policy: 'admin_eighth' })
    .get('/eighth/admin/absences/csv', h(absencesCsv), { policy: 'admin_eighth' })
    .get('/eighth/admin/passes', h(passesPage), { policy: 'admin_eighth' })
    .get('/eighth/admin/passes/csv', h(passesCsv), { policy: 'admin_eighth' })
}
