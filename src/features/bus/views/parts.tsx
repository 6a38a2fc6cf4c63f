import { bannerText, mentions, STATUS_LABEL, type Banner, type RouteJson, type Status } from '../board.ts'

// The pieces both boards share. bus.js updates the same elements (by id) from each snapshot.

const ICON: Record<string, string> = { arrived: '✓', ontime: '◷', late: '!', delayed: '⚠' }

export function BannerView({ b }: { b: Banner }) {
  if (b.kind === 'none') return <p id="bus-banner" class="bus-banner" hidden></p>
  if (b.kind === 'register')
    return <p id="bus-banner" class="bus-banner register"><a href="/preferences#pref-bus">Register your bus route…</a></p>
  return (
    <p id="bus-banner" class={`bus-banner ${b.tone}`} role="status">
      <span class="bus-banner-icon" aria-hidden="true" safe>{ICON[b.tone]}</span>
      <span class="bus-banner-text" safe>{bannerText(b)}</span>
    </p>
  )
}

export function AnnouncementView({ text, myRoute }: { text: string; myRoute: RouteJson | null }) {
  const mine = myRoute !== null && mentions(text, myRoute.route_name)
  return (
    <section id="bus-ann" class={`bus-ann${mine ? ' mine' : ''}`} aria-labelledby="bus-ann-title" hidden={!text}>
      <h2 id="bus-ann-title">{mine ? 'Announcement about your bus' : 'Bus announcement'}</h2>
      <p id="bus-ann-text" aria-live="polite" safe>{text}</p>
    </section>
  )
}

/** One list of routes (a status column of the morning board, or the arrived/delayed lists). */
export function RouteList({ status, routes, myRouteId, withSpace }: { status: Status; routes: RouteJson[]; myRouteId: number | null; withSpace?: boolean }) {
  const list = routes.filter((r) => r.status === status)
  return (
    <section class={`bus-list st-${status}`} aria-labelledby={`bus-list-${status}-title`}>
      <h2 id={`bus-list-${status}-title`}>
        <span safe>{STATUS_LABEL[status]}</span> <span class="count" id={`bus-count-${status}`} safe>{String(list.length)}</span>
      </h2>
      <ul id={`bus-list-${status}`} data-with-space={withSpace ? '1' : undefined}>
        {list.map((r) => (
          <li class={r.id === myRouteId ? 'mine' : undefined}>
            <span class="rn" safe>{r.route_name}</span>
            {withSpace && r.space ? <span class="sp" safe>{`space ${r.space.slice(1)}`}</span> : ''}
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Live-connection notices, the own-bus alert, error toasts and the out-of-date prompt. */
export function LiveNotices({ reloadTo }: { reloadTo: string }) {
  return (
    <>
      <p id="bus-conn" class="bus-conn" role="status" hidden></p>
      <div id="bus-arrived" class="bus-arrived" role="alert" hidden>
        <p id="bus-arrived-text"></p>
        <button type="button" id="bus-arrived-close" class="secondary">OK</button>
      </div>
      <p id="bus-toast" class="alert error bus-toast" role="alert" hidden></p>
      <p id="bus-stale" class="alert warn" hidden>
        This board is out of date. <a href={reloadTo}>Reload it</a>
      </p>
    </>
  )
}

export function NotifyButton() {
  return <button type="button" id="bus-notify" class="secondary bus-notify" hidden>Notify me when my bus arrives</button>
}
