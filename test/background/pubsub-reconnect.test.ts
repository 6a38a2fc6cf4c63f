import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryLogger } from '../../src/platform/log.ts'
import { createPubSub } from '../../src/platform/pubsub.ts'
import { Redis } from '../../src/platform/redis.ts'
import { until } from './sink.ts'

// A Redis outage: this file starts its own redis-server on its own port, stops it and starts it
// again. Bun's client reconnects by itself but does not subscribe again; the pubsub must.

const dir = mkdtempSync(join(tmpdir(), 'ion-redis-'))
let port = 0

function startRedis() {
  const p = Bun.spawnSync(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--pidfile', join(dir, 'redis.pid'), '--logfile', join(dir, 'redis.log')])
  if (p.exitCode !== 0) throw new Error('redis-server did not start')
}
const stopRedis = () => Bun.spawnSync(['redis-cli', '-p', String(port), 'shutdown', 'nosave'])
const ping = () => Bun.spawnSync(['redis-cli', '-p', String(port), 'ping']).stdout.toString().trim() === 'PONG'

beforeAll(async () => {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  port = probe.port
  probe.stop(true)
  startRedis()
  await until(ping, 5000, 'redis')
})
afterAll(() => {
  stopRedis()
  rmSync(dir, { recursive: true, force: true })
})

test('after an outage the instance subscribes again and relays each message once', async () => {
  const redis = new Redis(`redis://127.0.0.1:${port}`, { prefix: 'outage:' })
  const got: string[] = []
  const pubsub = createPubSub(redis, memoryLogger(), { checkMs: 100 })
  pubsub.attach({ publish: (topic, data) => { got.push(`${topic}:${data}`); return 1 } })
  await pubsub.start()
  expect(pubsub.subscribed).toBe(true)
  await pubsub.publish('t', 'one')
  await until(() => got.length === 1, 3000, 'first message')

  for (const round of [1, 2]) {
    stopRedis()
    await until(() => !pubsub.subscribed, 5000, 'the outage to be noticed')
    await expect(pubsub.publish('t', 'lost')).rejects.toThrow()
    startRedis()
    await until(ping, 5000, 'redis again')
    await until(() => pubsub.subscribed, 10_000, 'resubscription')
    await until(async () => {
      try { await pubsub.publish('t', `back${round}`); return true } catch { return false }
    }, 5000, 'publish after the outage')
    await until(() => got.includes(`t:back${round}`), 3000, 'message after the outage')
  }
  await Bun.sleep(200)
  expect(got).toEqual(['t:one', 't:back1', 't:back2'])
  await pubsub.stop()
  redis.close()
}, 40_000)
