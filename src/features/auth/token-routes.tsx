import { Elysia, t } from 'elysia'
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding'
import type { Base } from '../../platform/http.ts'
import { Errors, Field, fmtDateTime } from '../../platform/html/components.tsx'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { HttpError } from '../../platform/errors.ts'
import { audit } from '../users/users.sql.ts'
import { hashApiToken, TOKEN_PREFIX } from './api-auth.ts'
import { createToken, revokeToken, tokensOf, type TokenRow } from './tokens.sql.ts'

function TokensPage({ tokens, created, errors, tz }: { tokens: TokenRow[]; created?: { name: string; token: string }; errors?: string[]; tz: string }) {
  return (
    <section class="card" aria-labelledby="tokens-title">
      <h1 id="tokens-title">Personal API tokens</h1>
      <p>A token lets a program use the Ion API as you (<code>Authorization: Bearer &lt;token&gt;</code>). Treat it like a password.</p>
      {created ? (
        <div class="alert ok" role="status">
          <p safe>{`Token "${created.name}" created. Copy it now: it is shown only once.`}</p>
          <p><code id="new-token" safe>{created.token}</code> <button type="button" class="link" data-copy="new-token">Copy</button></p>
        </div>
      ) : ''}
      <Errors errors={errors ?? []} />
      <form method="post" action="/tokens" class="stack">
        <Field name="name" label="Name (what it is for)" required maxlength={100} />
        <button type="submit">Create token</button>
      </form>
      <h2>Your tokens</h2>
      {tokens.length === 0 ? <p class="muted">No tokens.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {tokens.map((tk) => (
                <tr>
                  <td safe>{tk.name}</td>
                  <td safe>{fmtDateTime(tk.createdAt, tz)}</td>
                  <td safe>{tk.lastUsedAt ? fmtDateTime(tk.lastUsedAt, tz) : 'never' as string}</td>
                  <td>
                    <form method="post" action={`/tokens/${tk.id}/revoke`}><button type="submit" class="secondary" aria-label={`Revoke ${tk.name}`}>Revoke</button></form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export function tokenRoutes(base: Base) {
  return new Elysia({ name: 'auth-tokens' })
    .use(base)
    .get('/tokens', async (c) => page(c, 'API tokens', <TokensPage tokens={await tokensOf(c.deps.sql, c.viewer.id)} tz={c.deps.config.schoolTz} />), { policy: 'member' })
    .post('/tokens', async (c) => {
      const { deps, viewer, body, set, ip } = c
      if (viewer.via !== 'session' || viewer.impersonatedBy) throw new HttpError(403, 'Tokens are created from your own browser session.')
      const name = body.name.trim()
      if (!name) {
        set.status = 422
        return page(c, 'API tokens', <TokensPage tokens={await tokensOf(deps.sql, viewer.id)} errors={['Give the token a name.']} tz={deps.config.schoolTz} />)
      }
      const bytes = new Uint8Array(24)
      crypto.getRandomValues(bytes)
      const token = TOKEN_PREFIX + encodeBase32LowerCaseNoPadding(bytes)
      const now = deps.clock.now()
      const id = await createToken(deps.sql, viewer.id, name, hashApiToken(token), now)
      await audit(deps.sql, { actorId: viewer.id, action: 'token.create', targetType: 'api_token', targetId: id, at: now, ip })
      c.set.headers['cache-control'] = 'no-store'
      return page(c, 'API tokens', <TokensPage tokens={await tokensOf(deps.sql, viewer.id)} created={{ name, token }} tz={deps.config.schoolTz} />)
    }, { policy: 'member', body: t.Object({ name: t.String({ maxLength: 200 }) }) })
    .post('/tokens/:id/revoke', async (c) => {
      const now = c.deps.clock.now()
      if (!(await revokeToken(c.deps.sql, c.viewer.id, c.params.id, now))) throw new HttpError(404, 'No such token.')
      await audit(c.deps.sql, { actorId: c.viewer.id, action: 'token.revoke', targetType: 'api_token', targetId: c.params.id, at: now, ip: c.ip })
      return redirect(c.request, '/tokens')
    }, { policy: 'member', params: t.Object({ id: t.Integer({ minimum: 1, maximum: 2 ** 31 - 1 }) }) })
}
