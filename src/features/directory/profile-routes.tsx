import { Elysia, t } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base, Deps } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import type { Viewer } from '../../platform/viewer.ts'
import { loadProfile } from './profile.ts'
import { ProfilePage } from './views/profile.tsx'

// /profile (yourself) and /profile/<id>. Restricted accounts may see only their own.

type Ctx = { deps: Deps; viewer: Viewer; request: Request; path: string; set: { headers: Record<string, unknown> } }

async function show(c: Ctx, id: string | undefined) {
  const res = await loadProfile(c.deps, c.viewer, id)
  if (res.kind === 'forbidden') throw new HttpError(403, 'You may only view your own profile.')
  if (res.kind === 'notFound') throw new HttpError(404, 'There is no such person.')
  return page(c, res.model.name, <ProfilePage m={res.model} />)
}

export function profileRoutes(base: Base) {
  return new Elysia({ name: 'directory-profile' })
    .use(base)
    .get('/profile', (c) => show(c, undefined), { policy: 'user' })
    .get('/profile/:id', (c) => show(c, c.params.id), { policy: 'user', params: t.Object({ id: t.String({ maxLength: 20 }) }) })
}
