import { Elysia } from 'elysia'
import type { Base } from '../../../../platform/http.ts'
import { HttpError } from '../../../../platform/errors.ts'
import { isPartial } from '../../../../platform/html/page.tsx'
import { redirect } from '../../../../platform/redirect.ts'
import type { Flash } from '../../flash.ts'
import { blockOptions, peopleByIds, schactById, schactOptions } from './moves.sql.ts'
import { actorOf, answer, checked, fields, flashOf, idOf, textOf, toolPage, withCtx, type Ctx } from './route-kit.ts'
import { findStudents, MAX_STICKY, officeSignup, saveSticky, stickyModel } from './students.ts'
import { SignupForm, StickyPage, StickyPicker, StudentHits } from './views/students.tsx'

// /eighth/admin/moves/signup (the office's signup form, with force), its type-ahead, and
// /eighth/admin/moves/sticky (pick an activity, then its sticky students).

type SignupState = { q: string; uid: number | null; block: number | null; activity: number | null; force: boolean }

async function signupView(c: Ctx, s: SignupState, flash: Flash | null) {
  const [student] = s.uid ? await peopleByIds(c.deps.sql, [s.uid]) : []
  const [blocks, options, hits] = await Promise.all([
    blockOptions(c.deps.sql, c.deps.clock.today(), s.block),
    s.block ? schactOptions(c.deps.sql, s.block) : null,
    !student && s.q ? findStudents(c.deps, s.q).then((r) => r.rows) : null,
  ])
  return <SignupForm q={s.q} hits={hits} student={student ?? null} blocks={blocks} block={s.block} options={options} activity={s.activity} force={s.force} flash={flash} />
}

const stateOf = (q: Record<string, unknown>): SignupState => ({
  q: (textOf(q.q, 200) ?? '').slice(0, 100), uid: idOf(q.uid), block: idOf(q.block), activity: idOf(q.activity), force: checked(q.force),
})

async function stickyView(c: Ctx, said: number, flash: Flash | null, text?: string) {
  const m = await stickyModel(c.deps, said)
  if (!m) throw new HttpError(404, 'That scheduled activity does not exist.')
  return <StickyPage m={m} text={text} flash={flash} />
}

export function studentMoveRoutes(base: Base) {
  return new Elysia({ name: 'eighth-moves-students' })
    .use(base)
    .get('/eighth/admin/moves/signup', (c) => withCtx(c, async (x) => {
      return toolPage(x, 'Sign up a student', await signupView(x, stateOf(x.query), await flashOf(x)))
    }), { policy: 'admin_eighth' })
    .get('/eighth/admin/moves/students', (c) => withCtx(c, async (x) => {
      const q = (textOf(x.query.q, 200) ?? '').slice(0, 100)
      if (!isPartial(x.request)) return redirect(x.request, `/eighth/admin/moves/signup?q=${encodeURIComponent(q)}`)
      const r = await findStudents(x.deps, q)
      return toolPage(x, 'Find a student', <StudentHits q={r.q} rows={r.q ? r.rows : null} uid={null} />)
    }), { policy: 'admin_eighth' })
    .post('/eighth/admin/moves/signup', (c) => withCtx(c, async (x) => {
      const b = fields(x)
      const uid = idOf(b.uid)
      const said = idOf(b.activity)
      const force = checked(b.force)
      const sa = said ? await schactById(x.deps.sql, said) : null
      const s: SignupState = { q: '', uid, block: sa?.blockId ?? null, activity: said, force }
      const back = `/eighth/admin/moves/signup?uid=${uid ?? ''}&block=${sa?.blockId ?? ''}&activity=${said ?? ''}`
      const again = (f: Flash) => signupView(x, s, f)
      if (!uid || !said) return answer(x, { ok: false, status: 422, errors: ['Choose a student and an activity.'] }, back, 'Sign up a student', again)
      return answer(x, await officeSignup(x.deps, actorOf(x), uid, said, force), back, 'Sign up a student', again)
    }), { policy: 'admin_eighth' })
    .get('/eighth/admin/moves/sticky', (c) => withCtx(c, async (x) => {
      const block = idOf(x.query.block)
      const activity = idOf(x.query.activity)
      if (activity) return redirect(x.request, `/eighth/admin/moves/sticky/${activity}`)
      const [blocks, options] = await Promise.all([blockOptions(x.deps.sql, x.deps.clock.today(), block), block ? schactOptions(x.deps.sql, block) : null])
      return toolPage(x, 'Sticky students', <StickyPicker blocks={blocks} block={block} options={options} flash={await flashOf(x)} />)
    }), { policy: 'admin_eighth' })
    .get('/eighth/admin/moves/sticky/:said', (c) => withCtx(c, async (x) => {
      const said = idOf(x.params.said)
      if (!said) throw new HttpError(404, 'That scheduled activity does not exist.')
      return toolPage(x, 'Sticky students', await stickyView(x, said, await flashOf(x)))
    }), { policy: 'admin_eighth' })
    .post('/eighth/admin/moves/sticky/:said', (c) => withCtx(c, async (x) => {
      const said = idOf(x.params.said)
      if (!said) throw new HttpError(404, 'That scheduled activity does not exist.')
      const text = textOf(fields(x).students, MAX_STICKY * 40)
      const back = `/eighth/admin/moves/sticky/${said}`
      if (text === null) return answer(x, { ok: false, status: 422, errors: ['The list of students is too long.'] }, back, 'Sticky students', (f) => stickyView(x, said, f))
      const out = await saveSticky(x.deps, actorOf(x), said, text)
      if (!out.ok && out.status === 404) throw new HttpError(404, out.errors.join(' '))
      return answer(x, out, back, 'Sticky students', (f) => stickyView(x, said, f, out.ok ? undefined : text))
    }), { policy: 'admin_eighth' })
}
