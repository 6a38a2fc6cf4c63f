import { Elysia } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { trustedHtml } from '../../platform/html/components.tsx'
import { byOrder } from '../../platform/registry.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { renderLoginExtras } from '../auth/login-extras.ts'
import { LoginForm } from '../auth/views.tsx'

/** The dashboard's widgets, rendered in order for the viewer (each feature registers its own). */
async function widgetsFor(deps: Deps, viewer: Viewer): Promise<string[]> {
  const ctx = { viewer, now: deps.clock.now(), today: deps.clock.today() }
  const list = byOrder(deps.registries.dashboard).filter((w) => w.visible(viewer))
  return Promise.all(list.map(async (w) => `<section class="widget card" data-widget="${w.id}">${await w.render(ctx)}</section>`))
}

export function dashboardRoutes(base: Base) {
  return new Elysia({ name: 'dashboard' })
    .use(base)
    .get('/', async (c) => {
      if (!c.viewer) return page(c, 'Log in', <><LoginForm next="/" schoolName={c.deps.config.schoolName} />{trustedHtml(await renderLoginExtras(c.deps))}</>)
      const htmlWidgets = (await widgetsFor(c.deps, c.viewer)).join('')
      return page(c, 'Dashboard', (
        <>
          <h1 class="visually-hidden">Dashboard</h1>
          <div class="dashboard grid two">{trustedHtml(htmlWidgets)}</div>
        </>
      ))
    }, { open: 'anonymous' })
}
