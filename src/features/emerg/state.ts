import type { Config } from '../../config.ts'
import type { Clock } from '../../platform/clock.ts'
import type { Logger } from '../../platform/log.ts'
import type { Redis } from '../../platform/redis.ts'
import { parseFeed, type Alert } from './feed.ts'

// The emergency state (ion-apps.md §14). EMERGENCY_MESSAGE, when set, always wins. Otherwise the
// 5-minute job reads EMERGENCY_FEED_URL (5 s timeout, at most 1 MB) and stores what it said in
// Redis, shared by every instance. A feed that fails (timeout, HTTP error, unreadable body) leaves
// the stored value alone: the last good answer stays up. Pages read the state with one Redis GET.

export const STATE_KEY = 'emerg:state'
const FEED_TIMEOUT_MS = 5000
const MAX_BYTES = 1_000_000

export type EmergState = { status: boolean; title: string | null; message: string | null; checkedAt: number; source: 'config' | 'feed' | 'none' }
export type EmergEnv = { redis: Redis; config: Pick<Config, 'emergencyMessage' | 'emergencyFeedUrl' | 'schoolName'>; clock: Clock; log: Logger }

const NONE: EmergState = { status: false, title: null, message: null, checkedAt: 0, source: 'none' }

function fromConfig(config: EmergEnv['config'], now: number): EmergState | null {
  return config.emergencyMessage ? { status: true, title: null, message: config.emergencyMessage, checkedAt: now, source: 'config' } : null
}

/** The state pages show: the configured message, else the last good feed reading, else none. */
export async function currentEmergency(env: Pick<EmergEnv, 'redis' | 'config' | 'clock'>): Promise<EmergState> {
  const configured = fromConfig(env.config, env.clock.now().getTime())
  if (configured) return configured
  if (!env.config.emergencyFeedUrl) return NONE
  return parseState(await env.redis.get(STATE_KEY))
}

export function parseState(raw: string | null): EmergState {
  if (!raw) return NONE
  try {
    const s = JSON.parse(raw) as EmergState
    return typeof s.status === 'boolean' ? s : NONE
  } catch {
    return NONE
  }
}

/** Fetches and reads the feed; throws on any failure. */
export async function readFeed(url: string, timeoutMs = FEED_TIMEOUT_MS): Promise<Alert | null> {
  const r = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/json, text/xml;q=0.9, */*;q=0.5' },
    redirect: 'follow',
  })
  if (!r.ok) throw new Error(`HTTP ${r.status}`)
  const declared = Number(r.headers.get('content-length') ?? '0')
  if (declared > MAX_BYTES) throw new Error('the feed is larger than 1 MB')
  const body = await r.text()
  if (body.length > MAX_BYTES) throw new Error('the feed is larger than 1 MB')
  return parseFeed(body, r.headers.get('content-type') ?? '').alert
}

/** The job body: read the feed and store what it said; on failure keep the last good value. */
export async function refreshEmergency(env: EmergEnv, opts: { timeoutMs?: number } = {}): Promise<string> {
  if (env.config.emergencyMessage) return 'EMERGENCY_MESSAGE is set; the feed is not read'
  const url = env.config.emergencyFeedUrl
  if (!url) return 'no EMERGENCY_FEED_URL'
  let alert: Alert | null
  try {
    alert = await readFeed(url, opts.timeoutMs)
  } catch (e) {
    const why = e instanceof Error && e.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs ?? FEED_TIMEOUT_MS} ms` : String((e as Error)?.message ?? e).slice(0, 200)
    env.log.warn('emergency feed failed; keeping the last good value', { error: why })
    return `feed failed (${why}); kept the last value`
  }
  const state: EmergState = alert
    ? { status: true, title: alert.title || null, message: alert.body || alert.title, checkedAt: env.clock.now().getTime(), source: 'feed' }
    : { ...NONE, checkedAt: env.clock.now().getTime(), source: 'feed' }
  await env.redis.set(STATE_KEY, JSON.stringify(state))
  return alert ? `emergency: ${alert.title || alert.body}`.slice(0, 200) : 'no emergency'
}

/** Ion's /api/emerg shape: {status, message}. */
export const apiShape = (s: EmergState) => ({ status: s.status, message: s.status ? (s.title && s.message !== s.title ? `${s.title}: ${s.message}` : s.message) : null })
