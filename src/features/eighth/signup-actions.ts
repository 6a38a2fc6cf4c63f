import type { Deps } from '../../platform/http.ts'
import { hasPerm, type Viewer } from '../../platform/viewer.ts'
import { notifySeats } from './live-seats.tsx'
import { signupMessages } from './errors.ts'
import { contractTarget } from './signup-page.sql.ts'
import { removeSignup, signUp, signUpByPair, type Requester, type SignupOutcome } from './signup.ts'

// Ion's HTML signup contract (ion-eighth.md §3.1) as one service call: the fields are already
// integers; this finds the user and the scheduled activity, runs the rules, and tells the live
// seat counts after a change commits.

export type ContractInput =
  | { kind: 'signup'; uid: number; bid: number; aid: number; force: boolean }
  | { kind: 'unsignup'; uid: number; bid: number; force: boolean }

export type ContractOutcome = {
  status: 200 | 403 | 404
  messages: string[]
  /** The scheduled activity whose row the caller's page shows for this action (null: none). */
  schactId: number | null
  /** Everything the change touched (rows to redraw). */
  blockIds: number[]
  scheduledIds: number[]
}

export const requesterOf = (v: Viewer): Requester => ({ id: v.id, isEighthAdmin: hasPerm(v, 'admin_eighth'), isStudent: v.userType === 'student' })

const NOT_SCHEDULED = 'Given activity not scheduled for given block.'

export async function runContract(deps: Deps, viewer: Viewer, input: ContractInput): Promise<ContractOutcome> {
  const cfg = { tz: deps.config.schoolTz, turnoverMonth: deps.config.yearTurnoverMonth }
  const requester = requesterOf(viewer)
  // A student's own signup (the rush): the signed-in user exists, and the look inside the signup
  // finds the scheduled activity by bid + aid, so no statement of its own is spent on either.
  if (input.kind === 'signup' && input.uid === viewer.id) {
    const out = await signUpByPair(deps.sql, deps.clock, cfg, { userId: input.uid, blockId: input.bid, activityId: input.aid, requester, force: input.force })
    if (out.scheduledId === null) return { status: 404, messages: [NOT_SCHEDULED], schactId: null, blockIds: [], scheduledIds: [] }
    return signedUp(deps, input.bid, out.scheduledId, out)
  }
  const target = await contractTarget(deps.sql, input.uid, input.bid, input.kind === 'signup' ? input.aid : null)
  if (!target.userExists) return { status: 404, messages: ['Given user does not exist.'], schactId: null, blockIds: [], scheduledIds: [] }
  // Someone else's signups: the one reason, before any rule reads that student's state — the
  // collected reasons (Sticky, Blacklisted, OneADay, "The signup did not exist.") would tell.
  if (input.uid !== viewer.id && !hasPerm(viewer, 'admin_eighth')) {
    return { status: 403, messages: signupMessages([{ code: 'SignupForbidden' }], false), schactId: null, blockIds: [input.bid], scheduledIds: [] }
  }

  if (input.kind === 'unsignup') {
    const out = await removeSignup(deps.sql, deps.clock, { userId: input.uid, blockId: input.bid, requester, force: input.force })
    if (!out.ok) return { status: 403, messages: out.messages, schactId: null, blockIds: [input.bid], scheduledIds: [] }
    if (out.existed) notifySeats(deps, out.blockIds, out.scheduledIds)
    return { status: 200, messages: [out.message], schactId: out.scheduledIds[0] ?? null, blockIds: out.blockIds, scheduledIds: out.scheduledIds }
  }

  if (target.schactId === null) return { status: 404, messages: [NOT_SCHEDULED], schactId: null, blockIds: [], scheduledIds: [] }
  const out = await signUp(deps.sql, deps.clock, cfg, { userId: input.uid, scheduledId: target.schactId, requester, force: input.force })
  return signedUp(deps, input.bid, target.schactId, out)
}

function signedUp(deps: Deps, bid: number, schactId: number, out: SignupOutcome): ContractOutcome {
  if (!out.ok) return { status: out.status, messages: out.messages, schactId, blockIds: [bid], scheduledIds: [] }
  notifySeats(deps, out.blockIds, out.scheduledIds)
  return { status: 200, messages: [out.message], schactId, blockIds: out.blockIds, scheduledIds: out.scheduledIds }
}
