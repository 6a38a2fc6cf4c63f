import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { HttpError } from '../../platform/errors.ts'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { addDays } from '../../platform/zoned.ts'
import { addMonths, monthDates, parseIsoDate, parseMonth } from './dates.ts'
import { deleteCache, fillMonth, setDay } from './days.ts'
import { copyDayTypeAs, formOf, readDayTypeForm, removeDayType, saveDayType, type Actor, type DayTypeForm } from './daytypes.ts'
import { dayTypeById, dayTypeSummaries, daysBetween } from './schedule.sql.ts'
import { AdminMonth } from './views/admin-month.tsx'
import { DayTypePage } from './views/daytype-form.tsx'

// The schedule admin (admin_schedule): /schedule/admin (month), /schedule/daytype[/<id>]. Every
// edit is a POST that answers 303 back to the page with a notice, or 422 with the page and every
// message (and nothing changed).

type Ctx = { deps: Deps; viewer: Viewer; request: Request; path: string; ip: string; set: { status?: number | string; headers: Record<string, unknown> } }

const DONE: Record<string, string> = {
  created: 'Day type created.', saved: 'Day type saved.', copied: 'This is the copy: rename it and save.', deleted: 'Day type deleted.',
  day: 'The date was saved.', removed: 'The date has no schedule now.', unchanged: 'Nothing to change: the date had no schedule.',
  filled: 'Default fill done.', cache: 'The cached schedules were deleted.',
}

const actor = (c: Ctx): Actor => ({ deps: c.deps, viewer: c.viewer, ip: c.ip })
const done = (key: string | undefined, n?: string) =>
  key === 'filled' && n && /^\d{1,3}$/.test(n) ? `Default fill done: ${n} ${n === '1' ? 'day' : 'days'} filled.` : key ? DONE[key] : undefined

function monthOf(c: Ctx, raw: string | undefined): string {
  if (raw === undefined || raw === '') return `${c.deps.clock.today().slice(0, 7)}-01`
  const first = parseMonth(raw)
  if (!first) throw new HttpError(400, `"${raw.slice(0, 20)}" is not a month: use YYYY-MM.`)
  return first
}

async function renderMonth(c: Ctx, first: string, opts: { errors?: string[]; flash?: string; status?: number } = {}) {
  const last = addDays(addMonths(first, 1), -1)
  const [types, days] = await Promise.all([dayTypeSummaries(c.deps.sql), daysBetween(c.deps.sql, first, last)])
  if (opts.status) c.set.status = opts.status
  return page(c, `Bell schedule · ${first.slice(0, 7)}`, (
    <AdminMonth first={first} dates={monthDates(first)} days={new Map(days.map((d) => [d.date, d]))} types={types} errors={opts.errors ?? []} flash={opts.flash} />
  ))
}

async function renderType(c: Ctx, id: number | null, form: DayTypeForm | null, opts: { errors?: string[]; flash?: string; status?: number } = {}) {
  let dayCount = 0
  if (id !== null) {
    const [saved, summaries] = await Promise.all([dayTypeById(c.deps.sql, id), dayTypeSummaries(c.deps.sql)])
    if (!saved) throw new HttpError(404, 'That day type does not exist.')
    form ??= formOf(saved)
    dayCount = summaries.find((s) => s.id === id)?.dayCount ?? 0
  }
  if (opts.status) c.set.status = opts.status
  const f = form ?? { name: '', special: false, codenames: '', rows: [] }
  return page(c, id === null ? 'New day type' : `Day type · ${f.name}`, <DayTypePage id={id} form={f} errors={opts.errors ?? []} flash={opts.flash} dayCount={dayCount} />)
}

// Fresh options per route (Elysia writes macro hooks into the object it is given).
const admin = () => ({ policy: 'admin_schedule' as const })
const idParams = () => t.Object({ id: t.Integer({ minimum: 1, maximum: 2147483647 }) })
const formBody = () => t.Record(t.String({ maxLength: 40 }), t.String({ maxLength: 1000 }))
const doneQuery = () => t.Object({ done: t.Optional(t.String({ maxLength: 20 })), n: t.Optional(t.String({ maxLength: 5 })) })

export function scheduleAdminRoutes(base: Base) {
  return new Elysia({ name: 'schedule-admin' })
    .use(base)
    .get('/schedule/admin', (c) => renderMonth(c, monthOf(c, c.query.month), { flash: done(c.query.done, c.query.n) }), {
      ...admin(), query: t.Object({ month: t.Optional(t.String({ maxLength: 20 })), done: t.Optional(t.String({ maxLength: 20 })), n: t.Optional(t.String({ maxLength: 5 })) }),
    })

    .post('/schedule/admin/day', async (c) => {
      const b = c.body
      const r = await setDay(actor(c), { date: b.date ?? '', dayType: b.day_type ?? '', comment: b.comment })
      const back = b.back && /^\/schedule\/daytype\/\d{1,10}$/.test(b.back) ? b.back : null
      const first = parseMonth(b.month) ?? (parseIsoDate(b.date ?? '') ? `${b.date!.slice(0, 7)}-01` : monthOf(c, undefined))
      if (!r.ok) {
        if (back) return renderType(c, Number(back.split('/').pop()), null, { errors: r.errors, status: 422 })
        return renderMonth(c, first, { errors: r.errors, status: 422 })
      }
      const key = r.value.kind === 'set' ? 'day' : r.value.kind
      return redirect(c.request, back ? `${back}?done=${key}` : `/schedule/admin?month=${first.slice(0, 7)}&done=${key}`)
    }, { ...admin(), body: formBody() })

    .post('/schedule/admin/fill', async (c) => {
      const first = monthOf(c, c.body.month)
      const r = await fillMonth(actor(c), first)
      if (!r.ok) return renderMonth(c, first, { errors: r.errors, status: 422 })
      return redirect(c.request, `/schedule/admin?month=${first.slice(0, 7)}&done=filled&n=${r.value}`)
    }, { ...admin(), body: formBody() })

    .post('/schedule/admin/cache/delete', async (c) => {
      await deleteCache(actor(c))
      return redirect(c.request, `/schedule/admin?month=${monthOf(c, c.body.month).slice(0, 7)}&done=cache`)
    }, { ...admin(), body: formBody() })

    .get('/schedule/daytype/new', (c) => renderType(c, null, null), admin())

    .post('/schedule/daytype', async (c) => {
      const form = readDayTypeForm(c.body)
      const r = await saveDayType(actor(c), null, form)
      if (!r.ok) return renderType(c, null, form, { errors: r.errors, status: r.status })
      return redirect(c.request, `/schedule/daytype/${r.value}?done=created`)
    }, { ...admin(), body: formBody() })

    .get('/schedule/daytype/:id', (c) => renderType(c, c.params.id, null, { flash: done(c.query.done) }), {
      ...admin(), params: idParams(), query: doneQuery(),
    })

    .post('/schedule/daytype/:id', async (c) => {
      const form = readDayTypeForm(c.body)
      const r = await saveDayType(actor(c), c.params.id, form)
      if (!r.ok && r.status === 404) throw new HttpError(404, r.errors[0]!)
      if (!r.ok) return renderType(c, c.params.id, form, { errors: r.errors, status: r.status })
      return redirect(c.request, `/schedule/daytype/${r.value}?done=saved`)
    }, { ...admin(), params: idParams(), body: formBody() })

    .post('/schedule/daytype/:id/copy', async (c) => {
      const r = await copyDayTypeAs(actor(c), c.params.id)
      if (!r.ok) throw new HttpError(r.status, r.errors[0]!)
      return redirect(c.request, `/schedule/daytype/${r.value}?done=copied`)
    }, { ...admin(), params: idParams() })

    .post('/schedule/daytype/:id/delete', async (c) => {
      const r = await removeDayType(actor(c), c.params.id)
      if (!r.ok) throw new HttpError(r.status, r.errors[0]!)
      return redirect(c.request, '/schedule/admin?done=deleted')
    }, { ...admin(), params: idParams() })
}
