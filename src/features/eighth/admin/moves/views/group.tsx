import type { Flash } from '../../../flash.ts'
import { capacityText, personName, schactWhere } from '../common.ts'
import type { GroupPreview, GroupRef } from '../group-signup.ts'
import type { BlockOption, SchactOption } from '../moves.sql.ts'
import { BlockThenActivity, GroupSelect, hxPost, Tool, WizardForm } from './common.tsx'

// Sign up a group: the wizard (group, block, activity) and the confirm page.

export type GroupWizardProps = {
  groups: GroupRef[]
  blocks: BlockOption[]
  group: number | null
  block: number | null
  options: SchactOption[] | null
  activity: number | null
  flash?: Flash | null
}

export function GroupWizard(p: GroupWizardProps) {
  return (
    <Tool title="Sign up a group" flash={p.flash}>
      <p>Every member of the group gets a signup in the activity, even when it is full, restricted or the block is locked (no pass is made).</p>
      <WizardForm action="/eighth/admin/moves/group" submit={p.options ? 'Next' : 'Show activities'}>
        <GroupSelect groups={p.groups} selected={p.group} />
        <BlockThenActivity blocks={p.blocks} block={p.block} options={p.options} activity={p.activity} />
      </WizardForm>
    </Tool>
  )
}

export function GroupConfirm({ m, flash }: { m: GroupPreview; flash?: Flash | null }) {
  const action = `/eighth/admin/moves/group/${m.group.id}/${m.target.id}`
  const stuck = m.members.filter((x) => x.current && x.stuck && x.schactId !== m.target.id)
  const moving = m.members.filter((x) => x.current && !x.stuck && x.schactId !== m.target.id).length
  return (
    <Tool title={`Sign up ${m.group.name}`} flash={flash}>
      <dl class="facts">
        <dt>Activity</dt><dd safe>{schactWhere(m.target)}</dd>
        <dt>Seats</dt><dd safe>{capacityText(m.target)}</dd>
        <dt>Members</dt><dd safe>{`${m.members.length} (${moving} to sign up)`}</dd>
      </dl>
      {m.target.cancelled ? <p class="alert warn">This activity is cancelled in this block.</p> : ''}
      <form class="stack" {...hxPost(action)}>
        {stuck.length ? (
          <fieldset>
            <legend>Members in a sticky activity in this block</legend>
            <p class="hint">They are skipped unless ticked here: a ticked member is taken out of the sticky activity.</p>
            {stuck.map((x) => (
              <label class="check" for={`rs-${x.userId}`}>
                <input type="checkbox" id={`rs-${x.userId}`} name="remove_from_sticky" value={String(x.userId)} />
                <span safe>{`Remove from sticky: ${personName(x)} (${x.activityName ?? 'stuck individually'})`}</span>
              </label>
            ))}
          </fieldset>
        ) : ''}
        <div class="actions">
          <button type="submit" safe>{`Sign up ${moving} member${moving === 1 ? '' : 's'}${stuck.length ? ' (and any ticked)' : ''}`}</button>
          <a class="button secondary" href="/eighth/admin/moves/group">Choose another</a>
        </div>
      </form>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Members and where they are in this block</caption>
          <thead><tr><th scope="col">Member</th><th scope="col">Now in this block</th><th scope="col">Note</th></tr></thead>
          <tbody>
            {m.members.map((x) => (
              <tr>
                <td safe>{personName(x)}</td>
                <td safe>{x.activityName ?? '—'}</td>
                <td>{!x.current ? 'Not a current student: skipped' : x.schactId === m.target.id ? 'Already signed up' : x.stuck ? 'Sticky: skipped unless ticked' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Tool>
  )
}
