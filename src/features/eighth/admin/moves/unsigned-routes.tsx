import { Elysia } from 'elysia'
import type { Base } from '../../../../platform/http.ts'
import { HttpError } from '../../../../platform/errors.ts'
import { redirect } from '../../../../platform/redirect.ts'
import type { Flash } from '../../flash.ts'
import { blockOptions } from './moves.sql.ts'
import { answer, flashOf, idOf, toolPage, withCtx, type Ctx } from './route-kit.ts'
import { placeUnsignedInDefault, unsignedCsv, unsignedModel } from './unsigned.ts'
import { NoBlocks, UnsignedPage } from './views/unsigned.tsx'

// /eighth/admin/unsigned[/<bid>] (+ /csv), and the default-activity placement (POST).

const TITLE = 'Unsigned students'

async function view(c: Ctx, bid: number, flash: Flash | null) {
  const m = await unsignedModel(c.deps, bid)
  if (!m) throw new HttpError(404, 'That block does not exist.')
  const blocks = await blockOptions(c.deps.sql, c.deps.clock.today(), bid)
  return <UnsignedPage m={m} blocks={blocks} flash={flash} />
}

const bidOf = (c: Ctx) => {
  const bid = idOf(c.params.bid)
  if (!bid) throw new HttpError(404, 'That block does not exist.')
  return bid
}

export function unsignedRoutes(base: Base) {
  return new Elysia({ name: 'eighth-unsigned' })
    .use(base)
    .get('/eighth/admin/unsigned', (c) => withCtx(c, async (x) => {
      const chosen = idOf(x.query.block)
      if (chosen) return redirect(x.request, `/eighth/admin/unsigned/${chosen}`)
      const [first] = await blockOptions(x.deps.sql, x.deps.clock.today())
      if (first) return redirect(x.request, `/eighth/admin/unsigned/${first.id}`)
      return toolPage(x, TITLE, <NoBlocks />)
    }), { policy: 'admin_eighth' })
    .get('/eighth/admin/unsigned/:bid', (c) => withCtx(c, async (x) => {
      return toolPage(x, TITLE, await view(x, bidOf(x), await flashOf(x)))
    }), { policy: 'admin_eighth' })
    .get('/eighth/admin/unsigned/:bid/csv', (c) => withCtx(c, async (x) => {
      const m = await unsignedModel(x.deps, bidOf(x))
      if (!m) throw new HttpError(404, 'That block does not exist.')
      return new Response(unsignedCsv(m, x.deps.config.schoolEmailDomains), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="unsigned-${m.block.date}-${m.block.blockLetter.replace(/[^A-Za-z0-9_-]/g, '_')}.csv"` },
      })
    }), { policy: 'admin_eighth' })
    .post('/eighth/admin/unsigned/:bid/place-default', (c) => withCtx(c, async (x) => {
      const bid = bidOf(x)
      const out = await placeUnsignedInDefault(x.deps, bid, x.viewer.id, x.ip)
      if (!out.ok && out.status === 404) throw new HttpError(404, out.errors.join(' '))
      return answer(x, out, `/eighth/admin/unsigned/${bid}`, TITLE, (f) => view(x, bid, f))
    }), { policy: 'admin_eighth' })
}
