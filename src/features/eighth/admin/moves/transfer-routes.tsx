import { Elysia } from 'elysia'
import type { Base } from '../../../../platform/http.ts'
import type { Flash } from '../../flash.ts'
import { blockOptions, schactById, schactOptions } from './moves.sql.ts'
import { actorOf, answer, checked, fields, flashOf, idOf, toolPage, withCtx, type Ctx } from './route-kit.ts'
import { clearSignups, previewTransfer, transferStudents } from './transfer.ts'
import { ClearPage, TransferPage, type Pick2 } from './views/transfer.tsx'

// /eighth/admin/moves/transfer and /eighth/admin/moves/clear: a GET wizard, a confirm form, a POST.

async function pick(c: Ctx, block: number | null, activity: number | null): Promise<Pick2> {
  const [blocks, options] = await Promise.all([blockOptions(c.deps.sql, c.deps.clock.today(), block), block ? schactOptions(c.deps.sql, block) : null])
  return { blocks, block, options, activity: options?.some((o) => o.id === activity) ? activity : null }
}

async function transferView(c: Ctx, q: Record<string, unknown>, flash: Flash | null) {
  const from = await pick(c, idOf(q.from_block), idOf(q.from))
  const to = await pick(c, idOf(q.to_block), idOf(q.to))
  const preview = from.activity && to.activity ? await previewTransfer(c.deps, from.activity, to.activity) : null
  const note: Flash | null = from.activity && to.activity && from.activity === to.activity ? { kind: 'error', messages: ['Choose two different activities.'] } : null
  return <TransferPage from={from} to={to} preview={preview} flash={flash ?? note} />
}

async function clearView(c: Ctx, block: number | null, activity: number | null, flash: Flash | null) {
  const p = await pick(c, block, activity)
  const target = p.activity ? await schactById(c.deps.sql, p.activity) : null
  return <ClearPage pick={p} target={target} flash={flash} />
}

export function transferMoveRoutes(base: Base) {
  return new Elysia({ name: 'eighth-moves-transfer' })
    .use(base)
    .get('/eighth/admin/moves/transfer', (c) => withCtx(c, async (x) => {
      return toolPage(x, 'Transfer students', await transferView(x, x.query, await flashOf(x)))
    }), { policy: 'admin_eighth' })
    .post('/eighth/admin/moves/transfer', (c) => withCtx(c, async (x) => {
      const b = fields(x)
      const from = idOf(b.from)
      const to = idOf(b.to)
      const [sf, st] = await Promise.all([from ? schactById(x.deps.sql, from) : null, to ? schactById(x.deps.sql, to) : null])
      const q = { from_block: String(sf?.blockId ?? ''), from: String(from ?? ''), to_block: String(st?.blockId ?? ''), to: String(to ?? '') }
      const back = `/eighth/admin/moves/transfer?${new URLSearchParams(q)}`
      const again = (f: Flash) => transferView(x, q, f)
      if (!from || !to) return answer(x, { ok: false, status: 422, errors: ['Choose the activity to move students from and the one to move them to.'] }, back, 'Transfer students', again)
      const out = await transferStudents(x.deps, actorOf(x), from, to, { sendEmails: checked(b.send_emails), emailEveryone: checked(b.email_everyone) })
      return answer(x, out, back, 'Transfer students', again)
    }), { policy: 'admin_eighth' })
    .get('/eighth/admin/moves/clear', (c) => withCtx(c, async (x) => {
      return toolPage(x, 'Clear signups', await clearView(x, idOf(x.query.block), idOf(x.query.activity), await flashOf(x)))
    }), { policy: 'admin_eighth' })
    .post('/eighth/admin/moves/clear', (c) => withCtx(c, async (x) => {
      const said = idOf(fields(x).activity)
      const sa = said ? await schactById(x.deps.sql, said) : null
      const back = `/eighth/admin/moves/clear?block=${sa?.blockId ?? ''}&activity=${said ?? ''}`
      const again = (f: Flash) => clearView(x, sa?.blockId ?? null, said, f)
      if (!said) return answer(x, { ok: false, status: 422, errors: ['Choose the activity to clear.'] }, back, 'Clear signups', again)
      return answer(x, await clearSignups(x.deps, actorOf(x), said), back, 'Clear signups', again)
    }), { policy: 'admin_eighth' })
}
