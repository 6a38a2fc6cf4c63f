import type { Db } from '../../platform/db.ts'
import type { Deps } from '../../platform/http.ts'
import { mailOf } from '../../platform/mail/enqueue.ts'
import { composeEmail, defineEmail } from '../../platform/mail/render.tsx'

/** The "forgot password" email: the first real sender of the outbox. */
export const passwordLinkEmail = defineEmail('account.password_link', (d: { username: string; firstName: string; url: string }) => ({
  subject: 'Set a new password',
  heading: 'Set a new password',
  greeting: `Hello ${d.firstName || d.username},`,
  blocks: [
    { p: `Someone (we hope you) asked for a link to set a new password for the account ${d.username}.` },
    { link: { href: d.url, label: 'Choose a new password' } },
    { note: 'The link works once, for 24 hours. If you did not ask for it, ignore this email: your password stays the same.' },
  ],
}))

export async function sendPasswordLinkEmail(deps: Deps, tx: Db, d: { to: string; username: string; firstName: string; url: string }): Promise<void> {
  await mailOf(deps).enqueue(tx, composeEmail(passwordLinkEmail, d, { to: d.to }, deps.config))
}
