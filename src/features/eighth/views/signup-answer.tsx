import type { ContractOutcome } from '../signup-actions.ts'
import type { SignupModel } from '../signup-page.ts'
import { ActivityRow } from './activity-row.tsx'
import { PickerEntry, Summary } from './signup-page.tsx'

// The htmx answer to a signup or removal: the row the form was in (main target), and out of band
// the other rows that changed, "your activity", the block picker entries and the status message.

export function htmxAnswer(m: SignupModel, out: ContractOutcome): string | null {
  const row = m.activities.find((a) => a.schactId === out.schactId)
  if (!row) return null
  if (out.status !== 200) return (<ActivityRow m={m} a={row} errors={out.messages} />) as string
  const others = m.activities.filter((a) => a.schactId !== row.schactId && out.scheduledIds.includes(a.schactId))
  const picks = m.picker.filter((b) => out.blockIds.includes(b.id))
  return (
    <>
      <ActivityRow m={m} a={row} />
      {others.map((a) => <ActivityRow m={m} a={a} oob />)}
      <Summary m={m} oob />
      {picks.map((b) => <PickerEntry m={m} b={b} oob />)}
      <div id="messages" hx-swap-oob="innerHTML">
        <p class="alert ok" role="status" safe>{out.messages[0] ?? ''}</p>
      </div>
    </>
  ) as string
}
