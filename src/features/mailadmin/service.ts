import type { Deps } from '../../platform/http.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { displayName } from '../../platform/viewer.ts'
import { mailOf, normalizeAddresses } from '../../platform/mail/enqueue.ts'
import { composeEmail, defineEmail } from '../../platform/mail/render.tsx'
import {
  discardFailed, insertAudit, latestFailures, latestRetrying, outboxCounts, retryFailed, type FailureRow, type OutboxCounts,
} from '../../platform/mail/outbox.sql.ts'
import { fail, ok, type Result } from '../../platform/errors.ts'

// The mail admin's rules: what the page shows, retry/discard of failed messages (audited), and
// the test email.

export type MailOverview = { counts: OutboxCounts; failures: FailureRow[]; retrying: FailureRow[]; smtp: boolean }

export async function mailOverview(deps: Deps): Promise<MailOverview> {
  const [counts, failures, retrying] = await Promise.all([
    outboxCounts(deps.sql, deps.clock.now()),
    latestFailures(deps.sql, 25),
    latestRetrying(deps.sql, 10),
  ])
  return { counts, failures, retrying, smtp: Boolean(deps.config.smtpUrl) }
}

export async function retryMessage(deps: Deps, viewer: Viewer, id: string): Promise<boolean> {
  const done = await deps.sql.begin(async (tx) => {
    const now = deps.clock.now()
    if (!(await retryFailed(tx, id, now))) return false
    await insertAudit(tx, { at: now, actorId: viewer.id, action: 'mail.retry', targetType: 'mail_outbox', targetId: id, details: {} })
    return true
  })
  if (done) mailOf(deps).nudge()
  return done
}

export async function discardMessage(deps: Deps, viewer: Viewer, id: string): Promise<boolean> {
  return deps.sql.begin(async (tx) => {
    const now = deps.clock.now()
    if (!(await discardFailed(tx, id, now))) return false
    await insertAudit(tx, { at: now, actorId: viewer.id, action: 'mail.discard', targetType: 'mail_outbox', targetId: id, details: {} })
    return true
  })
}

export const testEmail = defineEmail('admin.test', (d: { by: string; at: string }) => ({
  subject: 'Test email',
  heading: 'Test email',
  blocks: [
    { p: `This is a test email sent from the mail administration page by ${d.by}.` },
    { facts: [['Sent', d.at]] },
    { p: 'If you can read this, Ion can send mail.' },
  ],
}))

export async function sendTestEmail(deps: Deps, viewer: Viewer, to: string): Promise<Result<string>> {
  const [address] = normalizeAddresses(to)
  if (!address) return fail('Enter an email address, like name@example.org.')
  const now = deps.clock.now()
  const at = new Intl.DateTimeFormat('en-US', { timeZone: deps.config.schoolTz, dateStyle: 'medium', timeStyle: 'long' }).format(now)
  const message = composeEmail(testEmail, { by: displayName(viewer), at }, { to: address, key: `admin-test.${viewer.id}.${now.getTime()}` }, deps.config)
  await deps.sql.begin((tx) => mailOf(deps).enqueue(tx, message))
  return ok(address)
}
