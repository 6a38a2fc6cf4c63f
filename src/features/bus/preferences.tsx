import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { Errors } from '../../platform/html/components.tsx'
import { isPartial, page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import type { Registries } from '../../platform/registry.ts'
import { isStudent, type Viewer } from '../../platform/viewer.ts'
import type { RouteJson } from './board.ts'
import { allRoutes } from './bus.sql.ts'
import { routeIdOf, setRouteOf } from './riders.sql.ts'

// The students' "Bus route" section of /preferences (Ion: a select of every route, or none).

type Data = { routes: RouteJson[]; current: number | null }

const load = async (deps: Deps, v: Viewer): Promise<Data> => {
  const [routes, current] = await Promise.all([allRoutes(deps.sql), routeIdOf(deps.sql, v.id)])
  return { routes, current }
}

export function BusSection({ d, errors, saved }: { d: Data; errors?: string[]; saved?: boolean }) {
  return (
    <section id="pref-bus" class="card" aria-labelledby="pref-bus-title">
      <h2 id="pref-bus-title">Bus route</h2>
      <Errors errors={errors ?? []} />
      {saved ? <p class="alert ok" role="status">Bus route saved.</p> : ''}
      <form method="post" action="/preferences/bus" hx-post="/preferences/bus" hx-target="#pref-bus" hx-swap="outerHTML" class="stack">
        <label for="f-bus-route">Your bus route</label>
        <span class="hint" id="f-bus-route-hint">The bus board tells you when your bus arrives and where it parks.</span>
        <select id="f-bus-route" name="route_id" aria-describedby="f-bus-route-hint">
          <option value="">I don't ride a bus</option>
          {d.routes.map((r) => <option value={String(r.id)} selected={r.id === d.current} safe>{r.route_name}</option>)}
        </select>
        <button type="submit">Save bus route</button>
      </form>
    </section>
  )
}

export function registerBusSection(reg: Registries, deps: Deps): void {
  reg.preferences.push({
    id: 'bus', title: 'Bus route', order: 30, visible: isStudent,
    render: async ({ viewer }) => (<BusSection d={await load(deps, viewer)} />) as string,
  })
}

export function busPreferenceRoutes(base: Base) {
  return new Elysia({ name: 'bus-preferences' })
    .use(base)
    .post('/preferences/bus', async (c) => {
      const raw = c.body.route_id.trim()
      const routeId = raw === '' ? null : /^\d{1,9}$/.test(raw) ? Number(raw) : -1
      const ok = routeId !== -1 && (await setRouteOf(c.deps.sql, c.viewer.id, routeId))
      const errors = ok ? [] : ['That bus route does not exist (any more). Choose one from the list.']
      if (!errors.length && !isPartial(c.request)) return redirect(c.request, '/preferences?saved=1')
      if (errors.length) c.set.status = 422
      const section = <BusSection d={await load(c.deps, c.viewer)} errors={errors} saved={!errors.length} />
      // Without htmx the refusal is a page of its own: the section, with a way back.
      return isPartial(c.request) ? (section as string) : page(c, 'Preferences', <><h1>Preferences</h1>{section}<p><a href="/preferences">All preferences</a></p></>)
    }, { policy: 'student', body: t.Object({ route_id: t.String({ maxLength: 12 }) }) })
}
