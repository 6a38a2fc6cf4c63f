import { Elysia } from 'elysia'
import type { Base } from '../../platform/http.ts'
import type { Db } from '../../platform/db.ts'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { isStudent, isTeacher } from '../../platform/viewer.ts'
import { markWelcomeSeen, seenWelcome } from './welcome.sql.ts'
import { StudentWelcome, TeacherWelcome } from './views.tsx'

// Welcome (issue 8, item 7; ion-apps.md §17): /welcome sends students to /welcome/student and
// teachers to /welcome/teacher (others to the dashboard); /welcome/done (a POST) records
// users.seen_welcome. Login sends a student who has not seen it here once (welcomeTarget).

/** Where a successful login goes: a student who has not seen the welcome, heading for '/', goes to /welcome. */
export async function welcomeTarget(db: Db, userId: number, next: string): Promise<string> {
  if (next !== '/') return next
  const s = await seenWelcome(db, userId)
  return s && s.userType === 'student' && !s.seen ? '/welcome' : next
}

export function welcomeFeature(base: Base) {
  return new Elysia({ name: 'welcome' })
    .use(base)
    .get('/welcome', (c) => redirect(c.request, isStudent(c.viewer) ? '/welcome/student' : isTeacher(c.viewer) ? '/welcome/teacher' : '/'), { policy: 'member' })
    .get('/welcome/student', (c) => page(c, 'Welcome', <StudentWelcome name={c.viewer.nickname || c.viewer.firstName} schoolName={c.deps.config.schoolName} />), { policy: 'member' })
    .get('/welcome/teacher', (c) => page(c, 'Welcome', <TeacherWelcome name={c.viewer.nickname || c.viewer.firstName} schoolName={c.deps.config.schoolName} />), { policy: 'member' })
    .get('/welcome/done', (c) => redirect(c.request, '/welcome'), { policy: 'member' })
    .post('/welcome/done', async (c) => {
      await markWelcomeSeen(c.deps.sql, c.viewer.id, c.deps.clock.now())
      return redirect(c.request, '/')
    }, { policy: 'member' })
}
