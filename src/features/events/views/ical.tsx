import { EventsNav } from './list.tsx'

// /events/ical: the public feed's URL, and the private feed. The private URL is shown once, right
// after it is made (only its hash is kept); "Reset link" makes a new one and the old stops working.

export type IcalModel = { baseUrl: string; hasToken: boolean; createdAt: string | null; fresh: string | null; admin: boolean; student: boolean }

export function IcalPage({ m }: { m: IcalModel }) {
  const publicUrl = `${m.baseUrl}/events/ical/public.ics`
  return (
    <section class="events-page" aria-labelledby="ical-h">
      <h1 id="ical-h">Calendar feed</h1>
      <EventsNav admin={m.admin} current="ical" />
      <section class="card" aria-labelledby="ical-private-h">
        <h2 id="ical-private-h">Your calendar</h2>
        <p safe>{`Add the events you can see${m.student ? ' and your eighth-period signups' : ''} to your phone or calendar app. Paste this link as a calendar subscription ("from URL"). The link works without a password: keep it to yourself.`}</p>
        {m.fresh ? (
          <div class="alert ok" role="status">
            <p>Your private link (copy it now: it is shown only once):</p>
            <p><code class="mono" id="ical-url" safe>{`${m.baseUrl}/events/ical/${m.fresh}.ics`}</code> <button type="button" class="link" data-copy="ical-url">Copy</button></p>
          </div>
        ) : m.hasToken ? <p class="muted" safe>{`You have a private link (made ${m.createdAt}). Lost it? Reset it: the old link stops working.`}</p> : ''}
        <div class="actions">
          <form method="post" action="/events/ical/reset" class="inline-form">
            <button type="submit">{m.hasToken || m.fresh ? 'Reset link' : 'Make my link'}</button>
          </form>
          {m.hasToken || m.fresh ? (
            <form method="post" action="/events/ical/revoke" class="inline-form">
              <button type="submit" class="secondary">Turn off my link</button>
            </form>
          ) : ''}
        </div>
      </section>
      <section class="card" aria-labelledby="ical-public-h">
        <h2 id="ical-public-h">Public events</h2>
        <p>School and sports events open to everyone, for anyone to subscribe to:</p>
        <p><a href={publicUrl} class="mono" safe>{publicUrl}</a></p>
      </section>
    </section>
  )
}
