import { Elysia } from 'elysia'
import { HttpError } from '../../platform/errors.ts'
import type { Base, Deps } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import type { Viewer } from '../../platform/viewer.ts'
import { loadProfile } from './profile.ts'
import { ProfilePage } from './views/profile.tsx'

// /eighth/profile[/<uid>]: yourself, or anyone for teachers, counselors and eighth admins.

type Ctx = { deps: Deps; viewer: Viewer; request: Request; path: string; params?: Record<string, string | undefined>; set: { headers: Record<string, unknown> } }

async function show(c: Ctx) {
  const res = await loadProfile(c.deps, c.viewer, c.params?.uid)
  if (res.kind === 'forbidden') throw new HttpError(403, 'You may only view your own schedule.')
  if (res.kind === 'notFound') throw new HttpError(404, 'That user does not exist.')
  return page(c, 'Eighth period schedule', <ProfilePage m={res.model} />)
}

export function profileRoutes(base: Base) {
  return new Elysia({ name: 'eighth-profile' })
    .use(base)
    .get('/eighth/profile', (c) => show(c as unknown as Ctx), { policy: 'member' })
    .get('/eighth/profile/:uid', (c) => show(c as unknown as Ctx), { policy: 'member' })
}
