import type { PropsWithChildren } from '@kitajs/html'
import { dateFormat } from '../intl.ts'

// Shared form and page pieces. Every value is escaped (safe) or passed as an attribute.

type FieldProps = {
  name: string
  label: string
  type?: string
  value?: string | number | null
  error?: string | null
  hint?: string
  required?: boolean
  autocomplete?: string
  inputmode?: string
  autofocus?: boolean
  maxlength?: number
  pattern?: string
  placeholder?: string
  id?: string
}

export function Field(p: FieldProps) {
  const id = p.id ?? `f-${p.name}`
  const hintId = p.hint ? `${id}-hint` : undefined
  const errId = p.error ? `${id}-err` : undefined
  return (
    <div class="field">
      <label for={id} safe>{p.label}</label>
      {p.hint ? <span class="hint" id={hintId} safe>{p.hint}</span> : ''}
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value === null || p.value === undefined ? undefined : String(p.value)}
        required={p.required}
        autocomplete={p.autocomplete}
        inputmode={p.inputmode}
        autofocus={p.autofocus}
        maxlength={p.maxlength}
        pattern={p.pattern}
        placeholder={p.placeholder}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={[hintId, errId].filter(Boolean).join(' ') || undefined}
      />
      {p.error ? <span class="error" id={errId} safe>{p.error}</span> : ''}
    </div>
  )
}

export function Check(p: { name: string; label: string; checked?: boolean; value?: string; id?: string }) {
  const id = p.id ?? `f-${p.name}`
  return (
    <label class="check" for={id}>
      <input type="checkbox" id={id} name={p.name} value={p.value ?? 'on'} checked={p.checked} />
      <span safe>{p.label}</span>
    </label>
  )
}

export function Errors({ errors }: { errors: string[] }) {
  if (!errors.length) return ''
  return (
    <div class="alert error" role="alert">
      {errors.length === 1 ? <p safe>{errors[0]}</p> : <ul>{errors.map((e) => <li safe>{e}</li>)}</ul>}
    </div>
  )
}

export function Notice({ kind, children }: PropsWithChildren<{ kind: 'info' | 'ok' | 'warn' | 'error' }>) {
  return <div class={`alert ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>{children}</div>
}

export const fmtDateTime = (d: Date | number | null, tz: string) =>
  d === null ? '—' : dateFormat('en-US', { timeZone: tz, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(d))

export const fmtDate = (d: string) => {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number]
  return dateFormat('en-US', { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }).format(Date.UTC(y, m - 1, day))
}

/**
 * Markup this app rendered itself (registry widgets, sections, sanitized rich text), passed on
 * without escaping again. Never call it with a user's value.
 */
export const trustedHtml = (rendered: string): JSX.Element => rendered
