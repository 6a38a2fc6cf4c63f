import { RedisClient } from 'bun'

/** Redis's own answers that mean "not now": LOADING (replaying its data after a restart), BUSY, MASTERDOWN, … */
export const isTransientRedisError = (message: string) => /(?:^|: )(?:LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|MISCONF|READONLY)\b/.test(message)

/** Redis did not answer in time or is down: requests that need it answer 503. */
export class RedisUnavailable extends Error {
  constructor(cause?: unknown) {
    super('Redis is unavailable')
    this.cause = cause
  }
}

export type RedisOptions = { prefix?: string; timeoutMs?: number }

/**
 * Bun's RedisClient with the behaviour Ion needs during an outage: no offline queue (a command
 * fails at once instead of hanging), a per-command timeout, and our own reconnect (a client that
 * gave up is replaced). Every key and channel gets the prefix, so tests can share one server.
 */
export class Redis {
  private client: RedisClient
  private reconnecting: Promise<void> | null = null
  readonly prefix: string
  readonly timeoutMs: number

  constructor(readonly url: string, opts: RedisOptions = {}) {
    this.prefix = opts.prefix ?? 'ion:'
    this.timeoutMs = opts.timeoutMs ?? 800
    this.client = this.make()
  }

  private make(): RedisClient {
    // autoReconnect off: with Bun's own retry loop, connect() on a refused port never settles, so
    // every request during an outage waited out the whole timeout. We reconnect in ensureConnected.
    return new RedisClient(this.url, {
      enableOfflineQueue: false,
      autoReconnect: false,
      connectionTimeout: this.timeoutMs,
    })
  }

  key(k: string): string {
    return this.prefix + k
  }

  get connected(): boolean {
    return this.client.connected
  }

  private async run<T>(fn: (c: RedisClient) => Promise<T>): Promise<T> {
    if (!this.client.connected) await this.ensureConnected()
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      return await Promise.race([
        fn(this.client),
        new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new RedisUnavailable('timeout')), this.timeoutMs) }),
      ])
    } catch (e) {
      if (e instanceof RedisUnavailable) throw e
      const msg = String((e as Error)?.message ?? e)
      // A Redis that is up but cannot serve yet or any more (replaying its append-only file after a
      // restart, a script running too long, a replica without its primary) is unavailable too.
      if (/connection|closed|ECONN|socket|offline|reconnect/i.test(msg) || isTransientRedisError(msg) || !this.client.connected) throw new RedisUnavailable(e)
      throw e
    } finally {
      clearTimeout(timer)
    }
  }

  private ensureConnected(): Promise<void> {
    if (!this.reconnecting) {
      this.reconnecting = (async () => {
        try {
          await Promise.race([
            this.client.connect(),
            new Promise((_, rej) => setTimeout(() => rej(new RedisUnavailable('connect timeout')), this.timeoutMs)),
          ])
        } catch (e) {
          // A client that exhausted its retries stays closed: replace it for the next attempt.
          try { this.client.close() } catch {}
          this.client = this.make()
          throw new RedisUnavailable(e)
        } finally {
          this.reconnecting = null
        }
      })()
    }
    return this.reconnecting
  }

  get(k: string) { return this.run((c) => c.get(this.key(k))) }
  async set(k: string, v: string, opts?: { exSeconds?: number; exatSeconds?: number; nx?: boolean }): Promise<boolean> {
    const args = [this.key(k), v]
    if (opts?.exSeconds) args.push('EX', String(Math.max(1, Math.ceil(opts.exSeconds))))
    if (opts?.exatSeconds) args.push('EXAT', String(Math.ceil(opts.exatSeconds)))
    if (opts?.nx) args.push('NX')
    const r = await this.run((c) => c.send('SET', args))
    return r === 'OK'
  }
  del(...ks: string[]) { return this.run((c) => c.send('DEL', ks.map((k) => this.key(k))) as Promise<number>) }
  incr(k: string) { return this.run((c) => c.incr(this.key(k))) }
  expire(k: string, seconds: number) { return this.run((c) => c.expire(this.key(k), Math.max(1, Math.ceil(seconds)))) }
  ttl(k: string) { return this.run((c) => c.ttl(this.key(k))) }
  sadd(k: string, ...m: string[]) { return this.run((c) => c.send('SADD', [this.key(k), ...m]) as Promise<number>) }
  srem(k: string, ...m: string[]) { return this.run((c) => c.send('SREM', [this.key(k), ...m]) as Promise<number>) }
  smembers(k: string) { return this.run((c) => c.smembers(this.key(k))) }
  mget(...ks: string[]) { return this.run((c) => c.send('MGET', ks.map((k) => this.key(k))) as Promise<(string | null)[]>) }
  publish(channel: string, msg: string) { return this.run((c) => c.publish(this.key(channel), msg)) }
  ping() { return this.run((c) => c.send('PING', [])) }
  /** Any other command; keys are NOT prefixed. */
  send(cmd: string, args: string[]) { return this.run((c) => c.send(cmd, args)) }

  /** A dedicated connection for SUBSCRIBE (a subscribed client can run nothing else). */
  subscriber(): RedisClient {
    return new RedisClient(this.url, { enableOfflineQueue: false, autoReconnect: true, maxRetries: 1000000, connectionTimeout: 2000 })
  }

  close() {
    try { this.client.close() } catch {}
  }
}
