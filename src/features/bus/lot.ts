import lotSvg from '../../../public/bus-lot.svg' with { type: 'file' }
import busCss from '../../../public/bus.css' with { type: 'file' }
import busJs from '../../../public/bus.js' with { type: 'file' }
import busAdminJs from '../../../public/bus-admin.js' with { type: 'file' }
import { getAsset, registerAsset } from '../../platform/html/assets.ts'

// The afternoon lot map is public/bus-lot.svg: a decoration group and one <rect class="space">
// per parking space (id _1 … _45). The page inlines it, server-rendered: the decoration as it is,
// and each space drawn from its geometry, so arrived buses fill their space on first paint.

registerAsset('bus-lot.svg', lotSvg)
registerAsset('bus.css', busCss)
registerAsset('bus.js', busJs)
registerAsset('bus-admin.js', busAdminJs)

export type Space = { id: string; n: number; x: number; y: number; width: number; height: number }
export type Lot = { viewBox: string; decor: string; spaces: Space[]; ids: Set<string> }

let cached: Lot | null = null

const attr = (tag: string, name: string): string | null => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null

/** Parses the lot file once. Throws at startup when the file has no spaces. */
export function lot(): Lot {
  if (cached) return cached
  const text = new TextDecoder().decode(getAsset('bus-lot.svg')!.bytes)
  const viewBox = /<svg[^>]*\sviewBox="([\d. ]+)"/.exec(text)?.[1]
  const decor = /<g id="lot-decor">([\s\S]*?)<\/g>/.exec(text)?.[1]
  const spaces: Space[] = []
  for (const m of text.matchAll(/<rect\b[^>]*\bclass="space"[^>]*>/g)) {
    const tag = m[0]
    const id = attr(tag, 'id') ?? ''
    const num = (k: string) => Number(attr(tag, k))
    if (!/^_[1-9]\d{0,2}$/.test(id)) throw new Error(`bus-lot.svg: bad space id "${id}"`)
    spaces.push({ id, n: Number(id.slice(1)), x: num('x'), y: num('y'), width: num('width'), height: num('height') })
  }
  if (!viewBox || decor === undefined || spaces.length === 0) throw new Error('bus-lot.svg: viewBox, #lot-decor or spaces missing')
  cached = { viewBox, decor, spaces: spaces.sort((a, b) => a.n - b.n), ids: new Set(spaces.map((s) => s.id)) }
  return cached
}

export const isSpace = (id: string): boolean => lot().ids.has(id)

/** The route name's font size in a space: 18 by default, smaller so a long name still fits. */
export function labelSize(name: string, width: number): number {
  const room = width - 26
  return Math.max(9, Math.min(18, Math.floor(room / (Math.max(1, name.length) * 0.62))))
}
