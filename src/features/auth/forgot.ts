import type { Deps } from '../../platform/http.ts'
import { hit } from '../../platform/ratelimit.ts'
import { createPasswordLink, passwordLinkUrl } from './password-links.ts'
import { userForForgot } from './forgot.sql.ts'
import { sendPasswordLinkEmail } from './forgot-email.tsx'

const WINDOW_MS = 15 * 60_000

/**
 * "Forgot password": a one-time link emailed to the account's primary address, inside one
 * transaction with the outbox row. Limited per IP and per account. Returns seconds to wait when
 * limited, else null — and says nothing about whether the account exists.
 */
export async function requestPasswordEmail(deps: Deps, who: string, ip: string): Promise<number | null> {
  const now = deps.clock.now()
  if ((await hit(deps.redis, `rl:forgot:ip:${ip}`, now.getTime(), WINDOW_MS)) > 20) return WINDOW_MS / 1000
  const user = await userForForgot(deps.sql, who)
  if (!user || !user.email) return null
  if ((await hit(deps.redis, `rl:forgot:user:${user.id}`, now.getTime(), WINDOW_MS)) > 3) return null
  await deps.sql.begin(async (tx) => {
    const token = await createPasswordLink(tx, user.id, null, 'forgot', now)
    await sendPasswordLinkEmail(deps, tx, { to: user.email!, username: user.username, firstName: user.firstName, url: passwordLinkUrl(deps.config.baseUrl, token) })
  })
  return null
}
