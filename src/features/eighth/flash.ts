import type { Redis } from '../../platform/redis.ts'

// A message for the page a no-JavaScript form post is sent back to (303). It lives in Redis for
// two minutes under a random token, bound to the user, so a crafted link cannot put words on
// someone else's page; the page escapes it like any other text.

export type Flash = { kind: 'ok' | 'error'; messages: string[] }

const TTL_SECONDS = 120
const key = (userId: number, token: string) => `eighth:flash:${userId}:${token}`

export async function storeFlash(redis: Redis, userId: number, flash: Flash): Promise<string> {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('hex')
  await redis.set(key(userId, token), JSON.stringify(flash), { exSeconds: TTL_SECONDS })
  return token
}

export async function readFlash(redis: Redis, userId: number, token: string | undefined): Promise<Flash | null> {
  if (!token || !/^[0-9a-f]{24}$/.test(token)) return null
  const raw = await redis.get(key(userId, token))
  if (!raw) return null
  try {
    const f = JSON.parse(raw) as Flash
    return (f.kind === 'ok' || f.kind === 'error') && Array.isArray(f.messages) ? { kind: f.kind, messages: f.messages.map(String) } : null
  } catch {
    return null
  }
}
