import { fmtDateTime } from '../../../platform/html/components.tsx'
import { assetUrl } from '../../../platform/html/assets.ts'
import type { Poll, PollStatus } from '../types.ts'

// Pieces every polls page uses. The feature's own stylesheet (public/polls.css) is linked from
// the page body, as the bus pages do, so app.css stays the platform's.

export const PollCss = () => <link rel="stylesheet" href={assetUrl('polls.css')} />

export function statusText(poll: Pick<Poll, 'startTime' | 'endTime'>, status: PollStatus, tz: string): string {
  if (status === 'upcoming') return `Opens ${fmtDateTime(poll.startTime, tz)}`
  if (status === 'open') return `Open until ${fmtDateTime(poll.endTime, tz)}`
  return `Closed ${fmtDateTime(poll.endTime, tz)}`
}

export function StatusBadge({ status }: { status: PollStatus }) {
  const [cls, text] = status === 'open' ? ['badge ok', 'open'] : status === 'upcoming' ? ['badge warn', 'not open yet'] : ['badge', 'closed']
  return <span class={cls} safe>{text}</span>
}

export function StatusLine({ poll, status, tz }: { poll: Poll; status: PollStatus; tz: string }) {
  return (
    <p class="poll-meta">
      <StatusBadge status={status} /> <span safe>{statusText(poll, status, tz)}</span>
      {poll.isElection ? <> <span class="badge">election</span></> : ''}
      {poll.isSecret ? <> <span class="badge">secret ballot</span></> : poll.isAnonymous ? <> <span class="badge">anonymous</span></> : ''}
      {!poll.visible ? <> <span class="badge warn">hidden from voters</span></> : ''}
    </p>
  )
}
