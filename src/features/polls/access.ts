import { fmtDateTime } from '../../platform/html/components.tsx'
import type { Deps } from '../../platform/http.ts'
import { hasPerm, isRestricted, type Viewer } from '../../platform/viewer.ts'
import { isEligible, pollById } from './polls.sql.ts'
import { refuse, statusOf, type Outcome, type Poll, type PollStatus, type Refusal } from './types.ts'

// Who may see a poll, vote in it, and see its results (ion-apps.md §10, `can_vote`):
//   * eligible: an unrestricted member, the poll is visible, and it has no groups or the person
//     is in one of them (Ion's group rule);
//   * voting: eligible, and now is within [start, end) on the injected clock. Unlike Ion, polls
//     admins get no exemption: a closed poll's results are final and its turnout is true;
//   * results: polls admins always; eligible voters as the poll's results_visibility says.

export const isPollsAdmin = (v: Viewer) => hasPerm(v, 'admin_polls')

export type Access = {
  poll: Poll
  status: PollStatus
  admin: boolean
  eligible: boolean
  /** Why this person can't vote now (null: they can). */
  voteRefusal: Refusal | null
  canSeeResults: boolean
}

export const CANNOT_VIEW = 'You cannot view this poll: it is for other groups, or not published.'

export function voteRefusalFor(poll: Poll, status: PollStatus, eligible: boolean, tz: string): Refusal | null {
  if (!eligible) return refuse(403, 'You cannot vote in this poll.')
  if (status === 'upcoming') return refuse(409, `This poll opens ${fmtDateTime(poll.startTime, tz)}.`)
  if (status === 'closed') return refuse(409, `This poll closed ${fmtDateTime(poll.endTime, tz)}; votes can no longer be changed.`)
  return null
}

export function resultsOpenTo(poll: Poll, status: PollStatus, eligible: boolean, admin: boolean): boolean {
  if (admin) return true
  if (!eligible) return false
  return poll.resultsVisibility === 'live' || (poll.resultsVisibility === 'after_close' && status === 'closed')
}

/** The poll as this person may use it: 404 when it doesn't exist, 403 when they may not see it. */
export async function accessTo(deps: Deps, viewer: Viewer, pollId: number): Promise<Outcome<Access>> {
  const poll = await pollById(deps.sql, pollId)
  if (!poll) return refuse(404, 'That poll does not exist.')
  const admin = isPollsAdmin(viewer)
  const eligible = !isRestricted(viewer) && poll.visible && (await isEligible(deps.sql, poll.id, viewer.id))
  if (!eligible && !admin) return refuse(403, CANNOT_VIEW)
  const status = statusOf(poll, deps.clock.now())
  return {
    ok: true,
    value: {
      poll, status, admin, eligible,
      voteRefusal: voteRefusalFor(poll, status, eligible, deps.clock.tz),
      canSeeResults: resultsOpenTo(poll, status, eligible, admin),
    },
  }
}
