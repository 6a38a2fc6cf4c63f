import { assetUrl } from '../../../platform/html/assets.ts'
import { bellScript, BellFrame, type BellDayProps } from './day.tsx'

// /schedule/embed: the day's schedule alone, for other sites to show in an iframe (the one page
// with `frame-ancestors *` and no X-Frame-Options: src/platform/headers.ts). No site header,
// navigation or footer; the same stylesheet and scripts as every page (no inline script or style).

const HTMX_CONFIG = '{"includeIndicatorCSS":false,"allowEval":false}'

export function EmbedPage({ schoolName, ...p }: BellDayProps & { schoolName: string }) {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content={HTMX_CONFIG} />
          <meta name="color-scheme" content="light dark" />
          <meta name="robots" content="noindex" />
          <title safe>{`Bell schedule · ${schoolName}`}</title>
          <link rel="stylesheet" href={assetUrl('app.css')} />
          <link rel="icon" href={assetUrl('favicon.svg')} type="image/svg+xml" />
          <script src={assetUrl('htmx.min.js')}></script>
          {bellScript()}
        </head>
        <body class="embed">
          <main class="bell-embed">
            <h1 class="visually-hidden" safe>{`Bell schedule · ${schoolName}`}</h1>
            <BellFrame {...p} />
          </main>
        </body>
      </html>
    </>
  )
}
