import type { Deps } from '../../platform/http.ts'
import { blockStaticList, type StaticRow } from './block-list.sql.ts'
import { effectiveList, flagsOfRow, formattedRoomName, sponsorName, type Flags } from './effective.ts'
import { capacityOf } from './signup.ts'

// The explicit, versioned cache of a block's static activity list (issue 10; DESIGN.md §8 rule 8).
// Keyed by block id and eighth_blocks.list_version, which migration 0017's triggers bump in the
// same transaction as any change to what the list shows. A request reads the version with its
// live data (blockLive) and gets the list cached at exactly that version, or loads it afresh (the
// load may see a newer version still: it is labelled with what it read). So a change is visible
// to the next request on every instance, and a version that went backwards (a restored backup)
// is a miss too. Bounded; one load per miss even when many requests miss at once. Seat counts and
// anything about the viewer are never in here.

/** A scheduled activity's shared part, computed once per version. */
export type SharedActivity = {
  row: StaticRow
  flags: Flags
  capacity: number
  /** "Name - Title" */
  fullName: string
  /** Effective rooms ("Rm. 214") and sponsors ("Last, First"), overrides replacing defaults. */
  rooms: string[]
  sponsors: string[]
  /** The row's rendered rooms, sponsors, comments and description, memoised by the view. */
  detailsHtml?: string
  /** Rendered rows many viewers share (views/activity-row.tsx), by what they show (a number:
   *  the seat count and the viewer's state bits), for the presign opening text `memoOpens`. */
  memo?: Map<number, string>
  memoOpens?: string | null
}

export type BlockList = {
  version: number
  /** The signup page's order (by name). */
  activities: SharedActivity[]
  /** Ion's API order (administrative last, then by name). */
  apiOrder: SharedActivity[]
}

export const MAX_BLOCKS = 64

type Entry = { version: number; list: Promise<BlockList | null> }
const caches = new WeakMap<Deps, Map<number, Entry>>()

function cacheOf(deps: Deps): Map<number, Entry> {
  let c = caches.get(deps)
  if (!c) caches.set(deps, (c = new Map()))
  return c
}

function shared(row: StaticRow): SharedActivity {
  return {
    row,
    flags: flagsOfRow(row),
    // One shared capacity rule (trueCapacity through capacityOf), never recomputed elsewhere.
    capacity: capacityOf({
      saCapacity: row.saCapacity, saRoomCaps: row.saRooms.map((x) => x.capacity),
      activityDefaultCapacity: row.defaultCapacity, activityRoomCaps: row.actRooms.map((x) => x.capacity),
    }),
    fullName: row.title ? `${row.name} - ${row.title}` : row.name,
    rooms: effectiveList(row.saRooms, row.actRooms).map((x) => formattedRoomName(x.name)),
    sponsors: effectiveList(row.saSponsors, row.actSponsors).map(sponsorName),
  }
}

async function load(deps: Deps, blockId: number): Promise<BlockList | null> {
  const list = await blockStaticList(deps.sql, blockId)
  if (!list) return null
  const activities = list.rows.map(shared)
  const apiOrder = [...activities].sort((a, b) => a.row.apiRank - b.row.apiRank)
  return { version: list.version, activities, apiOrder }
}

/**
 * The block's static list at `version` (read by the caller in the same request), or loaded now
 * (then at least as new); null when the block does not exist. One statement on a miss, none on a hit.
 */
export async function blockList(deps: Deps, blockId: number, version: number): Promise<BlockList | null> {
  const cache = cacheOf(deps)
  const hit = cache.get(blockId)
  if (hit && hit.version === version) {
    // Most recently used last: the first key is the one to drop.
    cache.delete(blockId)
    cache.set(blockId, hit)
    return hit.list
  }
  const entry: Entry = { version, list: load(deps, blockId) }
  cache.set(blockId, entry)
  while (cache.size > MAX_BLOCKS) cache.delete(cache.keys().next().value!)
  try {
    const list = await entry.list
    // The load may have read a newer version than the caller: label the entry with what it holds.
    if (list) entry.version = list.version
    else if (cache.get(blockId) === entry) cache.delete(blockId)
    return list
  } catch (e) {
    if (cache.get(blockId) === entry) cache.delete(blockId)
    throw e
  }
}

/** Seat counts by scheduled activity id from blockLive's parallel arrays. */
export function countsOf(ids: number[], ns: number[]): Map<number, number> {
  const m = new Map<number, number>()
  for (let i = 0; i < ids.length; i++) m.set(ids[i]!, ns[i]!)
  return m
}
