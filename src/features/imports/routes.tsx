import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { ImportDone, ImportForm, Preview } from './views.tsx'
import { applyPlan, planCsv, type ImportKind } from './service.ts'
import { dropStash, loadStash, readUpload, stashImport, type Stash } from './upload.ts'

// /admin/import: upload (file or pasted text) → preview (stashed in Redis) → import → summary.

const previewBody = t.Object({
  kind: t.Union([t.Literal('users'), t.Literal('groups')]),
  csv: t.Optional(t.String()),
  file: t.Optional(t.Unknown()),
  deactivate_missing: t.Optional(t.String()),
})

const applyBody = t.Object({
  id: t.String({ pattern: '^[0-9a-f]{32}$' }),
  mode: t.Union([t.Literal('all'), t.Literal('valid')]),
})

const planOf = (deps: Deps, s: Pick<Stash, 'kind' | 'text' | 'deactivateMissing'>) =>
  planCsv(deps.sql, s.kind, s.text, {
    today: deps.clock.today(), turnoverMonth: deps.config.yearTurnoverMonth, deactivateMissing: s.kind === 'users' && s.deactivateMissing,
  })

export function importRoutes(base: Base) {
  return new Elysia({ name: 'admin-import' })
    .use(base)
    .get('/admin/import', (c) => page(c, 'Import', <ImportForm />), { policy: 'admin_all' })

    .post('/admin/import', async (c) => {
      const { deps, body, set, viewer } = c
      const kind: ImportKind = body.kind
      const deactivateMissing = body.deactivate_missing !== undefined
      const upload = await readUpload(body.file, body.csv)
      if (!upload.ok) {
        set.status = upload.status
        return page(c, 'Import', <ImportForm kind={kind} deactivateMissing={deactivateMissing} errors={[upload.message]} />)
      }
      const plan = await planOf(deps, { kind, text: upload.text, deactivateMissing })
      if (plan.fatal) {
        set.status = 422
        return page(c, 'Import preview', <Preview plan={plan} id={null} name={upload.name} />)
      }
      const id = await stashImport(deps.redis, { kind, text: upload.text, name: upload.name, deactivateMissing, actorId: viewer.id })
      return page(c, 'Import preview', <Preview plan={plan} id={id} name={upload.name} />)
    }, { policy: 'admin_all', body: previewBody })

    .post('/admin/import/apply', async (c) => {
      const { deps, body, set, viewer, ip } = c
      const stash = await loadStash(deps.redis, body.id, viewer.id)
      if (!stash) {
        set.status = 404
        return page(c, 'Import', <ImportForm errors={['This preview has expired (after 30 minutes) or was already imported. Upload the file again.']} />)
      }
      // Planned again: the import writes what the data says now, not what it said at preview time.
      const plan = await planOf(deps, stash)
      const result = await applyPlan(deps.sql, plan, {
        validOnly: body.mode === 'valid', now: deps.clock.now(), audit: { actorId: viewer.id, ip, source: 'web', file: stash.name },
      })
      if (!result.ok) {
        set.status = plan.errors.length ? 422 : 409
        return page(c, 'Import preview', <Preview plan={plan} id={body.id} name={stash.name} message={result.errors.join(' ')} />)
      }
      await dropStash(deps.redis, body.id)
      return page(c, 'Import finished', <ImportDone result={result.value} name={stash.name} />)
    }, { policy: 'admin_all', body: applyBody })
}
