import { Errors, fmtDateTime, trustedHtml } from '../../../platform/html/components.tsx'
import { fieldOf, otherFieldOf, rankFieldOf } from '../ballot.ts'
import { choiceDetail, choiceName, type Choice, type Question } from '../types.ts'
import type { Ballot } from '../vote.ts'
import type { StoredAnswer } from '../votes.sql.ts'
import { PollCss, StatusLine } from './common.tsx'

// /polls/:id. The ballot (#ballot) is one partial with two uses: the page, and the htmx answer
// to its own form (saved, or refused with every reason). Current answers are pre-filled; a
// refused ballot shows what was typed. Election choices are shuffled per voter, the same way on
// every visit (a hash of question, voter and choice).

export type BallotProps = Ballot & { viewerId: number; tz: string; flash?: string; errors?: string[]; shown?: Map<number, StoredAnswer> }

const shuffleKey = (q: number, v: number, c: number) => Bun.hash.wyhash(`${q}:${v}:${c}`, 7n)

export function orderFor(q: Question, viewerId: number): Choice[] {
  if (q.type !== 'ELC') return q.choices
  return [...q.choices].sort((a, b) => {
    const x = shuffleKey(q.id, viewerId, a.id), y = shuffleKey(q.id, viewerId, b.id)
    return x < y ? -1 : x > y ? 1 : a.id - b.id
  })
}

function ChoiceText({ c }: { c: Choice }) {
  const detail = choiceDetail(c.info)
  return <span class="choice-text"><span safe>{choiceName(c.info)}</span>{detail ? <span class="muted choice-detail" safe>{detail}</span> : ''}</span>
}

function Single({ q, a, viewerId }: { q: Question; a?: StoredAnswer; viewerId: number }) {
  const name = fieldOf(q)
  const other = a?.otherText !== null && a?.otherText !== undefined
  return (
    <ul class="choices">
      {orderFor(q, viewerId).map((c) => (
        <li><label class="check"><input type="radio" name={name} value={String(c.id)} checked={a?.choiceIds.includes(c.id)} /><ChoiceText c={c} /></label></li>
      ))}
      {q.type === 'STO' ? (
        <li class="other">
          <label class="check"><input type="radio" name={name} value="other" checked={other} /><span>Other</span></label>
          <label class="visually-hidden" for={`f-${otherFieldOf(q)}`} safe>{`Other answer for question ${q.num}`}</label>
          <input type="text" id={`f-${otherFieldOf(q)}`} name={otherFieldOf(q)} maxlength={500} value={a?.otherText ?? undefined} placeholder="Your answer" />
        </li>
      ) : ''}
      <li class="clear"><label class="check"><input type="radio" name={name} value="clear" checked={a?.cleared} /><span>Clear (abstain)</span></label></li>
    </ul>
  )
}

function Approval({ q, a }: { q: Question; a?: StoredAnswer }) {
  const name = fieldOf(q)
  return (
    <ul class="choices">
      {q.choices.map((c) => (
        <li><label class="check"><input type="checkbox" name={name} value={String(c.id)} checked={a?.choiceIds.includes(c.id)} /><ChoiceText c={c} /></label></li>
      ))}
      <li class="clear"><label class="check"><input type="checkbox" name={name} value="clear" checked={a?.cleared} /><span>Clear (abstain)</span></label></li>
    </ul>
  )
}

function Ranked({ q, a }: { q: Question; a?: StoredAnswer }) {
  const ranks = Array.from({ length: q.maxChoices }, (_, i) => i + 1)
  return (
    <ul class="choices ranked">
      {q.choices.map((c) => {
        const at = a?.choiceIds.indexOf(c.id) ?? -1
        const id = `f-${rankFieldOf(q, c.id)}`
        return (
          <li class="rank-row">
            <select id={id} name={rankFieldOf(q, c.id)}>
              <option value="">—</option>
              {ranks.map((r) => <option value={String(r)} selected={at + 1 === r}>{r}</option>)}
            </select>
            <label for={id}><ChoiceText c={c} /></label>
          </li>
        )
      })}
      <li class="clear"><label class="check"><input type="checkbox" name={fieldOf(q)} value="clear" checked={a?.cleared} /><span>Clear my ranking (abstain)</span></label></li>
    </ul>
  )
}

function Text({ q, a }: { q: Question; a?: StoredAnswer }) {
  const id = `f-${fieldOf(q)}`
  return (
    <div class="field">
      <label class="visually-hidden" for={id} safe>{`Your answer to question ${q.num}`}</label>
      {q.type === 'FRE'
        ? <textarea id={id} name={fieldOf(q)} rows="4" maxlength={5000} safe>{a?.response ?? ''}</textarea>
        : <input id={id} type="text" name={fieldOf(q)} maxlength={200} value={a?.response ?? undefined} />}
    </div>
  )
}

const HINTS: Record<Question['type'], (q: Question) => string> = {
  STD: () => 'Choose one.', ELC: () => 'Choose one. Candidates are listed in a random order.', STO: () => 'Choose one, or write your own.',
  APP: (q) => `Choose up to ${q.maxChoices}.`, SAP: (q) => `Choose up to ${q.maxChoices}; your vote is split equally between them.`,
  RAN: (q) => `Rank up to ${q.maxChoices}: 1 is your first choice.`, FRE: () => 'Empty the box to withdraw your answer.',
  SRE: () => 'One line. Empty the box to withdraw your answer.',
}

export function QuestionFields({ q, a, viewerId }: { q: Question; a?: StoredAnswer; viewerId: number }) {
  return (
    <fieldset class="question card" id={`question-${q.id}`}>
      <legend safe>{`${q.num}. ${q.question}`}</legend>
      <p class="hint" safe>{HINTS[q.type](q)}</p>
      {q.type === 'FRE' || q.type === 'SRE' ? <Text q={q} a={a} />
        : q.type === 'APP' || q.type === 'SAP' ? <Approval q={q} a={a} />
        : q.type === 'RAN' ? <Ranked q={q} a={a} />
        : <Single q={q} a={a} viewerId={viewerId} />}
    </fieldset>
  )
}

export function BallotView(p: BallotProps) {
  const { poll, status, voteRefusal, canSeeResults, admin } = p.access
  const action = `/polls/${poll.id}`
  const shown = p.shown ?? p.mine
  const canVote = !voteRefusal
  return (
    <div id="ballot" class="poll-ballot">
      <PollCss />
      <p><a href="/polls">← All polls</a></p>
      <h1 safe>{poll.title}</h1>
      <StatusLine poll={poll} status={status} tz={p.tz} />
      {poll.description ? <div class="rich poll-description">{trustedHtml(poll.description)}</div> : ''}
      {p.flash ? <p class="alert ok" role="status" safe>{p.flash}</p> : ''}
      <Errors errors={p.errors ?? []} />
      {voteRefusal && !p.errors?.length ? <p class="alert info" safe>{voteRefusal.errors[0]}</p> : ''}
      {p.mine.size && canVote ? <p class="muted" safe>{`You have answered ${p.mine.size} of ${p.questions.length} questions. You can change your answers until the poll closes (${fmtDateTime(poll.endTime, p.tz)}).`}</p> : ''}
      {p.questions.length ? (
        <form method="post" action={action} hx-post={action} hx-target="#ballot" hx-swap="outerHTML" class="ballot-form">
          <fieldset class="ballot" disabled={!canVote}>
            <legend class="visually-hidden">Your ballot</legend>
            {p.questions.map((q) => <QuestionFields q={q} a={shown.get(q.id)} viewerId={p.viewerId} />)}
          </fieldset>
          {canVote ? <button type="submit">{p.mine.size ? 'Change my vote' : 'Submit my vote'}</button> : ''}
        </form>
      ) : <p class="muted">This poll has no questions yet.</p>}
      <p class="actions">
        {canSeeResults ? <a href={`${action}/results`}>See the results</a> : ''}
        {admin ? <a href={`${action}/edit`}>Edit this poll</a> : ''}
      </p>
    </div>
  )
}
