import { Elysia, t } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { json } from '../../platform/api.ts'
import { apiProfile } from './profile-api.ts'
import { canUseApi, isEighthAdminUser } from './api-access.sql.ts'
import { userIdByUsername } from './users.sql.ts'

export function usersApiRoutes(base: Base) {
  return new Elysia({ name: 'users-api' })
    .use(base)
    .get('/api', ({ deps }) => json({
      announcements: `${deps.config.baseUrl}/api/announcements`,
      profile: `${deps.config.baseUrl}/api/profile`,
      search: `${deps.config.baseUrl}/api/search/<query>`,
      schedule: `${deps.config.baseUrl}/api/schedule`,
      emerg: `${deps.config.baseUrl}/api/emerg`,
      bus: `${deps.config.baseUrl}/api/bus`,
      blocks: `${deps.config.baseUrl}/api/blocks`,
      activities: `${deps.config.baseUrl}/api/activities`,
      signups: `${deps.config.baseUrl}/api/signups/user`,
    }), { open: 'public' })
    .get('/api/profile', async ({ deps, viewer }) => {
      const a = await apiProfile(deps.sql, deps.config, viewer, deps.clock.today(), null, true)
      if (a.status === 200) a.body.is_eighth_admin = await isEighthAdminUser(deps.sql, viewer.id)
      return json(a.body, a.status)
    }, { policy: 'user' })
    .get('/api/profile/:key', async ({ deps, viewer, params }) => {
      const id = /^\d{1,9}$/.test(params.key) ? Number(params.key) : await userIdByUsername(deps.sql, params.key)
      if (id === null) return json({ detail: 'Not found.', details: ['Not found.'] }, 404)
      const a = await apiProfile(deps.sql, deps.config, viewer, deps.clock.today(), id, await canUseApi(deps.sql, viewer.id))
      if (a.status === 200) a.body.is_eighth_admin = await isEighthAdminUser(deps.sql, id)
      return json(a.body, a.status)
    }, { policy: 'user', params: t.Object({ key: t.String({ maxLength: 60 }) }) })
}
