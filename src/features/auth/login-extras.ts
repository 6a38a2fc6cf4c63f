import type { Deps } from '../../platform/http.ts'
import { byOrder } from '../../platform/registry.ts'

// What other features add below the login form (login warnings, upcoming public events), shown
// on /login and on the anonymous dashboard ('/'): one function, so both pages show the same.

/** The registered login extras in order, wrapped; '' when there are none. A failing one is left out. */
export async function renderLoginExtras(deps: Deps): Promise<string> {
  const ctx = { now: deps.clock.now(), today: deps.clock.today() }
  const parts = await Promise.all(byOrder(deps.registries.loginExtras).map(async (x) => {
    try {
      return await x.render(ctx)
    } catch (e) {
      deps.log.error('login extra failed', { id: x.id, error: String(e).slice(0, 500) })
      return ''
    }
  }))
  const html = parts.join('')
  return html ? `<div class="login-extras">${html}</div>` : ''
}
