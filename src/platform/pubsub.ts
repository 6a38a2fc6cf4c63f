import type { RedisClient } from 'bun'
import type { Logger } from './log.ts'
import type { Redis } from './redis.ts'

// Live messages between instances (DESIGN.md §1). publish() goes only to Redis; every instance
// (the sender included) subscribes once, on a dedicated connection, and relays what arrives to
// its own WebSocket subscribers of that topic with server.publish(). Never publish locally as
// well: that would deliver twice. Pub/sub is at-most-once: a message published while Redis is
// down fails (publish throws RedisUnavailable) and clients should refresh their state on reconnect.

/** The part of Bun's Server a relay needs. */
export type WsServer = { publish(topic: string, data: string, compress?: boolean): number }

export type PubSub = {
  /** Sends to every WebSocket subscribed to `topic` on every instance. Objects are sent as JSON. */
  publish(topic: string, payload: string | object): Promise<void>
  /** The Bun server whose sockets receive messages (called when the app starts listening). */
  attach(server: WsServer): void
  /** Subscribes; keeps the subscription alive across Redis outages until stop(). */
  start(): Promise<void>
  stop(): Promise<void>
  /** True while the Redis subscription is live. */
  readonly subscribed: boolean
  /**
   * Calls `fn` with each message relayed to this instance's `topic` subscribers, as they get it
   * (so a cache of the last one is what every local socket has been sent), and with null whenever
   * messages may have been missed (the subscription was lost or made again). Only a pubsub that
   * sees every instance's messages has it (not localPubSub). Returns the way to stop watching.
   */
  watch?(topic: string, fn: (data: string | null) => void): () => void
}

export type PubSubOptions = { channel?: string; checkMs?: number }

type Envelope = { t: string; d: string }

const encode = (topic: string, payload: string | object): string =>
  JSON.stringify({ t: topic, d: typeof payload === 'string' ? payload : JSON.stringify(payload) } satisfies Envelope)

export function createPubSub(redis: Redis, log: Logger, opts: PubSubOptions = {}): PubSub {
  const channel = opts.channel ?? 'live'
  const checkMs = opts.checkMs ?? 1000
  let server: WsServer | null = null
  let sub: RedisClient | null = null
  /** Bumped on every (re)subscription: messages from an older connection are ignored. */
  let generation = 0
  let connecting: Promise<void> | null = null
  let live = false
  let stopped = true
  let timer: ReturnType<typeof setInterval> | null = null
  let downSince = 0
  const watchers = new Map<string, Set<(data: string | null) => void>>()
  const tell = (fn: (data: string | null) => void, data: string | null) => {
    try { fn(data) } catch (e) { log.error('pubsub: a watcher failed', { error: String((e as Error)?.message ?? e) }) }
  }
  const gap = () => { for (const set of watchers.values()) for (const fn of set) tell(fn, null) }

  const relay = (raw: string) => {
    let m: Envelope
    try {
      m = JSON.parse(raw) as Envelope
    } catch {
      return
    }
    if (typeof m?.t !== 'string' || typeof m.d !== 'string') return
    server?.publish(m.t, m.d)
    const set = watchers.get(m.t)
    if (set) for (const fn of set) tell(fn, m.d)
  }

  const drop = () => {
    generation++
    if (live) gap()
    live = false
    const old = sub
    sub = null
    if (old) {
      old.onconnect = null as never
      old.onclose = null as never
      try { old.close() } catch {}
    }
  }

  // Bun's client reconnects by itself but does NOT subscribe again; so on any reconnect, or when
  // the connection is found down, the subscription is rebuilt on a fresh connection.
  const subscribe = (): Promise<void> => {
    if (connecting) return connecting
    connecting = (async () => {
      drop()
      const mine = generation
      const c = redis.subscriber()
      sub = c
      try {
        await c.connect()
        await c.subscribe(redis.key(channel), (message: string) => {
          if (mine === generation) relay(message)
        })
        if (mine !== generation || stopped) return
        live = true
        gap() // whatever was published while we were not subscribed is lost
        if (downSince) log.info('pubsub: subscribed again', { afterMs: Date.now() - downSince })
        downSince = 0
        c.onconnect = () => { if (mine === generation) void resubscribe() }
        c.onclose = () => { if (mine === generation) void resubscribe() }
      } catch (e) {
        if (mine === generation) drop()
        if (!downSince) {
          downSince = Date.now()
          log.warn('pubsub: cannot subscribe to Redis; retrying', { error: String((e as Error)?.message ?? e) })
        }
      }
    })().finally(() => { connecting = null })
    return connecting
  }

  const resubscribe = async () => {
    if (stopped) return
    if (!downSince) downSince = Date.now()
    await subscribe()
  }

  return {
    async publish(topic, payload) {
      await redis.publish(channel, encode(topic, payload))
    },
    attach(s) {
      server = s
    },
    async start() {
      if (!stopped) return
      stopped = false
      await subscribe()
      timer = setInterval(() => {
        if (!stopped && (!sub || !live || !sub.connected)) void resubscribe()
      }, checkMs)
    },
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      timer = null
      await connecting?.catch(() => {})
      drop()
    },
    get subscribed() {
      return live
    },
    watch(topic, fn) {
      let set = watchers.get(topic)
      if (!set) watchers.set(topic, (set = new Set()))
      set.add(fn)
      return () => { set.delete(fn) }
    },
  }
}

/** One instance only (tests, or no pubsub service): straight to the local server. */
export function localPubSub(): PubSub {
  let server: WsServer | null = null
  return {
    async publish(topic, payload) {
      server?.publish(topic, typeof payload === 'string' ? payload : JSON.stringify(payload))
    },
    attach(s) { server = s },
    async start() {},
    async stop() {},
    subscribed: true,
  }
}

const fallback = new WeakMap<object, PubSub>()

/** The app's pubsub: the one `ion serve` started (Redis), else a local one per app. */
export function pubsubOf(deps: { services: Record<string, unknown> }): PubSub {
  const p = deps.services.pubsub as PubSub | undefined
  if (p) return p
  let local = fallback.get(deps.services)
  if (!local) {
    local = localPubSub()
    fallback.set(deps.services, local)
  }
  return local
}
