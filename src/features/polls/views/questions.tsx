import { Errors } from '../../../platform/html/components.tsx'
import { hasChoices, isMulti, QUESTION_TYPES, TYPE_NAMES, type Choice, type Question, type QuestionType } from '../types.ts'

// The builder's questions (#poll-questions): one partial with two uses, the edit page and the
// htmx answer to every form in it. Each form is also a plain POST (redirect back), so the builder
// works without JavaScript; reordering is "up"/"down" buttons.

export type QuestionDraft = { question: string; type: string; maxChoices: string; choices: string }
export type QuestionsProps = {
  poll: { id: number }
  questions: Question[]
  /** Answers per question: a question with answers can't change type. */
  answered: Set<number>
  qFlash?: string
  qErrors?: string[]
  draft?: QuestionDraft
  importDraft?: { position: string; type: string; text: string }
}

const hx = (action: string) => ({ method: 'post', action, 'hx-post': action, 'hx-target': '#poll-questions', 'hx-swap': 'outerHTML' })

function MoveButtons({ action, what, first, last }: { action: string; what: string; first: boolean; last: boolean }) {
  return (
    <>
      <form {...hx(`${action}/move`)} class="inline">
        <input type="hidden" name="dir" value="up" />
        <button type="submit" class="secondary small" disabled={first} aria-label={`Move ${what} up`}>↑</button>
      </form>
      <form {...hx(`${action}/move`)} class="inline">
        <input type="hidden" name="dir" value="down" />
        <button type="submit" class="secondary small" disabled={last} aria-label={`Move ${what} down`}>↓</button>
      </form>
      <form {...hx(`${action}/delete`)} class="inline">
        <button type="submit" class="danger small" aria-label={`Delete ${what}`}>Delete</button>
      </form>
    </>
  )
}

function TypeSelect({ id, value, locked }: { id: string; value: string; locked?: boolean }) {
  return (
    <div class="field">
      <label for={id}>Type</label>
      <select id={id} name="type" aria-describedby={locked ? `${id}-hint` : undefined}>
        {QUESTION_TYPES.filter((t) => !locked || t === value).map((t) => <option value={t} selected={t === value} safe>{TYPE_NAMES[t]}</option>)}
      </select>
      {locked ? <span class="hint" id={`${id}-hint`}>It has answers, so its type stays.</span> : ''}
    </div>
  )
}

function ChoiceRow({ pollId, c, n, total, qnum }: { pollId: number; c: Choice; n: number; total: number; qnum: number }) {
  const action = `/polls/${pollId}/choices/${c.id}`
  const id = `f-choice-${c.id}`
  const what = `choice ${n} of question ${qnum}`
  return (
    <li class="choice-row">
      <form {...hx(action)} class="choice-edit">
        <label for={id} class="visually-hidden" safe>{`Choice ${n} of question ${qnum}`}</label>
        <input id={id} type="text" name="info" value={c.info} maxlength={500} required />
        <button type="submit" class="secondary small" aria-label={`Save ${what}`}>Save</button>
      </form>
      <div class="row-actions"><MoveButtons action={action} what={what} first={n === 1} last={n === total} /></div>
    </li>
  )
}

function QuestionCard({ pollId, q, total, answered }: { pollId: number; q: Question; total: number; answered: boolean }) {
  const action = `/polls/${pollId}/questions/${q.id}`
  const p = `q${q.id}`
  return (
    <li class="card q-card" id={`question-${q.id}`}>
      <form {...hx(action)} class="stack">
        <div class="field">
          <label for={`${p}-text`} safe>{`Question ${q.num}`}</label>
          <textarea id={`${p}-text`} name="question" rows="2" maxlength={2000} required safe>{q.question}</textarea>
        </div>
        <div class="grid two">
          <TypeSelect id={`${p}-type`} value={q.type} locked={answered} />
          <div class="field">
            <label for={`${p}-max`}>Max choices</label>
            <span class="hint" id={`${p}-max-hint`}>Approval, split approval and ranked questions.</span>
            <input id={`${p}-max`} type="number" name="max_choices" min="1" max="100" value={String(q.maxChoices)} aria-describedby={`${p}-max-hint`} />
          </div>
        </div>
        <button type="submit" class="secondary" aria-label={`Save question ${q.num}`}>Save question</button>
      </form>
      <div class="row-actions"><MoveButtons action={action} what={`question ${q.num}`} first={q.num === 1} last={q.num === total} /></div>
      {hasChoices(q.type) ? (
        <div class="q-choices">
          <h3 safe>{`Choices (${q.choices.length})`}</h3>
          {q.choices.length ? <ol class="choice-list">{q.choices.map((c, i) => <ChoiceRow pollId={pollId} c={c} n={i + 1} total={q.choices.length} qnum={q.num} />)}</ol> : <p class="muted">No choices yet.</p>}
          <form {...hx(`${action}/choices`)} class="add-choice">
            <label for={`${p}-new`} safe>{`New choice for question ${q.num}`}</label>
            <span class="hint" id={`${p}-new-hint`}>One per line. “Name | slogan” shows the slogan under the name.</span>
            <textarea id={`${p}-new`} name="info" rows="2" maxlength={20000} required aria-describedby={`${p}-new-hint`}></textarea>
            <button type="submit" class="secondary" aria-label={`Add choices to question ${q.num}`}>Add</button>
          </form>
          {isMulti(q.type) || q.type === 'ELC' ? (
            <form {...hx(`${action}/import`)} enctype="multipart/form-data" class="import-choices">
              <label for={`${p}-csv`} safe>{`Import candidates into question ${q.num} (CSV)`}</label>
              <input id={`${p}-csv`} type="file" name="file" accept=".csv,.txt,text/csv,text/plain" />
              <button type="submit" class="secondary" aria-label={`Import candidates into question ${q.num}`}>Import</button>
            </form>
          ) : ''}
        </div>
      ) : ''}
    </li>
  )
}

function AddQuestion({ pollId, draft }: { pollId: number; draft?: QuestionDraft }) {
  const d = draft ?? { question: '', type: 'STD', maxChoices: '1', choices: '' }
  return (
    <section class="card" aria-labelledby="add-q-title">
      <h3 id="add-q-title">Add a question</h3>
      <form {...hx(`/polls/${pollId}/questions`)} class="stack">
        <div class="field">
          <label for="f-new-question">Question</label>
          <textarea id="f-new-question" name="question" rows="2" maxlength={2000} required safe>{d.question}</textarea>
        </div>
        <div class="grid two">
          <TypeSelect id="f-new-type" value={d.type as QuestionType} />
          <div class="field">
            <label for="f-new-max">Max choices</label>
            <input id="f-new-max" type="number" name="max_choices" min="1" max="100" value={d.maxChoices} />
          </div>
        </div>
        <div class="field">
          <label for="f-new-choices">Choices</label>
          <span class="hint" id="f-new-choices-hint">One per line (none for free and short response).</span>
          <textarea id="f-new-choices" name="choices" rows="4" maxlength={100000} aria-describedby="f-new-choices-hint" safe>{d.choices}</textarea>
        </div>
        <button type="submit">Add question</button>
      </form>
    </section>
  )
}

function ImportElection({ pollId, draft }: { pollId: number; draft?: QuestionsProps['importDraft'] }) {
  const d = draft ?? { position: '', type: 'RAN', text: '' }
  return (
    <section class="card" aria-labelledby="import-title">
      <h3 id="import-title">Import election candidates</h3>
      <p class="hint">A CSV with a “name” column (and optionally “position” and “slogan”): one question per position. Or one name per line.</p>
      <form {...hx(`/polls/${pollId}/import`)} enctype="multipart/form-data" class="stack">
        <div class="field">
          <label for="f-imp-position">Position</label>
          <span class="hint" id="f-imp-position-hint">The question, when the file has no “position” column (e.g. “President”).</span>
          <input id="f-imp-position" type="text" name="position" maxlength={2000} value={d.position} aria-describedby="f-imp-position-hint" />
        </div>
        <div class="field">
          <label for="f-imp-type">Ballot</label>
          <select id="f-imp-type" name="type">
            <option value="RAN" selected={d.type === 'RAN'}>Ranked choice (rank up to 3)</option>
            <option value="ELC" selected={d.type === 'ELC'}>Election (one choice, shuffled)</option>
          </select>
        </div>
        <div class="field">
          <label for="f-imp-file">CSV file</label>
          <input id="f-imp-file" type="file" name="file" accept=".csv,.txt,text/csv,text/plain" />
        </div>
        <div class="field">
          <label for="f-imp-text">Or paste it</label>
          <textarea id="f-imp-text" name="text" rows="4" maxlength={1000000} safe>{d.text}</textarea>
        </div>
        <button type="submit" class="secondary">Import candidates</button>
      </form>
    </section>
  )
}

export function QuestionsSection(p: QuestionsProps) {
  return (
    <section id="poll-questions" class="poll-questions" aria-labelledby="questions-title">
      <h2 id="questions-title" safe>{`Questions (${p.questions.length})`}</h2>
      <div aria-live="polite">
        {p.qFlash ? <p class="alert ok" role="status" safe>{p.qFlash}</p> : ''}
        <Errors errors={p.qErrors ?? []} />
      </div>
      {p.questions.length ? (
        <ol class="q-list">
          {p.questions.map((q) => <QuestionCard pollId={p.poll.id} q={q} total={p.questions.length} answered={p.answered.has(q.id)} />)}
        </ol>
      ) : <p class="muted">No questions yet.</p>}
      <AddQuestion pollId={p.poll.id} draft={p.draft} />
      <ImportElection pollId={p.poll.id} draft={p.importDraft} />
    </section>
  )
}
