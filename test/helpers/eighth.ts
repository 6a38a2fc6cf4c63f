import type { Sql } from '../../src/platform/db.ts'
import { createActivity, createBlock, createRoom, createSponsor, scheduleActivity, type ActivityFields, type ScheduleFields } from '../../src/features/eighth/catalog.sql.ts'
import { signUp, type Requester, type SignupInput } from '../../src/features/eighth/signup.ts'
import type { Clock } from '../../src/platform/clock.ts'

// Builders for eighth-period tests (Ion's EighthAbstractTest helpers, minus the HTTP forms).

export const CFG = { tz: 'America/New_York', turnoverMonth: 7 }

export async function addBlock(sql: Sql, date: string, letter: string, locked = false) {
  return createBlock(sql, { date, letter, locked })
}

export async function addRoom(sql: Sql, name: string, capacity = 28) {
  return createRoom(sql, { name, capacity })
}

export async function addSponsor(sql: Sql, lastName: string, firstName = '') {
  return createSponsor(sql, { lastName, firstName })
}

export async function addActivity(sql: Sql, name: string, f: Partial<ActivityFields> & { rooms?: number[]; sponsors?: number[] } = {}) {
  return createActivity(sql, { name, ...f })
}

export async function schedule(sql: Sql, blockId: number, activityId: number, f: ScheduleFields & { rooms?: number[]; sponsors?: number[] } = {}) {
  return scheduleActivity(sql, blockId, activityId, f)
}

export const asStudent = (id: number): Requester => ({ id, isEighthAdmin: false, isStudent: true })
export const asAdmin = (id: number): Requester => ({ id, isEighthAdmin: true, isStudent: false })

export function signup(sql: Sql, clock: Clock, input: SignupInput) {
  return signUp(sql, clock, CFG, input)
}

export async function membersOf(sql: Sql, scheduledId: number): Promise<number[]> {
  const rows = await sql<{ userId: number }[]>`SELECT user_id FROM eighth_signups WHERE scheduled_activity_id = ${scheduledId} ORDER BY user_id`
  return rows.map((r) => r.userId)
}

/** Many students at once, fast (one insert; no password). */
export async function bulkStudents(sql: Sql, n: number, gradYear = 2027, prefix = 's'): Promise<number[]> {
  const tag = Math.random().toString(36).slice(2, 7)
  const rows = Array.from({ length: n }, (_, i) => ({
    username: `${prefix}${tag}${i}`, userType: 'student', firstName: 'S', lastName: `N${i}`, graduationYear: gradYear,
  }))
  const out: number[] = []
  for (let i = 0; i < rows.length; i += 1000) {
    const got = await sql<{ id: number }[]>`INSERT INTO users ${sql(rows.slice(i, i + 1000))} RETURNING id`
    out.push(...got.map((r) => r.id))
  }
  return out
}
