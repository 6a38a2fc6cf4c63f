import type { SeedStep } from '../../platform/registry.ts'
import { hashPassword } from '../auth/passwords.ts'
import { chunks } from '../imports/types.ts'
import { classGroup, demoClasses, demoPeople, TEACHERS_GROUP, type DemoPerson } from './demo-people.ts'
import { addDemoMemberships, ensureGroups, insertDemoEmails, insertDemoUsers, userIdsByUsername, type DemoUser } from './demo-seed.sql.ts'

// `seed --demo`: ~2,000 students in grades 9–12, 180 teachers, 6 counselors and the fixed
// accounts admin, eighth, teacher and student, all with the demo password (hashed once). One
// transaction; accounts that already exist are left alone, so a second run adds nothing.

const BATCH = 500

export const demoAccountsSeed: SeedStep = {
  name: 'demo accounts',
  order: 10,
  run: async ({ sql, config, clock }) => {
    const now = clock.now()
    const people = demoPeople(clock.today(), config.yearTurnoverMonth)
    const passwordHash = await hashPassword(config.demoPassword)
    const added = await sql.begin(async (tx) => {
      await ensureGroups(tx, [
        ...demoClasses(clock.today(), config.yearTurnoverMonth).map((y) => ({ name: classGroup(y), studentVisible: true, description: `Students graduating in ${y}` })),
        { name: TEACHERS_GROUP, studentVisible: false, description: 'Teachers and counselors' },
      ], now)
      const row = (p: DemoPerson, counselorId: number | null): DemoUser => ({
        username: p.username, userType: p.userType, firstName: p.firstName, middleName: p.middleName, lastName: p.lastName,
        title: p.title, gender: p.gender, graduationYear: p.graduationYear, studentId: p.studentId, counselorId, passwordHash,
        isSuperuser: p.isSuperuser, createdAt: now, updatedAt: now,
      })
      // Staff first: students point at their counselor's id.
      const staff = people.filter((p) => p.userType !== 'student')
      const students = people.filter((p) => p.userType === 'student')
      const inserted: { id: number; username: string }[] = []
      for (const batch of chunks(staff, BATCH)) inserted.push(...(await insertDemoUsers(tx, batch.map((p) => row(p, null)))))
      const counselorIds = await userIdsByUsername(tx, [...new Set(students.map((s) => s.counselor!))])
      for (const batch of chunks(students, BATCH))
        inserted.push(...(await insertDemoUsers(tx, batch.map((p) => row(p, counselorIds.get(p.counselor!.toLowerCase()) ?? null)))))

      const byName = new Map(people.map((p) => [p.username, p]))
      for (const batch of chunks(inserted, BATCH)) {
        await insertDemoEmails(tx, batch.map((u) => ({ userId: u.id, address: `${u.username}@example.org`, isPrimary: true })))
        await addDemoMemberships(tx, batch.flatMap((u) => byName.get(u.username)!.groups.map((group) => ({ userId: u.id, group }))))
      }
      return inserted.map((u) => byName.get(u.username)!.kind)
    })
    const count = (k: DemoPerson['kind']) => added.filter((x) => x === k).length
    return added.length
      ? `${added.length} new (${count('student')} students, ${count('teacher')} teachers, ${count('counselor')} counselors, ${count('fixed')} fixed accounts)`
      : '0 new'
  },
}
