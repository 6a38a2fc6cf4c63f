import { registerJob } from '../../platform/jobs/registry.ts'
import { expiresAt, type SessionData } from '../../platform/session.ts'
import { deleteExpiredLinks } from './password-links.sql.ts'

const DAY = 24 * 3600_000

registerJob({
  name: 'accounts.password-links-cleanup',
  description: 'Delete one-time password links that expired more than a day ago',
  schedule: '15 3 * * *',
  catchUp: 'run-once',
  run: async ({ sql, now }) => `deleted ${await deleteExpiredLinks(sql, new Date(now.getTime() - DAY))} links`,
})

registerJob({
  name: 'accounts.session-index-cleanup',
  description: "Prune each user's session index of sessions that have ended",
  schedule: '25 3 * * *',
  catchUp: 'run-once',
  run: async ({ redis, now }) => {
    let cursor = '0'
    let pruned = 0
    let users = 0
    do {
      const [next, keys] = (await redis.send('SCAN', [cursor, 'MATCH', redis.key('user_sessions:*'), 'COUNT', '500'])) as [string, string[]]
      cursor = next
      for (const full of keys) {
        users++
        const k = full.slice(redis.prefix.length)
        const ids = await redis.smembers(k)
        if (!ids.length) continue
        const raws = await redis.mget(...ids.map((id) => `session:${id}`))
        const dead = ids.filter((_, i) => {
          const raw = raws[i]
          return !raw || now.getTime() >= expiresAt(JSON.parse(raw) as SessionData)
        })
        if (dead.length) pruned += await redis.srem(k, ...dead)
      }
    } while (cursor !== '0')
    return `pruned ${pruned} ended sessions from ${users} users`
  },
})
