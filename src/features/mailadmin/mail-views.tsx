import { fmtDateTime } from '../../platform/html/components.tsx'
import type { FailureRow } from '../../platform/mail/outbox.sql.ts'
import type { MailOverview } from './service.ts'

// One partial, two uses: <MailAdmin> is the page body and the whole htmx answer to its forms.

export type Flash = { kind: 'ok' | 'error' | 'info'; text: string } | null

type Props = { o: MailOverview; tz: string; flash: Flash; testTo?: string; testError?: string }

const swap = { 'hx-target': '#mail-admin', 'hx-swap': 'outerHTML' }

export function MailAdmin({ o, tz, flash, testTo, testError }: Props) {
  const c = o.counts
  return (
    <div id="mail-admin">
      <h1>Mail</h1>
      {flash ? <p class={`alert ${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'} safe>{flash.text}</p> : ''}
      {o.smtp ? '' : (
        <p class="alert warn" role="status">
          SMTP_URL is not set: messages stay in the outbox and are written to the log. Nothing is sent.
        </p>
      )}
      <section class="card" aria-labelledby="mail-counts">
        <h2 id="mail-counts">Outbox</h2>
        <dl class="facts">
          <dt>Waiting</dt><dd safe>{`${c.pending} (${c.due} due now, ${c.inFlight} being sent)`}</dd>
          <dt>Sent</dt><dd safe>{`${c.sent} in the last 30 days`}</dd>
          <dt>Failed</dt><dd safe>{String(c.failed)}</dd>
          <dt>Discarded</dt><dd safe>{String(c.discarded)}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="mail-failed">
        <h2 id="mail-failed">Failed messages</h2>
        {o.failures.length === 0 ? <p>No failed messages.</p> : <MessageTable rows={o.failures} tz={tz} actions />}
      </section>
      {o.retrying.length ? (
        <section class="card" aria-labelledby="mail-retrying">
          <h2 id="mail-retrying">Being retried</h2>
          <MessageTable rows={o.retrying} tz={tz} actions={false} />
        </section>
      ) : ''}
      <section class="card" aria-labelledby="mail-test">
        <h2 id="mail-test">Send a test email</h2>
        <form method="post" action="/admin/mail/test" hx-post="/admin/mail/test" {...swap} class="stack">
          <div class="field">
            <label for="mail-test-to">Send to</label>
            <span class="hint" id="mail-test-to-hint">Your own address, to see what recipients get.</span>
            <input id="mail-test-to" name="to" type="email" required value={testTo} autocomplete="email"
              aria-invalid={testError ? 'true' : undefined}
              aria-describedby={testError ? 'mail-test-to-hint mail-test-to-err' : 'mail-test-to-hint'} />
            {testError ? <span class="error" id="mail-test-to-err" safe>{testError}</span> : ''}
          </div>
          <div class="actions"><button type="submit">Send test email</button></div>
        </form>
      </section>
    </div>
  )
}

function MessageTable({ rows, tz, actions }: { rows: FailureRow[]; tz: string; actions: boolean }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Message</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            {actions ? <th scope="col"><span class="visually-hidden">Actions</span></th> : ''}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td safe>{fmtDateTime(r.updatedAt, tz)}</td>
              <td>
                <span safe>{r.subject}</span>
                <br />
                <span class="muted" safe>{`${r.kind} · ${r.recipients} recipient${r.recipients === 1 ? '' : 's'}`}</span>
              </td>
              <td safe>{String(r.attempts)}</td>
              <td><code safe>{r.lastError ?? ''}</code></td>
              {actions ? (
                <td>
                  <div class="actions">
                    <form method="post" action={`/admin/mail/${r.id}/retry`} hx-post={`/admin/mail/${r.id}/retry`} {...swap}>
                      <button type="submit" class="secondary" aria-label={`Retry “${r.subject}”`}>Retry</button>
                    </form>
                    <form method="post" action={`/admin/mail/${r.id}/discard`} hx-post={`/admin/mail/${r.id}/discard`} {...swap}>
                      <button type="submit" class="danger" data-confirm="Discard this message? It will not be sent." aria-label={`Discard “${r.subject}”`}>Discard</button>
                    </form>
                  </div>
                </td>
              ) : ''}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
