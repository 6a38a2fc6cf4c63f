import { Elysia, t } from 'elysia'
import { forbidden } from '../../platform/errors.ts'
import { Unauthenticated, type Base, type Deps } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { boardAccess, halfOf, type Half } from './board.ts'
import { boardPage } from './page-data.ts'
import { parseChange } from './protocol.ts'
import { isUpgrade } from '../../platform/live.ts'
import { boardEnv, busPageUpgrade } from './socket.ts'
import { BoardBody } from './views/page.tsx'
import { applyChange } from './writes.ts'

// /bus (the board for the time of day), /bus/morning and /bus/afternoon; and the no-JavaScript
// form posts of bus admins, which make the same changes the WebSocket messages make.

type Ctx = { deps: Deps; viewer: Viewer | null; ip: string; request: Request; path: string; set: { headers: Record<string, unknown> } }
const query = () => t.Object({
  q: t.Optional(t.String({ maxLength: 40 })),
  space: t.Optional(t.String({ maxLength: 4 })),
  done: t.Optional(t.String({ maxLength: 10 })),
})

async function board(c: Ctx & { query: { q?: string; space?: string; done?: string } }, view: Half | null) {
  const access = boardAccess(c.viewer, c.ip, c.deps.config)
  if (!access) {
    if (!c.viewer) throw new Unauthenticated()
    throw forbidden('You are not allowed to see the bus board.')
  }
  const p = await boardPage(c.deps, c.viewer, access, view, (c.query.q ?? '').trim(), c.query.space ?? null, c.query.done ?? null)
  const editable = p.access === 'admin' && p.view === p.current
  return page(c, 'Bus', <BoardBody p={p} />, { scripts: editable ? ['bus.js', 'bus-admin.js'] : ['bus.js'] })
}

/** A form post: the same rules as the socket message; back to the board with what happened. */
async function post(c: Ctx, msg: Record<string, unknown>) {
  const now = c.deps.clock.now()
  const back = (done: string) => redirect(c.request, `/bus/${msg.time === 'morning' ? 'morning' : 'afternoon'}?done=${done}`)
  const parsed = parseChange(msg, halfOf(now, c.deps.config.schoolTz, c.deps.config.busChangeoverHour))
  if (!parsed.ok) return back('error')
  if (!parsed.change) return back('stale')
  const r = await applyChange(boardEnv(c.deps), parsed.change, now, { id: c.viewer!.id, ip: c.ip })
  return back(r.ok || r.reason === 'broadcast' ? 'saved' : 'error')
}

export function busPageRoutes(base: Base) {
  const upgrade = busPageUpgrade(base)
  return new Elysia({ name: 'bus-pages' })
    .use(base)
    // Ion's clients open their WebSocket at /bus/ itself.
    .get('/bus', (c) => (isUpgrade(c.request) ? upgrade(c) : board(c, null)), { open: 'anonymous', query: query() })
    .get('/bus/morning', (c) => board(c, 'morning'), { open: 'anonymous', query: query() })
    .get('/bus/afternoon', (c) => board(c, 'afternoon'), { open: 'anonymous', query: query() })
    .post('/bus/route', (c) => post(c, { ...c.body }), {
      policy: 'admin_bus',
      body: t.Object({
        id: t.String({ maxLength: 12 }), status: t.String({ maxLength: 2 }), time: t.String({ maxLength: 10 }), space: t.Optional(t.String({ maxLength: 4 })),
      }),
    })
    .post('/bus/announcement', (c) => post(c, { time: c.body.time, announcement: c.body.action === 'clear' ? '' : c.body.announcement ?? '' }), {
      policy: 'admin_bus',
      body: t.Object({
        time: t.String({ maxLength: 10 }), announcement: t.Optional(t.String({ maxLength: 4000 })), action: t.Optional(t.String({ maxLength: 10 })),
      }),
    })
}
