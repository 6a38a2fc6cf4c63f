import { Elysia } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { trustedHtml } from '../../platform/html/components.tsx'
import { byOrder } from '../../platform/registry.ts'
import type { Viewer } from '../../platform/viewer.ts'

export async function preferenceSections(deps: Deps, viewer: Viewer): Promise<string> {
  const ctx = { viewer, now: deps.clock.now(), today: deps.clock.today() }
  const list = byOrder(deps.registries.preferences).filter((s) => s.visible(viewer))
  const html = await Promise.all(list.map(async (s) => await s.render(ctx)))
  return html.join('')
}

/** /preferences: one page of sections, each owned and saved by its feature. */
export function preferencesRoutes(base: Base) {
  return new Elysia({ name: 'preferences' })
    .use(base)
    .get('/preferences', async (c) => {
      const htmlSections = await preferenceSections(c.deps, c.viewer)
      return page(c, 'Preferences', (
        <>
          <h1>Preferences</h1>
          {trustedHtml(htmlSections)}
        </>
      ), { flash: c.query.saved ? 'Saved.' : undefined })
    }, { policy: 'user' })
}
