import type { Flash } from '../../../flash.ts'
import { blockText } from '../../../format.ts'
import { personName, schactWhere } from '../common.ts'
import type { BlockOption, SchactOption } from '../moves.sql.ts'
import type { TransferPreview } from '../transfer.ts'
import { BlockThenActivity, hxPost, Tool, WizardForm } from './common.tsx'

// Transfer students between scheduled activities, and clear an activity's signups.

export type Pick2 = { blocks: BlockOption[]; block: number | null; options: SchactOption[] | null; activity: number | null }

export function TransferPage({ from, to, preview, flash }: { from: Pick2; to: Pick2; preview: TransferPreview | null; flash?: Flash | null }) {
  return (
    <Tool title="Transfer students" flash={flash}>
      <p>Moves every student of one scheduled activity to another, in the same block or another one. No capacity or restriction checks.</p>
      <WizardForm action="/eighth/admin/moves/transfer" submit="Next">
        <fieldset>
          <legend>From</legend>
          <BlockThenActivity blocks={from.blocks} block={from.block} options={from.options} activity={from.activity} names={['from_block', 'from']} labels={['Block', 'Activity']} />
        </fieldset>
        <fieldset>
          <legend>To</legend>
          <BlockThenActivity blocks={to.blocks} block={to.block} options={to.options} activity={to.activity} names={['to_block', 'to']} labels={['Block', 'Activity']} />
        </fieldset>
      </WizardForm>
      {preview ? <TransferConfirm p={preview} /> : ''}
    </Tool>
  )
}

function TransferConfirm({ p }: { p: TransferPreview }) {
  return (
    <form class="stack card" {...hxPost('/eighth/admin/moves/transfer')}>
      <h2>Confirm</h2>
      <input type="hidden" name="from" value={String(p.from.id)} />
      <input type="hidden" name="to" value={String(p.to.id)} />
      <p safe>{`Move ${p.movers} student${p.movers === 1 ? '' : 's'} from ${schactWhere(p.from)} to ${schactWhere(p.to)}.`}</p>
      {p.conflicts.length ? (
        <>
          <p safe>{`These students already have a signup in ${blockText(p.to)}; it will be deleted:`}</p>
          <ul>{p.conflicts.map((x) => <li safe>{`${personName(x)}: ${x.activityName ?? ''}`}</li>)}</ul>
        </>
      ) : ''}
      <label class="check" for="f-send"><input type="checkbox" id="f-send" name="send_emails" value="on" /> <span>Email the students about the transfer</span></label>
      <label class="check" for="f-everyone"><input type="checkbox" id="f-everyone" name="email_everyone" value="on" /> <span>Email everyone, even students who turned eighth-period email off (recorded in the audit log)</span></label>
      <div class="actions"><button type="submit">Transfer</button></div>
    </form>
  )
}

export function ClearPage({ pick, target, flash }: { pick: Pick2; target: SchactOption | null; flash?: Flash | null }) {
  return (
    <Tool title="Clear signups" flash={flash}>
      <p>Removes every signup of one scheduled activity. The students will need to choose again.</p>
      <WizardForm action="/eighth/admin/moves/clear" submit="Next">
        <BlockThenActivity blocks={pick.blocks} block={pick.block} options={pick.options} activity={pick.activity} />
      </WizardForm>
      {target ? (
        <form class="stack card" {...hxPost('/eighth/admin/moves/clear')}>
          <input type="hidden" name="activity" value={String(target.id)} />
          <p safe>{`Remove all ${target.count} signup${target.count === 1 ? '' : 's'} from ${schactWhere(target)}?`}</p>
          <div class="actions"><button type="submit" class="danger">Remove every signup</button></div>
        </form>
      ) : ''}
    </Tool>
  )
}
