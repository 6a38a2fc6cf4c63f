import { Elysia, t } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { audit } from '../users/users.sql.ts'
import type { RouteJson } from './board.ts'
import { allRoutes } from './bus.sql.ts'
import { findRider, riderById, setRouteOf, type Rider } from './riders.sql.ts'

// /bus/riders: bus admins look a student up (username or student ID) and set their route.

function RiderForm({ rider, routes }: { rider: Rider; routes: RouteJson[] }) {
  const current = routes.find((r) => r.id === rider.busRouteId)
  return (
    <section class="card" aria-labelledby="rider-title">
      <h2 id="rider-title" safe>{`${rider.firstName} ${rider.lastName} (${rider.username})`}</h2>
      {current ? <p safe>{`Rides ${current.route_name}.`}</p> : <p>Has no bus route.</p>}
      <form method="post" action={`/bus/riders/${rider.id}`} class="stack">
        <label for="rider-route">Bus route</label>
        <select id="rider-route" name="route_id">
          <option value="">No bus route</option>
          {routes.map((r) => <option value={String(r.id)} selected={r.id === rider.busRouteId} safe>{r.route_name}</option>)}
        </select>
        <button type="submit">Save bus route</button>
      </form>
    </section>
  )
}

export function busRiderRoutes(base: Base) {
  return new Elysia({ name: 'bus-riders' })
    .use(base)
    .get('/bus/riders', async (c) => {
      const q = (c.query.q ?? '').trim()
      const [rider, routes] = await Promise.all([q ? findRider(c.deps.sql, q) : Promise.resolve(null), allRoutes(c.deps.sql)])
      return page(c, 'Bus riders', (
        <>
          <h1>Bus riders</h1>
          {c.query.saved ? <p class="alert ok" role="status">Bus route saved.</p> : ''}
          <form method="get" action="/bus/riders" class="card stack" role="search">
            <label for="rider-q">Student username or ID</label>
            <input id="rider-q" name="q" type="search" value={q} maxlength={40} required autocomplete="off" />
            <button type="submit">Find</button>
          </form>
          {q && !rider ? <p class="alert warn" role="status" safe>{`No account matches “${q}”.`}</p> : ''}
          {rider ? <RiderForm rider={rider} routes={routes} /> : ''}
          <p><a href="/bus">Back to the bus board</a></p>
        </>
      ))
    }, { policy: 'admin_bus', query: t.Object({ q: t.Optional(t.String({ maxLength: 40 })), saved: t.Optional(t.String({ maxLength: 2 })) }) })
    .post('/bus/riders/:id', async (c) => {
      const rider = await riderById(c.deps.sql, c.params.id)
      const raw = c.body.route_id.trim()
      const routeId = raw === '' ? null : /^\d{1,9}$/.test(raw) ? Number(raw) : -1
      if (!rider || routeId === -1) return redirect(c.request, '/bus/riders')
      const ok = await c.deps.sql.begin(async (tx) => {
        if (!(await setRouteOf(tx, rider.id, routeId))) return false
        await audit(tx, {
          actorId: c.viewer.id, action: 'bus.rider.set', targetType: 'user', targetId: rider.id,
          details: { from: rider.busRouteId, to: routeId }, ip: c.ip, at: c.deps.clock.now(),
        })
        return true
      })
      return redirect(c.request, `/bus/riders?q=${encodeURIComponent(rider.username)}${ok ? '&saved=1' : ''}`)
    }, {
      policy: 'admin_bus',
      params: t.Object({ id: t.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) }),
      body: t.Object({ route_id: t.String({ maxLength: 12 }) }),
    })
}
