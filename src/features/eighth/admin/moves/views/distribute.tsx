import type { Flash } from '../../../flash.ts'
import { personName } from '../common.ts'
import type { DistributionPlan, Mode } from '../distribute.ts'
import type { GroupRef } from '../group-signup.ts'
import type { BlockOption, SchactOption } from '../moves.sql.ts'
import { BlockSelect, GroupSelect, hxPost, optionLabel, Tool, WizardForm } from './common.tsx'

// Distribute a group or a block's unsigned students across several activities: choose, then a
// proposed assignment the office can change per student before confirming.

export type DistributeProps = {
  groups: GroupRef[]
  blocks: BlockOption[]
  source: 'group' | 'unsigned'
  group: number | null
  block: number | null
  limit: number | null
  mode: Mode
  options: SchactOption[] | null
  chosen: number[]
  plan: DistributionPlan | null
  flash?: Flash | null
}

function Choose(p: DistributeProps) {
  return (
    <WizardForm action="/eighth/admin/moves/distribute" submit={p.options?.length ? 'Propose an assignment' : 'Show activities'}>
      <fieldset>
        <legend>Who</legend>
        <label class="check" for="src-group"><input type="radio" id="src-group" name="source" value="group" checked={p.source === 'group'} /> <span>The members of a group</span></label>
        <label class="check" for="src-unsigned"><input type="radio" id="src-unsigned" name="source" value="unsigned" checked={p.source === 'unsigned'} /> <span>The unsigned students of the block</span></label>
      </fieldset>
      <GroupSelect groups={p.groups} selected={p.group} />
      <div class="field">
        <label for="f-limit">At most this many unsigned students (optional)</label>
        <input id="f-limit" name="limit" type="number" min="1" max="2000" inputmode="numeric" value={p.limit === null ? undefined : String(p.limit)} />
      </div>
      <BlockSelect name="block" label="Block" blocks={p.blocks} selected={p.block} />
      {p.options === null ? '' : p.options.length === 0 ? <p class="muted">Nothing is scheduled in this block.</p> : (
        <fieldset>
          <legend>Activities</legend>
          {p.options.map((o) => (
            <label class="check" for={`act-${o.id}`}>
              <input type="checkbox" id={`act-${o.id}`} name="activity" value={String(o.id)} checked={p.chosen.includes(o.id)} />
              <span safe>{optionLabel(o)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <fieldset>
        <legend>How</legend>
        <label class="check" for="mode-round"><input type="radio" id="mode-round" name="mode" value="round" checked={p.mode === 'round'} /> <span>Round-robin (one each in turn)</span></label>
        <label class="check" for="mode-fill"><input type="radio" id="mode-fill" name="mode" value="fill" checked={p.mode === 'fill'} /> <span>Fill each activity's free seats in order</span></label>
      </fieldset>
    </WizardForm>
  )
}

function Assign({ p, plan }: { p: DistributeProps; plan: DistributionPlan }) {
  const rows = plan.students.filter((s) => s.current)
  const skipped = plan.students.length - rows.length
  return (
    <form class="stack" {...hxPost('/eighth/admin/moves/distribute')}>
      <input type="hidden" name="block" value={String(p.block)} />
      <input type="hidden" name="source" value={p.source} />
      {p.group ? <input type="hidden" name="group" value={String(p.group)} /> : ''}
      <h2 safe>{`Proposed assignment: ${rows.length} student${rows.length === 1 ? '' : 's'}`}</h2>
      {skipped ? <p class="muted" safe>{`${skipped} account(s) that are not current students are left out.`}</p> : ''}
      {rows.length === 0 ? <p>Nobody to distribute.</p> : rows.map((s) => (
        <div class="field">
          <label for={`to-${s.userId}`} safe>{`${personName(s)} · now: ${s.activityName ?? 'no signup'}`}</label>
          <select id={`to-${s.userId}`} name={`to_${s.userId}`}>
            <option value="">Don't move</option>
            {plan.targets.map((t) => <option value={String(t.id)} selected={s.to === t.id} safe>{t.name}</option>)}
          </select>
          {s.stuck ? (
            <label class="check" for={`rs-${s.userId}`}>
              <input type="checkbox" id={`rs-${s.userId}`} name="remove_from_sticky" value={String(s.userId)} />
              <span>In a sticky activity: remove from sticky and move</span>
            </label>
          ) : ''}
        </div>
      ))}
      <div class="actions"><button type="submit">Sign them up</button></div>
    </form>
  )
}

export function DistributePage(p: DistributeProps) {
  return (
    <Tool title="Distribute students" flash={p.flash}>
      <p>Spread students across several activities of one block. Signups are forced (no pass is made); students in a sticky activity are skipped unless ticked.</p>
      <Choose {...p} />
      {p.plan ? <Assign p={p} plan={p.plan} /> : ''}
    </Tool>
  )
}
