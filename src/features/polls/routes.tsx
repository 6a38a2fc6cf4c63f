import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { HttpError } from '../../platform/errors.ts'
import { isHtmx, page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { isPollsAdmin } from './access.ts'
import { draftFromForm } from './ballot.ts'
import { listPolls } from './polls.sql.ts'
import { exportCsv, resultsFor } from './results.ts'
import type { Refusal } from './types.ts'
import { ballotFor, castVote } from './vote.ts'
import { BallotView } from './views/ballot.tsx'
import { PollList } from './views/list.tsx'
import { ResultsView } from './views/results.tsx'

// Voters' routes: the list, the ballot (vote and change the vote), the results, and the two CSV
// exports (polls admins). Handlers: parse → authorize → service → view.

export type Ctx = {
  deps: Deps
  viewer: Viewer
  request: Request
  path: string
  ip: string
  set: { status?: number | string; headers: Record<string, unknown> }
}

export const THANKS = 'Thank you for voting!'
const MAX_ID = 2147483647
export const idParams = () => t.Object({ id: t.Integer({ minimum: 1, maximum: MAX_ID }) })
/** A whole form of named fields; a field may repeat (checkboxes). */
export const formBody = () => t.Record(t.String({ maxLength: 100 }), t.Union([t.String({ maxLength: 20000 }), t.Array(t.String({ maxLength: 20000 }), { maxItems: 500 })]))

export const fail = (r: Refusal): never => { throw new HttpError(r.status, r.errors.join(' ')) }

function csvResponse(name: string, body: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    },
  })
}

export function pollRoutes(base: Base) {
  return new Elysia({ name: 'polls' })
    .use(base)
    .get('/polls', async (c) => {
      const admin = isPollsAdmin(c.viewer)
      const all = !!c.query.show_all
      const now = c.deps.clock.now()
      const rows = await listPolls(c.deps.sql, { userId: c.viewer.id, now, all, admin })
      return page(c, 'Polls', <PollList rows={rows} all={all} admin={admin} now={now} tz={c.deps.clock.tz} flash={c.query.deleted ? 'Poll deleted.' : undefined} />)
    }, {
      policy: 'member',
      query: t.Object({ show_all: t.Optional(t.String({ maxLength: 5 })), deleted: t.Optional(t.String({ maxLength: 5 })) }),
    })

    .get('/polls/:id', async (c) => {
      const b = await ballotFor(c.deps, c.viewer, c.params.id)
      if (!b.ok) return fail(b)
      const flash = c.query.voted ? THANKS : undefined
      return page(c, b.value.access.poll.title, <BallotView {...b.value} viewerId={c.viewer.id} tz={c.deps.clock.tz} flash={flash} />)
    }, { policy: 'member', params: idParams(), query: t.Object({ voted: t.Optional(t.String({ maxLength: 5 })) }) })

    .post('/polls/:id', async (c) => {
      const r = await castVote(c.deps, c.viewer, c.params.id, c.body)
      const tz = c.deps.clock.tz
      if (r.ok) {
        if (!isHtmx(c.request)) return redirect(c.request, `/polls/${c.params.id}?voted=1`)
        return page(c, r.value.access.poll.title, <BallotView {...r.value} viewerId={c.viewer.id} tz={tz} flash={THANKS} />)
      }
      if (!r.ballot || r.status === 403 || r.status === 404) return fail(r)
      c.set.status = r.status
      const shown = draftFromForm(r.ballot.questions, c.body, r.ballot.mine)
      return page(c, r.ballot.access.poll.title, <BallotView {...r.ballot} viewerId={c.viewer.id} tz={tz} errors={r.errors} shown={shown} />)
    }, { policy: 'member', params: idParams(), body: formBody() })

    .get('/polls/:id/results', async (c) => {
      const r = await resultsFor(c.deps, c.viewer, c.params.id)
      if (!r.ok) return fail(r)
      return page(c, `Results: ${r.value.access.poll.title}`, <ResultsView res={r.value} tz={c.deps.clock.tz} />)
    }, { policy: 'member', params: idParams() })

    .get('/polls/:id/results.csv', async (c) => {
      const r = await exportCsv(c.deps, c.viewer, c.params.id, 'results')
      return r.ok ? csvResponse(r.value.name, r.value.body) : fail(r)
    }, { policy: 'admin_polls', params: idParams() })

    .get('/polls/:id/answers.csv', async (c) => {
      const r = await exportCsv(c.deps, c.viewer, c.params.id, 'answers')
      return r.ok ? csvResponse(r.value.name, r.value.body) : fail(r)
    }, { policy: 'admin_polls', params: idParams() })
}
