import { Elysia } from 'elysia'
import { fmtDateTime } from '../../platform/html/components.tsx'
import { HttpError } from '../../platform/errors.ts'
import type { Base } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { isStudent } from '../../platform/viewer.ts'
import { redirect } from '../../platform/redirect.ts'
import { newFeedToken, privateCalendar, publicCalendar, TOKEN_FILE } from './ical.ts'
import { deleteToken, tokenCreatedAt } from './ical.sql.ts'
import { ctx, flashOf, type Ctx } from './route-kit.ts'
import { isEventsAdmin } from './service.ts'
import { IcalPage } from './views/ical.tsx'
import { EventsCss } from './views/style.tsx'

// The calendar feeds: the page with the links, "reset link" and "turn off", and the .ics files
// themselves (public, or by private token: an unknown token is 404).

async function feedPage(c: Ctx, fresh: string | null) {
  const created = await tokenCreatedAt(c.deps.sql, c.viewer.id)
  const m = {
    baseUrl: c.deps.config.baseUrl, hasToken: created !== null && !fresh, createdAt: created ? fmtDateTime(created, c.deps.config.schoolTz) : null,
    fresh, admin: isEventsAdmin(c.viewer), student: isStudent(c.viewer),
  }
  return page(c, 'Calendar feed', <><EventsCss /><IcalPage m={m} /></>, { flash: flashOf(c) })
}

const ics = (body: string, cache: string) =>
  new Response(body, { headers: { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': cache, 'x-robots-tag': 'noindex' } })

export function eventIcalRoutes(base: Base) {
  return new Elysia({ name: 'events-ical' })
    .use(base)
    .get('/events/ical', (c) => feedPage(ctx(c), null), { policy: 'member' })
    .post('/events/ical/reset', async (c) => {
      const x = ctx(c)
      x.set.headers['cache-control'] = 'no-store'
      return feedPage(x, await newFeedToken(c.deps, c.viewer.id))
    }, { policy: 'member' })
    .post('/events/ical/revoke', async (c) => {
      await deleteToken(c.deps.sql, c.viewer.id)
      return redirect(c.request, '/events/ical?done=revoked')
    }, { policy: 'member' })
    .get('/events/ical/:file', async (c) => {
      const file = c.params.file
      if (file === 'public.ics') return ics(await publicCalendar(c.deps), 'public, max-age=900')
      const token = TOKEN_FILE.exec(file)?.[1]
      const body = token ? await privateCalendar(c.deps, token) : null
      if (body === null) throw new HttpError(404, 'There is no calendar at this address. The link may have been reset.')
      return ics(body, 'private, max-age=300')
    }, { open: 'public' })
}
