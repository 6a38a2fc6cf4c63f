import { Elysia, t } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { HttpError } from '../../platform/errors.ts'
import { isPartial } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { choosePhoto, loadPhotoChoices, PhotoSection } from './preferences.tsx'
import { pictureResponse, resolvePicture, type PictureAnswer } from './serve.ts'

// Pictures (HTML side and API) and the preferred-picture form. Fresh options per route: Elysia
// writes the macro's hooks into the object it is given.

const MAX_ID = 2147483647
const idOnly = () => t.Object({ id: t.Integer({ minimum: 1, maximum: MAX_ID }) })
const idYear = () => t.Object({ id: t.Integer({ minimum: 1, maximum: MAX_ID }), year: t.String({ maxLength: 20 }) })
const keyOnly = () => t.Object({ key: t.String({ maxLength: 60 }) })
const keyYear = () => t.Object({ key: t.String({ maxLength: 60 }), year: t.String({ maxLength: 20 }) })

function answer(a: PictureAnswer): Response {
  if (!a.ok) throw new HttpError(a.status, a.message)
  return pictureResponse(a)
}

const apiKey = (key: string) => (/^\d{1,9}$/.test(key) ? { id: Number(key) } : { username: key })

export function photoRoutes(base: Base) {
  return new Elysia({ name: 'photos' })
    .use(base)
    // 'user', not 'member': a restricted account still sees its own picture (checked inside).
    .get('/profile/picture/:id', async (c) =>
      answer(await resolvePicture(c.deps, c.viewer, { id: c.params.id }, undefined, c.request.headers.get('if-none-match'))),
    { policy: 'user', params: idOnly() })
    .get('/profile/picture/:id/:year', async (c) =>
      answer(await resolvePicture(c.deps, c.viewer, { id: c.params.id }, c.params.year, c.request.headers.get('if-none-match'))),
    { policy: 'user', params: idYear() })
    .get('/api/profile/:key/picture', async (c) =>
      answer(await resolvePicture(c.deps, c.viewer, apiKey(c.params.key), undefined, c.request.headers.get('if-none-match'))),
    { policy: 'member', params: keyOnly() })
    .get('/api/profile/:key/picture/:year', async (c) =>
      answer(await resolvePicture(c.deps, c.viewer, apiKey(c.params.key), c.params.year, c.request.headers.get('if-none-match'))),
    { policy: 'member', params: keyYear() })
    .post('/preferences/photo', async (c) => {
      const ok = await choosePhoto(c.deps, c.viewer, c.body.photo)
      const refusal = 'Choose one of your own photos, or automatic.'
      if (!isPartial(c.request)) {
        if (!ok) throw new HttpError(422, refusal)
        return redirect(c.request, '/preferences?saved=1')
      }
      if (!ok) c.set.status = 422
      const d = await loadPhotoChoices(c.deps, c.viewer)
      return (<PhotoSection d={d} viewerId={c.viewer.id} errors={ok ? [] : [refusal]} saved={ok ? 'Picture choice saved.' : undefined} />) as string
    }, { policy: 'student', body: t.Object({ photo: t.String({ maxLength: 20 }) }) })
}
