import { Elysia, t } from 'elysia'
import type { Base, Deps } from '../../platform/http.ts'
import { fmtDateTime } from '../../platform/html/components.tsx'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { clearSessionCookie, deleteAllSessions, deleteSession, listSessions, saveSession, type SessionData } from '../../platform/session.ts'
import { HttpError } from '../../platform/errors.ts'
import { audit } from '../users/users.sql.ts'
import { describeUserAgent } from './user-agent.ts'

/** A person's devices. `base` is where the forms post: /sessions, or /admin/users/<id>/sessions. */
export function SessionList({ sessions, currentId, base, tz }: { sessions: SessionData[]; currentId: string | null; base: string; tz: string }) {
  return (
    <div class="table-wrap" id="session-list">
      <table>
        <caption class="visually-hidden">Devices signed in</caption>
        <thead><tr><th scope="col">Device</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col">Remembered</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>
                <span safe>{describeUserAgent(s.ua)}</span>
                {s.id === currentId ? <> <span class="badge">this device</span></> : ''}
                <br /><span class="muted mono" safe>{s.ip}</span>
              </td>
              <td safe>{fmtDateTime(s.loginAt, tz)}</td>
              <td safe>{fmtDateTime(s.lastSeen, tz)}</td>
              <td>{s.trusted ? 'Yes (7 days)' : 'No (2 hours idle)'}</td>
              <td>
                <form method="post" action={`${base}/revoke`}>
                  <input type="hidden" name="id" value={s.id.slice(0, 16)} />
                  <button type="submit" class="secondary">{s.id === currentId ? 'Log out' : 'Revoke'}</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sessions.length === 0 ? <p class="muted">No devices are signed in.</p> : ''}
    </div>
  )
}

/** Sessions are named in forms by the first 16 hex digits of their id (never the token). */
export async function findSession(deps: Deps, userId: number, idPrefix: string): Promise<SessionData | null> {
  if (!/^[a-f0-9]{16}$/.test(idPrefix)) return null
  const list = await listSessions(deps.redis, userId, deps.clock.now().getTime())
  return list.find((s) => s.id.startsWith(idPrefix)) ?? null
}

export function sessionRoutes(base: Base) {
  return new Elysia({ name: 'auth-sessions' })
    .use(base)
    .get('/sessions', async (c) => {
      const { deps, viewer } = c
      const me = viewer.session?.userId ?? viewer.id
      const sessions = await listSessions(deps.redis, me, deps.clock.now().getTime())
      const current = viewer.session
      return page(c, 'Your devices', (
        <section class="card" aria-labelledby="sessions-title">
          <h1 id="sessions-title">Your devices</h1>
          <p>Everywhere you are signed in. Remembered devices stay signed in for 7 days; others after 2 hours without use. Every session ends 30 days after login.</p>
          <SessionList sessions={sessions} currentId={current?.id ?? null} base="/sessions" tz={deps.config.schoolTz} />
          <div class="actions">
            {current && !current.trusted ? (
              <form method="post" action="/sessions/trust"><button type="submit" class="secondary">Remember this device</button></form>
            ) : ''}
            <form method="post" action="/sessions/global-logout">
              <button type="submit" class="danger" data-confirm="Log out on every device, including this one?">Log out everywhere</button>
            </form>
          </div>
        </section>
      ))
    }, { policy: 'user' })
    .post('/sessions/revoke', async (c) => {
      const { deps, viewer, body, request, ip } = c
      const me = viewer.session?.userId ?? viewer.id
      const s = await findSession(deps, me, body.id)
      if (!s) throw new HttpError(404, 'That device is no longer signed in.')
      await deleteSession(deps.redis, s.id, me)
      await audit(deps.sql, { actorId: me, action: 'session.revoke', targetType: 'user', targetId: me, at: deps.clock.now(), ip })
      if (s.id === viewer.session?.id) return redirect(request, '/login', { 'set-cookie': clearSessionCookie(deps.config.https) })
      return redirect(request, '/sessions')
    }, { policy: 'user', body: t.Object({ id: t.String({ maxLength: 64 }) }) })
    .post('/sessions/trust', async (c) => {
      const s = c.viewer.session
      if (!s) throw new HttpError(400, 'Only a browser session can be remembered.')
      s.trusted = true
      await saveSession(c.deps.redis, s)
      // The cookie now gets a Max-Age so the browser keeps it.
      const token = (c.request.headers.get('cookie') ?? '').match(/(?:^|;\s*)sessionid=([a-z2-7]{32})/)?.[1]
      const headers: Record<string, string> = {}
      if (token) headers['set-cookie'] = `sessionid=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${30 * 86400}${c.deps.config.https ? '; Secure' : ''}`
      return redirect(c.request, '/sessions', headers)
    }, { policy: 'user' })
    .post('/sessions/global-logout', async (c) => {
      const { deps, viewer, request, ip } = c
      const me = viewer.session?.userId ?? viewer.id
      const n = await deleteAllSessions(deps.redis, me)
      await audit(deps.sql, { actorId: me, action: 'session.global_logout', targetType: 'user', targetId: me, at: deps.clock.now(), ip, details: { sessions: n } })
      return redirect(request, '/login', { 'set-cookie': clearSessionCookie(deps.config.https) })
    }, { policy: 'user' })
}
