import type { PropsWithChildren } from '@kitajs/html'
import { Check } from '../../../../platform/html/components.tsx'
import { formattedRoomName, sponsorName, trueCapacity, UNLIMITED } from '../../effective.ts'
import { blockText } from '../../format.ts'
import { OfficeFrame, hxForm, type Flash } from '../catalog/common.tsx'
import type { SponsorOption } from '../catalog/sponsors.sql.ts'
import type { Cell } from './grid.sql.ts'
import type { Sanity } from './sanity.ts'
import { cellKey } from './save.ts'

// The scheduling grids: one fieldset per cell (a block for the activity grid, an activity for the
// block grid), all saved by one POST. Phones first: each cell is a card; overrides fold away.

export type Options = { rooms: { id: number; label: string; capacity: number }[]; sponsors: SponsorOption[] }

const seats = (c: Cell) => {
  const cap = trueCapacity({ saCapacity: c.saCapacity, saRoomCaps: c.saRoomCaps, activityDefaultCapacity: c.activityDefaultCapacity, activityRoomCaps: c.activityRoomCaps })
  return cap === UNLIMITED ? `${c.count} signed up (unlimited)` : `${c.count}/${cap} signed up`
}

function Select({ id, name, label, options, chosen, hint }: { id: string; name: string; label: string; options: { id: number; label: string }[]; chosen: number[]; hint: string }) {
  return (
    <div class="field">
      <label for={id} safe>{label}</label>
      <span class="hint" id={`${id}-hint`} safe>{hint}</span>
      <select id={id} name={name} multiple="multiple" size="4" aria-describedby={`${id}-hint`}>
        {options.map((o) => <option value={String(o.id)} selected={chosen.includes(o.id)} safe>{o.label}</option>)}
      </select>
    </div>
  )
}

function CellCard({ c, mode, o }: { c: Cell; mode: 'activity' | 'block'; o: Options }) {
  const k = cellKey(c)
  const exists = c.saId !== null
  const overridden = !!(c.roomIds.length || c.sponsorIds.length || c.saCapacity !== null || c.title || c.comments || c.saBothBlocks || c.saSpecial || c.saAdministrative || c.saRestricted || c.saSticky)
  const defaults = c.actRoomIds.map((id) => o.rooms.find((r) => r.id === id)?.label ?? '').filter(Boolean).map(formattedRoomName).join(', ')
  const legend = mode === 'activity' ? blockText(c) : `${c.activityId}: ${c.name}`
  return (
    <fieldset class={`cell${exists && !c.cancelled ? ' on' : ''}${c.cancelled ? ' cancelled' : ''}`}>
      <legend safe>{legend}</legend>
      <input type="hidden" name="cell" value={`${c.blockId}:${c.activityId}`} />
      <div class="cell-top">
        <Check name={`scheduled_${k}`} id={`sch-${k}`} label="Scheduled" checked={exists && !c.cancelled} />
        {c.cancelled ? <span class="badge err">Cancelled</span> : ''}
        {exists ? <span class="badge" safe>{seats(c)}</span> : <span class="muted small">Not scheduled</span>}
        {c.blockLocked ? <span class="badge warn">Locked</span> : ''}
        {c.deleted ? <span class="badge err">Deleted activity</span> : ''}
        {exists ? <Check name={`unschedule_${k}`} id={`uns-${k}`} label="Unschedule" /> : ''}
        {mode === 'block' ? <a class="small" href={`/eighth/admin/scheduling/activity/${c.activityId}`}>All blocks</a> : ''}
      </div>
      <details open={overridden}>
        <summary>Overrides</summary>
        <div class="cell-fields">
          <Select id={`rooms-${k}`} name={`rooms_${k}`} label="Rooms" options={o.rooms} chosen={c.roomIds} hint={`None chosen: ${defaults || 'no default room'}.`} />
          <Select id={`sponsors-${k}`} name={`sponsors_${k}`} label="Sponsors" options={o.sponsors.map((s) => ({ id: s.id, label: sponsorName(s) }))} chosen={c.sponsorIds} hint="None chosen: the activity's sponsors." />
          <div class="field">
            <label for={`cap-${k}`}>Capacity</label>
            <input id={`cap-${k}`} name={`capacity_${k}`} type="number" inputmode="numeric" min="-1" value={c.saCapacity === null ? '' : String(c.saCapacity)} />
          </div>
          <div class="field">
            <label for={`title-${k}`}>Title</label>
            <input id={`title-${k}`} name={`title_${k}`} type="text" maxlength={1000} value={c.title} />
          </div>
          <div class="field">
            <label for={`comments-${k}`}>Comments for students</label>
            <input id={`comments-${k}`} name={`comments_${k}`} type="text" maxlength={1000} value={c.comments} />
          </div>
          <div class="checks">
            <Check name={`both_blocks_${k}`} id={`bb-${k}`} label="Both blocks" checked={c.saBothBlocks} />
            <Check name={`special_${k}`} id={`sp-${k}`} label="Special" checked={c.saSpecial} />
            <Check name={`administrative_${k}`} id={`ad-${k}`} label="Administrative" checked={c.saAdministrative} />
            <Check name={`restricted_${k}`} id={`re-${k}`} label="Restricted" checked={c.saRestricted} />
            <Check name={`sticky_${k}`} id={`st-${k}`} label="Sticky" checked={c.saSticky} />
          </div>
        </div>
      </details>
    </fieldset>
  )
}

/** Children: what goes above the grid (a date picker, a search). */
export type GridProps = PropsWithChildren<{ title: string; action: string; mode: 'activity' | 'block'; cells: Cell[]; o: Options; crumbs: [string, string][]; flash?: Flash | null; errors?: string[] }>

export function GridPage(p: GridProps) {
  return (
    <OfficeFrame title={p.title} crumbs={p.crumbs} flash={p.flash} errors={p.errors}>
      <p class="muted small">Tick “Scheduled” to offer the activity; untick it to cancel (students are emailed). “Unschedule” deletes a cancelled activity nobody is signed up for.</p>
      {p.children}
      {p.cells.length ? (
        <form {...hxForm(p.action)} class="grid-form">
          <div class="cells">{p.cells.map((c) => <CellCard c={c} mode={p.mode} o={p.o} />)}</div>
          <div class="save-bar"><button type="submit">Save all</button></div>
        </form>
      ) : <p class="muted">Nothing to show here.</p>}
    </OfficeFrame>
  )
}

export function SanityPage({ title, crumbs, s }: { title: string; crumbs: [string, string][]; s: Sanity }) {
  const list = (xs: Sanity['rooms'], what: string) => xs.length ? (
    <ul class="office-list">{xs.map((c) => (
      <li class="office-item"><span class="strong" safe>{c.name}</span>
        <ul>{c.activities.map((a) => <li><a href={`/eighth/admin/scheduling/activity/${a.activityId}`} safe>{`${a.name} (${a.count} signed up)`}</a></li>)}</ul>
      </li>))}</ul>
  ) : <p class="ok-text" safe>{`No ${what} is booked twice.`}</p>
  return (
    <OfficeFrame title={title} crumbs={crumbs}>
      <section class="card" aria-labelledby="s-rooms"><h2 id="s-rooms">Room conflicts</h2>{list(s.rooms, 'room')}</section>
      <section class="card" aria-labelledby="s-over">
        <h2 id="s-over">Over capacity</h2>
        {s.overfull.length ? (
          <ul class="office-list">{s.overfull.map((o) => (
            <li class="office-item"><span class="strong" safe>{`${o.rooms}: ${o.count} students for ${o.capacity} seats`}</span><p class="muted small" safe>{o.activities.join(', ')}</p></li>
          ))}</ul>
        ) : <p class="ok-text">Every room has enough seats.</p>}
      </section>
      <section class="card" aria-labelledby="s-sp"><h2 id="s-sp">Sponsor conflicts</h2>{list(s.sponsors, 'sponsor')}</section>
    </OfficeFrame>
  )
}
