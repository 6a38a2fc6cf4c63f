import type { Deps } from '../../../../platform/http.ts'
import { composeEmail, defineEmail, mailOf, selectRecipients } from '../../../../platform/mail/index.ts'
import { blockText } from '../../format.ts'
import { nameList, by, record, refuse, schactName, schactWhere, seatsChanged, students, uniq, type Actor, type MoveOutcome } from './common.ts'
import { BUSY, withMovers } from './locking.ts'
import { addressees, deleteSignupsInBlock, deleteSignupsOf, memberIds, placements, repoint, schactById, type Placement, type SchactOption } from './moves.sql.ts'

// Transfer every student of one scheduled activity to another, and clear an activity's signups
// (Ion's transfer_students and unsignup_students). A transfer is an office bypass: no capacity or
// restriction checks. Across blocks, each mover's signup in the destination block is deleted
// first, so one signup per student per block still holds.

export const transferEmail = defineEmail('eighth.transfer', (d: { activity: string; block: string; from: string }) => ({
  subject: `8th Period Transfer to ${d.activity} on ${d.block}`,
  heading: 'You were moved to another eighth-period activity',
  blocks: [
    { p: `The eighth-period office moved you from ${d.from} to ${d.activity} for ${d.block}.` },
    { link: { href: '/eighth/profile', label: 'See your eighth-period schedule' } },
  ],
}))

export type TransferPreview = { from: SchactOption; to: SchactOption; movers: number; conflicts: Placement[] }

export async function previewTransfer(deps: Deps, fromId: number, toId: number): Promise<TransferPreview | null> {
  const [from, to] = await Promise.all([schactById(deps.sql, fromId), schactById(deps.sql, toId)])
  if (!from || !to || from.id === to.id) return null
  const movers = await memberIds(deps.sql, fromId)
  const conflicts = from.blockId === to.blockId ? [] : (await placements(deps.sql, movers, to.blockId)).filter((p) => p.schactId !== null)
  return { from, to, movers: movers.length, conflicts }
}

export type TransferOptions = { sendEmails: boolean; emailEveryone: boolean }

export async function transferStudents(deps: Deps, actor: Actor, fromId: number, toId: number, opts: TransferOptions): Promise<MoveOutcome> {
  if (fromId === toId) return refuse(422, 'Choose two different activities.')
  const [from, to] = await Promise.all([schactById(deps.sql, fromId), schactById(deps.sql, toId)])
  if (!from) return refuse(404, 'The activity to move students from is not scheduled.')
  if (!to) return refuse(404, 'The activity to move students to is not scheduled.')
  const crossBlock = from.blockId !== to.blockId
  const r = await withMovers(deps.sql, (db) => memberIds(db, fromId), [fromId, toId], async (tx, { movers }) => {
    const conflicts = crossBlock ? (await placements(tx, movers, to.blockId)).filter((p) => p.schactId !== null) : []
    const removed = crossBlock ? await deleteSignupsInBlock(tx, movers, to.blockId) : []
    const moved = await repoint(tx, fromId, toId, to.blockId, movers)
    let emailed = 0
    let skipped = 0
    if (opts.sendEmails && moved.length) {
      const people = await addressees(tx, moved)
      const now = deps.clock.now()
      const override = opts.emailEveryone ? { actorId: actor.viewer.id, reason: 'Transfer notice: "email everyone" was ticked' } : undefined
      const sel = await selectRecipients(tx, people.map((p) => ({ address: p.address, optedOut: p.optedOut })), { kind: transferEmail.kind, now, override })
      if (sel.to.length) {
        const data = { activity: to.name, block: blockText(to), from: schactName(from) }
        await mailOf(deps).enqueue(tx, composeEmail(transferEmail, data, { to: sel.to, key: `eighth-transfer-${fromId}-${toId}-${now.getTime()}`, audience: 'bulk' }, deps.config))
      }
      emailed = sel.to.length
      skipped = sel.skipped
    }
    await record(tx, deps, by(actor), 'eighth.transfer', fromId, {
      from: fromId, to: toId, fromBlock: from.blockId, toBlock: to.blockId, students: moved,
      removedInDestinationBlock: removed, emailed, emailEveryone: opts.sendEmails && opts.emailEveryone,
    })
    return { moved, removed, conflicts, emailed, skipped }
  })
  if (!r.ok) return refuse(409, BUSY)
  const v = r.value
  const messages = [`Moved ${students(v.moved.length)} from ${schactWhere(from)} to ${schactWhere(to)}.`]
  if (v.conflicts.length) messages.push(`Removed their other signups in ${blockText(to)}: ${nameList(v.conflicts)}.`)
  if (opts.sendEmails) messages.push(`Emailed ${students(v.emailed)}${v.skipped ? ` (${v.skipped} asked not to get eighth-period email)` : ''}.`)
  const out: MoveOutcome = {
    ok: true, messages,
    blockIds: uniq([from.blockId, to.blockId]),
    scheduledIds: uniq([fromId, toId, ...v.removed.map((x) => x.scheduledActivityId)]),
  }
  seatsChanged(deps, out)
  return out
}

export async function clearSignups(deps: Deps, actor: Actor, schactId: number): Promise<MoveOutcome> {
  const sa = await schactById(deps.sql, schactId)
  if (!sa) return refuse(404, 'That activity is not scheduled.')
  const r = await withMovers(deps.sql, (db) => memberIds(db, schactId), [schactId], async (tx, { movers }) => {
    const removed = await deleteSignupsOf(tx, schactId, movers)
    await record(tx, deps, by(actor), 'eighth.clear_signups', schactId, { blockId: sa.blockId, students: removed })
    return removed
  })
  if (!r.ok) return refuse(409, BUSY)
  const out: MoveOutcome = {
    ok: true, messages: [`Successfully removed signups for ${students(r.value.length)} from ${schactWhere(sa)}.`],
    blockIds: [sa.blockId], scheduledIds: [schactId],
  }
  seatsChanged(deps, out)
  return out
}
