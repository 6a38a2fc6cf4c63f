import type { UserHit } from '../../../../users/admin/admin.sql.ts'
import type { Flash } from '../../../flash.ts'
import { personName, schactWhere } from '../common.ts'
import type { BlockOption, PersonRef, SchactOption } from '../moves.sql.ts'
import type { StickyModel } from '../students.ts'
import { BlockSelect, BlockThenActivity, hxPost, SchactSelect, Tool, WizardForm } from './common.tsx'

// The office's signup form for one student (type-ahead, block, activity, force) and the sticky
// students page.

const who = (u: Pick<UserHit, 'firstName' | 'lastName' | 'nickname' | 'username' | 'studentId'>) => `${personName(u)} (${u.studentId ?? u.username})`

/** The type-ahead's answer, and part of the page without JavaScript. */
export function StudentHits({ q, rows, uid }: { q: string; rows: UserHit[] | null; uid: number | null }) {
  return (
    <div id="student-hits" aria-live="polite">
      {rows === null ? '' : rows.length === 0 ? <p class="muted" safe>{`No student matches "${q}".`}</p> : (
        <fieldset>
          <legend>Matching students</legend>
          {rows.map((u) => (
            <label class="check" for={`uid-${u.id}`}>
              <input type="radio" id={`uid-${u.id}`} name="uid" value={String(u.id)} checked={u.id === uid} required />
              <span safe>{who(u)}</span>
            </label>
          ))}
        </fieldset>
      )}
    </div>
  )
}

export type SignupFormProps = {
  q: string
  hits: UserHit[] | null
  student: PersonRef | null
  blocks: BlockOption[]
  block: number | null
  options: SchactOption[] | null
  activity: number | null
  force: boolean
  flash?: Flash | null
}

export function SignupForm(p: SignupFormProps) {
  return (
    <Tool title="Sign up a student" flash={p.flash}>
      <WizardForm action="/eighth/admin/moves/signup" submit="Next">
        {p.student ? (
          <p>
            <input type="hidden" name="uid" value={String(p.student.id)} />
            <span safe>{`Student: ${who(p.student)}`}</span> · <a href="/eighth/admin/moves/signup">Choose another student</a>
          </p>
        ) : (
          <>
            <div class="field">
              <label for="f-q">Find a student</label>
              <span class="hint" id="f-q-hint">Name, username or student ID</span>
              <input id="f-q" name="q" type="search" value={p.q} autocomplete="off" aria-describedby="f-q-hint" aria-controls="student-hits"
                hx-get="/eighth/admin/moves/students" hx-trigger="input changed delay:250ms, search" hx-target="#student-hits" hx-swap="outerHTML" />
            </div>
            <StudentHits q={p.q} rows={p.hits} uid={null} />
          </>
        )}
        <BlockSelect name="block" label="Block" blocks={p.blocks} selected={p.block} />
      </WizardForm>
      {p.student && p.block && p.options ? (
        <form class="stack card" {...hxPost('/eighth/admin/moves/signup')}>
          <input type="hidden" name="uid" value={String(p.student.id)} />
          {p.options.length ? <SchactSelect name="activity" label="Activity" options={p.options} selected={p.activity} /> : <p class="muted">Nothing is scheduled in this block.</p>}
          <label class="check" for="f-force"><input type="checkbox" id="f-force" name="force" value="on" checked={p.force} /> <span>Force: ignore capacity, locks, restrictions and stickiness (recorded in the audit log)</span></label>
          <div class="actions"><button type="submit">Sign up</button></div>
        </form>
      ) : ''}
    </Tool>
  )
}

export function StickyPicker({ blocks, block, options, flash }: { blocks: BlockOption[]; block: number | null; options: SchactOption[] | null; flash?: Flash | null }) {
  return (
    <Tool title="Sticky students" flash={flash}>
      <p>Students made sticky in an activity are moved into it and cannot switch out on their own.</p>
      <WizardForm action="/eighth/admin/moves/sticky" submit={options ? 'Next' : 'Show activities'}>
        <BlockThenActivity blocks={blocks} block={block} options={options} activity={null} />
      </WizardForm>
    </Tool>
  )
}

export function StickyPage({ m, text, flash }: { m: StickyModel; text?: string; flash?: Flash | null }) {
  const action = `/eighth/admin/moves/sticky/${m.sa.id}`
  const value = text ?? m.people.map((p) => p.studentId ?? p.username).join('\n')
  return (
    <Tool title="Sticky students" flash={flash}>
      <p safe>{schactWhere(m.sa)}</p>
      {m.people.length ? (
        <ul>{m.people.map((p) => <li safe>{who(p)}</li>)}</ul>
      ) : <p class="muted">Nobody is stuck in this activity.</p>}
      <form class="stack card" {...hxPost(action)}>
        <div class="field">
          <label for="f-students">Sticky students</label>
          <span class="hint" id="f-students-hint">One username or student ID per line. Students you add are moved here and emailed; students you take off are released and emailed.</span>
          <textarea id="f-students" name="students" rows="8" aria-describedby="f-students-hint" safe>{value}</textarea>
        </div>
        <div class="actions"><button type="submit">Save sticky students</button></div>
      </form>
    </Tool>
  )
}
