import type { Deps } from '../../platform/http.ts'
import type { Redis } from '../../platform/redis.ts'
import type { Viewer } from '../../platform/viewer.ts'
import { audit } from '../users/users.sql.ts'
import { formOf, one, parseLocal, ticked } from '../events/form.ts'
import { STATE_KEY, currentEmergency, parseState, type EmergState } from './state.ts'
import {
  deleteWarning, insertWarning, liveWarnings, PLACEMENTS, updateWarning, type Placement, type WarningFields, type WarningRow,
} from './warnings.sql.ts'

// Warning announcements by placement (login, dashboard, both, or every page), managed by
// announcement admins. The live ones are cached in Redis (one key, dropped on every edit, and
// short-lived so a window that opens or closes is honoured); pages read it in the same MGET as
// the emergency state, so banners cost no SQL statement per page view.

export const WARN_KEY = 'emerg:warnings'
const WARN_TTL = 300

type Cached = Omit<WarningRow, 'startsAt' | 'endsAt' | 'added' | 'updated'> & { startsAt: string | null; endsAt: string | null }

const toCache = (rows: WarningRow[]): Cached[] => rows.map((r) => ({
  id: r.id, title: r.title, body: r.body, placement: r.placement, active: r.active,
  startsAt: r.startsAt?.toISOString() ?? null, endsAt: r.endsAt?.toISOString() ?? null,
}))

export type Shown = { id: number; title: string; body: string; placement: Placement }

function showing(list: Cached[], where: Placement[], now: Date): Shown[] {
  const t = now.getTime()
  return list.filter((w) => w.active && where.includes(w.placement) && (!w.startsAt || Date.parse(w.startsAt) <= t) && (!w.endsAt || Date.parse(w.endsAt) > t))
    .map((w) => ({ id: w.id, title: w.title, body: w.body, placement: w.placement }))
}

async function cached(deps: Pick<Deps, 'sql' | 'redis' | 'clock'>, raw: string | null): Promise<Cached[]> {
  if (raw) {
    try {
      return JSON.parse(raw) as Cached[]
    } catch {}
  }
  const list = toCache(await liveWarnings(deps.sql, deps.clock.now()))
  await deps.redis.set(WARN_KEY, JSON.stringify(list), { exSeconds: WARN_TTL })
  return list
}

/** Warnings for these placements, now. */
export async function warningsAt(deps: Pick<Deps, 'sql' | 'redis' | 'clock'>, where: Placement[]): Promise<Shown[]> {
  return showing(await cached(deps, await deps.redis.get(WARN_KEY)), where, deps.clock.now())
}

/** The layout's banners in one Redis round trip: the emergency state and the every-page warnings. */
export async function bannerState(deps: Pick<Deps, 'sql' | 'redis' | 'clock' | 'config'>): Promise<{ emergency: EmergState; warnings: Shown[] }> {
  const [state, warn] = await deps.redis.mget(STATE_KEY, WARN_KEY)
  const emergency = deps.config.emergencyMessage || !deps.config.emergencyFeedUrl ? await currentEmergency(deps) : parseState(state ?? null)
  return { emergency, warnings: showing(await cached(deps, warn ?? null), ['global'], deps.clock.now()) }
}

export const dropWarningCache = (redis: Redis) => redis.del(WARN_KEY)

export type Parsed = { ok: true; value: WarningFields } | { ok: false; errors: string[] }

export function parseWarning(body: unknown, tz: string): Parsed {
  const f = formOf(body)
  const errors: string[] = []
  const title = one(f, 'title').trim().replace(/\s+/g, ' ')
  if (title.length > 127) errors.push('The title is at most 127 characters.')
  const text = one(f, 'body').trim()
  if (!text) errors.push('Write the warning’s text.')
  else if (text.length > 2000) errors.push('The text is at most 2,000 characters.')
  const placement = one(f, 'placement') as Placement
  if (!PLACEMENTS.includes(placement)) errors.push('Choose where the warning shows.')
  const when = (name: string, label: string) => {
    const raw = one(f, name).trim()
    if (!raw) return null
    const d = parseLocal(raw, tz)
    if (!d) errors.push(`${label} is not a real date and time.`)
    return d
  }
  const startsAt = when('starts_at', 'The start')
  const endsAt = when('ends_at', 'The end')
  if (startsAt && endsAt && endsAt <= startsAt) errors.push('The warning must end after it starts.')
  if (errors.length) return { ok: false, errors }
  return { ok: true, value: { title, body: text, placement, active: ticked(f, 'active'), startsAt, endsAt } }
}

type Act = { deps: Deps; viewer: Viewer; ip?: string }
const record = (a: Act, action: string, id: number, details: object) =>
  audit(a.deps.sql, { actorId: a.viewer.id, action, targetType: 'warning', targetId: id, at: a.deps.clock.now(), ip: a.ip, details })

export async function saveWarning(a: Act, id: number | null, f: WarningFields): Promise<number | null> {
  const now = a.deps.clock.now()
  const saved = id === null ? await insertWarning(a.deps.sql, f, a.viewer.id, now) : (await updateWarning(a.deps.sql, id, f, now)) ? id : null
  if (saved === null) return null
  await record(a, id === null ? 'warning.create' : 'warning.modify', saved, { title: f.title, placement: f.placement, active: f.active })
  await dropWarningCache(a.deps.redis)
  return saved
}

export async function removeWarning(a: Act, id: number): Promise<boolean> {
  const gone = await deleteWarning(a.deps.sql, id)
  if (gone === null) return false
  await record(a, 'warning.delete', id, { title: gone })
  await dropWarningCache(a.deps.redis)
  return true
}
