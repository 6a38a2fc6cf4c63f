import { STATUS_LABEL, type Half, type RouteJson } from '../board.ts'
import { MAX_ANNOUNCEMENT } from '../protocol.ts'
import type { Space } from '../lot.ts'

// Bus admins' controls. Plain forms that work without JavaScript (POST, then back to the board);
// bus.js sends the same changes over the WebSocket instead when it is connected.

const optionText = (r: RouteJson) => `${r.route_name} · ${STATUS_LABEL[r.status].toLowerCase()}${r.space ? ` (space ${r.space.slice(1)})` : ''}`

/** Mark a bus arrived / on time / delayed without a space. */
export function MarkForm({ routes, time }: { routes: RouteJson[]; time: Half }) {
  return (
    <form id="bus-mark" class="card bus-mark" method="post" action="/bus/route" aria-labelledby="bus-mark-title">
      <h2 id="bus-mark-title">Mark a bus</h2>
      <input type="hidden" name="time" value={time} />
      <input type="hidden" name="space" value="" />
      <label for="bus-mark-route">Route</label>
      <select id="bus-mark-route" name="id" required>
        <option value="">Choose a route…</option>
        {routes.map((r) => <option value={String(r.id)} safe>{optionText(r)}</option>)}
      </select>
      <div class="bus-mark-buttons">
        <button type="submit" name="status" value="a" class="st-a">Arrived</button>
        <button type="submit" name="status" value="o" class="st-o">On time</button>
        <button type="submit" name="status" value="d" class="st-d">Delayed</button>
      </div>
    </form>
  )
}

export function AnnouncementForm({ text, time }: { text: string; time: Half }) {
  return (
    <form id="bus-ann-form" class="card stack bus-ann-form" method="post" action="/bus/announcement">
      <input type="hidden" name="time" value={time} />
      <label for="bus-ann-input">Edit the bus announcement</label>
      <span class="hint" id="bus-ann-hint">Everyone on the bus board sees it; riders of a route it names see it as an alert.</span>
      <textarea id="bus-ann-input" name="announcement" rows="3" maxlength={MAX_ANNOUNCEMENT} aria-describedby="bus-ann-hint" safe>{text}</textarea>
      <div class="actions">
        <button type="submit" name="action" value="save">Save</button>
        <button type="submit" name="action" value="clear" class="secondary">Clear</button>
      </div>
    </form>
  )
}

/** Without JavaScript, a tapped space opens this panel (?space=_12). */
export function AssignPanel({ space, routes }: { space: Space; routes: RouteJson[] }) {
  const parked = routes.find((r) => r.status === 'a' && r.space === space.id)
  return (
    <section id="assign" class="card bus-assign" aria-labelledby="assign-title">
      <h2 id="assign-title" safe>{`Space ${space.n}`}</h2>
      {parked ? (
        <form method="post" action="/bus/route" class="stack">
          <p safe>{`${parked.route_name} is parked here.`}</p>
          <input type="hidden" name="time" value="afternoon" />
          <input type="hidden" name="id" value={String(parked.id)} />
          <input type="hidden" name="status" value="o" />
          <input type="hidden" name="space" value="" />
          <button type="submit" safe>{`Unassign ${parked.route_name} from this space`}</button>
        </form>
      ) : (
        <form method="post" action="/bus/route" class="stack">
          <input type="hidden" name="time" value="afternoon" />
          <input type="hidden" name="status" value="a" />
          <input type="hidden" name="space" value={space.id} />
          <label for="assign-route">Assign a bus to this space</label>
          <select id="assign-route" name="id" required>
            {routes.filter((r) => !(r.status === 'a' && r.space)).map((r) => <option value={String(r.id)} safe>{optionText(r)}</option>)}
          </select>
          <button type="submit">Assign</button>
        </form>
      )}
      <p><a href="/bus/afternoon">Cancel</a></p>
    </section>
  )
}

/** `autofocus` on a heading (the dialog's first focus), which the JSX types allow only on controls. */
const AUTOFOCUS = { autofocus: true } as Record<string, unknown>

/** The sheet bus.js opens when a space is tapped: a type-ahead of the routes not parked yet. */
export function AssignSheet() {
  return (
    <dialog id="bus-sheet" class="bus-sheet" aria-labelledby="bus-sheet-title">
      <div class="bus-sheet-body">
        {/* Focus lands on the title, not the filter: a phone's keyboard would hide the list. */}
        <h2 id="bus-sheet-title" tabindex="-1" {...AUTOFOCUS}>Space</h2>
        <div id="bus-sheet-assign">
          <label for="bus-sheet-filter">Assign a bus to this space</label>
          <input id="bus-sheet-filter" type="search" autocomplete="off" placeholder="Type a route name" />
          <ul id="bus-sheet-list" class="bus-pick"></ul>
          <p id="bus-sheet-empty" class="muted" hidden>No route matches.</p>
        </div>
        <div id="bus-sheet-filled" hidden>
          <p id="bus-sheet-filled-text"></p>
          <button type="button" id="bus-sheet-unassign" class="danger">Unassign</button>
        </div>
        <button type="button" id="bus-sheet-close" class="secondary">Cancel</button>
      </div>
    </dialog>
  )
}
