import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { Check, Errors, Field } from '../../platform/html/components.tsx'
import { isPartial } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import type { Registries } from '../../platform/registry.ts'
import type { Viewer } from '../../platform/viewer.ts'
import {
  addEmail, emailsOf, removeEmail, setDarkMode, setEmailPrefs, setPrimaryEmail, userById, type EmailRecord,
} from '../users/users.sql.ts'

// Accounts' section of /preferences: email addresses and the primary one, email opt-outs, dark mode.

type SectionData = { emails: EmailRecord[]; news: boolean; eighth: boolean; dark: boolean }

async function load(deps: Deps, v: Viewer): Promise<SectionData> {
  const [emails, u] = await Promise.all([emailsOf(deps.sql, v.id), userById(deps.sql, v.id)])
  return { emails, news: u?.receiveNewsEmails ?? true, eighth: u?.receiveEighthEmails ?? true, dark: u?.darkMode ?? false }
}

export function AccountSection({ d, errors, saved }: { d: SectionData; errors?: string[]; saved?: string }) {
  return (
    <section id="pref-account" class="card" aria-labelledby="pref-account-title" hx-target="this" hx-swap="outerHTML">
      <h2 id="pref-account-title">Email and appearance</h2>
      <Errors errors={errors ?? []} />
      {saved ? <p class="alert ok" role="status" safe>{saved}</p> : ''}
      <h3>Your email addresses</h3>
      {d.emails.length === 0 ? <p class="muted">No address yet: school email goes nowhere until you add one.</p> : ''}
      <ul class="emails">
        {d.emails.map((e) => (
          <li class="actions">
            <span safe>{e.address}</span>
            {e.isPrimary ? <span class="badge">primary</span> : (
              <form method="post" action={`/preferences/emails/${e.id}/primary`} hx-post={`/preferences/emails/${e.id}/primary`}>
                <button type="submit" class="link">Make primary</button>
              </form>
            )}
            <form method="post" action={`/preferences/emails/${e.id}/remove`} hx-post={`/preferences/emails/${e.id}/remove`}>
              <button type="submit" class="link" aria-label={`Remove ${e.address}`}>Remove</button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/preferences/emails" hx-post="/preferences/emails" class="stack">
        <Field name="address" label="Add an address" type="email" autocomplete="email" required maxlength={254} />
        <button type="submit" class="secondary">Add address</button>
      </form>
      <h3>Email from Ion</h3>
      <form method="post" action="/preferences/notifications" hx-post="/preferences/notifications" class="stack">
        <Check name="receive_news_emails" label="News: announcements and events" checked={d.news} />
        <Check name="receive_eighth_emails" label="Eighth period: signups, absences and changes" checked={d.eighth} />
        <button type="submit">Save email choices</button>
      </form>
      <h3>Appearance</h3>
      <form method="post" action="/preferences/theme" class="stack">
        <Check name="dark_mode" label="Dark mode" checked={d.dark} />
        <button type="submit">Save appearance</button>
      </form>
    </section>
  )
}

export function registerAccountSection(reg: Registries, getDeps: () => Deps): void {
  reg.preferences.push({
    id: 'account', title: 'Email and appearance', order: 0, visible: () => true,
    render: async ({ viewer }) => (<AccountSection d={await load(getDeps(), viewer)} />) as string,
  })
}

/** One partial, two uses: the section for htmx, a redirect back to the page otherwise. */
async function answer(c: { deps: Deps; viewer: Viewer; request: Request; set: { status?: number | string } }, errors: string[], saved?: string) {
  if (errors.length) c.set.status = 422
  if (!isPartial(c.request) && !errors.length) return redirect(c.request, '/preferences?saved=1')
  return (<AccountSection d={await load(c.deps, c.viewer)} errors={errors} saved={saved} />) as string
}

const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/

export function accountSectionRoutes(base: Base) {
  return new Elysia({ name: 'preferences-account' })
    .use(base)
    .post('/preferences/emails', async (c) => {
      const address = c.body.address.trim()
      if (!EMAIL_RE.test(address) || address.length > 254) return answer(c, ['That is not an email address.'])
      const added = await addEmail(c.deps.sql, c.viewer.id, address)
      return answer(c, added ? [] : ['You already have that address.'], 'Address added.')
    }, { policy: 'user', body: t.Object({ address: t.String({ maxLength: 500 }) }) })
    .post('/preferences/emails/:id/remove', async (c) => {
      const ok = await removeEmail(c.deps.sql, c.viewer.id, c.params.id)
      return answer(c, ok ? [] : ['That address is not yours.'], 'Address removed.')
    }, { policy: 'user', params: t.Object({ id: t.Integer({ minimum: 1, maximum: 2 ** 53 }) }) })
    .post('/preferences/emails/:id/primary', async (c) => {
      const ok = await c.deps.sql.begin((tx) => setPrimaryEmail(tx, c.viewer.id, c.params.id))
      return answer(c, ok ? [] : ['That address is not yours.'], 'Primary address changed.')
    }, { policy: 'user', params: t.Object({ id: t.Integer({ minimum: 1, maximum: 2 ** 53 }) }) })
    .post('/preferences/notifications', async (c) => {
      await setEmailPrefs(c.deps.sql, c.viewer.id, {
        receiveNewsEmails: c.body.receive_news_emails !== undefined,
        receiveEighthEmails: c.body.receive_eighth_emails !== undefined,
      })
      return answer(c, [], 'Email choices saved.')
    }, { policy: 'user', body: t.Object({ receive_news_emails: t.Optional(t.String()), receive_eighth_emails: t.Optional(t.String()) }) })
    .post('/preferences/theme', async (c) => {
      await setDarkMode(c.deps.sql, c.viewer.id, c.body.dark_mode !== undefined)
      // The whole page changes theme, so always a full navigation.
      return redirect(c.request, '/preferences?saved=1')
    }, { policy: 'user', body: t.Object({ dark_mode: t.Optional(t.String()) }) })
}
