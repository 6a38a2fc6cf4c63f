import { req, type TestEnv } from '../helpers/app.ts'
import { makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, addRoom, addSponsor, schedule } from '../helpers/eighth.ts'
import { createToken } from '../../src/features/auth/tokens.sql.ts'
import { hashApiToken } from '../../src/features/auth/api-auth.ts'
import { setActivityUsers } from '../../src/features/eighth/catalog.sql.ts'
import type { Sql } from '../../src/platform/db.ts'
import type { Clock } from '../../src/platform/clock.ts'

// A small catalogue for the eighth API tests. The clock is Monday 2026-11-30 09:00 in New York:
// the school year runs 2026-08-01 … 2027-07-31, and the Wednesday 2026-12-02 blocks are upcoming.

export const CLOCK = '2026-11-30T14:00:00Z'
export const BASE = 'http://localhost:3000'

export type Api = { status: number; body: any; text: string; headers: Headers }

export function caller(env: TestEnv) {
  return async (path: string, init: Parameters<typeof req>[1] & { json?: unknown } = {}): Promise<Api> => {
    const headers = new Headers(init.headers)
    let body = init.body
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json')
      body = JSON.stringify(init.json)
    }
    const r = await env.app.handle(req(path, { ...init, headers, body, method: init.method ?? (init.json !== undefined ? 'POST' : undefined) }))
    const text = await r.text()
    let parsed: unknown = null
    try { parsed = JSON.parse(text) } catch {}
    return { status: r.status, body: parsed, text, headers: r.headers }
  }
}

let tokens = 0
/** A personal access token for the user: `{ authorization: 'Bearer …' }`. */
export async function bearer(env: { sql: Sql; clock: Clock }, userId: number): Promise<{ authorization: string }> {
  const token = `ion_test${++tokens}${Math.random().toString(36).slice(2)}`
  await createToken(env.sql, userId, `t${tokens}`, hashApiToken(token), env.clock.now())
  return { authorization: `Bearer ${token}` }
}

export async function student(env: TestEnv, o: Partial<{ firstName: string; lastName: string; graduationYear: number; public: boolean }> = {}): Promise<MadeUser & { auth: { authorization: string } }> {
  const u = await makeUser(env.sql, { firstName: o.firstName ?? 'Stu', lastName: o.lastName ?? 'Dent', graduationYear: o.graduationYear ?? 2027 })
  if (o.public) await env.sql`UPDATE users SET parent_show_eighth = true, self_show_eighth = true WHERE id = ${u.id}`
  return { ...u, auth: await bearer(env, u.id) }
}

export async function catalogue(env: TestEnv) {
  const sql = env.sql
  const wedA = await addBlock(sql, '2026-12-02', 'A')
  const wedB = await addBlock(sql, '2026-12-02', 'B')
  const friA = await addBlock(sql, '2026-12-04', 'A', true) // locked
  const past = await addBlock(sql, '2026-09-02', 'A')
  const lastYear = await addBlock(sql, '2026-06-10', 'A')
  const nextYear = await addBlock(sql, '2027-08-04', 'A')

  const r214 = await addRoom(sql, '214', 20)
  const cafeteria = await addRoom(sql, 'Cafeteria', -1)
  const r101 = await addRoom(sql, 'Room 101', 10)
  const smith = await addSponsor(sql, 'Smith', 'Jane')
  await sql`UPDATE eighth_sponsors SET show_full_name = true WHERE id = ${smith}`
  const jones = await addSponsor(sql, 'Jones', 'Bob')

  const a = {
    chess: await addActivity(sql, 'Chess Club', { rooms: [r214], sponsors: [smith], description: 'Play chess.' }),
    study: await addActivity(sql, 'Open Study', { rooms: [cafeteria, r214], sponsors: [jones] }),
    robotics: await addActivity(sql, 'Robotics Team', { restricted: true, rooms: [r101] }),
    office: await addActivity(sql, 'Z - Office Hold', { administrative: true, restricted: true, defaultCapacity: 100 }),
    detention: await addActivity(sql, 'Detention', { sticky: true, defaultCapacity: 10 }),
    trip: await addActivity(sql, 'Field Trip', { bothBlocks: true, defaultCapacity: 30 }),
    assembly: await addActivity(sql, 'Assembly', { special: true, defaultCapacity: -1 }),
    early: await addActivity(sql, 'Presign Club', { presign: true, defaultCapacity: 5 }),
    tutoring: await addActivity(sql, 'Tutoring', { oneADay: true, defaultCapacity: 5 }),
    old: await addActivity(sql, 'Old Club', { deleted: true, defaultCapacity: 5 }),
    tiny: await addActivity(sql, 'Tiny Club', { defaultCapacity: 5 }),
    gone: await addActivity(sql, 'Cancelled Club', { defaultCapacity: 5 }),
    banned: await addActivity(sql, 'Blacklist Club', { defaultCapacity: 5 }),
    seniors: await addActivity(sql, 'Senior Seminar', { restricted: true, seniorsAllowed: true, defaultCapacity: 5 }),
  }
  const sa = {
    chess: await schedule(sql, wedA, a.chess, { title: 'Blitz', comments: 'Bring a clock' }),
    study: await schedule(sql, wedA, a.study),
    robotics: await schedule(sql, wedA, a.robotics),
    office: await schedule(sql, wedA, a.office),
    detention: await schedule(sql, wedA, a.detention),
    tripA: await schedule(sql, wedA, a.trip),
    tripB: await schedule(sql, wedB, a.trip),
    assembly: await schedule(sql, wedA, a.assembly, { rooms: [r101], sponsors: [jones] }),
    early: await schedule(sql, wedA, a.early),
    tutoringA: await schedule(sql, wedA, a.tutoring),
    tutoringB: await schedule(sql, wedB, a.tutoring),
    old: await schedule(sql, wedA, a.old),
    tiny: await schedule(sql, wedA, a.tiny, { capacity: 0 }),
    gone: await schedule(sql, wedA, a.gone, { cancelled: true }),
    banned: await schedule(sql, wedA, a.banned),
    seniors: await schedule(sql, wedA, a.seniors),
    chessB: await schedule(sql, wedB, a.chess),
    chessLocked: await schedule(sql, friA, a.chess),
    chessPast: await schedule(sql, past, a.chess),
    chessLastYear: await schedule(sql, lastYear, a.chess),
    chessNextYear: await schedule(sql, nextYear, a.chess),
  }
  return { blocks: { wedA, wedB, friA, past, lastYear, nextYear }, rooms: { r214, cafeteria, r101 }, a, sa }
}

export type Catalogue = Awaited<ReturnType<typeof catalogue>>

export async function blacklist(env: TestEnv, activityId: number, userIds: number[]) {
  await setActivityUsers(env.sql, activityId, 'blacklisted', userIds)
}
