import { Elysia } from 'elysia'
import { HttpError } from '../../../../platform/errors.ts'
import type { Base } from '../../../../platform/http.ts'
import { addDays } from '../../../../platform/zoned.ts'
import { blockText } from '../../format.ts'
import { blockCounts, blockRow, blocksBetween, listBlocks } from './blocks.sql.ts'
import { addBlocks, copyBlock, deleteBlock, editBlock, isDate, lockBlock, type Outcome, type RangeInput } from './blocks.ts'
import { BlockEditPage, BlocksPage, CopyPage, DeletePage, type EditValues } from './blocks-views.tsx'
import { ctx, done, flashOf, formOf, idParam, isId, many, one, page, qText, refuse, ticked, type Ctx, type Flash } from './common.tsx'

// /eighth/admin/blocks…: thin handlers (parse → service → view); the office policy on each route.

const EMPTY_RANGE: RangeInput = { start: '', end: '', weekdays: ['3', '5'], letters: ['A', 'B'], custom: '', signupTime: '12:40', comments: '' }
const act = (c: Ctx) => ({ deps: c.deps, actorId: c.viewer.id, ip: c.ip })

function failed(o: Outcome<unknown>): o is { ok: false; status: 403 | 404 | 422; errors: string[] } {
  if (!o.ok && o.status !== 422) throw new HttpError(o.status, o.errors.join(' '))
  return !o.ok
}

async function listPage(c: Ctx, o: { flash?: Flash | null; errors?: string[]; form?: RangeInput } = {}) {
  const today = c.deps.clock.today()
  const from = isDate(qText(c, 'from', 10)) ? qText(c, 'from', 10) : today
  const blocks = await listBlocks(c.deps.sql, from, 200)
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  return page(c, 'Blocks · Eighth office', <BlocksPage blocks={blocks} from={from} form={o.form ?? { ...EMPTY_RANGE, start: today }} flash={flash} errors={o.errors} />)
}

async function loadBlock(c: Ctx) {
  const id = idParam(c, 'id', 'block')
  const b = await blockRow(c.deps.sql, id)
  if (!b) throw new HttpError(404, 'That block does not exist.')
  return b
}

async function editPage(c: Ctx, o: { flash?: Flash | null; errors?: string[]; values?: EditValues } = {}) {
  const b = await loadBlock(c)
  const counts = await blockCounts(c.deps.sql, b.id)
  const flash = o.flash === undefined ? await flashOf(c) : o.flash
  const v = o.values ?? { date: b.date, letter: b.blockLetter, signupTime: b.signupTime, comments: b.comments, locked: b.locked }
  return page(c, `${blockText(b)} · Eighth office`, <BlockEditPage b={b} v={v} counts={counts} flash={flash} errors={o.errors} />)
}

async function copyPage(c: Ctx, o: { errors?: string[]; source?: number | null; withSignups?: boolean } = {}) {
  const b = await loadBlock(c)
  const [counts, sources] = await Promise.all([blockCounts(c.deps.sql, b.id), blocksBetween(c.deps.sql, addDays(b.date, -200), addDays(b.date, 200))])
  return page(c, `Copy to ${blockText(b)} · Eighth office`, (
    <CopyPage b={b} counts={counts} sources={sources} source={o.source ?? null} withSignups={o.withSignups ?? false} errors={o.errors} flash={await flashOf(c)} />
  ))
}

export function blockRoutes(base: Base) {
  return new Elysia({ name: 'eighth-office-blocks' })
    .use(base)
    .get('/eighth/admin/blocks', (c) => listPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/blocks/add', async (c) => {
      const x = ctx(c)
      const f = formOf(x)
      const input: RangeInput = { start: one(f, 'start'), end: one(f, 'end'), weekdays: many(f, 'day'), letters: many(f, 'letter'), custom: one(f, 'custom').slice(0, 200), signupTime: one(f, 'signup_time'), comments: one(f, 'comments').slice(0, 200) }
      const r = await addBlocks(act(x), input)
      if (failed(r)) return refuse(x, r.status, await listPage(x, { errors: r.errors, form: input, flash: null }))
      const msg = `Added ${r.value.created} ${r.value.created === 1 ? 'block' : 'blocks'}${r.value.skipped ? `; ${r.value.skipped} already existed` : ''}.`
      return done(x, `/eighth/admin/blocks?from=${input.start}`, { kind: 'ok', messages: [msg] }, (fl) => listPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/blocks/:id', (c) => editPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/blocks/:id', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'block')
      const f = formOf(x)
      const values: EditValues = { date: one(f, 'date'), letter: one(f, 'letter'), signupTime: one(f, 'signup_time'), comments: one(f, 'comments').slice(0, 200), locked: ticked(f, 'locked') }
      const r = await editBlock(act(x), id, values)
      if (failed(r)) return refuse(x, r.status, await editPage(x, { errors: r.errors, values, flash: null }))
      return done(x, `/eighth/admin/blocks/${id}`, { kind: 'ok', messages: [r.value] }, (fl) => editPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .post('/eighth/admin/blocks/:id/lock', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'block')
      const f = formOf(x)
      if (!['on', 'off'].includes(one(f, 'locked'))) throw new HttpError(422, 'Say whether to lock (on) or unlock (off) the block.')
      const r = await lockBlock(act(x), id, one(f, 'locked') === 'on')
      if (failed(r)) throw new HttpError(r.status, r.errors.join(' '))
      const toList = one(f, 'back') === 'list'
      return done(x, toList ? '/eighth/admin/blocks' : `/eighth/admin/blocks/${id}`, { kind: 'ok', messages: [r.value] },
        (fl) => (toList ? listPage(x, { flash: fl }) : editPage(x, { flash: fl })))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/blocks/:id/copy', (c) => copyPage(c as unknown as Ctx), { policy: 'admin_eighth' })
    .post('/eighth/admin/blocks/:id/copy', async (c) => {
      const x = ctx(c)
      const id = idParam(x, 'id', 'block')
      const f = formOf(x)
      const src = one(f, 'source')
      const withSignups = ticked(f, 'with_signups')
      if (!isId(src)) return refuse(x, 422, await copyPage(x, { errors: ['Choose the block to copy from.'], withSignups }))
      const r = await copyBlock(act(x), id, Number(src), withSignups)
      if (failed(r)) return refuse(x, r.status, await copyPage(x, { errors: r.errors, source: Number(src), withSignups }))
      const v = r.value
      const msg = `Copied ${v.copied} scheduled activities${withSignups ? ` and ${v.signups} signups` : ''}; deleted ${v.deleted} scheduled activities and ${v.lost} signups first.`
      return done(x, `/eighth/admin/blocks/${id}`, { kind: 'ok', messages: [msg] }, (fl) => editPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
    .get('/eighth/admin/blocks/:id/delete', async (c) => {
      const x = ctx(c)
      const b = await loadBlock(x)
      return page(x, `Delete ${blockText(b)} · Eighth office`, <DeletePage b={b} counts={await blockCounts(x.deps.sql, b.id)} />)
    }, { policy: 'admin_eighth' })
    .post('/eighth/admin/blocks/:id/delete', async (c) => {
      const x = ctx(c)
      const r = await deleteBlock(act(x), idParam(x, 'id', 'block'))
      if (failed(r)) throw new HttpError(r.status, r.errors.join(' '))
      return done(x, '/eighth/admin/blocks', { kind: 'ok', messages: [r.value] }, (fl) => listPage(x, { flash: fl }))
    }, { policy: 'admin_eighth' })
}
