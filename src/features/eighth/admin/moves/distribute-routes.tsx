import { Elysia } from 'elysia'
import type { Base } from '../../../../platform/http.ts'
import { groupsVisibleTo } from '../../../groups/index.ts'
import type { Flash } from '../../flash.ts'
import { distribute, MAX_STUDENTS, planDistribution, type Mode, type Source } from './distribute.ts'
import { blockOptions, schactOptions } from './moves.sql.ts'
import type { Assignment } from './place.ts'
import { actorOf, answer, fields, flashOf, idOf, idsOf, toolPage, withCtx, type Ctx } from './route-kit.ts'
import { DistributePage, type DistributeProps } from './views/distribute.tsx'

// /eighth/admin/moves/distribute: choose (GET, repeated as the choices grow), then the proposed
// assignment, then the signups (POST).

const TITLE = 'Distribute students'

type Choice = { source: 'group' | 'unsigned'; group: number | null; block: number | null; limit: number | null; mode: Mode; chosen: number[] }

function choiceOf(q: Record<string, unknown>): Choice {
  const limit = idOf(q.limit)
  return {
    source: q.source === 'unsigned' ? 'unsigned' : 'group',
    group: idOf(q.group),
    block: idOf(q.block),
    limit: limit && limit <= MAX_STUDENTS ? limit : null,
    mode: q.mode === 'fill' ? 'fill' : 'round',
    chosen: idsOf(q.activity, 500) ?? [],
  }
}

async function props(c: Ctx, ch: Choice, flash: Flash | null, withPlan: boolean): Promise<DistributeProps> {
  const [groups, blocks, options] = await Promise.all([
    groupsVisibleTo(c.deps.sql, c.viewer),
    blockOptions(c.deps.sql, c.deps.clock.today(), ch.block),
    ch.block ? schactOptions(c.deps.sql, ch.block) : null,
  ])
  const chosen = ch.chosen.filter((id) => options?.some((o) => o.id === id))
  const source: Source | null = ch.source === 'unsigned' ? { kind: 'unsigned', limit: ch.limit } : ch.group ? { kind: 'group', groupId: ch.group } : null
  const plan = withPlan && ch.block && chosen.length && source ? await planDistribution(c.deps, c.viewer, ch.block, source, chosen, ch.mode) : null
  return { groups, blocks, ...ch, chosen, options, plan, flash }
}

/** `to_<uid>` = a scheduled activity id, or empty for "don't move". */
function assignmentsOf(body: Record<string, unknown>): Assignment[] | null {
  const out: Assignment[] = []
  for (const [k, v] of Object.entries(body)) {
    const m = /^to_(\d{1,10})$/.exec(k)
    if (!m || v === '') continue
    const schactId = idOf(v)
    const userId = idOf(m[1])
    if (schactId === null || userId === null) return null
    out.push({ userId, schactId })
  }
  return out
}

export function distributeMoveRoutes(base: Base) {
  return new Elysia({ name: 'eighth-moves-distribute' })
    .use(base)
    .get('/eighth/admin/moves/distribute', (c) => withCtx(c, async (x) => {
      return toolPage(x, TITLE, <DistributePage {...await props(x, choiceOf(x.query), await flashOf(x), true)} />)
    }), { policy: 'admin_eighth' })
    .post('/eighth/admin/moves/distribute', (c) => withCtx(c, async (x) => {
      const body = fields(x)
      const ch = choiceOf(body)
      const back = `/eighth/admin/moves/distribute?block=${ch.block ?? ''}&source=${ch.source}${ch.group ? `&group=${ch.group}` : ''}`
      const again = async (f: Flash) => <DistributePage {...await props(x, ch, f, false)} />
      const pairs = assignmentsOf(body)
      const remove = idsOf(body.remove_from_sticky)
      if (!ch.block || pairs === null || remove === null) return answer(x, { ok: false, status: 422, errors: ['Choose a block and an activity for each student to move.'] }, back, TITLE, again)
      const source: Source = ch.source === 'unsigned' ? { kind: 'unsigned', limit: ch.limit } : { kind: 'group', groupId: ch.group ?? 0 }
      return answer(x, await distribute(x.deps, actorOf(x), ch.block, pairs, remove, source), back, TITLE, again)
    }), { policy: 'admin_eighth' })
}
