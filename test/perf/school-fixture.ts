import { createSponsor, setActivityUsers } from '../../src/features/eighth/catalog.sql.ts'
import { addRoutes, ride } from '../bus/helpers.ts'
import { req, testEnv, type TestEnv } from '../helpers/app.ts'
import type { TestDb } from '../helpers/db.ts'
import { addActivity, addBlock, addRoom, addSponsor, bulkStudents, schedule } from '../helpers/eighth.ts'
import { login, makeUser } from '../helpers/factories.ts'
import { statementCounter, type StatementCounter } from '../helpers/statements.ts'
import { addAnnouncement, groupId } from '../news/announcements-fixture.ts'
import { addEvent } from '../news/events-fixture.ts'

// A school whose every row count scales with k (query budgets: k = 1 and k = 8 must cost the same
// statements). Monday 2026-11-30 09:00 in New York. What grows with k:
//   the signup block's activities (10k, with rooms, sponsors, favourites, allowed lists, signups),
//   the viewer's past and upcoming signups (3k, 2k), their groups (2k), the people a search finds
//   (6k students + the activities named "Budget"), the teacher's sponsored activities, announcements
//   (5k: group posts, pinned, hidden), events (3k), bus routes (60 + 60(k-1)).

export const CLOCK = '2026-11-30T14:00:00Z'

export type School = {
  k: number
  db: TestDb
  app: TestEnv['app']
  counter: StatementCounter
  /** The signup block, and two open activities in it (scheduled ids) to sign up for and switch to. */
  block: number
  open: { aid: number; sid: number }[]
  student: { id: number; cookie: string }
  /** Students who sign up during the tests (a fresh one for each POST). */
  signers: { id: number; cookie: string }[]
  teacher: { id: number; cookie: string }
  close(): Promise<void>
}

const day = (start: string, plus: number) => new Date(Date.parse(start) + plus * 86_400_000).toISOString().slice(0, 10)

async function people(sql: TestDb['sql'], k: number) {
  const teacher = await makeUser(sql, { type: 'teacher', firstName: 'Tess', lastName: 'Budget', groups: ['admin_groups'] })
  const student = await makeUser(sql, { type: 'student', firstName: 'Sam', lastName: 'Budget', counselorId: teacher.id, email: `sam${k}@school.example` })
  const signers = await Promise.all(Array.from({ length: 4 }, () => makeUser(sql, { type: 'student' })))
  const found = Array.from({ length: 6 * k }, (_, i) => ({ username: `budget${k}x${i}`, userType: 'student', firstName: 'Many', lastName: `Budget${i}`, graduationYear: 2028 }))
  await sql`INSERT INTO users ${sql(found)}`
  for (let g = 0; g < 2 * k; g++) await groupId(sql, `Budget group ${g}`, [student.id])
  return { teacher, student, signers }
}

async function eighth(sql: TestDb['sql'], k: number, studentId: number, teacherId: number) {
  const block = await addBlock(sql, '2026-12-02', 'A')
  const rooms = await Promise.all(Array.from({ length: 3 * k }, (_, i) => addRoom(sql, `R${i}`, 25)))
  const sponsors = await Promise.all(Array.from({ length: 3 * k }, (_, i) => addSponsor(sql, `Sponsor${i}`, 'Pat')))
  const mine = await createSponsor(sql, { lastName: 'Budget', firstName: 'Tess', userId: teacherId })
  const crowd = await bulkStudents(sql, 10 * k)
  const activities: number[] = []
  for (let i = 0; i < 10 * k; i++) {
    const a = await addActivity(sql, `Budget activity ${i}`, {
      description: `About ${i}`, rooms: [rooms[i % rooms.length]!], sponsors: i % 2 ? [sponsors[i % sponsors.length]!] : [mine],
      restricted: i % 7 === 0, sticky: i % 11 === 0, special: i % 13 === 0, presign: i % 17 === 0, bothBlocks: i % 19 === 0,
    })
    activities.push(a)
    const sa = await schedule(sql, block, a, i % 5 === 0 ? { rooms: [rooms[(i + 1) % rooms.length]!], capacity: 30 } : {})
    if (i % 3 === 0) await setActivityUsers(sql, a, 'favorite', [studentId])
    if (i % 7 === 0) await setActivityUsers(sql, a, 'allowed', [studentId])
    await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${crowd[i]!}, ${block}, ${sa}, now())`
  }
  const open = []
  for (const name of ['Open room', 'Other open room']) {
    const aid = await addActivity(sql, name, { rooms: [rooms[0]!], sponsors: [sponsors[0]!] })
    open.push({ aid, sid: await schedule(sql, block, aid) })
  }
  // The viewer's history (before today) and upcoming signups (after the signup block).
  const history = [...Array.from({ length: 3 * k }, (_, i) => day('2026-09-02', i)), ...Array.from({ length: 2 * k }, (_, i) => day('2026-12-03', i))]
  for (const [i, date] of history.entries()) {
    const b = await addBlock(sql, date, 'A')
    const sa = await schedule(sql, b, activities[i % activities.length]!)
    await sql`INSERT INTO eighth_signups (user_id, block_id, scheduled_activity_id, time) VALUES (${studentId}, ${b}, ${sa}, now())`
  }
  return { block, open }
}

async function news(sql: TestDb['sql'], k: number, studentId: number) {
  const g = await groupId(sql, 'Budget group 0')
  for (let i = 0; i < 5 * k; i++) {
    const id = await addAnnouncement(sql, { title: `Budget news ${i}`, groups: i % 3 === 0 ? [g] : [], pinned: i % 17 === 1 })
    if (i % 4 === 3) await sql`INSERT INTO announcement_hidden (announcement_id, user_id) VALUES (${id}, ${studentId})`
  }
  for (let i = 0; i < 3 * k; i++) await addEvent(sql, { title: `Budget event ${i}`, starts: `2026-12-${String(1 + (i % 20)).padStart(2, '0')}T20:00:00Z`, groups: i % 2 ? [g] : [] })
}

async function bus(sql: TestDb['sql'], k: number, studentId: number) {
  const routes = await addRoutes(sql)
  if (k > 1) await sql`INSERT INTO bus_routes (route_name, updated_at) SELECT 'XX-' || g, now() FROM generate_series(1, ${60 * (k - 1)}) g`
  await ride(sql, studentId, routes.get('JT-1')!)
}

export async function school(k: number): Promise<School> {
  const counter = statementCounter()
  const env = await testEnv({ clock: CLOCK, debug: counter.debug })
  const { db, app } = env
  const { teacher, student, signers } = await people(db.sql, k)
  const { block, open } = await eighth(db.sql, k, student.id, teacher.id)
  await news(db.sql, k, student.id)
  await bus(db.sql, k, student.id)
  await db.sql`VACUUM ANALYZE`
  const [sc, tc, ...signerCookies] = await Promise.all([login(app, student), login(app, teacher), ...signers.map((s) => login(app, s))])
  // Every pool connection's one-time setup happens here, not in a counted request.
  await Promise.all(Array.from({ length: 10 }, () => app.handle(req('/profile', { cookie: sc! }))))
  return {
    k, db, app, counter, block, open,
    student: { id: student.id, cookie: sc! },
    signers: signers.map((s, i) => ({ id: s.id, cookie: signerCookies[i]! })),
    teacher: { id: teacher.id, cookie: tc! },
    close: () => env.close(),
  }
}
