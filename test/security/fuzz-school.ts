import type { TestEnv } from '../helpers/app.ts'
import { makeUser } from '../helpers/factories.ts'
import { addToGroups } from '../../src/features/users/create.sql.ts'
import { addBlock, addActivity, asStudent, schedule, signup } from '../helpers/eighth.ts'
import { runSeeds } from '../../src/features/seeds.ts'
import { silentLogger } from '../../src/platform/log.ts'
import { SESSION_COOKIE, saveSession, sessionIdOf, newToken } from '../../src/platform/session.ts'
import type { UserType } from '../../src/platform/viewer.ts'

// The fuzzer's school: `ion seed --demo` (blocks, activities, announcements, events, polls, bus
// routes, groups, people) plus a few builder-made rows, and the accounts the fuzzer acts as.

export type ActorKind = 'anonymous' | 'student' | 'admin'
export type Actor = { kind: ActorKind; id: number; token: string; type: UserType; superuser: boolean }
/** One student and one superuser in admin_all (Ion's admin) per worker, so one worker's logout never hits another's case. */
export type Crew = { student: Actor; admin: Actor }

export async function seedSchool(env: TestEnv): Promise<void> {
  await runSeeds({ sql: env.sql, config: env.config, clock: env.clock, log: silentLogger })
  // A locked block with an activity and a signup in it, next to the demo's open blocks.
  const block = await addBlock(env.sql, env.clock.today(), 'Z', true)
  const activity = await addActivity(env.sql, 'Fuzz Club <b>&</b>')
  const scheduled = await schedule(env.sql, block, activity)
  const s = await makeUser(env.sql, { type: 'student', firstName: '"><i>', lastName: "O'Brien" })
  await signup(env.sql, env.clock, { userId: s.id, scheduledId: scheduled, requester: asStudent(s.id), force: true })
}

async function makeActor(env: TestEnv, kind: 'student' | 'admin'): Promise<Actor> {
  const type: UserType = kind === 'student' ? 'student' : 'teacher'
  const u = await makeUser(env.sql, { type, isSuperuser: kind === 'admin' })
  const actor: Actor = { kind, id: u.id, token: newToken(), type, superuser: kind === 'admin' }
  await resetActor(env, actor)
  return actor
}

export async function makeCrew(env: TestEnv): Promise<Crew> {
  return { student: await makeActor(env, 'student'), admin: await makeActor(env, 'admin') }
}

/**
 * Puts the account back as the fuzzer needs it: a fresh, recently re-authenticated session
 * (undoing logout, "log out everywhere", impersonation), and, after a state change, the row
 * (an admin may have locked, demoted or regrouped the very account it is using).
 */
export async function resetActor(env: TestEnv, a: Actor, row = true): Promise<void> {
  const now = env.clock.now().getTime()
  await saveSession(env.redis, { id: sessionIdOf(a.token), userId: a.id, loginAt: now, lastSeen: now, trusted: false, ua: 'fuzz', ip: '', reauthAt: now })
  if (!row) return
  await env.sql`UPDATE users SET user_type = ${a.type}, is_superuser = ${a.superuser}, locked = false, active = true WHERE id = ${a.id}`
  if (a.superuser) await addToGroups(env.sql, a.id, ['admin_all'])
  else await env.sql`DELETE FROM user_groups WHERE user_id = ${a.id}`
}

export const cookieOf = (a: Actor) => `${SESSION_COOKIE}=${a.token}`

/** Ids of rows anywhere that hold a fuzz payload (stored by a case): the pages to look at last. */
export async function idsWithPayloads(env: TestEnv): Promise<Set<string>> {
  const { sql } = env
  const out = new Set<string>()
  for (const { tableName } of await tablesWithIds(env)) {
    const rows = await sql<{ id: number }[]>`SELECT id FROM ${sql(tableName)} AS r WHERE r::text LIKE ${'%alert(fz%'} ORDER BY id DESC LIMIT 20`
    for (const r of rows) out.add(String(r.id))
  }
  return out
}

const tablesWithIds = (env: TestEnv) => env.sql<{ tableName: string }[]>`
  SELECT table_name FROM information_schema.columns
  WHERE table_schema = 'public' AND column_name = 'id' AND data_type IN ('integer', 'bigint', 'smallint') ORDER BY table_name`

/**
 * Real values: the first, last and middle ids of every table with an integer `id` (found from the catalog, so a new
 * feature's table is sampled too), some usernames and calendar dates.
 */
export async function realValues(env: TestEnv): Promise<string[]> {
  const { sql } = env
  const out = new Set<string>()
  for (const { tableName } of await tablesWithIds(env)) {
    const rows = await sql<{ id: number }[]>`
      (SELECT id FROM ${sql(tableName)} ORDER BY id LIMIT 2) UNION (SELECT id FROM ${sql(tableName)} ORDER BY id DESC LIMIT 1)
      UNION (SELECT id FROM ${sql(tableName)} ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM ${sql(tableName)}))`
    for (const r of rows) out.add(String(r.id))
  }
  for (const r of await sql<{ username: string }[]>`SELECT username FROM users ORDER BY id LIMIT 4`) out.add(r.username)
  for (const r of await sql<{ date: string }[]>`SELECT date FROM eighth_blocks ORDER BY date DESC LIMIT 4`) out.add(r.date)
  out.add(env.clock.today())
  return [...out]
}
