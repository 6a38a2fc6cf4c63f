import { Elysia } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { redirect } from '../../platform/redirect.ts'
import { isAnnouncementAdmin } from './access.ts'
import { clubChoices } from './club.sql.ts'
import { formOf, parseFields } from './form.ts'
import { createClubPost } from './posts.ts'
import { act, ctx, expirationDefault, idParam, page, refused, type Ctx } from './route-kit.tsx'
import { modifyPage, saveEdit } from './routes-admin.tsx'
import { emptyValues, valuesOf, type FormValues } from './values.ts'
import { AnnouncementForm } from './views/forms.tsx'

// Club announcements: posted by an activity's officers, club sponsors and sponsors (admins: any
// club with subscriptions on), emailed to the club's subscribers, edited by the same people.

async function addPage(c: Ctx, values: FormValues, errors?: string[]) {
  const activities = await clubChoices(c.deps.sql, c.viewer.id, isAnnouncementAdmin(c.viewer))
  return page(c, 'Post a club announcement', (
    <section class="card form-page" aria-labelledby="club-h">
      <h1 id="club-h">Post a club announcement</h1>
      {activities.length ? (
        <AnnouncementForm action="/announcements/club/add" values={values} errors={errors} frameHosts={c.deps.config.frameHosts}
          show={{ activities, public: true, notify: 'Email the club’s subscribers' }} buttons={[{ label: 'Post' }]} />
      ) : (
        <p>You can post club announcements for the clubs you run: ask the club’s sponsor or the eighth-period office to add you as an officer or club sponsor.</p>
      )}
    </section>
  ))
}

export function clubPostRoutes(base: Base) {
  return new Elysia({ name: 'announcements-club' })
    .use(base)
    .get('/announcements/club/add', (c) => {
      const x = ctx(c)
      const preset = /^\d{1,9}$/.test(x.query.activity ?? '') ? x.query.activity! : ''
      return addPage(x, { ...emptyValues(expirationDefault(x)), activity: preset })
    }, { policy: 'member' })
    .post('/announcements/club/add', async (c) => {
      const x = ctx(c)
      const f = formOf(x.body)
      const rerender = (errors: string[]) => addPage(x, valuesOf(f, expirationDefault(x)), errors)
      const p = parseFields(f, { clock: x.deps.clock, rich: x.deps.config, future: true, with: { activity: true } })
      if (!p.ok) return refused(x, { ok: false, status: 422, errors: p.errors }, rerender)
      const r = await createClubPost(act(x), { ...p.value, groups: [] })
      if (!r.ok) return refused(x, r, rerender)
      return redirect(x.request, `/announcements/${r.value.id}?done=posted${r.value.mail ? `&sent=${r.value.mail.to}` : ''}`)
    }, { policy: 'member' })
    .get('/announcements/club/modify/:id', (c) => modifyPage(ctx(c), idParam(ctx(c)), null), { policy: 'member' })
    .post('/announcements/club/modify/:id', (c) => saveEdit(ctx(c)), { policy: 'member' })
}
