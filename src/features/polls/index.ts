import { Elysia } from 'elysia'
import pollsCss from '../../../public/polls.css' with { type: 'file' }
import { registerAsset } from '../../platform/html/assets.ts'
import { depsOf, type Base } from '../../platform/http.ts'
import { isRestricted } from '../../platform/viewer.ts'
import { isPollsAdmin } from './access.ts'
import { pollAdminRoutes } from './admin-routes.tsx'
import { unvotedOpenCount } from './polls.sql.ts'
import { pollRoutes } from './routes.tsx'

// Polls and elections (issue 8, item 5; ion-apps.md §10): the list, ballots of eight question
// types, results with charts and instant-runoff rounds, CSV exports, the builder for polls admins,
// and the "Polls" nav item whose badge counts open polls the member has not voted in (one indexed
// query per page view; see registry.ts loadNavCounts).

registerAsset('polls.css', pollsCss)

export function pollsFeature(base: Base) {
  const deps = depsOf(base)
  deps.registries.nav.push({
    href: '/polls', label: 'Polls', order: 30,
    visible: (v) => v !== null && !isRestricted(v),
    count: { load: (v) => unvotedOpenCount(deps.sql, v.id, deps.clock.now()), describe: (n) => `Polls: ${n} open ${n === 1 ? 'poll' : 'polls'} you have not voted in` },
  })
  deps.registries.admin.push(
    { href: '/polls?show_all=1', label: 'Polls', group: 'News', visible: isPollsAdmin },
    { href: '/polls/new', label: 'New poll', group: 'News', visible: isPollsAdmin },
  )
  return new Elysia({ name: 'polls-feature' })
    .use(pollAdminRoutes(base))
    .use(pollRoutes(base))
}
