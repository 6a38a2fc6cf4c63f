import htmxJs from 'htmx.org/dist/htmx.min.js' with { type: 'file' }
import appCss from '../../../public/app.css' with { type: 'file' }
import appJs from '../../../public/app.js' with { type: 'file' }
import favicon from '../../../public/favicon.svg' with { type: 'file' }

// The explicit allow-list of files under /public (no path is ever read from the URL).
// Imported `with { type: 'file' }`, so they are embedded in the compiled binary.
const FILES: Record<string, string> = {
  'htmx.min.js': htmxJs,
  'app.css': appCss,
  'app.js': appJs,
  'favicon.svg': favicon,
}

export type Asset = { path: string; type: string; etag: string; bytes: Uint8Array }

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
}

const cache = new Map<string, Asset>()

/** Features add their own public files (bus.js, the lot map) at import time. */
export function registerAsset(name: string, path: string): void {
  FILES[name] = path
  cache.delete(name)
}

export function getAsset(name: string): Asset | null {
  const hit = cache.get(name)
  if (hit) return hit
  const path = FILES[name]
  if (!path) return null
  const bytes = new Uint8Array(require('node:fs').readFileSync(path))
  const ext = name.slice(name.lastIndexOf('.') + 1)
  const asset = { path, type: TYPES[ext] ?? 'application/octet-stream', etag: `"${Bun.hash(bytes).toString(36)}"`, bytes }
  cache.set(name, asset)
  return asset
}

/** A cache-busting URL: /public/app.css?v=<hash>. */
export function assetUrl(name: string): string {
  const a = getAsset(name)
  return a ? `/public/${name}?v=${a.etag.slice(1, 9)}` : `/public/${name}`
}
