import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { Errors, Field } from '../../platform/html/components.tsx'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { deleteAllSessions, listSessions, deleteSession } from '../../platform/session.ts'
import { audit, loginRowById, setPasswordHash } from '../users/users.sql.ts'
import { hashPassword, passwordProblems } from './passwords.ts'
import { checkPasswordLink, consumePasswordLink } from './password-links.ts'
import { NewPasswordFields } from './views.tsx'
import { requestPasswordEmail } from './forgot.ts'
import { checkPassword } from './login.ts'

type FieldErrors = Record<string, string>

function newPasswordErrors(deps: Deps, pw: string, confirm: string, username: string): FieldErrors {
  const e: FieldErrors = {}
  const problems = passwordProblems(pw, { minLength: deps.config.passwordMinLength, username })
  if (problems.length) e.new_password = problems.join(' ')
  else if (pw !== confirm) e.confirm_password = 'The two passwords are not the same.'
  return e
}

function ChangeForm({ min, errors, done }: { min: number; errors?: FieldErrors; done?: boolean }) {
  return (
    <section class="card" aria-labelledby="pw-title">
      <h1 id="pw-title">Change your password</h1>
      {done ? <p class="alert ok" role="status">Your password was changed. Your other devices were logged out.</p> : ''}
      <form method="post" action="/password" class="stack">
        <Field name="current_password" label="Current password" type="password" required autocomplete="current-password" error={errors?.current_password} />
        <NewPasswordFields min={min} errors={errors} />
        <button type="submit">Change password</button>
      </form>
    </section>
  )
}

function ResetForm({ token, username, min, errors }: { token: string; username: string; min: number; errors?: FieldErrors }) {
  return (
    <section class="card login" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <p safe>{`For the account ${username}.`}</p>
      <form method="post" action={`/password/reset/${token}`} class="stack">
        <NewPasswordFields min={min} errors={errors} />
        <button type="submit">Set password</button>
      </form>
    </section>
  )
}

function ForgotForm({ sent, errors }: { sent?: boolean; errors?: string[] }) {
  return (
    <section class="card login" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      {sent ? (
        <p class="alert ok" role="status">If that account exists and has an email address, a link to set a new password is on its way. It works once, for 24 hours.</p>
      ) : (
        <>
          <p>Enter your username or your email address. We'll email a one-time link to the account's primary address.</p>
          <Errors errors={errors ?? []} />
          <form method="post" action="/password/forgot" class="stack">
            <Field name="who" label="Username or email" required autocomplete="username" maxlength={254} />
            <button type="submit">Email me a link</button>
          </form>
        </>
      )}
      <p><a href="/login">Back to log in</a></p>
    </section>
  )
}

const linkGone = 'This link has expired or was already used. Ask for a new one.'

export function passwordRoutes(base: Base) {
  return new Elysia({ name: 'auth-passwords' })
    .use(base)
    .get('/password', (c) => page(c, 'Change password', <ChangeForm min={c.deps.config.passwordMinLength} done={c.query.done !== undefined} />), { policy: 'user' })
    .post('/password', async (c) => {
      const { deps, viewer, body, set, request, ip } = c
      const self = viewer.impersonatedBy ? null : await loginRowById(deps.sql, viewer.id)
      const errors: FieldErrors = {}
      // Checked like a login (delay, then lockout, per username and address): a session left open
      // on a shared computer must not let anyone guess the password behind it.
      const check = self ? await checkPassword(deps, self.username, body.current_password, ip) : null
      if (check?.kind === 'limited') {
        set.status = 429
        set.headers['retry-after'] = String(Math.ceil(check.limit.retryAfter))
        return page(c, 'Change password', <ChangeForm min={deps.config.passwordMinLength} errors={{ current_password: check.limit.message }} />)
      }
      if (check?.kind !== 'ok') errors.current_password = 'That is not your current password.'
      Object.assign(errors, newPasswordErrors(deps, body.new_password, body.confirm_password, viewer.username))
      if (Object.keys(errors).length) {
        set.status = 422
        return page(c, 'Change password', <ChangeForm min={deps.config.passwordMinLength} errors={errors} />)
      }
      const now = deps.clock.now()
      await setPasswordHash(deps.sql, viewer.id, await hashPassword(body.new_password), now)
      await audit(deps.sql, { actorId: viewer.id, action: 'password.change', targetType: 'user', targetId: viewer.id, at: now, ip })
      // Every other device is logged out; this one stays.
      for (const s of await listSessions(deps.redis, viewer.id, now.getTime()))
        if (s.id !== viewer.session?.id) await deleteSession(deps.redis, s.id, viewer.id)
      return redirect(request, '/password?done')
    }, { policy: 'user', body: t.Object({ current_password: t.String({ maxLength: 1000 }), new_password: t.String({ maxLength: 1000 }), confirm_password: t.String({ maxLength: 1000 }) }) })

    .get('/password/reset/:token', async (c) => {
      const link = await checkPasswordLink(c.deps.sql, c.params.token, c.deps.clock.now())
      c.set.headers['referrer-policy'] = 'no-referrer'
      if (!link) {
        c.set.status = 410
        return page(c, 'Link expired', <section class="card login"><h1>Link expired</h1><p>{linkGone}</p><p><a href="/password/forgot">Ask for a new link</a></p></section>)
      }
      return page(c, 'Choose a new password', <ResetForm token={c.params.token} username={link.username} min={c.deps.config.passwordMinLength} />)
    }, { open: 'anonymous', params: t.Object({ token: t.String({ maxLength: 100 }) }) })

    .post('/password/reset/:token', async (c) => {
      const { deps, params, body, set, request, ip } = c
      const now = deps.clock.now()
      const link = await checkPasswordLink(deps.sql, params.token, now)
      if (!link) {
        set.status = 410
        return page(c, 'Link expired', <section class="card login"><h1>Link expired</h1><p>{linkGone}</p></section>)
      }
      const errors = newPasswordErrors(deps, body.new_password, body.confirm_password, link.username)
      if (Object.keys(errors).length) {
        set.status = 422
        return page(c, 'Choose a new password', <ResetForm token={params.token} username={link.username} min={deps.config.passwordMinLength} errors={errors} />)
      }
      const hash = await hashPassword(body.new_password)
      const userId = await deps.sql.begin(async (tx) => {
        const id = await consumePasswordLink(tx, params.token, now)
        if (id) {
          await setPasswordHash(tx, id, hash, now)
          await audit(tx, { actorId: id, action: 'password.reset', targetType: 'user', targetId: id, at: now, ip })
        }
        return id
      })
      if (!userId) {
        set.status = 410
        return page(c, 'Link expired', <section class="card login"><h1>Link expired</h1><p>{linkGone}</p></section>)
      }
      await deleteAllSessions(deps.redis, userId)
      return redirect(request, '/login?reset=1')
    }, { open: 'anonymous', params: t.Object({ token: t.String({ maxLength: 100 }) }), body: t.Object({ new_password: t.String({ maxLength: 1000 }), confirm_password: t.String({ maxLength: 1000 }) }) })

    .get('/password/forgot', (c) => page(c, 'Forgot password', <ForgotForm />), { open: 'anonymous' })
    .post('/password/forgot', async (c) => {
      const { deps, body, ip, set } = c
      const who = body.who.trim()
      if (!who) {
        set.status = 422
        return page(c, 'Forgot password', <ForgotForm errors={['Enter your username or email address.']} />)
      }
      const limited = await requestPasswordEmail(deps, who, ip)
      if (limited) {
        set.status = 429
        set.headers['retry-after'] = String(limited)
        return page(c, 'Forgot password', <ForgotForm errors={['Too many requests. Try again later.']} />)
      }
      // The same answer whether or not the account exists.
      return page(c, 'Forgot password', <ForgotForm sent />)
    }, { open: 'anonymous', body: t.Object({ who: t.String({ maxLength: 300 }) }) })
}
