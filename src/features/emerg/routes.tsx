import { Elysia } from 'elysia'
import { json } from '../../platform/api.ts'
import { HttpError } from '../../platform/errors.ts'
import type { Base, Deps } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { formOf, one, ticked, toLocalInput } from '../events/form.ts'
import { EventsCss } from '../events/views/style.tsx'
import { apiShape, currentEmergency, refreshEmergency, STATE_KEY } from './state.ts'
import { parseWarning, removeWarning, saveWarning } from './warnings.ts'
import { allWarnings } from './warnings.sql.ts'
import { WarningsAdmin, type WarningDraft } from './views/admin.tsx'

// /api/emerg (public, Ion's {status, message}) and /admin/warnings (announcement admins).

type C = { deps: Deps; viewer: Viewer; request: Request; path: string; ip: string; set: { status?: number | string; headers: Record<string, unknown> }; params: Record<string, string>; body: unknown; query: Record<string, string | undefined> }

const EMPTY: WarningDraft = { title: '', body: '', placement: 'global', active: true, startsAt: '', endsAt: '' }
const DONE: Record<string, string> = { saved: 'The warning is saved.', deleted: 'The warning was deleted.' }

async function adminPage(c: C, draft: WarningDraft = EMPTY, errors: string[] = []) {
  const tz = c.deps.config.schoolTz
  const [emergency, rows] = await Promise.all([currentEmergency(c.deps), allWarnings(c.deps.sql)])
  const m = {
    emergency, feedUrl: c.deps.config.emergencyFeedUrl, configured: !!c.deps.config.emergencyMessage, rows, tz, draft, errors,
    toLocal: (d: Date) => toLocalInput(d, tz),
  }
  const flash = c.query.done && Object.hasOwn(DONE, c.query.done) ? DONE[c.query.done] : undefined
  return page(c, 'Warnings', <><EventsCss /><WarningsAdmin m={m} /></>, { flash })
}

function idOf(c: C): number {
  const s = c.params.id ?? ''
  if (!/^\d{1,9}$/.test(s)) throw new HttpError(404, 'That warning does not exist.')
  return Number(s)
}

async function save(c: C, id: number | null) {
  const p = parseWarning(c.body, c.deps.config.schoolTz)
  if (!p.ok) {
    c.set.status = 422
    const f = formOf(c.body)
    return adminPage(c, { title: one(f, 'title'), body: one(f, 'body'), placement: one(f, 'placement'), active: ticked(f, 'active'), startsAt: one(f, 'starts_at'), endsAt: one(f, 'ends_at') }, p.errors)
  }
  const saved = await saveWarning({ deps: c.deps, viewer: c.viewer, ip: c.ip }, id, p.value)
  if (saved === null) throw new HttpError(404, 'That warning does not exist.')
  return redirect(c.request, '/admin/warnings?done=saved')
}

export function emergRoutes(base: Base) {
  return new Elysia({ name: 'emerg' })
    .use(base)
    .get('/api/emerg', async ({ deps }) => {
      // Ion fetched inline on a cache miss; here only when nothing was ever stored (a first start).
      if (!deps.config.emergencyMessage && deps.config.emergencyFeedUrl && (await deps.redis.get(STATE_KEY)) === null) await refreshEmergency(deps)
      return json(apiShape(await currentEmergency(deps)))
    }, { open: 'public' })
    .get('/admin/warnings', (c) => adminPage(c as unknown as C), { policy: 'admin_announcements' })
    .post('/admin/warnings', (c) => save(c as unknown as C, null), { policy: 'admin_announcements' })
    .post('/admin/warnings/:id', (c) => save(c as unknown as C, idOf(c as unknown as C)), { policy: 'admin_announcements' })
    .post('/admin/warnings/:id/delete', async (c) => {
      const x = c as unknown as C
      if (!(await removeWarning({ deps: x.deps, viewer: x.viewer, ip: x.ip }, idOf(x)))) throw new HttpError(404, 'That warning does not exist.')
      return redirect(c.request, '/admin/warnings?done=deleted')
    }, { policy: 'admin_announcements' })
}
