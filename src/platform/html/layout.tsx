import type { PropsWithChildren } from '@kitajs/html'
import type { Viewer } from '../viewer.ts'
import { displayName } from '../viewer.ts'
import { byOrder, type NavItem } from '../registry.ts'
import { assetUrl } from './assets.ts'
import { trustedHtml } from './components.tsx'

export type Shell = {
  schoolName: string
  viewer: Viewer | null
  nav: NavItem[]
  path: string
  /** Rendered banners (emergency, site-wide warnings) above the content: registry.ts loadBanners. */
  banners?: string[]
}

/** `scripts`: extra files under /public that only this page loads (after htmx, in order). */
export type LayoutProps = PropsWithChildren<{ shell: Shell; title: string; flash?: string; scripts?: string[] }>

const HTMX_CONFIG = '{"includeIndicatorCSS":false,"allowEval":false}'

export function Layout({ shell, title, flash, scripts, children }: LayoutProps) {
  const v = shell.viewer
  const theme = v ? (v.darkMode ? 'dark' : 'light') : undefined
  const items = byOrder(shell.nav).filter((n) => n.visible(v))
  return (
    <>
      {'<!doctype html>'}
      <html lang="en" data-theme={theme}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <meta name="color-scheme" content="light dark" />
          <title safe>{`${title} · ${shell.schoolName}`}</title>
          <link rel="stylesheet" href={assetUrl('app.css')} />
          <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
          {/* htmx loads without defer, so it initialises on DOMContentLoaded: extensions (deferred,
              like hx-ws.js) then always register before it processes the page. Deferred, htmx
              initialised on a timer that could fire before an extension had loaded. */}
          <script src={assetUrl('htmx.min.js')}></script>
          <script src={assetUrl('app.js')} defer></script>
          {(scripts ?? []).map((name) => <script src={assetUrl(name)} defer></script>)}
        </head>
        <body>
          <a class="skip-link" href="#main">Skip to content</a>
          {v?.impersonatedBy ? (
            <div class="impersonation" role="status">
              <span safe>{`Viewing as ${v.username}. You are ${v.impersonatedBy.username}.`}</span>
              <form method="post" action="/impersonate/stop">
                <button type="submit">Stop viewing as this user</button>
              </form>
            </div>
          ) : ''}
          <header class="site-header">
            <a class="brand" href="/" safe>{shell.schoolName}</a>
            <nav aria-label="Main">
              <ul>
                {items.map((n) => (
                  <li>
                    {v?.navCounts?.[n.href] ? (
                      <a href={n.href} aria-current={isCurrent(shell.path, n.href) ? 'page' : undefined} aria-label={n.count?.describe(v.navCounts[n.href]!)}>
                        <span safe>{n.label}</span> <span class="badge nav-count">{v.navCounts[n.href]}</span>
                      </a>
                    ) : <a href={n.href} aria-current={isCurrent(shell.path, n.href) ? 'page' : undefined} safe>{n.label}</a>}
                  </li>
                ))}
              </ul>
            </nav>
            {v ? (
              <div class="who">
                <a href="/profile" safe>{displayName(v)}</a>
                <form method="post" action="/logout">
                  <button type="submit" class="link">Log out</button>
                </form>
              </div>
            ) : (
              <div class="who"><a href="/login">Log in</a></div>
            )}
          </header>
          <main id="main" tabindex="-1">
            {shell.banners?.length ? <div class="site-banners">{trustedHtml(shell.banners.join(''))}</div> : ''}
            <div id="messages" aria-live="polite">
              {flash ? <p class="alert info" safe>{flash}</p> : ''}
            </div>
            {children}
          </main>
          <footer class="site-footer">
            <p safe>{`${shell.schoolName} intranet · Ion`}</p>
          </footer>
        </body>
      </html>
    </>
  )
}

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(href + '/')
}
