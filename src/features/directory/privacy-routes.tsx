import { Elysia, t } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { findTarget, savePrivacy, submittedFlags } from './privacy-edit.ts'
import { PrivacyPage } from './views/privacy.tsx'

// /preferences/privacy?user=<id> | ?student_id=<id> (the eighth-period office): a student's flags.

const flag = () => t.Optional(t.String({ maxLength: 10 }))

export function privacyRoutes(base: Base) {
  return new Elysia({ name: 'directory-privacy' })
    .use(base)
    .get('/preferences/privacy', async (c) => {
      const target = await findTarget(c.deps, { user: c.query.user, studentId: c.query.student_id })
      if (target.kind === 'notFound') c.set.status = 404
      return page(c, 'Student privacy', <PrivacyPage target={target} saved={c.query.saved === '1'} />)
    }, {
      policy: 'admin_eighth',
      query: t.Object({ user: t.Optional(t.String({ maxLength: 20 })), student_id: t.Optional(t.String({ maxLength: 40 })), saved: t.Optional(t.String({ maxLength: 2 })) }),
    })

    .post('/preferences/privacy', async (c) => {
      const id = Number(c.body.user)
      const out = await savePrivacy(c.deps, c.viewer, id, submittedFlags(c.body), c.ip)
      if (out.ok) return redirect(c.request, `/preferences/privacy?user=${id}&saved=1`)
      c.set.status = out.status
      const target = await findTarget(c.deps, { user: String(id) })
      return page(c, 'Student privacy', <PrivacyPage target={target} saved={false} error={out.message} />)
    }, {
      policy: 'admin_eighth',
      body: t.Object({
        user: t.String({ pattern: '^[0-9]{1,9}$' }),
        parent_show_pictures: flag(), self_show_pictures: flag(),
        parent_show_eighth: flag(), self_show_eighth: flag(),
        parent_show_schedule: flag(), self_show_schedule: flag(),
      }),
    })
}
