import { Elysia, t } from 'elysia'
import { decodeBase64, encodeBase64 } from '@oslojs/encoding'
import type { Base } from '../../platform/http.ts'
import { page } from '../../platform/html/page.tsx'
import { redirect } from '../../platform/redirect.ts'
import { HttpError } from '../../platform/errors.ts'
import { isAnyAdmin } from '../../platform/viewer.ts'
import { audit, setTotp } from '../users/users.sql.ts'
import { claimTotpCode } from './login.ts'
import { requireFreshAuth } from './login-routes.tsx'
import { newTotpKey, totpKeyText, totpUri, verifyTotp } from './totp.ts'
import { TotpEnrollForm } from './views.tsx'

// Two-step login for accounts with any admin_* permission (ION_REQUIRE_ADMIN_TOTP makes it mandatory).
const keyName = (userId: number) => `totp_enroll:${userId}`

export function totpRoutes(base: Base) {
  return new Elysia({ name: 'auth-totp' })
    .use(base)
    .get('/totp', async (c) => {
      const { deps, viewer, request } = c
      if (!isAnyAdmin(viewer)) throw new HttpError(403, 'Two-step login is for accounts with administrative permissions.')
      requireFreshAuth(deps, viewer, request)
      if (viewer.totpEnabled) {
        return page(c, 'Two-step login', (
          <section class="card">
            <h1>Two-step login is on</h1>
            {deps.config.requireAdminTotp ? <p>Your school requires it for administrators, so it cannot be turned off.</p> : (
              <form method="post" action="/totp/disable"><button type="submit" class="danger">Turn off two-step login</button></form>
            )}
          </section>
        ))
      }
      let stored = await deps.redis.get(keyName(viewer.id))
      if (!stored) {
        stored = encodeBase64(newTotpKey())
        await deps.redis.set(keyName(viewer.id), stored, { exSeconds: 900 })
      }
      const key = decodeBase64(stored)
      return page(c, 'Two-step login', <TotpEnrollForm action="/totp" keyText={totpKeyText(key)} uri={totpUri(deps.config.schoolName, viewer.username, key)} required={deps.config.requireAdminTotp} />)
    }, { policy: 'user' })
    .post('/totp', async (c) => {
      const { deps, viewer, body, request, set, ip } = c
      if (!isAnyAdmin(viewer) || viewer.impersonatedBy) throw new HttpError(403, 'Two-step login is for accounts with administrative permissions.')
      requireFreshAuth(deps, viewer, request)
      const stored = await deps.redis.get(keyName(viewer.id))
      if (!stored) return redirect(request, '/totp')
      const key = decodeBase64(stored)
      if (!verifyTotp(key, body.code) || !(await claimTotpCode(deps, viewer.id, body.code))) {
        set.status = 422
        return page(c, 'Two-step login', <TotpEnrollForm action="/totp" keyText={totpKeyText(key)} uri={totpUri(deps.config.schoolName, viewer.username, key)} errors={['That code is not right. Check your app and try again.']} />)
      }
      const now = deps.clock.now()
      await setTotp(deps.sql, viewer.id, key, true, now)
      await deps.redis.del(keyName(viewer.id))
      await audit(deps.sql, { actorId: viewer.id, action: 'totp.enable', targetType: 'user', targetId: viewer.id, at: now, ip })
      return redirect(request, '/totp')
    }, { policy: 'user', body: t.Object({ code: t.String({ maxLength: 20 }) }) })
    .post('/totp/disable', async (c) => {
      const { deps, viewer, request, ip } = c
      if (deps.config.requireAdminTotp) throw new HttpError(403, 'Two-step login is required for administrators here.')
      if (viewer.impersonatedBy) throw new HttpError(403, 'Not while viewing as another user.')
      requireFreshAuth(deps, viewer, request)
      const now = deps.clock.now()
      await setTotp(deps.sql, viewer.id, null, false, now)
      await audit(deps.sql, { actorId: viewer.id, action: 'totp.disable', targetType: 'user', targetId: viewer.id, at: now, ip })
      return redirect(request, '/totp')
    }, { policy: 'user' })
}
