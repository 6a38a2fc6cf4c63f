import { Elysia } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { HttpError } from '../../platform/errors.ts'
import { isAnyAdmin } from '../../platform/viewer.ts'

/** The admin index: links registered by each feature, grouped, filtered by permission. */
export function adminIndexRoutes(base: Base) {
  return new Elysia({ name: 'admin-index' })
    .use(base)
    .get('/admin', (c) => {
      if (!isAnyAdmin(c.viewer)) throw new HttpError(403, 'Administration is for accounts with an admin permission.')
      const links = c.deps.registries.admin.filter((l) => l.visible(c.viewer))
      const groups = [...new Set(links.map((l) => l.group))].sort()
      return page(c, 'Administration', (
        <>
          <h1>Administration</h1>
          {links.length === 0 ? <p>There is nothing here for your permissions yet.</p> : ''}
          <div class="grid two">
            {groups.map((g) => (
              <section class="card">
                <h2 safe>{g}</h2>
                <ul>{links.filter((l) => l.group === g).map((l) => <li><a href={l.href} safe>{l.label}</a></li>)}</ul>
              </section>
            ))}
          </div>
        </>
      ))
    }, { policy: 'user' })
}
