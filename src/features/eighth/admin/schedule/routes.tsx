import { Elysia } from 'elysia'
import { HttpError } from '../../../../platform/errors.ts'
import type { Base } from '../../../../platform/http.ts'
import { addDays } from '../../../../platform/zoned.ts'
import { blockText } from '../../format.ts'
import { activityRecord } from '../catalog/activities.sql.ts'
import { blockRow } from '../catalog/blocks.sql.ts'
import { isDate } from '../catalog/blocks.ts'
import { ctx, done, flashOf, formOf, idParam, page, qText, refuse, type Ctx, type Flash } from '../catalog/common.tsx'
import { roomOptions } from '../catalog/rooms.sql.ts'
import { sponsorOptions } from '../catalog/sponsors.sql.ts'
import { blockRowActivities, blocksFrom, gridCells } from './grid.sql.ts'
import { sanityOf } from './sanity.ts'
import { sanityRows } from './sanity.sql.ts'
import { readGrid, saveGrid } from './save.ts'
import { GridPage, SanityPage, type Options } from './views.tsx'

// /eighth/admin/scheduling/activity/<aid> (a row per upcoming block) and …/block/<bid> (a row per
// activity), saved in one POST each; …/block/<bid>/sanity. Office policy on every route.

const ROWS = 24
type Opts = { flash?: Flash | null; errors?: string[] }

async function options(c: Ctx): Promise<Options> {
  const [rooms, sponsors] = await Promise.all([roomOptions(c.deps.sql), sponsorOptions(c.deps.sql)])
  return { rooms: rooms.map((r) => ({ ...r, label: `${r.label} (${r.capacity === -1 ? 'unlimited' : r.capacity})` })), sponsors }
}

async function activityGrid(c: Ctx, o: Opts = {}) {
  const a = await activityRecord(c.deps.sql, idParam(c, 'aid', 'activity'))
  if (!a) throw new HttpError(404, 'That activity does not exist.')
  const from = isDate(qText(c, 'from', 10)) ? qText(c, 'from', 10) : c.deps.clock.today()
  const blocks = await blocksFrom(c.deps.sql, from, ROWS)
  const [cells, opts] = await Promise.all([gridCells(c.deps.sql, blocks.map((b) => ({ blockId: b.id, activityId: a.id }))), options(c)])
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  const next = blocks.length === ROWS ? addDays(blocks[blocks.length - 1]!.date, 1) : null
  const top = (
    <form method="get" action={`/eighth/admin/scheduling/activity/${a.id}`} class="inline-form">
      <div class="field"><label for="g-from">Blocks from</label><input id="g-from" type="date" name="from" value={from} /></div>
      <button type="submit" class="secondary">Show</button>
      {next ? <a class="button secondary" href={`/eighth/admin/scheduling/activity/${a.id}?from=${next}`}>Later blocks</a> : ''}
    </form>
  )
  return page(c, `Schedule ${a.name} · Eighth office`, (
    <GridPage title={`Schedule ${a.name}`} action={`/eighth/admin/scheduling/activity/${a.id}?from=${from}`} mode="activity" cells={cells} o={opts}
      crumbs={[['/eighth/admin/activities', 'Activities'], [`/eighth/admin/activities/${a.id}`, a.name]]} flash={flash} errors={o.errors}>{top}</GridPage>
  ))
}

async function blockGrid(c: Ctx, o: Opts = {}) {
  const b = await blockRow(c.deps.sql, idParam(c, 'bid', 'block'))
  if (!b) throw new HttpError(404, 'That block does not exist.')
  const q = qText(c, 'q', 100).trim()
  const ids = await blockRowActivities(c.deps.sql, b.id, q, 30)
  const [cells, opts] = await Promise.all([gridCells(c.deps.sql, ids.map((activityId) => ({ blockId: b.id, activityId }))), options(c)])
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  const top = (
    <>
      <p class="actions"><a class="button secondary" href={`/eighth/admin/scheduling/block/${b.id}/sanity`}>Sanity check</a></p>
      <form method="get" action={`/eighth/admin/scheduling/block/${b.id}`} role="search" class="search-row">
        <label for="g-q" class="visually-hidden">Find activities to schedule in this block</label>
        <input id="g-q" type="search" name="q" value={q} maxlength={100} placeholder="Add activities: name or ID" />
        <button type="submit" class="secondary">Find</button>
      </form>
    </>
  )
  return page(c, `Schedule ${blockText(b)} · Eighth office`, (
    <GridPage title={`Schedule ${blockText(b)}`} action={`/eighth/admin/scheduling/block/${b.id}${q ? `?q=${encodeURIComponent(q)}` : ''}`} mode="block" cells={cells} o={opts}
      crumbs={[['/eighth/admin/blocks', 'Blocks'], [`/eighth/admin/blocks/${b.id}`, blockText(b)]]} flash={flash} errors={o.errors}>{top}</GridPage>
  ))
}

async function save(c: Ctx, mode: 'activity' | 'block', render: (o: Opts) => Promise<string>, back: string) {
  const id = idParam(c, mode === 'activity' ? 'aid' : 'bid', mode)
  const cells = readGrid(formOf(c))
  const mine = cells?.every((x) => (mode === 'activity' ? x.activityId : x.blockId) === id)
  if (!cells || !mine) return refuse(c, 422, await render({ errors: ['The form was not understood. Reload the page and try again.'], flash: null }))
  const r = await saveGrid(c.deps, c.viewer, cells, c.ip)
  if (!r.ok && r.status === 404) throw new HttpError(404, r.errors.join(' '))
  if (!r.ok) return refuse(c, r.status, await render({ errors: r.errors, flash: null }))
  return done(c, back, { kind: 'ok', messages: r.value }, (fl) => render({ flash: fl }))
}

export function scheduleRoutes(base: Base) {
  return new Elysia({ name: 'eighth-office-scheduling' })
    .use(base)
    .get('/eighth/admin/scheduling/activity/:aid', (c) => activityGrid(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/scheduling/activity/:aid', (c) => {
      const x = ctx(c)
      const from = qText(x, 'from', 10)
      return save(x, 'activity', (o) => activityGrid(x, o), `/eighth/admin/scheduling/activity/${x.params.aid}${isDate(from) ? `?from=${from}` : ''}`)
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/scheduling/block/:bid', (c) => blockGrid(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/scheduling/block/:bid', (c) => {
      const x = ctx(c)
      const q = qText(x, 'q', 100)
      return save(x, 'block', (o) => blockGrid(x, o), `/eighth/admin/scheduling/block/${x.params.bid}${q ? `?q=${encodeURIComponent(q)}` : ''}`)
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/scheduling/block/:bid/sanity', async (c) => {
      const x = ctx(c)
      const b = await blockRow(x.deps.sql, idParam(x, 'bid', 'block'))
      if (!b) throw new HttpError(404, 'That block does not exist.')
      const s = sanityOf(await sanityRows(x.deps.sql, b.id))
      return page(x, `Sanity check ${blockText(b)} · Eighth office`, (
        <SanityPage title={`Sanity check: ${blockText(b)}`} crumbs={[['/eighth/admin/blocks', 'Blocks'], [`/eighth/admin/scheduling/block/${b.id}`, blockText(b)]]} s={s} />
      ))
    }, { policy: 'admin_eighth' })
}
