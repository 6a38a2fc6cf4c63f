import hxWsJs from 'htmx.org/dist/ext/hx-ws.js' with { type: 'file' }
import { registerAsset } from '../../platform/html/assets.ts'
import type { Base, Deps } from '../../platform/http.ts'
import { liveSocket } from '../../platform/live.ts'
import { pubsubOf } from '../../platform/pubsub.ts'
import { blockSeats } from './signup-page.sql.ts'
import { capacityOf } from './signup.ts'
import { seatsMessage, type Seats } from './views/seats.tsx'

// Live seat counts (issue 5, item 4). A WebSocket topic per block; after a signup or removal
// commits, the block is scheduled for an update. Updates are coalesced per block and instance:
// one timer of COALESCE_MS per block, and when it fires ONE query reads the block's counts and
// the changed seat counts go out as out-of-band HTML through the pubsub, which relays them to
// the sockets of every instance. So a rush of signups costs at most ~4 messages a second per block.

registerAsset('hx-ws.js', hxWsJs)

export const COALESCE_MS = 250
export const blockTopic = (blockId: number) => `eighth:block:${blockId}`

type BlockState = { timer: ReturnType<typeof setTimeout> | null; dirty: Set<number>; last: Map<number, string> | null }
const states = new WeakMap<Deps, Map<number, BlockState>>()

function stateOf(deps: Deps, blockId: number): BlockState {
  let blocks = states.get(deps)
  if (!blocks) states.set(deps, (blocks = new Map()))
  let s = blocks.get(blockId)
  if (!s) blocks.set(blockId, (s = { timer: null, dirty: new Set(), last: null }))
  return s
}

/** After a change commits: the blocks (and scheduled activities) whose seat counts moved. */
export function notifySeats(deps: Deps, blockIds: number[], scheduledIds: number[] = []): void {
  for (const blockId of new Set(blockIds)) {
    const s = stateOf(deps, blockId)
    for (const id of scheduledIds) s.dirty.add(id)
    if (s.timer) continue // already scheduled: this change rides along
    s.timer = setTimeout(() => {
      s.timer = null
      void flush(deps, blockId, s)
    }, COALESCE_MS)
    ;(s.timer as { unref?: () => void }).unref?.()
  }
}

const seatKey = (x: Seats) => `${x.count}/${x.capacity}`

async function flush(deps: Deps, blockId: number, s: BlockState): Promise<void> {
  const dirty = s.dirty
  s.dirty = new Set()
  try {
    const rows = await blockSeats(deps.sql, blockId)
    const seats: Seats[] = rows.map((r) => ({ schactId: r.id, count: r.count, capacity: capacityOf(r) }))
    // What this instance changed, plus anything that differs from what it last sent (changes
    // made on other instances are sent by them; resending a few is harmless).
    const changed = seats.filter((x) => dirty.has(x.schactId) || (s.last !== null && s.last.get(x.schactId) !== seatKey(x)))
    s.last = new Map(seats.map((x) => [x.schactId, seatKey(x)]))
    if (changed.length) await pubsubOf(deps).publish(blockTopic(blockId), seatsMessage(changed))
  } catch (e) {
    deps.log.warn('eighth: live seat update failed', { blockId, error: String((e as Error)?.message ?? e) })
  }
}

/** The WebSocket route the signup page connects to with hx-ws (Origin checked on upgrade). */
export function liveSeatRoutes(base: Base) {
  return liveSocket(base, '/eighth/live/:block', {
    policy: 'member',
    topics: ({ params }) => (/^\d{1,9}$/.test(params.block ?? '') ? [blockTopic(Number(params.block))] : null),
  })
}
