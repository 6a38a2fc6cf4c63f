import { Elysia, t } from 'elysia'
import type { Base } from '../../platform/http.ts'
import { isHtmx, page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { groupsVisibleTo, type GroupBrief } from '../groups/membership.ts'
import { readUpload } from '../imports/upload.ts'
import {
  addChoices, addQuestion, choiceLines, createPoll, editChoice, editQuestion, moveChoiceBy, moveQuestionBy, removeChoice, removePoll,
  removeQuestion, savePoll, type Act, type PollSaveRefusal,
} from './builder.ts'
import { importElection, importIntoQuestion } from './import.ts'
import { newPollValues, valuesOf, type PollFormValues } from './poll-form.ts'
import { pollById, pollGroupBriefs } from './polls.sql.ts'
import { answeredQuestionIds, questionsOf } from './questions.sql.ts'
import { fail, formBody, idParams, type Ctx } from './routes.tsx'
import { refuse, statusOf, type Outcome } from './types.ts'
import { EditPollPage, NewPollPage } from './views/builder.tsx'
import { QuestionsSection, type QuestionsProps } from './views/questions.tsx'

// The builder (policy admin_polls). The settings form posts and redirects; the questions forms
// answer htmx with the #poll-questions partial (422 + every reason when refused, nothing changed)
// and plain posts with a redirect back (or the whole page with the reasons).

const DONE = {
  created: 'Poll created. Now add its questions.', saved: 'Settings saved.', 'q-added': 'Question added.', 'q-saved': 'Question saved.',
  'q-moved': 'Question moved.', 'q-deleted': 'Question deleted.', 'c-added': 'Choices added.', 'c-saved': 'Choice saved.',
  'c-moved': 'Choice moved.', 'c-deleted': 'Choice deleted.', imported: 'Candidates imported.',
} as const
type DoneKey = keyof typeof DONE

const act = (c: Ctx): Act => ({ deps: c.deps, viewer: c.viewer, ip: c.ip })
const MAX_ID = 2147483647
const id = () => t.Integer({ minimum: 1, maximum: MAX_ID })
const dirBody = () => t.Object({ dir: t.Union([t.Literal('up'), t.Literal('down')]) })
const by = (dir: 'up' | 'down') => (dir === 'up' ? -1 : 1)
const uploadBody = () => t.Object({
  position: t.Optional(t.String({ maxLength: 2000 })), type: t.Optional(t.String({ maxLength: 5 })),
  text: t.Optional(t.String({ maxLength: 1_000_000 })), file: t.Optional(t.Unknown()),
})

async function groupsFor(c: Ctx, pollId: number | null): Promise<GroupBrief[]> {
  const [mine, attached] = await Promise.all([groupsVisibleTo(c.deps.sql, c.viewer), pollId ? pollGroupBriefs(c.deps.sql, pollId) : []])
  const all = new Map([...mine, ...attached].map((g) => [g.id, g]))
  return [...all.values()].sort((a, b) => a.name.localeCompare(b.name))
}

type EditExtras = Partial<Pick<QuestionsProps, 'qFlash' | 'qErrors' | 'draft' | 'importDraft'>> & {
  status?: number; flash?: string; settingsErrors?: string[]; values?: PollFormValues
}

async function editPage(c: Ctx, pollId: number, x: EditExtras = {}) {
  const poll = await pollById(c.deps.sql, pollId)
  if (!poll) return fail(refuse(404, 'That poll does not exist.'))
  const [questions, answered, groups] = await Promise.all([questionsOf(c.deps.sql, pollId), answeredQuestionIds(c.deps.sql, pollId), groupsFor(c, pollId)])
  if (x.status) c.set.status = x.status
  const tz = c.deps.clock.tz
  const props = { poll, questions, answered, qFlash: x.qFlash, qErrors: x.qErrors, draft: x.draft, importDraft: x.importDraft }
  if (isHtmx(c.request)) return page(c, `Edit: ${poll.title}`, <QuestionsSection {...props} />)
  return page(c, `Edit: ${poll.title}`, (
    <EditPollPage {...props} status={statusOf(poll, c.deps.clock.now())} tz={tz} values={x.values ?? valuesOf(poll, tz)} groups={groups}
      settingsErrors={x.settingsErrors} flash={x.flash} />
  ))
}

/** htmx: the refreshed questions; a plain form: redirect back (or the page with the reasons). */
async function after(c: Ctx, pollId: number, r: Outcome<unknown>, key: DoneKey, x: EditExtras = {}) {
  if (!r.ok) {
    if (r.status === 404 || r.status === 403) return fail(r)
    return editPage(c, pollId, { ...x, status: r.status, qErrors: r.errors })
  }
  if (isHtmx(c.request)) return editPage(c, pollId, { qFlash: DONE[key] })
  return redirect(c.request, `/polls/${pollId}/edit?done=${key}#poll-questions`)
}

const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : v === undefined ? '' : String(v))
const draftOf = (b: Record<string, unknown>) => ({ question: one(b.question), type: one(b.type), maxChoices: one(b.max_choices), choices: one(b.choices) })

export function pollAdminRoutes(base: Base) {
  return new Elysia({ name: 'polls-admin' })
    .use(base)
    .get('/polls/new', async (c) => {
      return page(c, 'New poll', <NewPollPage values={newPollValues(c.deps.clock.now(), c.deps.clock.tz)} groups={await groupsFor(c, null)} />)
    }, { policy: 'admin_polls' })

    .post('/polls/new', async (c) => {
      const r = await createPoll(act(c), c.body)
      if (r.ok) return redirect(c.request, `/polls/${r.value}/edit?done=created`)
      c.set.status = r.status
      const values = (r as PollSaveRefusal).values ?? newPollValues(c.deps.clock.now(), c.deps.clock.tz)
      return page(c, 'New poll', <NewPollPage values={values} groups={await groupsFor(c, null)} errors={r.errors} />)
    }, { policy: 'admin_polls', body: formBody() })

    .get('/polls/:id/edit', async (c) => {
      const key = c.query.done
      return editPage(c, c.params.id, { flash: key && Object.hasOwn(DONE, key) ? DONE[key as DoneKey] : undefined })
    }, { policy: 'admin_polls', params: idParams(), query: t.Object({ done: t.Optional(t.String({ maxLength: 20 })) }) })

    .post('/polls/:id/edit', async (c) => {
      const r = await savePoll(act(c), c.params.id, c.body)
      if (r.ok) return redirect(c.request, `/polls/${c.params.id}/edit?done=saved`)
      if (r.status === 404) return fail(r)
      return editPage(c, c.params.id, { status: r.status, settingsErrors: r.errors, values: (r as PollSaveRefusal).values })
    }, { policy: 'admin_polls', params: idParams(), body: formBody() })

    .post('/polls/:id/delete', async (c) => {
      if (c.body.confirm !== 'yes') return editPage(c, c.params.id, { status: 422, flash: undefined, settingsErrors: ['Tick the box to confirm that the poll and its answers should be deleted.'] })
      const r = await removePoll(act(c), c.params.id)
      if (!r.ok) return r.status === 404 ? fail(r) : editPage(c, c.params.id, { status: r.status, settingsErrors: r.errors })
      return redirect(c.request, '/polls?show_all=1&deleted=1')
    }, { policy: 'admin_polls', params: idParams(), body: t.Object({ confirm: t.Optional(t.String({ maxLength: 5 })) }) })

    .post('/polls/:id/questions', async (c) => {
      const r = await addQuestion(act(c), c.params.id, c.body)
      return after(c, c.params.id, r, 'q-added', r.ok ? {} : { draft: draftOf(c.body) })
    }, { policy: 'admin_polls', params: idParams(), body: formBody() })

    .post('/polls/:id/questions/:qid', async (c) => {
      return after(c, c.params.id, await editQuestion(act(c), c.params.id, c.params.qid, c.body), 'q-saved')
    }, { policy: 'admin_polls', params: t.Object({ id: id(), qid: id() }), body: formBody() })

    .post('/polls/:id/questions/:qid/move', async (c) => {
      return after(c, c.params.id, await moveQuestionBy(act(c), c.params.id, c.params.qid, by(c.body.dir)), 'q-moved')
    }, { policy: 'admin_polls', params: t.Object({ id: id(), qid: id() }), body: dirBody() })

    .post('/polls/:id/questions/:qid/delete', async (c) => {
      return after(c, c.params.id, await removeQuestion(act(c), c.params.id, c.params.qid), 'q-deleted')
    }, { policy: 'admin_polls', params: t.Object({ id: id(), qid: id() }) })

    .post('/polls/:id/questions/:qid/choices', async (c) => {
      return after(c, c.params.id, await addChoices(act(c), c.params.id, c.params.qid, choiceLines(c.body.info)), 'c-added')
    }, { policy: 'admin_polls', params: t.Object({ id: id(), qid: id() }), body: t.Object({ info: t.String({ maxLength: 100_000 }) }) })

    .post('/polls/:id/questions/:qid/import', async (c) => {
      const upload = await readUpload(c.body.file, c.body.text)
      if (!upload.ok) return after(c, c.params.id, refuse(upload.status === 413 ? 413 : upload.status === 415 ? 415 : 422, upload.message), 'imported')
      return after(c, c.params.id, await importIntoQuestion(act(c), c.params.id, c.params.qid, upload.text), 'imported')
    }, { policy: 'admin_polls', params: t.Object({ id: id(), qid: id() }), body: uploadBody() })

    .post('/polls/:id/import', async (c) => {
      const draft = { position: c.body.position ?? '', type: c.body.type ?? 'RAN', text: c.body.text ?? '' }
      if (draft.type !== 'RAN' && draft.type !== 'ELC') return after(c, c.params.id, refuse(422, 'Choose ranked choice or election.'), 'imported', { importDraft: draft })
      const upload = await readUpload(c.body.file, c.body.text)
      const r = upload.ok
        ? await importElection(act(c), c.params.id, { text: upload.text, type: draft.type, position: draft.position })
        : refuse(upload.status === 413 ? 413 : upload.status === 415 ? 415 : 422, upload.message)
      return after(c, c.params.id, r, 'imported', r.ok ? {} : { importDraft: draft })
    }, { policy: 'admin_polls', params: idParams(), body: uploadBody() })

    .post('/polls/:id/choices/:cid', async (c) => {
      return after(c, c.params.id, await editChoice(act(c), c.params.id, c.params.cid, c.body.info), 'c-saved')
    }, { policy: 'admin_polls', params: t.Object({ id: id(), cid: id() }), body: t.Object({ info: t.String({ maxLength: 2000 }) }) })

    .post('/polls/:id/choices/:cid/move', async (c) => {
      return after(c, c.params.id, await moveChoiceBy(act(c), c.params.id, c.params.cid, by(c.body.dir)), 'c-moved')
    }, { policy: 'admin_polls', params: t.Object({ id: id(), cid: id() }), body: dirBody() })

    .post('/polls/:id/choices/:cid/delete', async (c) => {
      return after(c, c.params.id, await removeChoice(act(c), c.params.id, c.params.cid), 'c-deleted')
    }, { policy: 'admin_polls', params: t.Object({ id: id(), cid: id() }) })
}
