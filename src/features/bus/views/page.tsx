import { assetUrl } from '../../../platform/html/assets.ts'
import type { Banner, Board, Half, RouteJson } from '../board.ts'
import { lot } from '../lot.ts'
import { AnnouncementForm, AssignPanel, AssignSheet, MarkForm } from './admin.tsx'
import { LotMap } from './lot.tsx'
import { AnnouncementView, BannerView, LiveNotices, NotifyButton, RouteList } from './parts.tsx'

// The bus board page: the morning lists or the afternoon lot map. Everything bus.js needs to keep
// it live is in data-* attributes of #bus (no inline script: CSP).

export type BoardPage = {
  view: Half
  current: Half
  access: 'admin' | 'member' | 'visitor'
  board: Board
  myRoute: RouteJson | null
  banner: Banner
  lateAt: Date | null
  staleAt: Date
  q: string
  found: Set<number>
  space: string | null
  notice: string | null
}

function ViewSwitch({ view }: { view: Half }) {
  return (
    <nav class="bus-views" aria-label="Bus boards">
      <a href="/bus/morning" aria-current={view === 'morning' ? 'page' : undefined}>Morning</a>
      <a href="/bus/afternoon" aria-current={view === 'afternoon' ? 'page' : undefined}>Afternoon</a>
    </nav>
  )
}

function Search({ p }: { p: BoardPage }) {
  const summary = !p.q ? '' : p.found.size === 0 ? `No route matches “${p.q}”.` : `${p.found.size} route${p.found.size === 1 ? '' : 's'} found.`
  return (
    <form class="card bus-search" method="get" action={`/bus/${p.view}`} role="search">
      <label for="bus-q">Search for a bus</label>
      <div class="bus-search-row">
        <input id="bus-q" name="q" type="search" list="bus-names" value={p.q} autocomplete="off" maxlength={40} />
        <button type="submit" class="secondary">Find</button>
      </div>
      <datalist id="bus-names">{p.board.routes.map((r) => <option value={r.route_name} />)}</datalist>
      <p id="bus-found" class="bus-found" role="status" safe>{summary}</p>
    </form>
  )
}

export function BoardBody({ p }: { p: BoardPage }) {
  const editable = p.access === 'admin' && p.view === p.current
  const { routes, announcement } = p.board
  const mine = p.myRoute?.id ?? null
  const selected = editable && p.view === 'afternoon' && p.space ? lot().spaces.find((s) => s.id === p.space) ?? null : null
  return (
    <>
      <link rel="stylesheet" href={assetUrl('bus.css')} />
      <div id="bus" class={`bus bus-${p.view}`} data-view={p.view} data-editable={editable ? '1' : undefined}
        data-stale-at={p.staleAt.toISOString()} data-late-at={p.lateAt?.toISOString() ?? ''}
        data-my-route={mine === null ? '' : String(mine)} data-my-status={p.myRoute?.status ?? ''}
        data-student={p.banner.kind === 'register' ? '1' : undefined}>
        <div class="bus-head">
          {p.view === 'morning' ? <h1>Buses this morning</h1> : <h1>Buses this afternoon</h1>}
          <ViewSwitch view={p.view} />
        </div>
        {p.view !== p.current ? (
          <p class="alert info" safe>{`It is ${p.current} now, so this ${p.view} board is read-only.`}</p>
        ) : ''}
        {p.notice ? <p class="alert info" role="status" safe>{p.notice}</p> : ''}
        <LiveNotices reloadTo={`/bus/${p.view}`} />
        <div class={`bus-grid${editable ? ' editable' : ''}`}>
          <div class="bus-top">
            <BannerView b={p.banner} />
            {mine !== null ? <NotifyButton /> : ''}
            <AnnouncementView text={announcement} myRoute={p.myRoute} />
            {selected ? <AssignPanel space={selected} routes={routes} /> : ''}
            {p.view === 'afternoon' && !editable ? <Search p={p} /> : ''}
          </div>
          {p.view === 'afternoon' ? (
            <div class="bus-map">
              <div class="bus-lot-wrap">
                <LotMap routes={routes} myRouteId={mine} found={p.found} editable={editable} selected={selected?.id ?? null} />
                {editable ? <p class="hint">Tap an empty space to assign a bus, or a filled one to unassign it.</p> : ''}
              </div>
            </div>
          ) : ''}
          {editable ? (
            <div class="bus-tools">
              <MarkForm routes={routes} time={p.view} />
              {p.view === 'afternoon' ? <Search p={p} /> : ''}
              <AnnouncementForm text={announcement} time={p.view} />
            </div>
          ) : ''}
          <div class={`bus-lists${p.view === 'morning' ? ' three' : ''}`}>
            <RouteList status="a" routes={routes} myRouteId={mine} withSpace={p.view === 'afternoon'} />
            {p.view === 'morning' ? <RouteList status="o" routes={routes} myRouteId={mine} /> : ''}
            <RouteList status="d" routes={routes} myRouteId={mine} />
          </div>
        </div>
        {editable && p.view === 'afternoon' ? <AssignSheet /> : ''}
      </div>
    </>
  )
}
