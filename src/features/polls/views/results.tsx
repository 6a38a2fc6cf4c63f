import type { IrvResult } from '../irv.ts'
import type { Results } from '../results.ts'
import { fmtVotes, GRADE_KEYS, GRADE_NAMES, percent, type ByGrade, type GradeKey, type QuestionResult } from '../tally.ts'
import { choiceName, type Question } from '../types.ts'
import { ResultChart } from './chart.tsx'
import { PollCss, StatusLine } from './common.tsx'

// /polls/:id/results: the participation line, then per question a bar chart (SVG), the same
// numbers as a table, a breakdown by grade, instant-runoff rounds for ranked questions, and the
// text of free and short responses (never who wrote them).

export const participationLine = (voters: number, eligible: number) =>
  `${voters} out of ${eligible} (${(eligible ? (voters / eligible) * 100 : 0).toFixed(1)}%) eligible users voted in this poll.`

const SHORT_GRADES: Record<GradeKey, string> = { 9: '9th', 10: '10th', 11: '11th', 12: '12th', staff: 'Staff', other: 'Other' }
const gradeCols = (r: QuestionResult): GradeKey[] => GRADE_KEYS.filter((g) => g !== 'other' || r.byGrade.other > 0)

function GradeTable({ r, id }: { r: QuestionResult; id: string }) {
  const cols = gradeCols(r)
  const rows: { label: string; byGrade: ByGrade }[] = r.question.type === 'FRE' || r.question.type === 'SRE'
    ? [{ label: 'Answers', byGrade: r.byGrade }]
    : [...r.rows, { label: 'All answers', byGrade: r.byGrade }]
  return (
    <details class="grade-breakdown">
      <summary>Breakdown by grade</summary>
      <div class="table-wrap" tabindex="0" role="region" aria-label={`Question ${r.question.num} by grade`}>
        <table id={id}>
          <caption class="visually-hidden" safe>{`Question ${r.question.num} by grade`}</caption>
          <thead><tr><th scope="col">Choice</th>{cols.map((g) => <th scope="col" class="num"><abbr title={GRADE_NAMES[g]} safe>{SHORT_GRADES[g]}</abbr></th>)}</tr></thead>
          <tbody>
            {rows.map((row) => (
              <tr><th scope="row" safe>{row.label}</th>{cols.map((g) => <td class="num" safe>{fmtVotes(row.byGrade[g])}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  )
}

function IrvRounds({ q, irv }: { q: Question; irv: IrvResult }) {
  const name = (id: number | null) => choiceName(q.choices.find((c) => c.id === id)?.info ?? '')
  const outAt = new Map<number, number>()
  irv.rounds.forEach((r) => { if (r.eliminated !== null) outAt.set(r.eliminated, r.round) })
  const cell = (choiceId: number, round: number) => {
    const r = irv.rounds[round - 1]!
    const v = r.counts.find((c) => c.id === choiceId)?.votes
    if (v === undefined) return '—'
    return r.winner === choiceId ? `${v} (won)` : r.eliminated === choiceId ? `${v} (out)` : String(v)
  }
  return (
    <section class="irv" aria-label={`Instant-runoff rounds for question ${q.num}`}>
      <h3>Instant-runoff rounds</h3>
      <div class="table-wrap" tabindex="0" role="region" aria-label={`Rounds of question ${q.num}`}>
        <table>
          <caption class="visually-hidden" safe>{`Instant-runoff rounds for question ${q.num}`}</caption>
          <thead><tr><th scope="col">Candidate</th>{irv.rounds.map((r) => <th scope="col" class="num" safe>{`Round ${r.round}`}</th>)}</tr></thead>
          <tbody>
            {q.choices.map((c) => (
              <tr><th scope="row" safe>{choiceName(c.info)}</th>{irv.rounds.map((r) => <td class="num" safe>{cell(c.id, r.round)}</td>)}</tr>
            ))}
            <tr class="muted"><th scope="row">Exhausted ballots</th>{irv.rounds.map((r) => <td class="num">{r.exhausted}</td>)}</tr>
          </tbody>
        </table>
      </div>
      <ol class="irv-steps">
        {irv.rounds.map((r) => (
          <li safe>{`${r.continuing} ${r.continuing === 1 ? 'ballot counts' : 'ballots count'}${r.exhausted ? ` (${r.exhausted} exhausted)` : ''}; a majority is more than ${Math.floor(r.continuing / 2)}. `
            + (r.winner !== null ? `${name(r.winner)} wins with ${r.counts[0]!.votes} (${percent(r.counts[0]!.votes, r.continuing)}%).`
              : r.eliminated !== null ? `No majority: ${name(r.eliminated)} is eliminated.${r.tieBreak ? ' ' + r.tieBreak : ''}` : 'No ballots count: no winner.')}</li>
        ))}
      </ol>
    </section>
  )
}

function QuestionResults({ r }: { r: QuestionResult }) {
  const q = r.question
  const id = `q${q.id}`
  const text = q.type === 'FRE' || q.type === 'SRE'
  const ranked = q.type === 'RAN'
  const noun = ranked ? 'first choices' : 'votes'
  return (
    <section class="card question-results" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} safe>{`${q.num}. ${q.question}`}</h2>
      <p class="poll-meta">
        <span safe>{`${r.answers} ${r.answers === 1 ? 'answer' : 'answers'}`}</span>
        {r.winners.length ? <> · <strong safe>{`${ranked ? 'Winner (instant runoff)' : r.winners.length > 1 ? 'Tied for most votes' : 'Most votes'}: ${r.winners.join(', ')}`}</strong></> : ''}
      </p>
      {text ? (
        r.texts.length ? <ul class="text-answers">{r.texts.map((t) => <li safe>{t}</li>)}</ul> : <p class="muted">No answers yet.</p>
      ) : (
        <>
          <ResultChart id={`${id}-chart`} title={`Question ${q.num}: ${ranked ? 'first choices' : 'votes'} per choice`}
            desc={`Bar chart of ${noun} for each choice of “${q.question}”, out of ${r.answers} ${r.answers === 1 ? 'answer' : 'answers'}. The table below has the same numbers.`}
            bars={r.rows.map((row) => ({ label: row.label, value: row.votes, note: `${fmtVotes(row.votes)} (${percent(row.votes, r.answers)}%)`, muted: row.kind === 'clear' }))} />
          <div class="table-wrap" tabindex="0" role="region" aria-label={`Results of question ${q.num}`}>
            <table>
              <caption class="visually-hidden" safe>{`Results of question ${q.num}`}</caption>
              <thead><tr><th scope="col">Choice</th><th scope="col" class="num">{ranked ? <abbr title="First choices">1st</abbr> : 'Votes'}</th><th scope="col" class="num">%</th>{ranked ? <th scope="col" class="num">Points</th> : ''}</tr></thead>
              <tbody>
                {r.rows.map((row) => (
                  <tr>
                    <th scope="row"><span safe>{row.label}</span>{row.detail ? <span class="muted choice-detail" safe>{row.detail}</span> : ''}</th>
                    <td class="num" safe>{fmtVotes(row.votes)}</td><td class="num" safe>{`${percent(row.votes, r.answers)}%`}</td>
                    {ranked ? <td class="num" safe>{row.points === null ? '' : String(row.points)}</td> : ''}
                  </tr>
                ))}
                <tr class="total"><th scope="row">Total answers</th><td class="num">{r.answers}</td><td></td>{ranked ? <td></td> : ''}</tr>
              </tbody>
            </table>
          </div>
          {ranked ? <p class="hint">Points: a first choice earns as many points as voters may rank, the next one less.</p> : ''}
          {r.irv ? <IrvRounds q={q} irv={r.irv} /> : ''}
        </>
      )}
      <GradeTable r={r} id={`${id}-grades`} />
    </section>
  )
}

export function ResultsView({ res, tz }: { res: Results; tz: string }) {
  const { poll, status, admin } = res.access
  return (
    <div class="poll-results">
      <PollCss />
      <p><a href={`/polls/${poll.id}`}>← Back to the poll</a></p>
      <h1 safe>{`Results: ${poll.title}`}</h1>
      <StatusLine poll={poll} status={status} tz={tz} />
      <p class="participation" safe>{participationLine(res.voters, res.eligible)}</p>
      {status !== 'closed' ? <p class="alert warn">Results may not be final: the poll is still open.</p> : ''}
      {admin ? (
        poll.isSecret ? <p class="muted">CSV exports are turned off for secret polls.</p> : (
          <p class="actions">
            <a href={`/polls/${poll.id}/results.csv`} download="">Download results (CSV)</a>
            <a href={`/polls/${poll.id}/answers.csv`} download="">Download individual answers (CSV{poll.isAnonymous ? ', without names' : ''})</a>
          </p>
        )
      ) : ''}
      {res.questions.length ? res.questions.map((r) => <QuestionResults r={r} />) : <p class="muted">This poll has no questions.</p>}
    </div>
  )
}
