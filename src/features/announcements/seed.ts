import type { SeedStep } from '../../platform/registry.ts'
import { sanitizeRichText } from '../../platform/richtext.ts'
import { addDays, zonedInstant } from '../../platform/zoned.ts'
import { addActivityUser } from '../eighth/admin/catalog/activities.sql.ts'
import { setSubscriptions } from '../eighth/admin/catalog/club.sql.ts'
import { classGroup, TEACHERS_GROUP } from '../users/demo-people.ts'
import { seniorYear } from '../users/grade.ts'
import { insertAnnouncement } from './announcements.sql.ts'
import { NEVER } from './form.ts'
import { claimAdminEmail, insertRequest, markRejected, setTeacherState } from './requests.sql.ts'
import { DEMO_POSTS, DEMO_REQUESTS } from './seed-data.ts'
import { activityIdsByName, groupIdsByName, hasAnnouncementTitled, idsByUsername } from './seed.sql.ts'

// `seed --demo`: a term of announcements (pinned ones, group-targeted ones, expired ones in the
// archive, club posts for three clubs with subscriptions on, the demo student subscribed and an
// officer of one), and requests in each state for the demo teacher and admin. Posts expire 14
// days after they were added at 23:59, as the form suggests, so older ones are in the archive.
// Idempotent: nothing happens when the first demo post exists.

const CLUBS = ['Robotics Team', 'Science Olympiad', 'Rocketry Club']

export const announcementsDemoSeed: SeedStep = {
  name: 'announcements demo',
  order: 35,
  run: async ({ sql, clock, config }) => {
    if (await hasAnnouncementTitled(sql, DEMO_POSTS[0]!.title)) return '0 new (already seeded)'
    const people = await idsByUsername(sql, ['admin', 'teacher', 'student'])
    const admin = people.get('admin')
    const teacher = people.get('teacher')
    const student = people.get('student')
    if (admin === undefined || teacher === undefined || student === undefined) return 'skipped: run the demo accounts seed first'
    const today = clock.today()
    const senior = seniorYear(today, config.yearTurnoverMonth)
    const classNames = [0, 1, 2, 3].map((k) => classGroup(senior + k))
    const audienceNames = [...new Set(DEMO_POSTS.flatMap((p) => p.audience ?? []).filter((a) => !a.startsWith('class:')))]
    const groups = await groupIdsByName(sql, [...classNames, TEACHERS_GROUP, ...audienceNames])
    const clubs = await activityIdsByName(sql, CLUBS)
    const groupOf = (a: string) => groups.get((a.startsWith('class:') ? classNames[Number(a.slice(6))]! : a).toLowerCase())
    return sql.begin(async (tx) => {
      for (const [name, id] of clubs) {
        await setSubscriptions(tx, id, true, clock.now())
        await addActivityUser(tx, id, 'subscriber', student)
        if (name === 'Rocketry Club') await addActivityUser(tx, id, 'officer', student)
      }
      let posts = 0
      for (const p of DEMO_POSTS) {
        const day = addDays(today, -p.daysAgo)
        const added = zonedInstant(day, `0${7 + (posts % 3)}:${String(10 + posts).slice(-2)}`, clock.tz)
        const clubId = p.club ? clubs.get(p.club) : undefined
        if (p.club && clubId === undefined) continue
        const groupIds = (p.audience ?? []).map(groupOf).filter((g): g is number => g !== undefined)
        await insertAnnouncement(tx, {
          title: p.title, content: sanitizeRichText(p.content, config), author: p.author ?? '', userId: p.club ? student : admin, activityId: clubId ?? null, public: false,
          expirationDate: p.never ? NEVER : zonedInstant(addDays(day, 14), '23:59', clock.tz), notifyPost: false, notifyEmailAll: false,
          pinned: !p.club && (p.pinned ?? false),
        }, clubId === undefined ? groupIds : [], added)
        posts++
      }
      for (const [i, r] of DEMO_REQUESTS.entries()) {
        const added = zonedInstant(addDays(today, -(i + 1)), '12:30', clock.tz)
        const id = await insertRequest(tx, { title: r.title, content: sanitizeRichText(r.content, config), author: '', expirationDate: zonedInstant(addDays(today, 14), '23:59', clock.tz), notes: r.notes, userId: student }, [teacher], added)
        if (r.state !== 'awaiting_teacher') {
          await setTeacherState(tx, id, teacher, 'approved', added)
          await claimAdminEmail(tx, id)
        }
        if (r.state === 'rejected') await markRejected(tx, id, admin, added)
      }
      return `${posts} announcements (${clubs.size} clubs with subscriptions on), ${DEMO_REQUESTS.length} requests`
    })
  },
}
