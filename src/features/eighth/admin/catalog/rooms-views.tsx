import { Check, Field } from '../../../../platform/html/components.tsx'
import { OfficeFrame, hxForm, type Flash } from './common.tsx'
import type { RoomInput } from './rooms.ts'
import type { RoomRow } from './rooms.sql.ts'

// /eighth/admin/rooms: the list with an add form; a room's edit page and delete confirmation.

const ROOMS: [string, string][] = [['/eighth/admin/rooms', 'Rooms']]
export const capText = (c: number) => (c === -1 ? 'Unlimited' : c === 0 ? 'No signups' : `${c} seats`)

function RoomForm({ action, v, submit }: { action: string; v: RoomInput; submit: string }) {
  return (
    <form {...hxForm(action)} class="stack">
      <Field name="name" label="Name" value={v.name} maxlength={100} required />
      <Field name="capacity" label="Capacity" type="number" value={v.capacity} inputmode="numeric" hint="−1: unlimited; 0: no student signups." required />
      <Check name="available_for_eighth" label="Available for eighth period" checked={v.available} />
      <button type="submit" safe>{submit}</button>
    </form>
  )
}

export function RoomsPage({ rooms, form, flash, errors }: { rooms: RoomRow[]; form: RoomInput; flash?: Flash | null; errors?: string[] }) {
  return (
    <OfficeFrame title="Rooms" flash={flash} errors={errors}>
      <section class="card" aria-labelledby="add-room">
        <h2 id="add-room">Add a room</h2>
        <RoomForm action="/eighth/admin/rooms" v={form} submit="Add room" />
      </section>
      <section class="card" aria-labelledby="room-list">
        <h2 id="room-list" safe>{`${rooms.length} rooms`}</h2>
        <ul class="office-list">
          {rooms.map((r) => (
            <li class="office-item">
              <div class="office-line">
                <a href={`/eighth/admin/rooms/${r.id}`} class="strong" safe>{r.name}</a>
                <span class="badge" safe>{capText(r.capacity)}</span>
                {r.availableForEighth ? '' : <span class="badge warn">Not for eighth</span>}
              </div>
              <p class="muted small" safe>{`Default room of ${r.activities} activities · ${r.scheduled} scheduled overrides`}</p>
            </li>
          ))}
        </ul>
      </section>
    </OfficeFrame>
  )
}

export function RoomEditPage({ r, v, flash, errors }: { r: RoomRow; v: RoomInput; flash?: Flash | null; errors?: string[] }) {
  return (
    <OfficeFrame title={r.name} crumbs={ROOMS} flash={flash} errors={errors}>
      <section class="card"><RoomForm action={`/eighth/admin/rooms/${r.id}`} v={v} submit="Save" /></section>
      <a class="button secondary" href={`/eighth/admin/rooms/${r.id}/delete`}>Delete…</a>
    </OfficeFrame>
  )
}

export function RoomDeletePage({ r }: { r: RoomRow }) {
  return (
    <OfficeFrame title={`Delete ${r.name}?`} crumbs={ROOMS}>
      <div class="alert error" role="alert">
        <p safe>{`${r.name} is the default room of ${r.activities} activities and a room of ${r.scheduled} scheduled activities. They lose this room.`}</p>
      </div>
      <form method="post" action={`/eighth/admin/rooms/${r.id}/delete`} class="actions">
        <button type="submit" class="danger">Delete the room</button>
        <a class="button secondary" href={`/eighth/admin/rooms/${r.id}`}>Keep it</a>
      </form>
    </OfficeFrame>
  )
}
