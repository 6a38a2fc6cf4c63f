import { Check, Errors, Field } from '../../../platform/html/components.tsx'
import type { groupsVisibleTo } from '../../groups/index.ts'
import type { Draft } from '../form.ts'
import { EventsNav } from './list.tsx'

type GroupBrief = Awaited<ReturnType<typeof groupsVisibleTo>>[number]

// The event form: add (events admins, approved at once), request (everyone else, waits for
// approval) and modify. One form; the refusal re-renders it with the reasons and the values.

export type FormModel = {
  mode: 'add' | 'request' | 'modify'
  action: string
  draft: Draft
  groups: GroupBrief[]
  errors: string[]
  admin: boolean
}

const TITLES = { add: 'Add an event', request: 'Request an event', modify: 'Edit the event' }

const val = (d: Draft, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '')

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: [string, string][] }) {
  return (
    <div class="field">
      <label for={`f-${name}`} safe>{label}</label>
      <select id={`f-${name}`} name={name}>
        {options.map(([v, l]) => <option value={v} selected={v === value} safe>{l}</option>)}
      </select>
    </div>
  )
}

export function EventForm({ m }: { m: FormModel }) {
  const d = m.draft
  const chosen = new Set(Array.isArray(d.groups) ? d.groups : [])
  return (
    <section class="events-page" aria-labelledby="form-h">
      <h1 id="form-h" safe>{TITLES[m.mode]}</h1>
      {m.mode === 'modify' ? '' : <EventsNav admin={m.admin} current="add" />}
      {m.mode === 'request' ? <p>An administrator reviews requests, usually within 24 hours. You will get an email when yours is approved.</p> : ''}
      <Errors errors={m.errors} />
      <form method="post" action={m.action} class="stack card">
        <Field name="title" label="Title" value={val(d, 'title')} required maxlength={127} />
        <Field name="starts_at" label="Starts" type="datetime-local" value={val(d, 'starts_at')} required />
        <Field name="ends_at" label="Ends (optional)" type="datetime-local" value={val(d, 'ends_at')} />
        <Field name="location" label="Location" value={val(d, 'location')} maxlength={127} />
        <div class="field">
          <label for="f-description">Description</label>
          <span class="hint" id="f-description-hint">Simple formatting is kept: paragraphs, bold, italics, lists and links.</span>
          <textarea id="f-description" name="description" rows="6" aria-describedby="f-description-hint" safe>{val(d, 'description')}</textarea>
        </div>
        <Select name="category" label="Category" value={val(d, 'category') || 'school'} options={[['school', 'School event'], ['sports', 'Sports']]} />
        <Select name="open_to" label="Open to" value={val(d, 'open_to') || 'everyone'} options={[['everyone', 'Everyone'], ['students', 'Students'], ['parents', 'Parents']]} />
        {m.groups.length ? (
          <fieldset class="groups">
            <legend>Only for these groups (none: everyone)</legend>
            {m.groups.map((g) => <Check name="groups" id={`f-group-${g.id}`} value={String(g.id)} label={g.name} checked={chosen.has(String(g.id))} />)}
          </fieldset>
        ) : ''}
        <fieldset>
          <legend>Options</legend>
          <Check name="show_attending" label="People can say they are going (RSVP)" checked={val(d, 'show_attending') === 'on'} />
          <Check name="show_on_dashboard" label="Show on the dashboard" checked={val(d, 'show_on_dashboard') === 'on'} />
          <Check name="public" label="Public: show on the login page and the public calendar feed (only without groups)" checked={val(d, 'public') === 'on'} />
        </fieldset>
        <button type="submit">{m.mode === 'modify' ? 'Save changes' : m.mode === 'add' ? 'Add the event' : 'Send the request'}</button>
      </form>
    </section>
  )
}
