import type { SeedStep } from '../../platform/registry.ts'
import { prng } from '../users/demo-people.ts'
import { activeStudentIds, addMembershipPairs, insertGroupsReturning } from './groups.sql.ts'

// `seed --demo`: clubs and sports teams with members, beside the class groups the accounts
// seed made. Members are added only to the groups this run created, so a second run adds
// nothing and never undoes an admin's changes.

const CLUBS = [
  'Robotics Club', 'Chess Club', 'Debate Team', 'Math Team', 'Model UN', 'Drama Club', 'Art Club', 'Science Olympiad',
  'Computer Science Club', 'Environmental Club', 'Jazz Band', 'Orchestra',
]
const TEAMS = [
  'Varsity Soccer', 'Varsity Basketball', 'Cross Country', 'Swim and Dive', 'Track and Field', 'Volleyball', 'Tennis', 'Lacrosse',
]

export const DEMO_GROUPS = [...CLUBS, ...TEAMS]

export const demoGroupsSeed: SeedStep = {
  name: 'demo groups',
  order: 14,
  run: async ({ sql, clock }) => {
    return sql.begin(async (tx) => {
      const created = await insertGroupsReturning(tx, [
        ...CLUBS.map((name) => ({ name, studentVisible: true, description: 'Club' })),
        ...TEAMS.map((name) => ({ name, studentVisible: true, description: 'Sports team' })),
      ], clock.now())
      if (!created.size) return '0 new'
      const students = await activeStudentIds(tx)
      const rand = prng(0x6a0b5)
      const pairs: { userId: number; groupId: number }[] = []
      for (const name of DEMO_GROUPS) {
        const groupId = created.get(name)
        if (groupId === undefined || !students.length) continue
        const size = CLUBS.includes(name) ? 15 + Math.floor(rand() * 30) : 18 + Math.floor(rand() * 12)
        const picked = new Set<number>()
        for (let i = 0; i < size * 3 && picked.size < Math.min(size, students.length); i++)
          picked.add(students[Math.floor(rand() * students.length)]!.id)
        for (const userId of picked) pairs.push({ userId, groupId })
      }
      const members = await addMembershipPairs(tx, pairs)
      return `${created.size} new groups, ${members} memberships`
    })
  },
}
