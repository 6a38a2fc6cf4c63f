import { Check, Field } from '../../../../platform/html/components.tsx'
import { nameWithFlags, sponsorName } from '../../effective.ts'
import type { ActivityForm } from './activities.ts'
import type { ActivityCounts, ActivityListRow, ActivityRecord } from './activities.sql.ts'
import { OfficeFrame, hxForm, type Flash } from './common.tsx'
import { PeoplePicker, type PickerProps } from './people-views.tsx'
import type { SponsorOption } from './sponsors.sql.ts'

// /eighth/admin/activities: list + create (free ids offered); the full edit form with the allow
// list and blacklist; delete (soft, then hard).

const ACTIVITIES: [string, string][] = [['/eighth/admin/activities', 'Activities']]
type Opt = { id: number; label: string }

export function ActivitiesPage({ rows, q, withDeleted, freeIds, add, flash, errors }: {
  rows: ActivityListRow[]; q: string; withDeleted: boolean; freeIds: number[]; add: { name: string; id: string }; flash?: Flash | null; errors?: string[]
}) {
  return (
    <OfficeFrame title="Activities" flash={flash} errors={errors}>
      <form {...hxForm('/eighth/admin/activities')} class="stack card" aria-labelledby="new-act">
        <h2 id="new-act">New activity</h2>
        <Field name="name" label="Name" value={add.name} maxlength={100} required hint="4 to 100 characters." />
        <div class="field">
          <label for="f-id">Activity ID (optional)</label>
          <span class="hint" id="f-id-hint">Empty: the next free number. Free IDs include the suggestions.</span>
          <input id="f-id" name="id" type="number" inputmode="numeric" min="1" value={add.id} list="free-ids" aria-describedby="f-id-hint" />
          <datalist id="free-ids">{freeIds.map((i) => <option value={String(i)} />)}</datalist>
        </div>
        <p class="muted small" safe>{`Free IDs: ${freeIds.slice(0, 12).join(', ')}${freeIds.length > 12 ? ', …' : ''}`}</p>
        <button type="submit">Create</button>
      </form>
      <section class="card" aria-labelledby="act-list">
        <h2 id="act-list" safe>{`${rows.length} activities`}</h2>
        <form method="get" action="/eighth/admin/activities" role="search" class="search-row">
          <label for="act-q" class="visually-hidden">Find an activity</label>
          <input id="act-q" type="search" name="q" value={q} maxlength={100} placeholder="Name or ID" />
          <Check name="deleted" label="Deleted too" checked={withDeleted} />
          <button type="submit" class="secondary">Find</button>
        </form>
        <ul class="office-list">
          {rows.map((r) => (
            <li class="office-item">
              <div class="office-line">
                <span class="muted mono" safe>{String(r.id)}</span>
                <a class="strong" href={`/eighth/admin/activities/${r.id}`} safe>{nameWithFlags(r.name, r)}</a>
              </div>
              <p class="muted small" safe>{`${r.sponsors.join(', ') || 'No sponsor'} · ${r.rooms.join(', ') || 'No room'}`}</p>
            </li>
          ))}
        </ul>
      </section>
    </OfficeFrame>
  )
}

function Multi({ name, label, options, chosen, hint }: { name: string; label: string; options: Opt[]; chosen: string[]; hint?: string }) {
  const id = `f-${name}`
  return (
    <div class="field">
      <label for={id} safe>{label}</label>
      {hint ? <span class="hint" id={`${id}-hint`} safe>{hint}</span> : ''}
      <select id={id} name={name} multiple="multiple" size={String(Math.min(8, Math.max(3, options.length)))} aria-describedby={hint ? `${id}-hint` : undefined}>
        {options.map((o) => <option value={String(o.id)} selected={chosen.includes(String(o.id))} safe>{o.label}</option>)}
      </select>
    </div>
  )
}

const FLAGS: [keyof ActivityForm, string, string][] = [
  ['presign', 'presign', '2-day presign (signups open at 20:00 two days before)'], ['oneADay', 'one_a_day', 'Once a day'],
  ['bothBlocks', 'both_blocks', 'Both blocks (A and B together)'], ['sticky', 'sticky', 'Sticky (students cannot switch out)'],
  ['special', 'special', 'Special (pinned to the top)'], ['administrative', 'administrative', 'Administrative (hidden from students)'],
  ['restricted', 'restricted', 'Restricted (only the allowed students)'],
]
const GRADES: [keyof ActivityForm, string, string][] = [
  ['freshmenAllowed', 'freshmen_allowed', 'Freshmen'], ['sophomoresAllowed', 'sophomores_allowed', 'Sophomores'],
  ['juniorsAllowed', 'juniors_allowed', 'Juniors'], ['seniorsAllowed', 'seniors_allowed', 'Seniors'],
]
const MEETS: [keyof ActivityForm, string, string][] = [['wedA', 'wed_a', 'Wednesday A'], ['wedB', 'wed_b', 'Wednesday B'], ['friA', 'fri_a', 'Friday A'], ['friB', 'fri_b', 'Friday B']]

const checks = (v: ActivityForm, list: [keyof ActivityForm, string, string][]) =>
  <div class="checks">{list.map(([k, name, label]) => <Check name={name} label={label} checked={v[k] === true} />)}</div>

export type EditModel = {
  a: ActivityRecord
  v: ActivityForm
  counts: ActivityCounts
  rooms: Opt[]
  sponsors: SponsorOption[]
  groups: Opt[]
  pickers: Omit<PickerProps, 'action' | 'pageUrl' | 'candidatesUrl'>[]
}

export function ActivityEditPage({ m, flash, errors }: { m: EditModel; flash?: Flash | null; errors?: string[] }) {
  const { a, v } = m
  const base = `/eighth/admin/activities/${a.id}`
  return (
    <OfficeFrame title={`${a.id}: ${nameWithFlags(a.name, a)}`} crumbs={ACTIVITIES} flash={flash} errors={errors}>
      {a.deleted ? <div class="alert warn" role="status"><p>This activity is deleted: students cannot sign up for it.</p></div> : ''}
      <p class="muted" safe>{`Scheduled ${m.counts.scheduled} times (${m.counts.future} from today on) · ${m.counts.signups} signups in all.`}</p>
      <div class="actions">
        <a class="button secondary" href={`/eighth/admin/scheduling/activity/${a.id}`}>Schedule</a>
        <a class="button secondary" href={`/eighth/activity/${a.id}/settings`}>Club settings</a>
        <a class="button secondary" href={`/eighth/activity/${a.id}`}>Public page</a>
        <a class="button secondary" href={`${base}/delete`}>{a.deleted ? 'Restore or destroy…' : 'Delete…'}</a>
      </div>
      <form {...hxForm(base)} class="stack card wide" aria-labelledby="edit-act">
        <h2 id="edit-act">Details</h2>
        <Field name="name" label="Name" value={v.name} maxlength={100} required hint="4 to 100 characters." />
        <div class="field">
          <label for="f-description">Description</label>
          <textarea id="f-description" name="description" rows="5" maxlength={2000} safe>{v.description}</textarea>
        </div>
        <Multi name="rooms" label="Default rooms" options={m.rooms} chosen={v.rooms} hint="Changing them emails the students signed up for upcoming blocks without a room override." />
        <Multi name="sponsors" label="Default sponsors" options={m.sponsors.map((s) => ({ id: s.id, label: sponsorName(s) + (s.firstName && !s.showFullName ? ` (${s.firstName})` : '') }))} chosen={v.sponsors} />
        <Field name="default_capacity" label="Default capacity" type="number" value={v.defaultCapacityText} inputmode="numeric" hint="Empty: the rooms' seats. −1: unlimited." />
        <fieldset><legend>Flags</legend>{checks(v, FLAGS)}</fieldset>
        <fieldset>
          <legend>Who may join when restricted</legend>
          {checks(v, GRADES)}
          <Multi name="groups" label="Groups allowed" options={m.groups} chosen={v.groups} />
          <p class="hint muted">Allowed students by name are listed below the form.</p>
        </fieldset>
        <fieldset><legend>Usually meets</legend>{checks(v, MEETS)}</fieldset>
        <Check name="subscriptions_enabled" label="Club announcements: students may subscribe" checked={v.subscriptionsEnabled} />
        <Field name="finance" label="Finance account" value={v.finance} maxlength={100} />
        <div class="field">
          <label for="f-admin_comments">Office comments</label>
          <textarea id="f-admin_comments" name="admin_comments" rows="3" maxlength={1000} safe>{v.adminComments}</textarea>
        </div>
        <button type="submit">Save</button>
      </form>
      {m.pickers.map((p) => <PeoplePicker {...p} action={`${base}/people`} pageUrl={base} candidatesUrl={`${base}/candidates`} />)}
    </OfficeFrame>
  )
}

export function ActivityDeletePage({ a, counts }: { a: ActivityRecord; counts: ActivityCounts }) {
  const base = `/eighth/admin/activities/${a.id}`
  return (
    <OfficeFrame title={a.deleted ? `${a.name} is deleted` : `Delete ${a.name}?`} crumbs={[...ACTIVITIES, [base, a.name]]}>
      {a.deleted ? (
        <>
          <form {...hxForm(`${base}/restore`)} class="actions"><button type="submit">Restore it</button></form>
          <div class="alert error" role="alert">
            <p safe>{`Destroying it removes its ${counts.scheduled} scheduled activities and ${counts.signups} signups, attendance included. This cannot be undone.`}</p>
          </div>
          <form method="post" action={`${base}/delete`} class="actions">
            <input type="hidden" name="permanent" value="on" />
            <button type="submit" class="danger">Destroy it for good</button>
          </form>
        </>
      ) : (
        <>
          <p safe>{`Students will no longer see or join ${a.name}. Its ${counts.signups} signups and attendance stay; you can restore it later.`}</p>
          <form method="post" action={`${base}/delete`} class="actions">
            <button type="submit" class="danger">Delete</button>
            <a class="button secondary" href={base}>Keep it</a>
          </form>
        </>
      )}
    </OfficeFrame>
  )
}
