import type { SeedStep } from '../../platform/registry.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'
import { decideEvent, insertEvent, setAttending, type EventFields } from './events.sql.ts'
import { eventCount, groupIdsByName, someUsers } from './seed.sql.ts'

// `seed --demo`: a term of events from today on — public sports and school events (the login
// page and the public feed), club and team events for their groups, RSVP-able ones with a few
// attendees, and requests still waiting for an events admin. Runs only while there are no events.

type Plan = { day: number; at: string; hours: number; title: string; location: string; category: 'school' | 'sports'; public?: boolean;
  group?: string; rsvp?: boolean; pending?: boolean; text: string }

const PLAN: Plan[] = [
  { day: 1, at: '18:00', hours: 2, title: 'Varsity Basketball vs. Lincoln', location: 'Main gym', category: 'sports', public: true, text: 'Home game. Wear school colors!' },
  { day: 2, at: '15:30', hours: 1.5, title: 'Robotics Club build night', location: 'Room 114', category: 'school', group: 'Robotics Club', rsvp: true, text: 'Bring safety glasses. Pizza at 4.' },
  { day: 3, at: '19:00', hours: 2, title: 'Winter band concert', location: 'Auditorium', category: 'school', public: true, rsvp: true, text: 'Jazz Band and Orchestra perform. Free admission.' },
  { day: 4, at: '16:00', hours: 2, title: 'Swim and Dive at Jefferson', location: 'Jefferson Aquatic Center', category: 'sports', public: true, text: 'Away meet. The bus leaves at 3:15.' },
  { day: 5, at: '17:00', hours: 1, title: 'Debate Team practice round', location: 'Library', category: 'school', group: 'Debate Team', text: 'Practice round before the regional tournament.' },
  { day: 6, at: '10:00', hours: 3, title: 'Volleyball tournament', location: 'Main gym', category: 'sports', public: true, text: 'Round robin with four schools.' },
  { day: 8, at: '18:30', hours: 2, title: 'College application night', location: 'Cafeteria', category: 'school', public: true, rsvp: true, text: 'Counselors answer questions about applications and financial aid.' },
  { day: 9, at: '15:30', hours: 1, title: 'Math Team meeting', location: 'Room 202', category: 'school', group: 'Math Team', rsvp: true, text: 'Problem set review.' },
  { day: 10, at: '19:00', hours: 2, title: 'Varsity Soccer senior night', location: 'Stadium', category: 'sports', public: true, text: 'Celebrate our seniors before kickoff.' },
  { day: 12, at: '12:00', hours: 1, title: 'Environmental Club cleanup', location: 'Front lawn', category: 'school', pending: true, text: 'Gloves and bags provided.' },
  { day: 15, at: '18:00', hours: 3, title: 'Drama Club: winter play', location: 'Auditorium', category: 'school', public: true, rsvp: true, text: 'Opening night.' },
  { day: 17, at: '15:45', hours: 1, title: 'Chess Club blitz tournament', location: 'Room 120', category: 'school', group: 'Chess Club', rsvp: true, text: 'Five-minute games, all levels.' },
  { day: 20, at: '16:00', hours: 2, title: 'Track and Field time trials', location: 'Stadium', category: 'sports', group: 'Track and Field', text: 'Team members only.' },
  { day: 23, at: '18:00', hours: 2, title: 'Science fair setup', location: 'Gym', category: 'school', pending: true, text: 'Volunteers wanted to set up tables.' },
  { day: 29, at: '09:00', hours: 6, title: 'Model UN conference', location: 'Library', category: 'school', group: 'Model UN', rsvp: true, text: 'Delegates arrive by 8:30.' },
  { day: 36, at: '18:00', hours: 2, title: 'Lacrosse season opener', location: 'Stadium', category: 'sports', public: true, text: 'First home game of the season.' },
]

export const eventsDemoSeed: SeedStep = {
  name: 'demo events',
  order: 40,
  run: async ({ sql, clock, config }) => sql.begin(async (tx) => {
    if ((await eventCount(tx)) > 0) return 'events exist; left alone'
    const [teachers, students] = await Promise.all([someUsers(tx, 'teacher', 10), someUsers(tx, 'student', 40)])
    const author = teachers[0] ?? null
    if (author === null) return 'no teachers to add events'
    const groups = await groupIdsByName(tx, PLAN.flatMap((p) => (p.group ? [p.group] : [])))
    const now = clock.now()
    let n = 0
    for (const [i, p] of PLAN.entries()) {
      const startsAt = zonedInstant(addDays(clock.today(), p.day), p.at, config.schoolTz)
      const f: EventFields = {
        title: p.title, description: `<p>${p.text}</p>`, location: p.location, startsAt, endsAt: new Date(startsAt.getTime() + p.hours * 3_600_000),
        showAttending: !!p.rsvp, showOnDashboard: !!(p.public || p.group), public: !!p.public && !p.group, category: p.category, openTo: 'everyone',
      }
      const group = p.group ? groups.get(p.group) : undefined
      const requester = p.pending ? students[i % Math.max(1, students.length)] ?? author : teachers[i % Math.max(1, teachers.length)] ?? author
      // Added over the last few days, soonest first, so the dashboard feed reads naturally.
      const id = await insertEvent(tx, f, group === undefined ? [] : [group], requester, null, new Date(now.getTime() - i * 6 * 3_600_000))
      if (!p.pending) await decideEvent(tx, id, true, author, now)
      if (p.rsvp) for (const s of students.slice(i, i + 4 + (i % 5))) await setAttending(tx, id, s, true, now)
      n++
    }
    return `${n} events`
  }),
}
