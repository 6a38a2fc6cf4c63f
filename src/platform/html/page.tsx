import { Layout, type Shell } from './layout.tsx'
import type { Deps } from '../http.ts'
import type { Viewer } from '../viewer.ts'
import { STATUS_TITLES } from '../errors.ts'

/** htmx 4: answer a fragment only for a partial request that is not a history restore. */
export function isPartial(request: Request): boolean {
  const h = request.headers
  return h.get('hx-request') === 'true' && h.get('hx-request-type') === 'partial' && h.get('hx-history-restore-request') !== 'true'
}
export const isHtmx = (request: Request) => request.headers.get('hx-request') === 'true'

export function shellOf(deps: Deps, viewer: Viewer | null, path: string, banners?: string[]): Shell {
  return { schoolName: deps.config.schoolName, viewer, nav: deps.registries.nav, path, banners }
}

/** `banners`: what the route's policy loaded for a page view (registry.ts loadBanners). */
type PageCtx = { deps: Deps; viewer: Viewer | null; request: Request; path: string; set: { headers: Record<string, unknown> }; banners?: string[] }

/**
 * One partial, two uses: the body alone for an htmx partial request, the whole page otherwise.
 */
export function page(c: PageCtx, title: string, body: JSX.Element, opts: { flash?: string; scripts?: string[] } = {}): string {
  c.set.headers['vary'] = 'HX-Request, HX-Request-Type'
  if (isPartial(c.request)) return body as string
  return (
    <Layout shell={shellOf(c.deps, c.viewer, c.path, c.banners)} title={title} flash={opts.flash} scripts={opts.scripts}>
      {body}
    </Layout>
  ) as string
}

export function ErrorBody({ status, message }: { status: number; message: string }) {
  return (
    <section class="error-page" aria-labelledby="error-title">
      <p class="code" aria-hidden="true">{status}</p>
      <h1 id="error-title" safe>{STATUS_TITLES[status] ?? 'Error'}</h1>
      <p safe>{message}</p>
      <p><a href="/">Go to the home page</a></p>
    </section>
  )
}

export function errorAlert(message: string): string {
  return (<p class="alert error" role="alert" safe>{message}</p>) as string
}
