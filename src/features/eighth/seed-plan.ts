import { addDays, weekdayOf } from '../../platform/zoned.ts'
import { FEMALE_FIRST, LAST, MALE_FIRST } from '../users/demo-names.ts'
import { prng } from '../users/demo-people.ts'
import type { DemoActivity } from './seed-data.ts'
import type { ActivityRow, SponsorRow } from './seed.sql.ts'

// The demo catalogue, computed without the database: the same inputs give the same rooms,
// sponsors, schedule and signups on every run.

/** ~125 rooms: numbered classrooms of 24–35 seats, and named spaces (−1 = unlimited, 0 = no signups). */
export function demoRooms(): { name: string; capacity: number }[] {
  const numbered: { name: string; capacity: number }[] = []
  for (const [floor, count] of [[1, 40], [2, 40], [3, 25]] as const)
    for (let i = 1; i <= count; i++) numbered.push({ name: String(floor * 100 + i), capacity: 24 + ((floor * 100 + i) * 7) % 12 })
  const named: [string, number][] = [
    ['Cafeteria', -1], ['Auditorium', -1], ['Courtyard', -1], ['Library', 60], ['Lecture Hall', 100], ['Main Gym', 80],
    ['Auxiliary Gym', 40], ['Black Box Theater', 50], ['Band Room', 70], ['Choir Room', 60], ['Orchestra Room', 60],
    ['Ceramics Studio', 18], ['Art Studio A', 24], ['Art Studio B', 24], ['Computer Lab 1', 30], ['Computer Lab 2', 30],
    ['Robotics Lab', 25], ['Main Office', 0], ['Counseling Office', 0], ['Health Room', 0],
  ]
  return [...numbered, ...named.map(([name, capacity]) => ({ name, capacity }))]
}

/** Where an activity meets: a named space when its name calls for one, else a classroom. */
const PLACES: [RegExp, string[]][] = [
  [/^Assembly|Guest Speaker/, ['Auditorium']], [/Career Fair/, ['Main Gym', 'Cafeteria']], [/^Z - /, ['Main Office']],
  [/Band|Jazz/, ['Band Room']], [/Choir/, ['Choir Room']], [/Orchestra/, ['Orchestra Room']], [/Ceramics/, ['Ceramics Studio']],
  [/Painting|Art Honor|Fashion/, ['Art Studio A']], [/Robotics/, ['Robotics Lab']],
  [/Coding|Programming|Cyber|Machine Learning|Computer Vision|Girls Who Code|Tech Support|Esports/, ['Computer Lab 1']],
  [/^Library$|Wikipedia/, ['Library']], [/Study Hall|Blood Drive/, ['Cafeteria']], [/College Visit/, ['Lecture Hall']],
  [/Badminton|Table Tennis|Weightlifting|Yoga|Dance/, ['Auxiliary Gym']], [/Ultimate|Rocketry|Ornithology/, ['Courtyard']],
  [/Drama|Theater|Improv|Stage Crew/, ['Black Box Theater']], [/Counselor|Peer Counseling/, ['Counseling Office']],
  [/First Aid|Sports Medicine/, ['Health Room']],
]

export function roomsFor(name: string, index: number, classrooms: string[]): string[] {
  for (const [re, rooms] of PLACES) if (re.test(name)) return rooms
  const first = classrooms[(index * 37) % classrooms.length]!
  return index % 9 === 4 ? [first, classrooms[(index * 37 + 1) % classrooms.length]!] : [first]
}

const GRADES: Record<string, Partial<Record<'freshmenAllowed' | 'sophomoresAllowed' | 'juniorsAllowed' | 'seniorsAllowed', true>>> = {
  'Senior Seminar': { seniorsAllowed: true },
  'Freshman Mentoring': { freshmenAllowed: true, juniorsAllowed: true, seniorsAllowed: true },
  'Junior Research Orientation': { juniorsAllowed: true },
  'Sophomore Class Meeting': { sophomoresAllowed: true },
  'National Honor Society': { juniorsAllowed: true, seniorsAllowed: true },
}

export function activityRow(a: DemoActivity, index: number): ActivityRow {
  const f = a.flags ?? ''
  const grades = GRADES[a.name] ?? {}
  return {
    name: a.name, description: a.description, defaultCapacity: a.cap ?? null,
    restricted: f.includes('R'), sticky: f.includes('S'), bothBlocks: f.includes('B'), oneADay: f.includes('O'),
    presign: f.includes('P'), special: f.includes('X'), administrative: f.includes('A'),
    freshmenAllowed: !!grades.freshmenAllowed, sophomoresAllowed: !!grades.sophomoresAllowed,
    juniorsAllowed: !!grades.juniorsAllowed, seniorsAllowed: !!grades.seniorsAllowed,
    wedA: index % 5 !== 1, wedB: index % 5 !== 2, friA: index % 5 !== 3, friB: index % 5 !== 4,
  }
}

/** Restricted activities without grade rules allow a deterministic slice of the students. */
export function allowedStudents(a: ActivityRow, index: number, students: number[]): number[] {
  if (!a.restricted || a.administrative || a.freshmenAllowed || a.sophomoresAllowed || a.juniorsAllowed || a.seniorsAllowed) return []
  const every = a.sticky ? 50 : 23
  return students.filter((_, k) => k % every === index % every)
}

const DEPARTMENTS = ['general', 'math_cs', 'english', 'social_studies', 'fine_arts', 'health_pe', 'scitech']

/** Teachers sponsor when the accounts seed made some; otherwise 60 name-only sponsors. */
export function demoSponsors(teachers: { id: number; firstName: string; lastName: string }[]): SponsorRow[] {
  if (teachers.length)
    return teachers.slice(0, 160).map((t, i) => ({ firstName: t.firstName, lastName: t.lastName.slice(0, 50), userId: t.id, showFullName: i % 4 === 0, department: DEPARTMENTS[i % 7]! }))
  const rand = prng(0x8e1647)
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
  return Array.from({ length: 60 }, (_, i) => ({
    firstName: pick(rand() < 0.5 ? FEMALE_FIRST : MALE_FIRST), lastName: pick(LAST), userId: null, showFullName: i % 4 === 0, department: DEPARTMENTS[i % 7]!,
  }))
}

/** Wednesdays and Fridays from today through the next 8 weeks. */
export function demoDates(today: string): string[] {
  const out: string[] = []
  for (let i = 0; i < 56; i++) {
    const d = addDays(today, i)
    const wd = weekdayOf(d)
    if (wd === 3 || wd === 5) out.push(d)
  }
  return out
}

/** Most activities meet in every block; events only on some days; a few meetings are cancelled. */
export function meets(a: ActivityRow, i: number, dateIndex: number): boolean {
  if (a.administrative) return true
  if (a.special || a.presign || a.bothBlocks) return dateIndex % 4 === i % 4
  return (i * 7 + dateIndex) % 10 !== 0
}

export function scheduleExtras(i: number, dateIndex: number): { title: string; comments: string; capacity: number | null; cancelled: boolean } {
  return {
    title: i % 29 === 0 && dateIndex % 2 === 0 ? 'Guest speaker' : '',
    comments: i % 31 === 5 ? 'Meet at the front entrance.' : '',
    capacity: i % 17 === 8 ? 15 : null,
    cancelled: i % 53 === 7 && dateIndex % 3 === 1,
  }
}
