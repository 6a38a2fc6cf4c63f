// The mail module's public surface for features.
export { createMail, mailOf, outboxRowsFor, type Mail } from './enqueue.ts'
export { composeEmail, defineEmail, renderEmail, type EmailBlock, type EmailContent, type EmailKind } from './render.tsx'
export { selectRecipients, type OptOutOverride, type Recipient } from './recipients.ts'
export type { EnqueueResult, MailMessage } from './types.ts'
