import type { Db } from '../db.ts'
import { normalizeAddresses } from './enqueue.ts'
import { insertAudit } from './outbox.sql.ts'

// Opt-outs are per kind and known by the caller (e.g. a user's receive_eighth_emails flag): the
// caller passes each recipient with its flag. An admin may override opt-outs for one sending
// (an emergency notice); the override is written to audit_log in the caller's transaction.

export type Recipient = { address: string | null | undefined; optedOut: boolean }
export type OptOutOverride = { actorId: number; reason: string }
export type SelectedRecipients = { to: string[]; skipped: number; overridden: number }

export async function selectRecipients(
  db: Db,
  recipients: Recipient[],
  opts: { kind: string; now: Date; override?: OptOutOverride },
): Promise<SelectedRecipients> {
  const { override } = opts
  if (override && !override.reason.trim()) throw new Error('an opt-out override needs a reason')
  const optedOut = recipients.filter((r) => r.optedOut && r.address).length
  const chosen = recipients.filter((r) => r.address && (!r.optedOut || override)).map((r) => r.address!)
  const to = normalizeAddresses(chosen)
  if (override) {
    await insertAudit(db, {
      at: opts.now,
      actorId: override.actorId,
      action: 'mail.optout_override',
      targetType: 'mail_kind',
      targetId: opts.kind,
      details: { reason: override.reason.trim().slice(0, 1000), overridden: optedOut, recipients: to.length },
    })
  }
  return { to, skipped: override ? 0 : optedOut, overridden: override ? optedOut : 0 }
}
