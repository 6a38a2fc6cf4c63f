import type { TestEnv } from '../helpers/app.ts'
import { login, makeUser, type MadeUser } from '../helpers/factories.ts'
import { addActivity, addBlock, addRoom, asStudent, schedule, signup } from '../helpers/eighth.ts'
import { addAnnouncement } from '../news/announcements-fixture.ts'
import { addEvent } from '../news/events-fixture.ts'
import { addPoll, addQuestion } from '../news/polls-fixture.ts'
import { addDayType, BLUE } from '../schedule/fixture.ts'
import { addRoutes } from '../bus/helpers.ts'
import { createSponsor } from '../../src/features/eighth/catalog.sql.ts'
import { createToken } from '../../src/features/auth/tokens.sql.ts'
import { createPasswordLink } from '../../src/features/auth/password-links.ts'
import { insertWarning } from '../../src/features/emerg/warnings.sql.ts'
import { createSession, SESSION_COOKIE, validateSession } from '../../src/platform/session.ts'
import type { UserType, Viewer } from '../../src/platform/viewer.ts'

// The cast of the permissions matrix: one account per role, signed in through the real login form,
// and the objects the object-scoped routes act on (real ids, rebuilt after any change).
//
// Choices (see the report of issue 11, item 3):
// - Staff roles (teacher, sponsor, eighth, news, bus, admin) are all of type `teacher`, as the demo
//   school's staff are: the `teacher` column is their baseline, and any other difference in a staff
//   column comes from the permission group (or, for `sponsor`, from sponsoring the activity).
// - `admin` is the demo's global admin: type teacher, superuser AND in `admin_all`.
// - `restricted`: this code base has no per-student "restricted" flag; Ion's restriction is by type
//   (viewer.ts isRestricted: user, alum, service). The account is an `alum`: restricted and nothing
//   else (type `user` would also be an attendance taker).
// - The objects belong to `student` (signup, token, email, photo, profile) and to `sponsor` (the
//   activity): `other` is the classmate who must not reach them.

export const ROLES = ['anon', 'student', 'other', 'teacher', 'sponsor', 'eighth', 'news', 'bus', 'admin', 'restricted'] as const
export type Role = (typeof ROLES)[number]
type Person = Exclude<Role, 'anon'>

type Spec = { type: UserType; groups: string[]; superuser?: boolean; lastName: string }
const SPECS: Record<Person, Spec> = {
  student: { type: 'student', groups: [], lastName: 'Student' },
  other: { type: 'student', groups: [], lastName: 'Classmate' },
  teacher: { type: 'teacher', groups: [], lastName: 'Teacher' },
  sponsor: { type: 'teacher', groups: [], lastName: 'Sponsor' },
  eighth: { type: 'teacher', groups: ['admin_eighth'], lastName: 'Office' },
  news: { type: 'teacher', groups: ['admin_announcements'], lastName: 'Newsdesk' },
  bus: { type: 'teacher', groups: ['admin_bus'], lastName: 'Busadmin' },
  admin: { type: 'teacher', groups: ['admin_all'], superuser: true, lastName: 'Administrator' },
  restricted: { type: 'alum', groups: [], lastName: 'Alum' },
}

export type Cast = {
  users: Record<Person, MadeUser>
  /** A student no role plays: the target of the user-admin routes (lock, edit, impersonate). */
  victim: MadeUser
  cookies: Record<Role, string | undefined>
}

export async function makeCast(env: TestEnv): Promise<Cast> {
  const users = {} as Record<Person, MadeUser>
  for (const [role, s] of Object.entries(SPECS) as [Person, Spec][]) {
    users[role] = await makeUser(env.sql, { type: s.type, groups: s.groups, isSuperuser: s.superuser ?? false, lastName: s.lastName, email: `${role}@school.example` })
  }
  const victim = await makeUser(env.sql, { type: 'student', lastName: 'Victim' })
  const cookies = { anon: undefined } as Record<Role, string | undefined>
  for (const role of Object.keys(users) as Person[]) cookies[role] = await login(env.app, users[role])
  return { users, victim, cookies }
}

/** The viewer a role's session resolves to, as far as `allows()` looks (anon: null). */
export function viewerOf(cast: Cast, role: Role): Viewer | null {
  if (role === 'anon') return null
  const s = SPECS[role]
  return {
    id: cast.users[role].id, username: cast.users[role].username, userType: s.type, firstName: 'Test', lastName: s.lastName, nickname: null,
    graduationYear: null, isSuperuser: s.superuser ?? false, perms: s.groups, darkMode: false, totpEnabled: false, via: 'session', session: null, impersonatedBy: null,
  }
}

/**
 * Puts every account back as its role needs it, after a cell that may have changed something:
 * the row (a user admin may lock or regroup), and a live session that is not viewing the site as
 * someone else (logout, "log out everywhere" and impersonation end or change sessions).
 */
export async function restoreCast(env: TestEnv, cast: Cast): Promise<void> {
  const now = env.clock.now().getTime()
  for (const [role, s] of Object.entries(SPECS) as [Person, Spec][]) {
    const u = cast.users[role]
    await env.sql`UPDATE users SET user_type = ${s.type}, is_superuser = ${s.superuser ?? false}, locked = false, active = true WHERE id = ${u.id}`
    await env.sql`DELETE FROM user_groups WHERE user_id = ${u.id} AND group_id NOT IN (SELECT id FROM groups WHERE name = ANY(${s.groups}::text[]))`
    await env.sql`INSERT INTO user_groups (user_id, group_id) SELECT ${u.id}, id FROM groups WHERE name = ANY(${s.groups}::text[]) ON CONFLICT DO NOTHING`
    const token = cast.cookies[role]!.split('=')[1]!
    const live = await validateSession(env.redis, token, now)
    if (live && !live.actAs) continue
    const fresh = await createSession(env.redis, u.id, now, { trusted: false, ua: 'permissions matrix', ip: '127.0.0.1', reauth: true })
    cast.cookies[role] = `${SESSION_COOKIE}=${fresh.token}`
  }
}

/** Ids for the route parameters; `objects()` makes a fresh set (n keeps names and dates unique). */
export type Objects = {
  block: number; activity: number; scheduled: number; signup: number; room: number; sponsorRow: number; group: number
  announcement: number; clubAnnouncement: number; request: number; event: number; pendingEvent: number
  poll: number; question: number; choice: number; busRoute: number; warning: number; dayType: number
  mail: number; token: number; email: number; resetToken: string; absence: number
}

export async function buildObjects(env: TestEnv, cast: Cast, n: number): Promise<Objects> {
  const { sql } = env
  const u = cast.users
  const now = env.clock.now()
  const [existing] = await sql<{ id: number }[]>`SELECT id FROM eighth_sponsors WHERE user_id = ${u.sponsor.id}`
  const sponsorRow = existing?.id ?? (await createSponsor(sql, { lastName: 'Sponsor', firstName: 'Sam', userId: u.sponsor.id }))
  const room = await addRoom(sql, `Room ${n}`)
  const activity = await addActivity(sql, `Robotics ${n}`, { rooms: [room], sponsors: [sponsorRow], subscriptionsEnabled: true, description: 'Build robots.' })
  const block = await addBlock(sql, dayAfter('2026-12-01', n), 'A')
  const scheduled = await schedule(sql, block, activity)
  await signup(sql, env.clock, { userId: u.student.id, scheduledId: scheduled, requester: asStudent(u.student.id), force: true })
  const [s] = await sql<{ id: number }[]>`SELECT id FROM eighth_signups WHERE user_id = ${u.student.id} AND block_id = ${block}`
  // Today's block, locked, where `student` came on a pass and was marked absent: the sponsor may
  // still decide the pass (attendance locks at 10 p.m.), the office may clear the absence.
  const todayBlock = await addBlock(sql, env.clock.today(), `P${n}`)
  const todayScheduled = await schedule(sql, todayBlock, activity)
  await signup(sql, env.clock, { userId: u.student.id, scheduledId: todayScheduled, requester: asStudent(u.student.id), force: true })
  await sql`UPDATE eighth_blocks SET locked = true WHERE id = ${todayBlock}`
  await sql`UPDATE eighth_scheduled_activities SET attendance_taken = true WHERE id = ${todayScheduled}`
  const [ab] = await sql<{ id: number }[]>`UPDATE eighth_signups SET was_absent = true, after_deadline = true WHERE user_id = ${u.student.id} AND block_id = ${todayBlock} RETURNING id`
  const [g] = await sql<{ id: number }[]>`INSERT INTO groups (name, student_visible) VALUES (${`Chess Club ${n}`}, true) RETURNING id`
  await sql`INSERT INTO user_groups (user_id, group_id) VALUES (${u.student.id}, ${g!.id}), (${cast.victim.id}, ${g!.id}) ON CONFLICT DO NOTHING`
  const announcement = await addAnnouncement(sql, { title: `Notice ${n}` })
  const clubAnnouncement = await addAnnouncement(sql, { title: `Club news ${n}`, activityId: activity, userId: u.sponsor.id })
  const [r] = await sql<{ id: number }[]>`
    INSERT INTO announcement_requests (title, content, user_id, added, updated) VALUES (${`Bake sale ${n}`}, '<p>Cookies.</p>', ${u.student.id}, ${now}, ${now}) RETURNING id`
  await sql`INSERT INTO announcement_request_teachers (request_id, user_id, slot) VALUES (${r!.id}, ${u.teacher.id}, 1)`
  const event = await addEvent(sql, { title: `Concert ${n}`, rsvp: true, public: true })
  const pendingEvent = await addEvent(sql, { title: `Dance ${n}`, approved: false, userId: u.student.id })
  const poll = await addPoll(sql, { title: `Mascot ${n}`, results: 'live' })
  const q = await addQuestion(sql, poll, 'STD', 'Which mascot?', ['Owl', 'Fox'])
  const routes = await addRoutes(sql)
  const busRoute = routes.get([...routes.keys()].sort()[0]!)!
  const warning = await insertWarning(sql, { title: `Snow ${n}`, body: 'Roads are icy.', placement: 'dashboard', active: true, startsAt: null, endsAt: null }, u.admin.id, now)
  const dayType = await addDayType(sql, `Blue ${n}`, BLUE)
  const [m] = await sql<{ id: number }[]>`
    INSERT INTO mail_outbox (kind, idempotency_key, to_addrs, subject, html, text, state, attempts, created_at, next_attempt_at, updated_at, last_error)
    VALUES ('test', ${`<matrix-${n}-${Math.random().toString(36).slice(2)}@school.example>`}, ${['student@school.example']}, 'Hello', '<p>Hello</p>', 'Hello',
            'failed', 5, ${now}, ${now}, ${now}, 'refused') RETURNING id`
  const token = await createToken(sql, u.student.id, `Matrix ${n}`, `hash-${n}-${Math.random().toString(36).slice(2)}`, now)
  const [e] = await sql<{ id: number }[]>`INSERT INTO emails (user_id, address, is_primary) VALUES (${u.student.id}, ${`student.${n}@mail.example`}, false) RETURNING id`
  const resetToken = await createPasswordLink(sql, cast.victim.id, u.admin.id, 'admin', now)
  return {
    block, activity, scheduled, signup: s!.id, room, sponsorRow, group: g!.id, announcement, clubAnnouncement, request: r!.id, event, pendingEvent,
    poll, question: q.id, choice: q.choices[0]!, busRoute, warning, dayType, mail: m!.id, token, email: e!.id, resetToken, absence: ab!.id,
  }
}

/** A photo of `student`, so the picture routes have something to refuse or serve. */
export async function addPhoto(env: TestEnv, userId: number): Promise<void> {
  const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0))
  const etag = new Bun.CryptoHasher('sha256').update(png).digest('hex')
  await env.sql`INSERT INTO photos (user_id, grade_number, bytes, content_type, etag, created_at) VALUES (${userId}, 12, ${png}, 'image/png', ${etag}, ${env.clock.now()})`
}

const dayAfter = (date: string, n: number) => new Date(Date.parse(date + 'T12:00:00Z') + n * 86_400_000).toISOString().slice(0, 10)
