import { Check, Errors, Field } from '../../../platform/html/components.tsx'
import type { GroupBrief } from '../../groups/membership.ts'
import type { PollFormValues } from '../poll-form.ts'
import { RESULTS_VISIBILITY, RESULTS_VISIBILITY_NAMES, type Poll, type PollStatus, type Question } from '../types.ts'
import { PollCss, StatusLine } from './common.tsx'
import { QuestionsSection, type QuestionsProps } from './questions.tsx'

// /polls/new and /polls/:id/edit (polls admins). The settings form is a plain form (saved, then
// redirected back); the questions below are one htmx partial (#poll-questions), see questions.tsx.

type SettingsProps = { action: string; values: PollFormValues; groups: GroupBrief[]; errors?: string[]; submit: string }

export function PollSettingsForm(p: SettingsProps) {
  const v = p.values
  const chosen = new Set(v.groupIds)
  return (
    <form method="post" action={p.action} class="stack poll-settings" id="poll-settings">
      <Errors errors={p.errors ?? []} />
      <Field name="title" label="Title" value={v.title} required maxlength={200} />
      <div class="field">
        <label for="f-description">Description</label>
        <span class="hint" id="f-description-hint">Optional. Basic HTML is kept (paragraphs, lists, links, bold); anything else is removed when you save.</span>
        <textarea id="f-description" name="description" rows="4" maxlength={10000} aria-describedby="f-description-hint" safe>{v.description}</textarea>
      </div>
      <div class="grid two">
        <Field name="start" type="datetime-local" label="Opens" value={v.start} required hint="School time zone." />
        <Field name="end" type="datetime-local" label="Closes" value={v.end} required hint="Votes can be changed until then." />
      </div>
      <fieldset class="options">
        <legend>Options</legend>
        <Check name="visible" label="Published (voters can see it)" checked={v.visible} />
        <Check name="is_election" label="Election" checked={v.isElection} />
        <Check name="is_anonymous" label="Anonymous: the answers CSV has no names" checked={v.isAnonymous} />
        <Check name="is_secret" label="Secret ballot: no CSV exports at all" checked={v.isSecret} />
      </fieldset>
      <div class="field">
        <label for="f-results">Who sees the results</label>
        <select id="f-results" name="results_visibility">
          {RESULTS_VISIBILITY.map((r) => <option value={r} selected={v.resultsVisibility === r} safe>{RESULTS_VISIBILITY_NAMES[r]}</option>)}
        </select>
      </div>
      <fieldset class="groups-pick">
        <legend>Who may vote</legend>
        <p class="hint">No group checked: every student and staff member. Otherwise members of at least one checked group.</p>
        {p.groups.length ? (
          <ul class="group-checks">
            {p.groups.map((g) => (
              <li><Check name="groups" id={`f-group-${g.id}`} value={String(g.id)} label={g.name} checked={chosen.has(g.id)} /></li>
            ))}
          </ul>
        ) : <p class="muted">There are no groups.</p>}
      </fieldset>
      <button type="submit" safe>{p.submit}</button>
    </form>
  )
}

export function NewPollPage(p: Omit<SettingsProps, 'action' | 'submit'>) {
  return (
    <div class="poll-builder">
      <PollCss />
      <p><a href="/polls">← All polls</a></p>
      <h1>New poll</h1>
      <p class="muted">Save the poll first; then add its questions.</p>
      <PollSettingsForm {...p} action="/polls/new" submit="Create poll" />
    </div>
  )
}

export type EditProps = QuestionsProps & {
  poll: Poll
  status: PollStatus
  tz: string
  values: PollFormValues
  groups: GroupBrief[]
  settingsErrors?: string[]
  flash?: string
}

export function EditPollPage(p: EditProps) {
  const base = `/polls/${p.poll.id}`
  return (
    <div class="poll-builder">
      <PollCss />
      <p><a href="/polls?show_all=1">← All polls</a></p>
      <h1 safe>{`Edit: ${p.poll.title}`}</h1>
      <StatusLine poll={p.poll} status={p.status} tz={p.tz} />
      {p.status === 'closed' ? <p class="alert warn">This poll has closed. Changing it now changes what its results mean.</p> : ''}
      {p.flash ? <p class="alert ok" role="status" safe>{p.flash}</p> : ''}
      <p class="actions">
        <a href={base}>View the ballot</a>
        <a href={`${base}/results`}>Results</a>
      </p>
      <details class="card" open={!!p.settingsErrors?.length}>
        <summary>Poll settings</summary>
        <PollSettingsForm action={`${base}/edit`} values={p.values} groups={p.groups} errors={p.settingsErrors} submit="Save settings" />
      </details>
      <QuestionsSection {...p} />
      {p.status !== 'closed' ? (
        <form method="post" action={`${base}/delete`} class="card danger-zone stack">
          <h2>Delete this poll</h2>
          <p class="hint">Deletes its questions and every answer. A closed poll can't be deleted.</p>
          <label class="check" for="f-confirm-delete"><input type="checkbox" id="f-confirm-delete" name="confirm" value="yes" required /><span>Yes, delete this poll and its answers</span></label>
          <button type="submit" class="danger">Delete poll</button>
        </form>
      ) : ''}
    </div>
  )
}
