import type { Clock } from '../../platform/clock.ts'
import type { Sql, Tx } from '../../platform/db.ts'
import { gradeNumber } from '../users/grade.ts'
import {
  flagsOfRow, formatOpening, gradeAllowed, isFull, nameWithFlags, presignOpensAt, sponsorName, trueCapacity,
} from './effective.ts'
import { signupMessages, type SignupError } from './errors.ts'
import { blockText } from './format.ts'
import { auditForce } from './signup.sql.ts'
import {
  currentSignup, deletePair, deleteSignups, insertSignup, lockScheduled, lockStudent, moveSignup, scheduledDetails,
  previousSponsors, studentContext, touchSignup, type ExistingSignup, type Pair, type SchactRow, type StudentContext,
} from './signup.sql.ts'

// The signup rules (ion-eighth.md §2.2–§2.3), in Ion's order, every failure collected.
// One transaction; the student and the scheduled activities (with the both-blocks sibling) are
// locked in a fixed order before anything is counted, so capacity and one-per-block hold under races.
// The reads that decide are sent in one pipeline right behind the locks (PostgreSQL runs them in
// order on the transaction's connection, so they see what the locks protect) — one round trip.

/** Who is asking: null for the system itself (jobs, imports). */
export type Requester = { id: number; isEighthAdmin: boolean; isStudent: boolean } | null
export type EighthCfg = { tz: string; turnoverMonth: number }

export type SignupOutcome =
  | { ok: true; message: string; blockIds: number[]; scheduledIds: number[] }
  | { ok: false; status: 403 | 404; errors: SignupError[]; messages: string[] }

const notFound = (m: string): SignupOutcome => ({ ok: false, status: 404, errors: [], messages: [m] })
/** Ion's step 1: a request's force counts only for an eighth admin; the system itself (no request) may force. */
const forceOf = (i: { force?: boolean; requester: Requester }) => !!i.force && (i.requester === null || i.requester.isEighthAdmin)
/** The office wording goes to eighth admins who are not students. */
const officeText = (r: Requester) => !!r && r.isEighthAdmin && !r.isStudent

export type SignupInput = {
  userId: number
  scheduledId: number
  requester: Requester
  force?: boolean
  /** Group and distribute actions: no passes. */
  noAfterDeadline?: boolean
}

export const capacityOf = (r: Pick<SchactRow, 'saCapacity' | 'saRoomCaps' | 'activityDefaultCapacity' | 'activityRoomCaps'>) =>
  trueCapacity({ saCapacity: r.saCapacity, saRoomCaps: r.saRoomCaps, activityDefaultCapacity: r.activityDefaultCapacity, activityRoomCaps: r.activityRoomCaps })

/** What a switch remembers of the signup it moves: the old activity's name and sponsors. */
async function previousOf(tx: Tx, s: ExistingSignup): Promise<{ name: string; sponsors: string }> {
  const sponsors = await previousSponsors(tx, s.scheduledActivityId)
  return {
    name: nameWithFlags(s.name, { title: s.title, special: s.special, restricted: s.restricted, bothBlocks: s.bothBlocks, administrative: s.administrative, sticky: s.sticky }).slice(0, 200),
    sponsors: sponsors.map(sponsorName).join(', ').slice(0, 10000),
  }
}

/** Every rule of §2.2 step 2 and 6; returns all failures (empty = allowed). */
function check(input: SignupInput, force: boolean, rows: SchactRow[], ctx: StudentContext, clock: Clock, cfg: EighthCfg): SignupError[] {
  const errors: SignupError[] = []
  const target = rows.find((r) => r.id === input.scheduledId)!
  const ids = rows.map((r) => r.id)
  // The grade check holds even when forced: staff and graduates are never signed up.
  if (gradeNumber(ctx.graduationYear, clock.today(), cfg.turnoverMonth) > 12 || ctx.userType !== 'student') errors.push({ code: 'SignupForbidden' })
  if (force) return errors
  const r = input.requester
  if (r && r.id !== input.userId && !r.isEighthAdmin) errors.push({ code: 'SignupForbidden' })
  if (target.deleted) errors.push({ code: 'ActivityDeleted' })
  const stuck =
    ctx.signups.some((s) => s.sticky && !s.cancelled && !ids.includes(s.scheduledActivityId)) ||
    ctx.stuckIn.some((id) => !ids.includes(id))
  if (stuck) errors.push({ code: 'Sticky' })
  for (const row of rows) {
    if (row.blockLocked) errors.push({ code: 'BlockLocked' })
    if (row.cancelled) errors.push({ code: 'ScheduledActivityCancelled' })
    if (isFull(row.othersCount, capacityOf(row))) errors.push({ code: 'ActivityFull' })
  }
  const flags = flagsOfRow(target)
  if (flags.presign) {
    const opens = presignOpensAt(target.date, cfg.tz)
    if (clock.now() < opens) errors.push({ code: 'Presign', arg: formatOpening(opens, cfg.tz) })
  }
  if (!flags.bothBlocks && flags.oneADay && ctx.oneADayConflict) errors.push({ code: 'OneADay' })
  const grade = gradeNumber(ctx.graduationYear, clock.today(), cfg.turnoverMonth)
  if (rows.some((row) => flagsOfRow(row).restricted) && !(ctx.allowedByList || gradeAllowed(target, grade))) errors.push({ code: 'Restricted' })
  if (ctx.blacklisted) errors.push({ code: 'Blacklisted' })
  return errors
}

/** Writes the signup; returns the rows removed by leaving a both-blocks pair, so the emptied half is reported too. */
async function write(tx: Tx, input: SignupInput, rows: SchactRow[], ctx: StudentContext, now: Date): Promise<{ blockId: number; scheduledActivityId: number }[]> {
  const target = rows.find((r) => r.id === input.scheduledId)!
  const afterDeadline = target.blockLocked && !input.noAfterDeadline
  const ownSignup = input.requester?.id === input.userId
  const bothBlocks = flagsOfRow(target).bothBlocks
  const existingIn = (blockId: number) => ctx.signups.find((s) => s.blockId === blockId)
  const removed: { blockId: number; scheduledActivityId: number }[] = []

  if (!bothBlocks) {
    const existing = existingIn(target.blockId)
    if (!existing) {
      await insertSignup(tx, { userId: input.userId, blockId: target.blockId, schactId: target.id, now, afterDeadline, ownSignup, previousName: null, previousSponsors: null })
    } else if (existing.scheduledActivityId === target.id) {
      await touchSignup(tx, existing.id, now, afterDeadline, ownSignup)
    } else if (!existing.bothBlocks) {
      const prev = await previousOf(tx, existing)
      await moveSignup(tx, { signupId: existing.id, schactId: target.id, now, afterDeadline, ownSignup, previousName: prev.name, previousSponsors: prev.sponsors })
    } else {
      // Leaving a both-blocks pair frees both blocks; the student picks again in the other one.
      const prev = await previousOf(tx, existing)
      removed.push(...(await deletePair(tx, input.userId, existing.activityId, target.date)))
      await insertSignup(tx, { userId: input.userId, blockId: target.blockId, schactId: target.id, now, afterDeadline, ownSignup, previousName: prev.name, previousSponsors: prev.sponsors })
    }
    return removed
  }
  // Both blocks: the student leaves whatever they had in each block and joins every half.
  const prevByBlock = new Map<number, { name: string; sponsors: string } | null>()
  for (const row of rows) {
    const existing = existingIn(row.blockId)
    prevByBlock.set(row.blockId, existing && existing.scheduledActivityId !== row.id ? await previousOf(tx, existing) : null)
  }
  for (const s of ctx.signups) if (s.bothBlocks && !rows.some((r) => r.id === s.scheduledActivityId)) removed.push(...(await deletePair(tx, input.userId, s.activityId, target.date)))
  await deleteSignups(tx, ctx.signups.map((s) => s.id))
  for (const row of rows) {
    const prev = prevByBlock.get(row.blockId)
    await insertSignup(tx, { userId: input.userId, blockId: row.blockId, schactId: row.id, now, afterDeadline: row.blockLocked && !input.noAfterDeadline, ownSignup, previousName: prev?.name ?? null, previousSponsors: prev?.sponsors ?? null })
  }
  return removed
}

const refusal = (input: { requester: Requester }, errors: SignupError[]): SignupOutcome =>
  ({ ok: false, status: 403, errors, messages: signupMessages(errors, officeText(input.requester)) })

/** The look's verdict, and the scheduled activity it found (null: not scheduled). */
type Look = { refused: SignupOutcome | null; scheduledId: number | null }

/**
 * In a rush most requests are for a full activity. Those are refused from an unlocked look, with
 * every reason, so they never queue on the activity's row lock; only a signup that could succeed
 * takes the locks and checks again under them. The look is taken inside the transaction, right
 * before the locks: one taken before waiting for a pool connection would be stale by then, and
 * would send requests for an activity that has filled meanwhile to wait on its row lock.
 * A pair (Ion's bid + aid) is resolved by the same statement. A forced signup is never refused here.
 */
async function look(tx: Tx, clock: Clock, cfg: EighthCfg, input: Omit<SignupInput, 'scheduledId'>, target: number | Pair): Promise<Look> {
  const snapshot = await scheduledDetails(tx, { around: target }, input.userId)
  const row = snapshot.find((r) => (typeof target === 'number' ? r.id === target : r.blockId === target.blockId && r.activityId === target.activityId))
  if (!row) return { refused: notFound('Given activity not scheduled for given block.'), scheduledId: null }
  const go = { refused: null, scheduledId: row.id }
  if (forceOf(input) || !snapshot.some((r) => isFull(r.othersCount, capacityOf(r)))) return go
  const ctx = await studentContext(tx, input.userId, row.id)
  if (!ctx.exists) return { refused: notFound('Given user does not exist.'), scheduledId: row.id }
  const errors = check({ ...input, scheduledId: row.id }, false, snapshot, ctx, clock, cfg)
  return errors.length ? { refused: refusal(input, errors), scheduledId: row.id } : go
}

/** Ion's add_user, in its own transaction. `cfg` carries the school's zone and turnover month. */
export function signUp(sql: Sql, clock: Clock, cfg: EighthCfg, input: SignupInput): Promise<SignupOutcome> {
  return sql.begin((tx) => signUpInTx(tx, clock, cfg, input))
}

/** add_user inside a caller's transaction (office operations that do several things at once). */
export async function signUpInTx(tx: Tx, clock: Clock, cfg: EighthCfg, input: SignupInput): Promise<SignupOutcome> {
  if (!forceOf(input)) {
    const seen = await look(tx, clock, cfg, input, input.scheduledId)
    if (seen.refused) return seen.refused
  }
  return lockedSignUp(tx, clock, cfg, input)
}

/**
 * add_user for Ion's HTML contract, naming the activity by block and activity: the look finds the
 * open scheduled activity too (a cancelled one, or a deleted activity, is "not scheduled"), so the
 * request needs no statement of its own to find it. Says which scheduled activity it was (null: none).
 */
export function signUpByPair(sql: Sql, clock: Clock, cfg: EighthCfg, input: Omit<SignupInput, 'scheduledId'> & Pair): Promise<SignupOutcome & { scheduledId: number | null }> {
  return sql.begin(async (tx) => {
    const seen = await look(tx, clock, cfg, input, { blockId: input.blockId, activityId: input.activityId })
    if (seen.refused || seen.scheduledId === null) return { ...(seen.refused ?? notFound('Given activity not scheduled for given block.')), scheduledId: seen.scheduledId }
    return { ...(await lockedSignUp(tx, clock, cfg, { ...input, scheduledId: seen.scheduledId })), scheduledId: seen.scheduledId }
  })
}

/** The rules under the locks: the student's advisory lock, then the scheduled activities' rows. */
async function lockedSignUp(tx: Tx, clock: Clock, cfg: EighthCfg, input: SignupInput): Promise<SignupOutcome> {
  const force = forceOf(input)
  const [, ids, read, pipelinedCtx] = await Promise.all([
    lockStudent(tx, input.userId),
    lockScheduled(tx, input.scheduledId),
    scheduledDetails(tx, { around: input.scheduledId }, input.userId),
    studentContext(tx, input.userId, input.scheduledId),
  ])
  if (!ids.includes(input.scheduledId)) return notFound('Given activity not scheduled for given block.')
  // The sibling set is decided by the locking statement; should a both-blocks flag have changed
  // between it and the pipelined reads, read the locked rows (and the student's blocks) again.
  const same = read.length === ids.length && read.every((r) => ids.includes(r.id))
  const rows = same ? read : await scheduledDetails(tx, ids, input.userId)
  const ctx = same ? pipelinedCtx : await studentContext(tx, input.userId, input.scheduledId)
  if (!ctx.exists) return notFound('Given user does not exist.')
  const errors = check(input, force, rows, ctx, clock, cfg)
  if (errors.length) return refusal(input, errors)
  const removed = await write(tx, input, rows, ctx, clock.now())
  // A forced signup bypasses the rules: the office's bypass is audited.
  if (force && input.requester) await auditForce(tx, input.requester.id, 'eighth.force_signup', input.userId, input.scheduledId, clock.now())
  return {
    ok: true, message: 'Successfully signed up for activity.',
    blockIds: [...new Set([...rows.map((r) => r.blockId), ...removed.map((s) => s.blockId)])],
    scheduledIds: [...new Set([...rows.map((r) => r.id), ...ctx.signups.map((s) => s.scheduledActivityId), ...removed.map((s) => s.scheduledActivityId)])],
  }
}

export type RemoveOutcome =
  | { ok: true; message: string; existed: boolean; blockIds: number[]; scheduledIds: number[] }
  | { ok: false; status: 403; errors: SignupError[]; messages: string[] }

/**
 * Ion's remove_signup, with its bugs fixed: the owner's stickiness is checked (not the
 * requester's), and a student may leave their own signup while the block is open and they are
 * not stuck. Leaving a both-blocks activity leaves both halves.
 */
export async function removeSignup(sql: Sql, clock: Clock, input: { userId: number; blockId: number; requester: Requester; force?: boolean }): Promise<RemoveOutcome> {
  const force = forceOf(input)
  return sql.begin(async (tx) => {
    await lockStudent(tx, input.userId)
    const s = await currentSignup(tx, input.userId, input.blockId)
    if (!s) return { ok: true, message: 'The signup did not exist.', existed: false, blockIds: [], scheduledIds: [] }
    const errors: SignupError[] = []
    const r = input.requester
    if (r && r.id !== input.userId && !r.isEighthAdmin) errors.push({ code: 'SignupForbidden' })
    if (s.blockLocked) errors.push({ code: 'BlockLocked' })
    if (s.deleted) errors.push({ code: 'ActivityDeleted' })
    if ((s.sticky || s.stuckIndividually) && !s.cancelled) errors.push({ code: 'Sticky' })
    if (errors.length && !force) return { ok: false, status: 403, errors, messages: signupMessages(errors, officeText(r)) }
    // Leaving a both-blocks activity leaves both halves; both are reported (seat counts, summaries).
    const gone = s.bothBlocks ? await deletePair(tx, input.userId, s.activityId, s.date) : (await deleteSignups(tx, [s.id]), [])
    if (errors.length && r) await auditForce(tx, r.id, 'eighth.force_remove', input.userId, s.scheduledActivityId, clock.now())
    return {
      ok: true, message: `Successfully removed signup for ${blockText(s)}.`, existed: true,
      blockIds: [...new Set([s.blockId, ...gone.map((g) => g.blockId)])],
      scheduledIds: [...new Set([s.scheduledActivityId, ...gone.map((g) => g.scheduledActivityId)])],
    }
  })
}
