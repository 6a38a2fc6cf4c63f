import { ipInRanges, type Config } from '../../config.ts'
import { addFailure, readCounter } from '../../platform/ratelimit.ts'
import type { Redis } from '../../platform/redis.ts'

// Failed logins: per (username, IP) with a growing delay and a 15-minute lockout after 10;
// per IP separately (a brute force across usernames), except the school's NAT ranges, which a
// whole school shares. Successful logins are not counted.

export const LOCK_AFTER = 10
export const LOCK_MS = 15 * 60_000
const IP_LIMIT = 50
const DELAY_FROM = 3

const userKey = (u: string, ip: string) => `rl:login:${u.toLowerCase()}:${ip}`
const userIpsKey = (u: string) => `rl:login_ips:${u.toLowerCase()}`
const ipKey = (ip: string) => `rl:loginip:${ip}`

export type Limit = { retryAfter: number; message: string }

function delayMs(count: number): number {
  return count < DELAY_FROM ? 0 : Math.min(2 ** (count - DELAY_FROM) * 1000, 60_000)
}

/** Null when an attempt may proceed; otherwise how long to wait. */
export async function loginLimit(redis: Redis, config: Config, username: string, ip: string, now: number): Promise<Limit | null> {
  const [c, ipc] = await Promise.all([
    readCounter(redis, userKey(username, ip)),
    ipInRanges(ip, config.loginNatRanges) ? null : readCounter(redis, ipKey(ip)),
  ])
  if (c && c.count >= LOCK_AFTER && now - c.last < LOCK_MS) {
    return { retryAfter: (c.last + LOCK_MS - now) / 1000, message: 'Too many failed attempts. This account is locked on this device for 15 minutes, or until an administrator lifts the lock.' }
  }
  if (c && now - c.last < delayMs(c.count)) {
    const wait = (c.last + delayMs(c.count) - now) / 1000
    return { retryAfter: wait, message: `Too many failed attempts. Wait ${Math.ceil(wait)} seconds and try again.` }
  }
  if (ipc && ipc.count >= IP_LIMIT && now - ipc.first < LOCK_MS) {
    return { retryAfter: (ipc.first + LOCK_MS - now) / 1000, message: 'Too many failed attempts from this network. Try again in a few minutes.' }
  }
  return null
}

export async function recordLoginFailure(redis: Redis, config: Config, username: string, ip: string, now: number): Promise<void> {
  await addFailure(redis, userKey(username, ip), now, LOCK_MS * 2)
  await redis.sadd(userIpsKey(username), ip)
  await redis.expire(userIpsKey(username), (LOCK_MS * 2) / 1000 + 60)
  if (!ipInRanges(ip, config.loginNatRanges)) await addFailure(redis, ipKey(ip), now, LOCK_MS)
}

export async function clearLoginFailures(redis: Redis, username: string, ip: string): Promise<void> {
  await redis.del(userKey(username, ip))
}

/** An admin lifts every lock on a username (all devices). */
export async function liftLockout(redis: Redis, username: string): Promise<number> {
  const ips = await redis.smembers(userIpsKey(username))
  if (ips.length) await redis.del(...ips.map((ip) => userKey(username, ip)))
  await redis.del(userIpsKey(username))
  return ips.length
}

export async function isLockedOut(redis: Redis, username: string, now: number): Promise<boolean> {
  const ips = await redis.smembers(userIpsKey(username))
  for (const ip of ips) {
    const c = await readCounter(redis, userKey(username, ip))
    if (c && c.count >= LOCK_AFTER && now - c.last < LOCK_MS) return true
  }
  return false
}
