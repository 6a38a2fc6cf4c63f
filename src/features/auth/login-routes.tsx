import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { trustedHtml } from '../../platform/html/components.tsx'
import { page } from '../../platform/html/page.tsx'
import { Redirect, redirect, safeNext } from '../../platform/redirect.ts'
import { clearSessionCookie, deleteSession, saveSession } from '../../platform/session.ts'
import { HttpError } from '../../platform/errors.ts'
import { audit, loginRowById, setTotp } from '../users/users.sql.ts'
import { renderLoginExtras } from './login-extras.ts'
import { LoginForm, ReauthForm, TotpEnrollForm, TotpForm } from './views.tsx'
import {
  BAD_CREDENTIALS, LOCKED, checkPassword, claimTotpCode, clearPendingCookie, dropPending, loadPending, nextStep,
  pendingCookie, savePending, startSession,
} from './login.ts'
import { newTotpKey, totpKeyText, totpUri, verifyTotp } from './totp.ts'
import { addFailure, readCounter } from '../../platform/ratelimit.ts'
import { LOCK_MS } from './limits.ts'
import { welcomeTarget } from '../welcome/index.tsx'

const TOTP_FAIL_LIMIT = 10
import { decodeBase64, encodeBase64 } from '@oslojs/encoding'

const loginBody = t.Object({
  username: t.String({ maxLength: 200 }),
  password: t.String({ maxLength: 1000 }),
  remember: t.Optional(t.String()),
  next: t.Optional(t.String({ maxLength: 2000 })),
})

export function loginRoutes(base: Base) {
  return new Elysia({ name: 'auth-login' })
    .use(base)
    .get('/login', async (c) => {
      const next = safeNext(c.query.next)
      if (c.viewer) return redirect(c.request, next)
      if (c.query.next) c.set.headers['x-robots-tag'] = 'noindex'
      return page(c, 'Log in', <><LoginForm next={next} schoolName={c.deps.config.schoolName} />{trustedHtml(await renderLoginExtras(c.deps))}</>)
    }, { open: 'anonymous', query: t.Object({ next: t.Optional(t.String()) }) })

    .post('/login', async (c) => {
      const { deps, body, request, ip, set } = c
      const next = safeNext(body.next)
      const form = (errors: string[]) => page(c, 'Log in', <LoginForm next={next} username={body.username} errors={errors} schoolName={deps.config.schoolName} />)
      if (!body.username.trim() || !body.password) {
        set.status = 422
        return form(['Enter your username and password.'])
      }
      const check = await checkPassword(deps, body.username, body.password, ip)
      if (check.kind === 'limited') {
        set.status = 429
        set.headers['retry-after'] = String(Math.max(1, Math.ceil(check.limit.retryAfter)))
        return form([check.limit.message])
      }
      if (check.kind === 'invalid') {
        set.status = 401
        return form([BAD_CREDENTIALS])
      }
      if (check.kind === 'locked') {
        set.status = 403
        return form([LOCKED])
      }
      const trusted = body.remember !== undefined
      const step = nextStep(deps, check.user)
      if (step === 'done') {
        const cookie = await startSession(deps, request, check.user.id, { trusted, ip })
        return redirect(request, await welcomeTarget(deps.sql, check.user.id, next), { 'set-cookie': cookie })
      }
      const token = await savePending(deps, null, { userId: check.user.id, trusted, next, step, attempts: 0 })
      return redirect(request, step === 'totp' ? '/login/totp' : '/login/totp/enroll', { 'set-cookie': pendingCookie(token, deps.config.https) })
    }, { open: 'anonymous', body: loginBody })

    .get('/login/totp', async (c) => {
      const p = await loadPending(c.deps, c.request)
      if (!p || p.pending.step !== 'totp') return redirect(c.request, '/login')
      return page(c, 'Two-step login', <TotpForm />)
    }, { open: 'anonymous' })

    .post('/login/totp', async (c) => {
      const { deps, request, body, ip, set } = c
      const p = await loadPending(deps, request)
      if (!p || p.pending.step !== 'totp') return redirect(request, '/login')
      const user = await loginRowById(deps.sql, p.pending.userId)
      if (!user || !user.totpKey || user.locked || !user.active) return redirect(request, '/login')
      // Wrong codes are counted per account across logins: a known password is not enough to guess on.
      const now = deps.clock.now().getTime()
      const fails = await readCounter(deps.redis, `rl:totp:${user.id}`)
      if (fails && fails.count >= TOTP_FAIL_LIMIT && now - fails.last < LOCK_MS) {
        await dropPending(deps, p.token)
        set.status = 429
        set.headers['retry-after'] = String(Math.ceil((fails.last + LOCK_MS - now) / 1000))
        return page(c, 'Log in', <LoginForm next={p.pending.next} errors={['Too many wrong codes. Try again in 15 minutes.']} schoolName={deps.config.schoolName} />)
      }
      const okCode = verifyTotp(user.totpKey, body.code) && (await claimTotpCode(deps, user.id, body.code))
      if (!okCode) {
        await addFailure(deps.redis, `rl:totp:${user.id}`, now, LOCK_MS)
        p.pending.attempts++
        if (p.pending.attempts >= 5) {
          await dropPending(deps, p.token)
          set.status = 429
          return page(c, 'Log in', <LoginForm next={p.pending.next} errors={['Too many wrong codes. Log in again.']} schoolName={deps.config.schoolName} />)
        }
        await savePending(deps, p.token, p.pending)
        set.status = 422
        return page(c, 'Two-step login', <TotpForm errors={['That code is not right. Check your app and try again.']} />)
      }
      await dropPending(deps, p.token)
      const cookie = await startSession(deps, request, user.id, { trusted: p.pending.trusted, ip })
      const h = new Headers({ location: await welcomeTarget(deps.sql, user.id, p.pending.next) })
      h.append('set-cookie', cookie)
      h.append('set-cookie', clearPendingCookie(deps.config.https))
      return new Response(null, { status: 303, headers: h })
    }, { open: 'anonymous', body: t.Object({ code: t.String({ maxLength: 20 }) }) })

    // Enrolment forced at login (ION_REQUIRE_ADMIN_TOTP=on and an admin without TOTP).
    .get('/login/totp/enroll', async (c) => {
      const p = await loadPending(c.deps, c.request)
      if (!p || p.pending.step !== 'enroll') return redirect(c.request, '/login')
      const user = await loginRowById(c.deps.sql, p.pending.userId)
      if (!user) return redirect(c.request, '/login')
      const key = p.pending.enrollKey ? decodeBase64(p.pending.enrollKey) : newTotpKey()
      if (!p.pending.enrollKey) await savePending(c.deps, p.token, { ...p.pending, enrollKey: encodeBase64(key) })
      return page(c, 'Two-step login', <TotpEnrollForm action="/login/totp/enroll" keyText={totpKeyText(key)} uri={totpUri(c.deps.config.schoolName, user.username, key)} required />)
    }, { open: 'anonymous' })

    .post('/login/totp/enroll', async (c) => {
      const { deps, request, body, ip, set } = c
      const p = await loadPending(deps, request)
      if (!p || p.pending.step !== 'enroll' || !p.pending.enrollKey) return redirect(request, '/login')
      const user = await loginRowById(deps.sql, p.pending.userId)
      if (!user || user.locked || !user.active) return redirect(request, '/login')
      const key = decodeBase64(p.pending.enrollKey)
      if (!verifyTotp(key, body.code) || !(await claimTotpCode(deps, user.id, body.code))) {
        set.status = 422
        return page(c, 'Two-step login', <TotpEnrollForm action="/login/totp/enroll" keyText={totpKeyText(key)} uri={totpUri(deps.config.schoolName, user.username, key)} required errors={['That code is not right. Check your app and try again.']} />)
      }
      const now = deps.clock.now()
      await setTotp(deps.sql, user.id, key, true, now)
      await audit(deps.sql, { actorId: user.id, action: 'totp.enable', at: now, ip })
      await dropPending(deps, p.token)
      const cookie = await startSession(deps, request, user.id, { trusted: p.pending.trusted, ip })
      const h = new Headers({ location: await welcomeTarget(deps.sql, user.id, p.pending.next) })
      h.append('set-cookie', cookie)
      h.append('set-cookie', clearPendingCookie(deps.config.https))
      return new Response(null, { status: 303, headers: h })
    }, { open: 'anonymous', body: t.Object({ code: t.String({ maxLength: 20 }) }) })

    .get('/logout', (c) => page(c, 'Log out', (
      <section class="card login">
        <h1>Log out</h1>
        <form method="post" action="/logout"><button type="submit">Log out</button></form>
      </section>
    )), { open: 'anonymous' })

    .post('/logout', async ({ deps, viewer, request }) => {
      if (viewer?.session) {
        await deleteSession(deps.redis, viewer.session.id, viewer.session.userId)
        await audit(deps.sql, { actorId: viewer.session.userId, action: 'logout', at: deps.clock.now() })
      }
      return redirect(request, '/login', { 'set-cookie': clearSessionCookie(deps.config.https) })
    }, { open: 'anonymous' })

    .get('/reauthenticate', (c) => page(c, 'Confirm your password', <ReauthForm next={safeNext(c.query.next)} />), {
      policy: 'user', query: t.Object({ next: t.Optional(t.String()) }),
    })

    .post('/reauthenticate', async (c) => {
      const { deps, viewer, body, request, ip, set } = c
      const next = safeNext(body.next)
      const session = viewer.session
      if (!session) throw new HttpError(400, 'Re-authentication needs a browser session.')
      // While viewing as someone, the admin confirms their own password.
      const self = await loginRowById(deps.sql, session.userId)
      const check = self ? await checkPassword(deps, self.username, body.password, ip) : ({ kind: 'invalid' } as const)
      if (check.kind !== 'ok') {
        set.status = check.kind === 'limited' ? 429 : 401
        return page(c, 'Confirm your password', <ReauthForm next={next} errors={[check.kind === 'limited' ? check.limit.message : 'That password is not right.']} />)
      }
      session.reauthAt = deps.clock.now().getTime()
      await saveSession(deps.redis, session)
      return redirect(request, next)
    }, { policy: 'user', body: t.Object({ password: t.String({ maxLength: 1000 }), next: t.Optional(t.String({ maxLength: 2000 })) }) })
}

export const REAUTH_MS = 15 * 60_000

/** Sensitive pages: a password entered within the last 15 minutes, else off to /reauthenticate. */
export function requireFreshAuth(deps: Deps, viewer: { session: { reauthAt?: number } | null; via: string }, request: Request): void {
  const at = viewer.session?.reauthAt ?? 0
  if (viewer.via !== 'session' || deps.clock.now().getTime() - at > REAUTH_MS) {
    const url = new URL(request.url)
    const next = request.method === 'GET' ? url.pathname + url.search : url.pathname
    throw new Redirect(`/reauthenticate?next=${encodeURIComponent(next)}`)
  }
}
