import { Check, Errors, Field, fmtDateTime } from '../../../platform/html/components.tsx'
import type { EmergState } from '../state.ts'
import type { Placement, WarningRow } from '../warnings.sql.ts'

// /admin/warnings: the emergency state (read-only: it comes from the configuration or the feed)
// and the warning announcements, each editable in place, plus a form for a new one.

export const PLACEMENT_LABELS: Record<Placement, string> = {
  global: 'Every page',
  dashboard: 'Dashboard',
  login: 'Login page',
  dashboard_login: 'Dashboard and login page',
}

export type WarningDraft = { title: string; body: string; placement: string; active: boolean; startsAt: string; endsAt: string }

function WarningForm({ action, d, submit, idPrefix }: { action: string; d: WarningDraft; submit: string; idPrefix: string }) {
  return (
    <form method="post" action={action} class="stack">
      <Field name="title" id={`${idPrefix}-title`} label="Title (optional)" value={d.title} maxlength={127} />
      <div class="field">
        <label for={`${idPrefix}-body`}>Text</label>
        <textarea id={`${idPrefix}-body`} name="body" rows="3" maxlength={2000} required safe>{d.body}</textarea>
      </div>
      <div class="field">
        <label for={`${idPrefix}-placement`}>Shown on</label>
        <select id={`${idPrefix}-placement`} name="placement">
          {(Object.keys(PLACEMENT_LABELS) as Placement[]).map((p) => <option value={p} selected={p === d.placement} safe>{PLACEMENT_LABELS[p]}</option>)}
        </select>
      </div>
      <Field name="starts_at" id={`${idPrefix}-starts`} label="From (optional)" type="datetime-local" value={d.startsAt} />
      <Field name="ends_at" id={`${idPrefix}-ends`} label="Until (optional)" type="datetime-local" value={d.endsAt} />
      <Check name="active" id={`${idPrefix}-active`} label="Active" checked={d.active} />
      <button type="submit" safe>{submit}</button>
    </form>
  )
}

export type AdminModel = { emergency: EmergState; feedUrl: string | null; configured: boolean; rows: WarningRow[]; tz: string; draft: WarningDraft; errors: string[]; toLocal: (d: Date) => string }

export function WarningsAdmin({ m }: { m: AdminModel }) {
  return (
    <section class="warnings-admin events-page" aria-labelledby="warn-h">
      <h1 id="warn-h">Warnings and emergency</h1>
      <section class="card" aria-labelledby="emerg-h">
        <h2 id="emerg-h">Emergency message</h2>
        {m.emergency.status
          ? <p safe>{`Showing on every page: ${m.emergency.title ? `${m.emergency.title} — ` : ''}${m.emergency.message ?? ''}`}</p>
          : <p>No emergency message is showing.</p>}
        <p class="muted" safe>{m.configured ? 'It comes from EMERGENCY_MESSAGE in the configuration.'
          : m.feedUrl ? `Read every 5 minutes from ${m.feedUrl}${m.emergency.checkedAt ? ` (last good reading ${fmtDateTime(m.emergency.checkedAt, m.tz)})` : ''}.`
          : 'Set EMERGENCY_MESSAGE or EMERGENCY_FEED_URL to show one.'}</p>
      </section>
      <section class="card" aria-labelledby="new-h">
        <h2 id="new-h">New warning</h2>
        <Errors errors={m.errors} />
        <WarningForm action="/admin/warnings" d={m.draft} submit="Add the warning" idPrefix="new" />
      </section>
      <section class="card" aria-labelledby="list-h">
        <h2 id="list-h">Warnings</h2>
        {m.rows.length ? m.rows.map((w) => (
          <details class="warning-row">
            <summary>
              <span safe>{w.title || w.body.slice(0, 60)}</span>{' '}
              {w.active ? <span class="badge ok" safe>{PLACEMENT_LABELS[w.placement]}</span> : <span class="badge">Off</span>}
            </summary>
            <WarningForm action={`/admin/warnings/${w.id}`} idPrefix={`w${w.id}`} submit="Save" d={{
              title: w.title, body: w.body, placement: w.placement, active: w.active,
              startsAt: w.startsAt ? m.toLocal(w.startsAt) : '', endsAt: w.endsAt ? m.toLocal(w.endsAt) : '',
            }} />
            <form method="post" action={`/admin/warnings/${w.id}/delete`} class="inline-form">
              <button type="submit" class="secondary" aria-label={`Delete the warning “${w.title || w.body.slice(0, 40)}”`}>Delete</button>
            </form>
          </details>
        )) : <p class="muted">No warnings yet.</p>}
      </section>
    </section>
  )
}
