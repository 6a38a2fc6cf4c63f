import { choiceName, LONG_MAX, OTHER_MAX, SHORT_MAX, type Question } from './types.ts'
import type { AnswerWrite, StoredAnswer } from './votes.sql.ts'

// Reads a submitted ballot (plain form fields, so it works without JavaScript) into answers, and
// collects every problem at once. Field names, per question id N:
//   qN            a choice id, "other", or "clear" (several values for approval questions);
//                 the text of a free or short response
//   qN-other      the write-in of a "Standard + Other" question
//   qN-rank-C     the rank (1 = first) given to choice C of a ranked question
// A question without fields is left as it was. "Clear" replaces the person's choices with an
// explicit abstention; an emptied text box removes the person's text answer.

export type Form = Record<string, unknown>
export const NOTHING = 'Answer at least one question before you submit.'
export type BallotAction = { questionId: number; write: AnswerWrite | null }
export type ParsedBallot = { ok: true; actions: BallotAction[] } | { ok: false; errors: string[] }

const values = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map((x) => String(x))
const label = (q: Question) => `Question #${q.num}: “${q.question.length > 80 ? q.question.slice(0, 77) + '…' : q.question}”`

export const fieldOf = (q: Pick<Question, 'id'>) => `q${q.id}`
export const otherFieldOf = (q: Pick<Question, 'id'>) => `q${q.id}-other`
export const rankFieldOf = (q: Pick<Question, 'id'>, choiceId: number) => `q${q.id}-rank-${choiceId}`

const base = (questionId: number): AnswerWrite => ({ questionId, cleared: false, otherText: null, response: null, choices: [] })

function textAnswer(q: Question, raw: string[], errors: string[]): BallotAction | null {
  if (!raw.length) return null
  if (raw.length > 1) { errors.push(`${label(q)} takes one answer.`); return null }
  const text = raw[0]!.replace(/\r\n/g, '\n').trim()
  const max = q.type === 'SRE' ? SHORT_MAX : LONG_MAX
  if (text.length > max) { errors.push(`Your answer to ${label(q)} is longer than ${max} characters.`); return null }
  if (q.type === 'SRE' && text.includes('\n')) { errors.push(`Your answer to ${label(q)} must be one line.`); return null }
  return { questionId: q.id, write: text ? { ...base(q.id), response: text } : null }
}

function choiceIds(q: Question, raw: string[], errors: string[]): number[] | null {
  const known = new Set(q.choices.map((c) => c.id))
  const ids: number[] = []
  for (const r of raw) {
    const id = /^\d{1,9}$/.test(r) ? Number(r) : NaN
    if (!known.has(id)) { errors.push(`${label(q)}: one of your choices is not part of this question. Reload the page and try again.`); return null }
    if (!ids.includes(id)) ids.push(id)
  }
  return ids
}

function singleAnswer(q: Question, raw: string[], form: Form, errors: string[]): BallotAction | null {
  if (!raw.length) return null
  if (raw.length > 1) { errors.push(`You may choose only one answer for ${label(q)}.`); return null }
  const v = raw[0]!
  if (v === 'clear') return { questionId: q.id, write: { ...base(q.id), cleared: true } }
  if (v === 'other' && q.type === 'STO') {
    const text = values(form[otherFieldOf(q)])[0]?.trim() ?? ''
    if (!text) { errors.push(`Write your “Other” answer for ${label(q)}, or pick a listed choice.`); return null }
    if (text.length > OTHER_MAX || text.includes('\n')) { errors.push(`Your “Other” answer for ${label(q)} must be one line of at most ${OTHER_MAX} characters.`); return null }
    return { questionId: q.id, write: { ...base(q.id), otherText: text } }
  }
  const ids = choiceIds(q, [v], errors)
  return ids ? { questionId: q.id, write: { ...base(q.id), choices: [{ choiceId: ids[0]!, rank: null }] } } : null
}

function approvalAnswer(q: Question, raw: string[], errors: string[]): BallotAction | null {
  if (!raw.length) return null
  if (raw.includes('clear')) {
    if (raw.length > 1) { errors.push(`“Clear” cannot be combined with other selections for ${label(q)}.`); return null }
    return { questionId: q.id, write: { ...base(q.id), cleared: true } }
  }
  const ids = choiceIds(q, raw, errors)
  if (!ids) return null
  if (ids.length > q.maxChoices) { errors.push(`You have voted on too many options for ${label(q)} (at most ${q.maxChoices}).`); return null }
  return { questionId: q.id, write: { ...base(q.id), choices: ids.map((choiceId) => ({ choiceId, rank: null })) } }
}

function rankedAnswer(q: Question, raw: string[], form: Form, errors: string[]): BallotAction | null {
  const ranked: { choiceId: number; rank: number }[] = []
  for (const c of q.choices) {
    const v = values(form[rankFieldOf(q, c.id)])[0]?.trim() ?? ''
    if (!v) continue
    const rank = /^\d{1,3}$/.test(v) ? Number(v) : NaN
    if (!(rank >= 1 && rank <= q.maxChoices)) { errors.push(`${label(q)}: ranks go from 1 to ${q.maxChoices}.`); return null }
    ranked.push({ choiceId: c.id, rank })
  }
  const clear = raw.includes('clear')
  if (raw.some((v) => v !== 'clear')) { errors.push(`${label(q)}: rank the candidates with the rank boxes.`); return null }
  if (clear && ranked.length) { errors.push(`“Clear” cannot be combined with a ranking for ${label(q)}.`); return null }
  if (clear) return { questionId: q.id, write: { ...base(q.id), cleared: true } }
  if (!ranked.length) return null
  if (ranked.length > q.maxChoices) { errors.push(`You have voted on too many options for ${label(q)} (rank at most ${q.maxChoices}).`); return null }
  const taken = new Map<number, number>()
  for (const r of ranked) {
    const other = taken.get(r.rank)
    if (other !== undefined) {
      const name = (id: number) => choiceName(q.choices.find((c) => c.id === id)?.info ?? '')
      errors.push(`${label(q)}: ${name(other)} and ${name(r.choiceId)} both have rank ${r.rank}; give each rank to one candidate.`)
      return null
    }
    taken.set(r.rank, r.choiceId)
  }
  // Ranks keep their order; gaps close (ranks 1 and 3 become 1 and 2).
  ranked.sort((a, b) => a.rank - b.rank)
  return { questionId: q.id, write: { ...base(q.id), choices: ranked.map((r, i) => ({ choiceId: r.choiceId, rank: i + 1 })) } }
}

/** Every answer in the form, or every reason it can't be taken (then nothing is saved). */
export function parseBallot(questions: Question[], form: Form): ParsedBallot {
  const errors: string[] = []
  const actions: BallotAction[] = []
  for (const q of questions) {
    const raw = values(form[fieldOf(q)])
    const a = q.type === 'FRE' || q.type === 'SRE' ? textAnswer(q, raw, errors)
      : q.type === 'APP' || q.type === 'SAP' ? approvalAnswer(q, raw, errors)
      : q.type === 'RAN' ? rankedAnswer(q, raw, form, errors)
      : singleAnswer(q, raw, form, errors)
    if (a) actions.push(a)
  }
  if (errors.length) return { ok: false, errors }
  if (!actions.length) return { ok: false, errors: [NOTHING] }
  return { ok: true, actions }
}

/** What the person typed, shaped like stored answers: a refused ballot is shown as submitted. */
export function draftFromForm(questions: Question[], form: Form, mine: Map<number, StoredAnswer>): Map<number, StoredAnswer> {
  const out = new Map(mine)
  for (const q of questions) {
    const raw = values(form[fieldOf(q)])
    const ranked = q.type === 'RAN'
      ? q.choices.map((c) => ({ id: c.id, rank: Number(values(form[rankFieldOf(q, c.id)])[0] || 0) })).filter((r) => r.rank > 0).sort((a, b) => a.rank - b.rank)
      : []
    if (!raw.length && !ranked.length) continue
    const text = q.type === 'FRE' || q.type === 'SRE'
    out.set(q.id, {
      questionId: q.id,
      cleared: raw.includes('clear'),
      otherText: raw.includes('other') ? values(form[otherFieldOf(q)])[0] ?? '' : null,
      response: text ? raw[0] ?? '' : null,
      choiceIds: q.type === 'RAN' ? ranked.map((r) => r.id) : text ? [] : raw.filter((v) => /^\d+$/.test(v)).map(Number),
    })
  }
  return out
}
