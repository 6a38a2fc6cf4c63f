import { Check, Field } from '../../../../platform/html/components.tsx'
import { effectiveList, formattedRoomName, sponsorName } from '../../effective.ts'
import { blockText } from '../../format.ts'
import { OfficeFrame, hxForm, type Flash } from './common.tsx'
import { personLabel, type Person } from './people.ts'
import type { SponsorInput } from './sponsors.ts'
import { DEPARTMENTS, type SponsorRow, type SponsorScheduleRow } from './sponsors.sql.ts'

// /eighth/admin/sponsors: list + add, edit (account link by type-ahead), delete, schedule.

const SPONSORS: [string, string][] = [['/eighth/admin/sponsors', 'Sponsors']]
const DEPT_LABEL: Record<string, string> = {
  general: 'General', math_cs: 'Math / CS', english: 'English', social_studies: 'Social studies', fine_arts: 'Fine arts', health_pe: 'Health / PE', scitech: 'Science / technology',
}

export function AccountOptions({ q, rows }: { q: string; rows: Person[] | null }) {
  return (
    <div id="account-options" aria-live="polite">
      {rows === null || (rows.length === 0 && !q) ? '' : rows.length === 0 ? <p class="muted" safe>{`No teacher account matches “${q}”.`}</p> : (
        <fieldset class="radios">
          <legend>Pick the account</legend>
          {rows.map((p) => (
            <label class="check" for={`acct-${p.id}`}>
              <input type="radio" id={`acct-${p.id}`} name="user_id" value={String(p.id)} />
              <span safe>{personLabel(p)}</span>
            </label>
          ))}
        </fieldset>
      )}
    </div>
  )
}

function SponsorForm({ action, v, linked, options, submit }: { action: string; v: SponsorInput; linked: string | null; options: Person[] | null; submit: string }) {
  return (
    <form {...hxForm(action)} class="stack">
      <div class="pair">
        <Field name="first_name" label="First name" value={v.firstName} maxlength={50} />
        <Field name="last_name" label="Last name" value={v.lastName} maxlength={50} required />
      </div>
      <fieldset>
        <legend>Teacher account</legend>
        {linked ? <p safe>{`Linked to ${linked}.`}</p> : <p class="muted">Not linked: a name-only sponsor.</p>}
        {linked ? <Check name="unlink" label="Unlink the account" checked={v.unlink} /> : ''}
        <div class="field">
          <label for="f-account">{linked ? 'Link another account' : 'Link an account'}</label>
          <span class="hint" id="f-account-hint">Type a name to search, or an exact username.</span>
          <input id="f-account" type="search" name="account" value={v.account} maxlength={100} autocomplete="off" aria-describedby="f-account-hint"
            aria-controls="account-options" hx-get="/eighth/admin/sponsors/accounts" hx-trigger="input changed delay:250ms" hx-target="#account-options" hx-swap="outerHTML" />
        </div>
        <AccountOptions q={v.account} rows={options} />
      </fieldset>
      <div class="field">
        <label for="f-department">Department</label>
        <select id="f-department" name="department">
          {DEPARTMENTS.map((d) => <option value={d} selected={v.department === d} safe>{DEPT_LABEL[d] ?? d}</option>)}
        </select>
      </div>
      <div class="checks">
        <Check name="show_full_name" label="Show the full name" checked={v.showFullName} />
        <Check name="full_time" label="Full time" checked={v.fullTime} />
        <Check name="online_attendance" label="Takes attendance online" checked={v.onlineAttendance} />
        <Check name="contracted_eighth" label="Contracted for eighth period" checked={v.contractedEighth} />
      </div>
      <button type="submit" safe>{submit}</button>
    </form>
  )
}

export const NEW_SPONSOR: SponsorInput = {
  firstName: '', lastName: '', userId: '', account: '', unlink: false, department: 'general', fullTime: true, onlineAttendance: true, contractedEighth: true, showFullName: false,
}

export function SponsorsPage({ sponsors, form, options, flash, errors }: { sponsors: SponsorRow[]; form: SponsorInput; options: Person[] | null; flash?: Flash | null; errors?: string[] }) {
  return (
    <OfficeFrame title="Sponsors" flash={flash} errors={errors}>
      <details class="card" open={!!errors?.length}>
        <summary><h2 class="inline">Add a sponsor</h2></summary>
        <SponsorForm action="/eighth/admin/sponsors" v={form} linked={null} options={options} submit="Add sponsor" />
      </details>
      <section class="card" aria-labelledby="sp-list">
        <h2 id="sp-list" safe>{`${sponsors.length} sponsors`}</h2>
        <ul class="office-list">
          {sponsors.map((s) => (
            <li class="office-item">
              <div class="office-line">
                <a class="strong" href={`/eighth/admin/sponsors/${s.id}`} safe>{`${s.lastName}${s.firstName ? `, ${s.firstName}` : ''}`}</a>
                {s.username ? <span class="muted mono" safe>{s.username}</span> : <span class="badge">Name only</span>}
              </div>
              <p class="muted small" safe>{`${DEPT_LABEL[s.department] ?? s.department} · shown as “${sponsorName(s)}” · ${s.activities} activities`}</p>
            </li>
          ))}
        </ul>
      </section>
    </OfficeFrame>
  )
}

export function SponsorEditPage({ s, form, options, flash, errors }: { s: SponsorRow; form: SponsorInput; options: Person[] | null; flash?: Flash | null; errors?: string[] }) {
  const base = `/eighth/admin/sponsors/${s.id}`
  const linked = s.username ? `${s.accountName ?? ''} (${s.username})` : null
  return (
    <OfficeFrame title={`${s.lastName}${s.firstName ? `, ${s.firstName}` : ''}`} crumbs={SPONSORS} flash={flash} errors={errors}>
      <div class="actions">
        <a class="button secondary" href={`${base}/schedule`}>Schedule</a>
        <a class="button secondary" href={`${base}/delete`}>Delete…</a>
      </div>
      <section class="card"><SponsorForm action={base} v={form} linked={linked} options={options} submit="Save" /></section>
    </OfficeFrame>
  )
}

export function SponsorDeletePage({ s }: { s: SponsorRow }) {
  const base = `/eighth/admin/sponsors/${s.id}`
  return (
    <OfficeFrame title={`Delete the sponsor ${s.lastName}?`} crumbs={SPONSORS}>
      <div class="alert error" role="alert"><p safe>{`${s.lastName} sponsors ${s.activities} activities by default; they and their scheduled activities lose this sponsor.`}</p></div>
      <form method="post" action={`${base}/delete`} class="actions">
        <button type="submit" class="danger">Delete the sponsor</button>
        <a class="button secondary" href={base}>Keep</a>
      </form>
    </OfficeFrame>
  )
}

export function SponsorSchedulePage({ s, rows }: { s: SponsorRow; rows: SponsorScheduleRow[] }) {
  return (
    <OfficeFrame title={`Schedule of ${sponsorName(s)}`} crumbs={[...SPONSORS, [`/eighth/admin/sponsors/${s.id}`, s.lastName]]}>
      {rows.length ? (
        <ul class="schedule">
          {rows.map((r) => (
            <li class="sched-item">
              <span class="sched-block" safe>{blockText(r)}</span>
              <a class="sched-act" href={`/eighth/admin/scheduling/activity/${r.activityId}`} safe>{r.title ? `${r.name} - ${r.title}` : r.name}</a>
              <span class="muted" safe>{`${effectiveList(r.saRooms, r.actRooms).map(formattedRoomName).join(', ') || 'No room'} · ${r.count} signed up`}</span>
              {r.cancelled ? <span class="badge err">Cancelled</span> : ''}
            </li>
          ))}
        </ul>
      ) : <p class="muted">Nothing scheduled from today on.</p>}
    </OfficeFrame>
  )
}
