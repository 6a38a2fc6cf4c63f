import { Check, Errors, Field } from '../../../platform/html/components.tsx'
import { EMPTY_ROWS, MAX_ROWS, type BlockRow, type DayTypeForm } from '../daytypes.ts'

// /schedule/daytype/new and /schedule/daytype/<id>: the name, special flag, codenames and block
// rows of a day type (blocks are replaced on save; empty rows are ignored), and for a saved one:
// copy, delete, and "use on a date".

export type DayTypePageProps = {
  id: number | null
  form: DayTypeForm
  errors: string[]
  flash?: string
  /** How many dates use it (for the delete confirmation). */
  dayCount: number
}

function RowFields({ i, row }: { i: number; row: BlockRow }) {
  const f = (k: string) => `b${i}-${k}`
  return (
    <fieldset class="block-row">
      <legend safe>{`Block ${i + 1}`}</legend>
      <div class="field order">
        <label for={f('order')}>Order</label>
        <input id={f('order')} name={`order_${i}`} type="text" inputmode="numeric" maxlength={2} value={row.order} />
      </div>
      <div class="field name">
        <label for={f('name')}>Name</label>
        <input id={f('name')} name={`block_${i}`} type="text" maxlength={100} value={row.name} />
      </div>
      <div class="field">
        <label for={f('start')}>Start</label>
        <input id={f('start')} name={`start_${i}`} type="time" value={row.start} />
      </div>
      <div class="field">
        <label for={f('end')}>End</label>
        <input id={f('end')} name={`end_${i}`} type="time" value={row.end} />
      </div>
    </fieldset>
  )
}

export function DayTypePage(p: DayTypePageProps) {
  const rows = [...p.form.rows]
  for (let k = 0; k < EMPTY_ROWS && rows.length < MAX_ROWS; k++) rows.push({ order: '', name: '', start: '', end: '' })
  const action = p.id === null ? '/schedule/daytype' : `/schedule/daytype/${p.id}`
  const confirm = p.dayCount
    ? `Delete "${p.form.name}"? ${p.dayCount} ${p.dayCount === 1 ? 'date uses' : 'dates use'} it and will have no schedule.`
    : `Delete "${p.form.name}"?`
  return (
    <section class="daytype-edit" aria-labelledby="dt-title">
      <p><a href="/schedule/admin">‹ Bell schedule admin</a></p>
      <h1 id="dt-title" safe>{p.id === null ? 'New day type' : p.form.name ? `Day type: ${p.form.name}` : 'Edit day type'}</h1>
      <Errors errors={p.errors} />
      {p.flash ? <p class="alert ok" role="status" safe>{p.flash}</p> : ''}
      <form method="post" action={action} class="stack daytype-form">
        <Field name="name" label="Name" value={p.form.name} required maxlength={100} hint={'"Anchor Day", "Blue Day" and "Red Day" are the names the default fill uses.'} />
        <Check name="special" label="Special (a day out of the ordinary: early release, snow day…)" checked={p.form.special} />
        <Field name="codenames" label="Codenames" value={p.form.codenames} hint="Other names for it, separated by commas (optional)." />
        <fieldset class="blocks">
          <legend>Blocks</legend>
          <p class="hint">Each block needs a name, a start, and an end after its start (typed as 8:40 or 13:05 where the browser has no time picker). An empty order puts the block after the others; an empty row is left out.</p>
          {rows.map((row, i) => <RowFields i={i} row={row} />)}
        </fieldset>
        <div class="actions"><button type="submit">{p.id === null ? 'Create day type' : 'Save'}</button></div>
      </form>
      {p.id !== null ? (
        <>
          <section class="card" aria-labelledby="assign-title">
            <h2 id="assign-title">Use on a date</h2>
            <form method="post" action="/schedule/admin/day" class="inline-form">
              <input type="hidden" name="day_type" value={String(p.id)} />
              <input type="hidden" name="back" value={`/schedule/daytype/${p.id}`} />
              <Field name="date" label="Date" type="date" required id="assign-date" />
              <button type="submit" class="secondary">Assign</button>
            </form>
          </section>
          <div class="actions">
            <form method="post" action={`/schedule/daytype/${p.id}/copy`}>
              <button type="submit" class="secondary">Make a copy</button>
            </form>
            <form method="post" action={`/schedule/daytype/${p.id}/delete`}>
              <button type="submit" class="danger" data-confirm={confirm}>Delete</button>
            </form>
          </div>
        </>
      ) : ''}
    </section>
  )
}
