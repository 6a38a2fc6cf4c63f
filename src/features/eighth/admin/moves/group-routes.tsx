import { Elysia } from 'elysia'
import type { Base } from '../../../../platform/http.ts'
import { HttpError } from '../../../../platform/errors.ts'
import { redirect } from '../../../../platform/redirect.ts'
import { groupsVisibleTo } from '../../../groups/index.ts'
import type { Flash } from '../../flash.ts'
import { groupSignup, previewGroupSignup } from './group-signup.ts'
import { blockOptions, schactOptions } from './moves.sql.ts'
import { actorOf, answer, fields, flashOf, idOf, idsOf, toolPage, withCtx, type Ctx } from './route-kit.ts'
import { GroupConfirm, GroupWizard } from './views/group.tsx'

// /eighth/admin/moves/group: the wizard (GET), the confirm page (GET) and the signup (POST).

async function wizard(c: Ctx, flash: Flash | null = null) {
  const group = idOf(c.query.group)
  const block = idOf(c.query.block)
  const activity = idOf(c.query.activity)
  const [groups, blocks, options] = await Promise.all([
    groupsVisibleTo(c.deps.sql, c.viewer),
    blockOptions(c.deps.sql, c.deps.clock.today(), block),
    block ? schactOptions(c.deps.sql, block) : null,
  ])
  if (group && groups.some((g) => g.id === group) && activity && options?.some((o) => o.id === activity))
    return redirect(c.request, `/eighth/admin/moves/group/${group}/${activity}`)
  return toolPage(c, 'Sign up a group', <GroupWizard groups={groups} blocks={blocks} group={group} block={block} options={options} activity={activity} flash={flash} />)
}

async function confirmView(c: Ctx, gid: number, said: number, flash: Flash | null) {
  const m = await previewGroupSignup(c.deps, c.viewer, gid, said)
  if (!m) throw new HttpError(404, 'That group or scheduled activity does not exist.')
  return <GroupConfirm m={m} flash={flash} />
}

const ids = (c: Ctx) => {
  const gid = idOf(c.params.gid)
  const said = idOf(c.params.said)
  if (!gid || !said) throw new HttpError(404, 'That group or scheduled activity does not exist.')
  return { gid, said }
}

export function groupMoveRoutes(base: Base) {
  return new Elysia({ name: 'eighth-moves-group' })
    .use(base)
    .get('/eighth/admin/moves/group', (c) => withCtx(c, wizard), { policy: 'admin_eighth' })
    .get('/eighth/admin/moves/group/:gid/:said', (c) => withCtx(c, async (x) => {
      const { gid, said } = ids(x)
      return toolPage(x, 'Sign up a group', await confirmView(x, gid, said, await flashOf(x)))
    }), { policy: 'admin_eighth' })
    .post('/eighth/admin/moves/group/:gid/:said', (c) => withCtx(c, async (x) => {
      const { gid, said } = ids(x)
      const remove = idsOf(fields(x).remove_from_sticky)
      const back = `/eighth/admin/moves/group/${gid}/${said}`
      if (remove === null) return answer(x, { ok: false, status: 422, errors: ['"Remove from sticky" must list students by id.'] }, back, 'Sign up a group', (f) => confirmView(x, gid, said, f))
      const out = await groupSignup(x.deps, actorOf(x), gid, said, remove)
      if (!out.ok && out.status === 404) throw new HttpError(404, out.errors.join(' '))
      return answer(x, out, back, 'Sign up a group', (f) => confirmView(x, gid, said, f))
    }), { policy: 'admin_eighth' })
}
