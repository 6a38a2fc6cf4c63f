import type { Tx } from '../../platform/db.ts'
import type { Deps } from '../../platform/http.ts'
import { sanitizeRichText } from '../../platform/richtext.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { audit } from '../users/users.sql.ts'
import { readPollForm, type PollFormValues } from './poll-form.ts'
import { deletePollRow, existingGroupIds, insertPoll, lockPoll, pollById, updatePoll } from './polls.sql.ts'
import {
  answerCount, choiceInPoll, deleteChoice, deleteQuestion, insertChoices, insertQuestion, moveChoice, moveQuestion, questionsOf,
  trimRanks, updateChoice, updateQuestion,
} from './questions.sql.ts'
import { done, hasChoices, isMulti, QUESTION_TYPES, refuse, type Outcome, type QuestionType, type Refusal } from './types.ts'

// The admin builder (policy admin_polls). Every change is checked in full before anything is
// written (422 with every reason, nothing changed), runs under the poll's row lock (two admins
// editing one poll take turns), and is audited.

export type Act = { deps: Deps; viewer: Viewer; ip: string }

const record = (a: Act, tx: Tx, action: string, pollId: number, details: object = {}) =>
  audit(tx, { actorId: a.viewer.id, action, targetType: 'poll', targetId: pollId, at: a.deps.clock.now(), ip: a.ip, details })

const NO_POLL = 'That poll does not exist.'

/** Runs fn under the poll's lock; 404 when the poll is gone. */
async function withPoll<T>(a: Act, pollId: number, fn: (tx: Tx, endTime: Date) => Promise<Outcome<T>>): Promise<Outcome<T>> {
  return a.deps.sql.begin(async (tx) => {
    const p = await lockPoll(tx, pollId)
    if (!p) return refuse(404, NO_POLL)
    return fn(tx, p.endTime)
  }) as Promise<Outcome<T>>
}

export type PollSaveRefusal = Refusal & { values?: PollFormValues }

async function checkedForm(a: Act, body: Record<string, unknown>) {
  const f = readPollForm(body, a.deps.clock.tz)
  if (!f.ok) return { ...refuse(422, ...f.errors), values: f.values }
  const found = await existingGroupIds(a.deps.sql, f.fields.groupIds)
  if (found.length !== f.fields.groupIds.length) return { ...refuse(422, 'One of the chosen groups no longer exists.'), values: f.values }
  return { ok: true as const, fields: { ...f.fields, description: sanitizeRichText(f.fields.description, a.deps.config) }, values: f.values }
}

export async function createPoll(a: Act, body: Record<string, unknown>): Promise<Outcome<number> | PollSaveRefusal> {
  const f = await checkedForm(a, body)
  if (!f.ok) return f
  return a.deps.sql.begin(async (tx) => {
    const id = await insertPoll(tx, f.fields, a.viewer.id, a.deps.clock.now())
    await record(a, tx, 'poll.create', id, { title: f.fields.title })
    return done(id)
  }) as Promise<Outcome<number>>
}

export async function savePoll(a: Act, pollId: number, body: Record<string, unknown>): Promise<Outcome<number> | PollSaveRefusal> {
  const f = await checkedForm(a, body)
  if (!f.ok) return (await pollById(a.deps.sql, pollId)) ? f : refuse(404, NO_POLL)
  return withPoll(a, pollId, async (tx) => {
    await updatePoll(tx, pollId, f.fields, a.deps.clock.now())
    await record(a, tx, 'poll.update', pollId, { title: f.fields.title, groups: f.fields.groupIds })
    return done(pollId)
  })
}

/** Ion: a poll can be deleted only before it ends; a closed poll keeps its results. */
export async function removePoll(a: Act, pollId: number): Promise<Outcome<string>> {
  const title = (await pollById(a.deps.sql, pollId))?.title
  return withPoll(a, pollId, async (tx, endTime) => {
    if (endTime.getTime() <= a.deps.clock.now().getTime()) return refuse(409, 'A closed poll cannot be deleted: its results are kept.')
    await deletePollRow(tx, pollId)
    await record(a, tx, 'poll.delete', pollId, { title })
    return done(title ?? '')
  })
}

// ---- questions -------------------------------------------------------------------------------

export type QuestionInput = { question: string; type: QuestionType; maxChoices: number; choices: string[] }
const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v))

/** Choice lines: one per line, trimmed, blank lines skipped. */
export const choiceLines = (text: string) => text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)

export function readQuestion(body: Record<string, unknown>, withChoices: boolean): { ok: true; value: QuestionInput } | Refusal {
  const errors: string[] = []
  const question = one(body.question).replace(/\r\n/g, '\n').trim()
  const type = one(body.type) as QuestionType
  const rawMax = one(body.max_choices).trim()
  if (!question) errors.push('Enter the question.')
  else if (question.length > 2000) errors.push('A question is at most 2000 characters.')
  if (!QUESTION_TYPES.includes(type)) errors.push('Choose a question type.')
  const maxChoices = rawMax === '' ? 1 : /^\d{1,3}$/.test(rawMax) ? Number(rawMax) : NaN
  if (!(maxChoices >= 1 && maxChoices <= 100)) errors.push('Max choices is a whole number from 1 to 100.')
  const choices = withChoices ? choiceLines(one(body.choices)) : []
  if (choices.some((c) => c.length > 500)) errors.push('A choice is at most 500 characters.')
  if (choices.length > 200) errors.push('A question has at most 200 choices.')
  if (choices.length && QUESTION_TYPES.includes(type) && !hasChoices(type)) errors.push('Free and short response questions have no choices.')
  if (errors.length) return refuse(422, ...errors)
  return { ok: true, value: { question, type, maxChoices: isMulti(type) ? maxChoices : 1, choices } }
}

export async function addQuestion(a: Act, pollId: number, body: Record<string, unknown>): Promise<Outcome<number>> {
  const q = readQuestion(body, true)
  if (!q.ok) return q
  return withPoll(a, pollId, async (tx) => {
    const id = await insertQuestion(tx, pollId, q.value)
    await insertChoices(tx, id, q.value.choices)
    await record(a, tx, 'poll.question.add', pollId, { questionId: id, type: q.value.type, choices: q.value.choices.length })
    return done(id)
  })
}

export async function editQuestion(a: Act, pollId: number, questionId: number, body: Record<string, unknown>): Promise<Outcome<number>> {
  const q = readQuestion(body, false)
  if (!q.ok) return q
  return withPoll(a, pollId, async (tx) => {
    const current = (await questionsOf(tx, pollId)).find((x) => x.id === questionId)
    if (!current) return refuse(404, 'That question is not part of this poll.')
    if (current.type !== q.value.type && (await answerCount(tx, questionId)) > 0)
      return refuse(409, 'This question already has answers, so its type cannot change. Add a new question instead.')
    if (!hasChoices(q.value.type) && current.choices.length)
      return refuse(422, 'Delete the choices before making this a free or short response question.')
    await updateQuestion(tx, pollId, questionId, q.value)
    if (q.value.type === 'RAN') await trimRanks(tx, questionId, q.value.maxChoices)
    await record(a, tx, 'poll.question.update', pollId, { questionId, type: q.value.type, maxChoices: q.value.maxChoices })
    return done(questionId)
  })
}

export async function moveQuestionBy(a: Act, pollId: number, questionId: number, by: -1 | 1): Promise<Outcome<number>> {
  return withPoll(a, pollId, async (tx) => {
    const qs = await questionsOf(tx, pollId)
    if (!qs.some((q) => q.id === questionId)) return refuse(404, 'That question is not part of this poll.')
    if (await moveQuestion(tx, pollId, questionId, by)) await record(a, tx, 'poll.question.move', pollId, { questionId, by })
    return done(questionId)
  })
}

export async function removeQuestion(a: Act, pollId: number, questionId: number): Promise<Outcome<number>> {
  return withPoll(a, pollId, async (tx) => {
    if (!(await deleteQuestion(tx, pollId, questionId))) return refuse(404, 'That question is not part of this poll.')
    await record(a, tx, 'poll.question.delete', pollId, { questionId })
    return done(questionId)
  })
}

// ---- choices ---------------------------------------------------------------------------------

export async function addChoices(a: Act, pollId: number, questionId: number, infos: string[], action = 'poll.choice.add'): Promise<Outcome<number>> {
  const errors: string[] = []
  if (!infos.length) errors.push('Enter the choice.')
  if (infos.some((c) => c.length > 500)) errors.push('A choice is at most 500 characters.')
  if (infos.length > 200) errors.push('Add at most 200 choices at once.')
  if (errors.length) return refuse(422, ...errors)
  return withPoll(a, pollId, async (tx) => {
    const q = (await questionsOf(tx, pollId)).find((x) => x.id === questionId)
    if (!q) return refuse(404, 'That question is not part of this poll.')
    if (!hasChoices(q.type)) return refuse(422, 'Free and short response questions have no choices.')
    if (q.choices.length + infos.length > 200) return refuse(422, 'A question has at most 200 choices.')
    await insertChoices(tx, questionId, infos)
    await record(a, tx, action, pollId, { questionId, added: infos.length })
    return done(questionId)
  })
}

async function onChoice(a: Act, pollId: number, choiceId: number, fn: (tx: Tx, questionId: number) => Promise<unknown>, action: string, details: object = {}) {
  return withPoll(a, pollId, async (tx) => {
    const c = await choiceInPoll(tx, pollId, choiceId)
    if (!c) return refuse(404, 'That choice is not part of this poll.')
    await fn(tx, c.questionId)
    await record(a, tx, action, pollId, { choiceId, ...details })
    return done(c.questionId)
  })
}

export async function editChoice(a: Act, pollId: number, choiceId: number, raw: string): Promise<Outcome<number>> {
  const info = raw.replace(/\s+/g, ' ').trim()
  if (!info) return refuse(422, 'Enter the choice.')
  if (info.length > 500) return refuse(422, 'A choice is at most 500 characters.')
  return onChoice(a, pollId, choiceId, (tx) => updateChoice(tx, choiceId, info), 'poll.choice.update', { info })
}

export const moveChoiceBy = (a: Act, pollId: number, choiceId: number, by: -1 | 1) =>
  onChoice(a, pollId, choiceId, (tx) => moveChoice(tx, choiceId, by), 'poll.choice.move', { by })

/** Votes for a deleted choice are removed with it (the voter's other picks stay). */
export const removeChoice = (a: Act, pollId: number, choiceId: number) =>
  onChoice(a, pollId, choiceId, (tx) => deleteChoice(tx, choiceId), 'poll.choice.delete')
