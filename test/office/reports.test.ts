import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test'
import { parseCsv } from '../../src/platform/csv.ts'
import { createSponsor, setBlockLocked } from '../../src/features/eighth/catalog.sql.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, addRoom, bulkStudents, schedule } from '../helpers/eighth.ts'

// The office's reports (issue 7, items 7 and 8): Ion's attendance CSV (acceptance case 25),
// rosters, absences and delinquents, passes, activity statistics with an accessible SVG chart,
// the office dashboard and the audit trail; who may see them; statement counts that do not grow
// with the number of rows.
setDefaultTimeout(30_000)

let env: TestEnv
const u: Record<string, MadeUser> = {}
const c: Record<string, string> = {}
const ids = {} as Record<'blockA' | 'blockB' | 'past' | 'past2' | 'future' | 'meme' | 'chess' | 'chessPast' | 'chessPast2' | 'memeAct' | 'chessAct' | 'passSignup', number>
let kids: number[] = []

async function signupRow(userId: number, blockId: number, sa: number, f: { absent?: boolean; afterDeadline?: boolean } = {}) {
  const [row] = await env.sql<{ id: number }[]>`
    INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time, was_absent, after_deadline)
    VALUES (${userId}, ${blockId}, ${sa}, '2026-11-30T12:00:00Z', ${f.absent ?? false}, ${f.afterDeadline ?? false}) RETURNING id`
  return row!.id
}

beforeAll(async () => {
  env = await testEnv({ clock: '2026-12-02T15:00:00Z' }) // Wed 10:00 in New York
  const sql = env.sql
  u.angela = await makeUser(sql, { type: 'student', firstName: 'Angela', lastName: 'William', studentId: '1234567', email: 'angela@school.example', graduationYear: 2027 })
  u.office = await makeUser(sql, { type: 'teacher', groups: ['admin_eighth'], firstName: 'Olive', lastName: 'Office', username: 'olive' })
  u.william = await makeUser(sql, { type: 'teacher', lastName: 'William' })
  u.teacher = await makeUser(sql, { type: 'teacher' })
  u.student = await makeUser(sql, { type: 'student' })
  for (const k of Object.keys(u)) c[k] = await login(env.app, u[k]!, { remember: true })
  const william = await createSponsor(sql, { lastName: 'william', userId: u.william!.id })
  const room = await addRoom(sql, '214', 20)
  ids.memeAct = await addActivity(sql, 'Meme Club', { rooms: [room], sponsors: [william] })
  ids.chessAct = await addActivity(sql, 'Chess Club', { rooms: [room] })
  ids.blockA = await addBlock(sql, '2026-12-02', 'A')
  ids.blockB = await addBlock(sql, '2026-12-02', 'B')
  ids.past = await addBlock(sql, '2026-11-25', 'A')
  ids.past2 = await addBlock(sql, '2026-11-20', 'A')
  ids.future = await addBlock(sql, '2026-12-04', 'A')
  ids.meme = await schedule(sql, ids.blockA, ids.memeAct)
  ids.chess = await schedule(sql, ids.blockA, ids.chessAct)
  ids.chessPast = await schedule(sql, ids.past, ids.chessAct)
  ids.chessPast2 = await schedule(sql, ids.past2, ids.chessAct)
  await signupRow(u.angela!.id, ids.blockA, ids.meme)
  kids = await bulkStudents(sql, 3, 2028)
  for (const k of kids) await signupRow(k, ids.blockA, ids.chess)
  // Past blocks: kid 0 absent twice, kid 1 once; a pass on the past block for kid 2.
  await signupRow(kids[0]!, ids.past, ids.chessPast, { absent: true })
  await signupRow(kids[1]!, ids.past, ids.chessPast, { absent: true })
  ids.passSignup = await signupRow(kids[2]!, ids.past, ids.chessPast, { afterDeadline: true })
  await signupRow(kids[0]!, ids.past2, ids.chessPast2, { absent: true })
  await sql`UPDATE eighth_scheduled_activities SET attendance_taken = true WHERE id IN (${ids.chessPast}, ${ids.chessPast2})`
  await setBlockLocked(sql, ids.past, true)
  await setBlockLocked(sql, ids.past2, true)
}, 60_000)
afterAll(async () => { await env?.close() })

const get = (path: string, who: string) => env.app.handle(req(path, { cookie: c[who] }))
async function csv(path: string, who = 'office') {
  const r = await get(path, who)
  expect(r.status).toBe(200)
  expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="[\w.-]+\.csv"$/)
  return parseCsv(await r.text()).map((x) => x.fields)
}
const asObjects = (rows: string[][]) => rows.slice(1).map((r) => Object.fromEntries(rows[0]!.map((h, i) => [h, r[i]])))

const OFFICE_PAGES = () => [
  '/eighth/admin', '/eighth/admin/rosters', `/eighth/admin/rosters/${ids.blockA}`, `/eighth/admin/rosters/${ids.blockA}/csv`,
  '/eighth/admin/delinquents', '/eighth/admin/delinquents/csv', '/eighth/admin/absences', '/eighth/admin/absences/csv',
  '/eighth/admin/passes', '/eighth/admin/passes/csv', '/eighth/admin/statistics', `/eighth/admin/statistics/${ids.chessAct}`, '/eighth/admin/history',
]

describe('access', () => {
  test('a student reaches no office page (403), nor does a teacher', async () => {
    for (const p of [...OFFICE_PAGES(), `/eighth/admin/attendance/csv/${ids.meme}`]) {
      expect([p, (await get(p, 'student')).status]).toEqual([p, 403])
    }
    for (const p of OFFICE_PAGES()) expect([p, (await get(p, 'teacher')).status]).toEqual([p, 403])
  })

  test('every office page answers the office (200)', async () => {
    for (const p of OFFICE_PAGES()) expect([p, (await get(p, 'office')).status]).toEqual([p, 200])
  })

  test("the attendance CSV: the activity's sponsor and the office, not another teacher", async () => {
    expect((await get(`/eighth/admin/attendance/csv/${ids.meme}`, 'william')).status).toBe(200)
    expect((await get(`/eighth/admin/attendance/csv/${ids.meme}`, 'teacher')).status).toBe(403)
    expect((await get(`/eighth/admin/attendance/csv/999999`, 'office')).status).toBe(404)
  })
})

describe('case 25: the attendance CSV', () => {
  test("an unlocked block with one signup: Ion's columns and values", async () => {
    const rows = await csv(`/eighth/admin/attendance/csv/${ids.meme}`)
    expect(rows[0]).toEqual(['Block', 'Activity', 'Name', 'FCPS ID', 'Student ID', 'Grade', 'Email', 'Locked', 'Rooms', 'Sponsors', 'Attendance Taken', 'Present', 'Had Pass'])
    expect(rows).toHaveLength(2)
    expect(asObjects(rows)[0]).toEqual({
      Block: 'Wed, December 2, 2026 (A)', Activity: 'Meme Club', Name: 'William, Angela', 'FCPS ID': '1234567', 'Student ID': String(u.angela!.id),
      Grade: '12', Email: 'angela@school.example', Locked: 'False', Rooms: '214 (20)', Sponsors: 'william', 'Attendance Taken': 'False',
      Present: 'N/A', 'Had Pass': 'N/A',
    })
  })

  test('once the block locks, Present and Had Pass are filled in', async () => {
    const rows = asObjects(await csv(`/eighth/admin/attendance/csv/${ids.chessPast}`))
    expect(rows.map((r) => [r.Locked, r['Attendance Taken'], r.Present, r['Had Pass']]).sort()).toEqual([
      ['True', 'True', 'False', 'False'], ['True', 'True', 'False', 'False'], ['True', 'True', 'True', 'True'],
    ])
  })
})

describe('rosters', () => {
  test('a block: every activity with its students, ready for paper', async () => {
    const html = await (await get(`/eighth/admin/rosters/${ids.blockA}`, 'office')).text()
    expect(html.match(/class="roster-sheet"/g)).toHaveLength(2)
    expect(html).toContain('William, Angela (1234567)')
    expect(html).toContain('3 students')
    const only = await (await get(`/eighth/admin/rosters/${ids.blockA}?sa=${ids.meme}`, 'office')).text()
    expect(only.match(/class="roster-sheet"/g)).toHaveLength(1)
    expect((await get('/eighth/admin/rosters/424242', 'office')).status).toBe(404)
  })

  test("the block's CSV has a row per signup", async () => {
    const rows = asObjects(await csv(`/eighth/admin/rosters/${ids.blockA}/csv`))
    expect(rows).toHaveLength(4)
    expect(rows.filter((r) => r.Activity === 'Chess Club')).toHaveLength(3)
  })

  test('the stylesheet prints rosters on their own pages', async () => {
    const css = await Bun.file(new URL('../../public/app.css', import.meta.url)).text()
    expect(css).toMatch(/@media print\s*{/)
    expect(css).toMatch(/\.roster-sheet\s*{[^}]*break-before:\s*page/)
  })
})

describe('absences', () => {
  test('delinquents: at least N absences in the range, by grade, and the CSV with the email column', async () => {
    const html = await (await get('/eighth/admin/delinquents?min=2', 'office')).text()
    expect(html).toContain(`/eighth/absences/${kids[0]}`)
    expect(html).not.toContain(`/eighth/absences/${kids[1]}"`)
    const rows = asObjects(await csv('/eighth/admin/delinquents/csv?min=1'))
    expect(rows.map((r) => r.Absences)).toEqual(['2', '1'])
    expect(Object.keys(rows[0]!)).toEqual(['Last Name', 'First Name', 'Student ID', 'Grade', 'Email', 'Absences'])
    expect(rows[0]!.Grade).toBe('11')
    expect(await csv('/eighth/admin/delinquents/csv?grade=12')).toHaveLength(1)
    expect(await csv('/eighth/admin/delinquents/csv?grade=11&start=2026-11-24&end=2026-11-30')).toHaveLength(3)
    expect(await csv('/eighth/admin/delinquents/csv?min=1&max=1')).toHaveLength(2)
  })

  test('bad filters are a 422, never a 500', async () => {
    for (const q of ['min=abc', 'min=0', 'start=2026-13-45', 'start=2026-12-01&end=2026-11-01', 'grade=7']) {
      expect([q, (await get(`/eighth/admin/delinquents?${q}`, 'office')).status]).toEqual([q, 422])
    }
  })

  test('every absence in a range, and its CSV', async () => {
    const rows = asObjects(await csv('/eighth/admin/absences/csv?start=2026-11-01&end=2026-11-30'))
    expect(rows).toHaveLength(3)
    expect(rows[0]).toMatchObject({ Block: 'Fri, November 20, 2026 (A)', Activity: 'Chess Club', Grade: '11' })
    expect(await (await get('/eighth/admin/absences', 'office')).text()).toContain('3 absences')
  })
})

describe('passes', () => {
  test('open passes are listed; the office decides one from the list and comes back to it', async () => {
    const html = await (await get('/eighth/admin/passes', 'office')).text()
    expect(html).toContain(`/eighth/attendance/pass/${ids.passSignup}`)
    const r = await env.app.handle(req(`/eighth/attendance/pass/${ids.passSignup}`, {
      method: 'POST', cookie: c.office, form: { status: 'accept', next: '/eighth/admin/passes?status=all' }, headers: { accept: 'text/html' },
    }))
    expect(r.status).toBe(303)
    expect(r.headers.get('location')).toMatch(/^\/eighth\/admin\/passes\?status=all&flash=[0-9a-f]{24}$/)
    expect(await (await get(r.headers.get('location')!, 'office')).text()).toContain('Pass accepted')
    expect(await (await get('/eighth/admin/passes', 'office')).text()).toContain('No passes in this range.')
    const rows = asObjects(await csv('/eighth/admin/passes/csv?status=all'))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ Activity: 'Chess Club', Status: 'Accepted' })
  })
})

describe('statistics', () => {
  test('per block signups and attendance: an accessible SVG chart with a data table', async () => {
    const html = await (await get(`/eighth/admin/statistics/${ids.chessAct}`, 'office')).text()
    expect(html).toMatch(/<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="stats-chart-title stats-chart-desc"/)
    expect(html).toContain('<title id="stats-chart-title">Chess Club: signups and attendance per block, 2026–2027</title>')
    expect(html).toMatch(/<desc id="stats-chart-desc">3 blocks from Fri, November 20, 2026 \(A\) to Wed, December 2, 2026 \(A\); 7 signups in all, 2.3 per block on average; 25% present where attendance was taken.<\/desc>/)
    expect(html.match(/class="chart-value"/g)).toHaveLength(3)
    expect(html).toContain('<title>Wed, November 25, 2026 (A): 3 signed up, 1 present</title>')
    expect(html).toContain('The numbers')
    expect(html).not.toContain('style=')
    expect((await get(`/eighth/admin/statistics/${ids.chessAct}?year=1`, 'office')).status).toBe(422)
    expect((await get('/eighth/admin/statistics/424242', 'office')).status).toBe(404)
  })

  test('the picker finds activities by name', async () => {
    const html = await (await get('/eighth/admin/statistics?q=meme', 'office')).text()
    expect(html).toContain(`/eighth/admin/statistics/${ids.memeAct}`)
    expect(html).not.toContain(`/eighth/admin/statistics/${ids.chessAct}"`)
  })
})

describe('the office dashboard', () => {
  test("today's blocks and the next date's, signed and unsigned, attendance not taken, open passes, tools", async () => {
    const html = await (await get('/eighth/admin', 'office')).text()
    expect(html).toContain('Wed, December 2, 2026 (A)')
    expect(html).toContain('Fri, December 4, 2026 (A)')
    expect(html).not.toContain('Wed, November 25, 2026 (A)</span>')
    // Current students: Angela (class of 2027), three of 2028 and the student account (2027).
    expect(html).toContain('4 of 5 students signed up')
    expect(html).toContain('/eighth/admin/history')
    expect(html).toContain('/eighth/attendance/' + ids.meme)
    expect(html).toContain('Attendance not taken (2)')
  })
})

describe('the audit trail', () => {
  test('who, what, when, affected students; filters; pages', async () => {
    const html = await (await get('/eighth/admin/history', 'office')).text()
    expect(html).toContain('Accepted a pass')
    expect(html).toContain('Olive Office')
    expect(html).toContain(`/eighth/profile/${kids[2]}`)
    const now = new Date('2026-12-02T15:00:00Z')
    const rows = Array.from({ length: 60 }, (_, i) => ({ at: now, actorId: u.office!.id, action: 'eighth.test_bulk', targetType: 'scheduled_activity', targetId: String(ids.chess), details: env.sql.json({ students: [kids[i % 3]!], n: i }) }))
    await env.sql`INSERT INTO audit_log ${env.sql(rows)}`
    await env.sql`INSERT INTO audit_log (at, actor_id, action, details) VALUES (${now}, ${u.office!.id}, 'groups.create', '{}')`
    const p1 = await (await get('/eighth/admin/history?action=test', 'office')).text()
    expect(p1.match(/class="card history-entry"/g)).toHaveLength(50)
    expect(p1).toContain('rel="next"')
    const p2 = await (await get('/eighth/admin/history?action=test&page=2', 'office')).text()
    expect(p2.match(/class="card history-entry"/g)).toHaveLength(10)
    expect(p2).not.toContain('rel="next"')
    const byStudent = await (await get(`/eighth/admin/history?student=${kids[2]}`, 'office')).text()
    expect(byStudent.match(/class="card history-entry"/g)).toHaveLength(21) // 20 bulk rows + the pass
    expect(await (await get('/eighth/admin/history?actor=olive&action=pass', 'office')).text()).toContain('Accepted a pass')
    expect(await (await get('/eighth/admin/history?actor=nobody-here', 'office')).text()).toContain('Nobody is called')
    expect(await (await get('/eighth/admin/history?action=groups', 'office')).text()).toContain('Nothing matches.')
    expect((await get('/eighth/admin/history?page=0', 'office')).status).toBe(422)
  })
})
