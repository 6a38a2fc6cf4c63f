import type { Sql } from '../../src/platform/db.ts'
import { FEMALE_FIRST, LAST, MALE_FIRST } from '../../src/features/users/demo-names.ts'

// A school's worth of people in a few statements (directory search and its latency).

/** A seeded PRNG (mulberry32): the same people every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `students` students across four graduation years and `staff` teachers, with school emails. */
export async function bulkPeople(sql: Sql, students: number, staff: number, seniorYear: number): Promise<number> {
  const rand = prng(42)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
  const tag = Math.random().toString(36).slice(2, 6)
  const rows = Array.from({ length: students + staff }, (_, i) => {
    const female = rand() < 0.5
    const student = i < students
    const firstName = pick(female ? FEMALE_FIRST : MALE_FIRST)
    const lastName = pick(LAST)
    return {
      username: `${firstName.slice(0, 1)}${lastName}`.toLowerCase().replace(/[^a-z]/g, '').slice(0, 20) + `${tag}${i}`,
      userType: student ? 'student' : 'teacher',
      firstName, lastName,
      nickname: rand() < 0.1 ? firstName.slice(0, 3) : '',
      gender: female ? 'female' : 'male',
      graduationYear: student ? seniorYear + (i % 4) : null,
      studentId: student ? String(5000000 + i) : null,
    }
  })
  const ids: number[] = []
  for (let i = 0; i < rows.length; i += 1000) {
    const got = await sql<{ id: number }[]>`INSERT INTO users ${sql(rows.slice(i, i + 1000))} RETURNING id`
    ids.push(...got.map((r) => r.id))
  }
  const emails = ids.map((id, i) => ({ userId: id, address: `${rows[i]!.username}@school.example.org`, isPrimary: true }))
  for (let i = 0; i < emails.length; i += 1000) await sql`INSERT INTO emails ${sql(emails.slice(i, i + 1000))}`
  // Steady state, as autovacuum leaves a table after an import (visibility map, statistics).
  await sql`VACUUM ANALYZE users`
  await sql`VACUUM ANALYZE emails`
  return ids.length
}
