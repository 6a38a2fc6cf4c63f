import { Check, Field } from '../../../../platform/html/components.tsx'
import { blockText } from '../../format.ts'
import type { BlockCounts, BlockListRow, BlockRow } from './blocks.sql.ts'
import { LETTERS, WEEKDAYS, type RangeInput } from './blocks.ts'
import { OfficeFrame, hxForm, type Flash } from './common.tsx'

// /eighth/admin/blocks: the list with the range form; a block's edit, copy and delete pages.

const BLOCKS: [string, string][] = [['/eighth/admin/blocks', 'Blocks']]

export function AddRangeForm({ v }: { v: RangeInput }) {
  return (
    <form {...hxForm('/eighth/admin/blocks/add')} class="stack card" aria-labelledby="add-title">
      <h2 id="add-title">Add blocks</h2>
      <p class="hint muted">Every chosen letter on every chosen day between the two dates. Blocks that already exist are left as they are.</p>
      <div class="pair">
        <Field name="start" label="First date" type="date" value={v.start} required />
        <Field name="end" label="Last date" type="date" value={v.end} hint="Empty: the first date only." />
      </div>
      <fieldset>
        <legend>Days of the week</legend>
        <div class="checks">
          {WEEKDAYS.map((d, i) => <Check name="day" id={`day-${i}`} value={String(i)} label={d} checked={v.weekdays.includes(String(i))} />)}
        </div>
      </fieldset>
      <fieldset>
        <legend>Block letters</legend>
        <div class="checks">
          {LETTERS.map((l) => <Check name="letter" id={`letter-${l}`} value={l} label={l} checked={v.letters.includes(l)} />)}
        </div>
        <Field name="custom" label="Other letters" value={v.custom} hint="Comma-separated, e.g. A1, SOL." maxlength={200} />
      </fieldset>
      <div class="pair">
        <Field name="signup_time" label="Sign up by" type="time" value={v.signupTime || '12:40'} />
        <Field name="comments" label="Comments" value={v.comments} maxlength={100} />
      </div>
      <button type="submit">Add blocks</button>
    </form>
  )
}

function BlockItem({ b }: { b: BlockListRow }) {
  return (
    <li class="office-item">
      <div class="office-line">
        <a href={`/eighth/admin/blocks/${b.id}`} class="strong" safe>{blockText(b)}</a>
        {b.locked ? <span class="badge warn">Locked</span> : <span class="badge ok">Open</span>}
        {b.comments ? <span class="muted" safe>{b.comments}</span> : ''}
      </div>
      <p class="muted small" safe>{`${b.scheduled} scheduled${b.cancelled ? `, ${b.cancelled} cancelled` : ''} · ${b.signups} signups · sign up by ${b.signupTime}`}</p>
      <div class="actions">
        <a class="button secondary" href={`/eighth/admin/scheduling/block/${b.id}`}>Schedule</a>
        <form {...hxForm(`/eighth/admin/blocks/${b.id}/lock`)}>
          <input type="hidden" name="locked" value={b.locked ? 'off' : 'on'} />
          <input type="hidden" name="back" value="list" />
          <button type="submit" class="secondary" aria-label={`${b.locked ? 'Unlock' : 'Lock'} ${blockText(b)}`}>{b.locked ? 'Unlock' : 'Lock'}</button>
        </form>
      </div>
    </li>
  )
}

export function BlocksPage({ blocks, from, form, flash, errors }: { blocks: BlockListRow[]; from: string; form: RangeInput; flash?: Flash | null; errors?: string[] }) {
  return (
    <OfficeFrame title="Blocks" flash={flash} errors={errors}>
      <AddRangeForm v={form} />
      <section class="card" aria-labelledby="list-title">
        <h2 id="list-title" safe>{`Blocks from ${from}`}</h2>
        <form method="get" action="/eighth/admin/blocks" class="inline-form">
          <Field name="from" label="From" type="date" value={from} />
          <button type="submit" class="secondary">Show</button>
        </form>
        {blocks.length ? <ul class="office-list">{blocks.map((b) => <BlockItem b={b} />)}</ul> : <p class="muted">No blocks from this date on.</p>}
      </section>
    </OfficeFrame>
  )
}

export type EditValues = { date: string; letter: string; signupTime: string; comments: string; locked: boolean }

export function BlockEditPage({ b, v, counts, flash, errors }: { b: BlockRow; v: EditValues; counts: BlockCounts; flash?: Flash | null; errors?: string[] }) {
  const base = `/eighth/admin/blocks/${b.id}`
  return (
    <OfficeFrame title={blockText(b)} crumbs={BLOCKS} flash={flash} errors={errors}>
      <p class="muted" safe>{`${counts.scheduled} scheduled, ${counts.cancelled} cancelled, ${counts.signups} signups.`}</p>
      <div class="actions">
        <a class="button secondary" href={`/eighth/admin/scheduling/block/${b.id}`}>Schedule activities</a>
        <a class="button secondary" href={`/eighth/admin/scheduling/block/${b.id}/sanity`}>Sanity check</a>
        <a class="button secondary" href={`${base}/copy`}>Copy a schedule here</a>
        <a class="button secondary" href={`${base}/delete`}>Delete…</a>
      </div>
      <form {...hxForm(base)} class="stack card" aria-labelledby="edit-title">
        <h2 id="edit-title">Edit block</h2>
        <Field name="date" label="Date" type="date" value={v.date} required />
        <Field name="letter" label="Block letter" value={v.letter} maxlength={10} required />
        <Field name="signup_time" label="Sign up by" type="time" value={v.signupTime} />
        <Field name="comments" label="Comments" value={v.comments} maxlength={100} />
        <Check name="locked" label="Locked (signups closed)" checked={v.locked} />
        <button type="submit">Save</button>
      </form>
    </OfficeFrame>
  )
}

export function CopyPage({ b, counts, sources, source, withSignups, flash, errors }: {
  b: BlockRow; counts: BlockCounts; sources: BlockRow[]; source: number | null; withSignups: boolean; flash?: Flash | null; errors?: string[]
}) {
  const base = `/eighth/admin/blocks/${b.id}`
  return (
    <OfficeFrame title={`Copy a schedule to ${blockText(b)}`} crumbs={[...BLOCKS, [base, blockText(b)]]} flash={flash} errors={errors}>
      <div class="alert warn" role="status">
        <p safe>{`This first deletes the ${counts.scheduled + counts.cancelled} scheduled activities of ${blockText(b)} and their ${counts.signups} signups.`}</p>
      </div>
      <form {...hxForm(`${base}/copy`)} class="stack card">
        <div class="field">
          <label for="f-source">Copy from</label>
          <select id="f-source" name="source" required>
            <option value="">Choose a block</option>
            {sources.filter((s) => s.id !== b.id).map((s) => <option value={String(s.id)} selected={s.id === source} safe>{blockText(s)}</option>)}
          </select>
        </div>
        <Check name="with_signups" label="Copy the signups too" checked={withSignups} />
        <button type="submit" class="danger">Replace the schedule</button>
      </form>
    </OfficeFrame>
  )
}

export function DeletePage({ b, counts }: { b: BlockRow; counts: BlockCounts }) {
  const base = `/eighth/admin/blocks/${b.id}`
  const n = counts.scheduled + counts.cancelled
  return (
    <OfficeFrame title={`Delete ${blockText(b)}?`} crumbs={[...BLOCKS, [base, blockText(b)]]}>
      <div class="alert error" role="alert">
        <p safe>{`Deleting this block also deletes its ${n} scheduled ${n === 1 ? 'activity' : 'activities'} and ${counts.signups} ${counts.signups === 1 ? 'signup' : 'signups'}. ${counts.signups} ${counts.signups === 1 ? 'signup' : 'signups'} will be lost. This cannot be undone.`}</p>
      </div>
      <form method="post" action={`${base}/delete`} class="actions">
        <button type="submit" class="danger">Delete the block</button>
        <a class="button secondary" href={base}>Keep it</a>
      </form>
    </OfficeFrame>
  )
}
