import type { Redis } from './redis.ts'

// Failure counters in Redis with times from the injected clock (so tests move time instead of
// sleeping). Only failures are counted; a success may reset its counter.

export type Counter = { count: number; first: number; last: number }

export async function readCounter(redis: Redis, key: string): Promise<Counter | null> {
  const raw = await redis.get(key)
  return raw ? (JSON.parse(raw) as Counter) : null
}

/** Adds one failure in a window of windowMs (a counter older than the window restarts). */
export async function addFailure(redis: Redis, key: string, now: number, windowMs: number): Promise<Counter> {
  const cur = await readCounter(redis, key)
  const c: Counter = cur && now - cur.first < windowMs ? { count: cur.count + 1, first: cur.first, last: now } : { count: 1, first: now, last: now }
  await redis.set(key, JSON.stringify(c), { exSeconds: windowMs / 1000 + 60 })
  return c
}

/** A fixed-window request counter: returns the count in this window (for per-IP/per-user request limits). */
export async function hit(redis: Redis, key: string, now: number, windowMs: number): Promise<number> {
  const slot = Math.floor(now / windowMs)
  const k = `${key}:${slot}`
  const n = await redis.incr(k)
  if (n === 1) await redis.expire(k, windowMs / 1000 + 5)
  return n
}
