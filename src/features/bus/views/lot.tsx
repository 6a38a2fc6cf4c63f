import { trustedHtml } from '../../../platform/html/components.tsx'
import type { RouteJson } from '../board.ts'
import { labelSize, lot, type Space } from '../lot.ts'

// The afternoon lot map, inlined and filled on the server: each arrived route with a space fills
// it (yellow) with its name along it; the viewer's own route is green, search matches blue. For
// bus admins each space is a link (assign / unassign) that works without JavaScript; bus.js turns
// it into a sheet and keeps the map live.

export type LotProps = {
  routes: RouteJson[]
  myRouteId: number | null
  found: Set<number>
  editable: boolean
  selected: string | null
}

export function spaceLabel(s: Space, r: RouteJson | undefined, editable: boolean): string {
  if (editable) return r ? `Space ${s.n}: ${r.route_name}. Unassign` : `Space ${s.n}, empty: assign a bus`
  return r ? `Space ${s.n}: ${r.route_name}` : `Space ${s.n}, empty`
}

function SpaceShape({ s, r, p }: { s: Space; r: RouteJson | undefined; p: LotProps }) {
  const cls = ['space', r && 'filled', r && r.id === p.myRouteId && 'mine', r && p.found.has(r.id) && 'found', p.selected === s.id && 'selected']
  const name = r?.route_name ?? ''
  const g = (
    <g class={cls.filter(Boolean).join(' ')} data-space={s.id} data-route={r ? String(r.id) : ''}>
      <rect x={s.x} y={s.y} width={s.width} height={s.height} rx="6" />
      <text class="space-no" x={s.x + 6} y={s.y + 13} aria-hidden="true" safe>{String(s.n)}</text>
      {/* a space between the number and the name: their text reads "12 JT-5", as in the label */}
      {' '}
      <text class="space-route" x={s.x + s.width / 2 + 6} y={s.y + s.height / 2 + 1} font-size={labelSize(name, s.width)}
        text-anchor="middle" dominant-baseline="central" safe>{name}</text>
    </g>
  )
  if (!p.editable) return g
  return (
    <a class="space-link" href={`/bus/afternoon?space=${s.id}#assign`} aria-label={spaceLabel(s, r, true)}>{g}</a>
  )
}

export function LotMap(p: LotProps) {
  const l = lot()
  const bySpace = new Map(p.routes.filter((r) => r.status === 'a' && r.space).map((r) => [r.space, r]))
  const parked = bySpace.size
  return (
    <svg id="bus-lot" class="bus-lot" viewBox={l.viewBox} xmlns="http://www.w3.org/2000/svg"
      role={p.editable ? 'group' : 'img'} aria-labelledby="bus-lot-title" data-spaces={String(l.spaces.length)}>
      <title id="bus-lot-title" safe>{`Bus lot map: ${parked} of ${l.spaces.length} spaces filled`}</title>
      {trustedHtml(l.decor)}
      <g class="lot-spaces">
        {l.spaces.map((s) => <SpaceShape s={s} r={bySpace.get(s.id)} p={p} />)}
      </g>
    </svg>
  )
}
