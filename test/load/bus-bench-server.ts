// The server process of test/load/bus-bench.ts: Ion's app built the way `ion serve` builds it (the
// same buildApp, the same Redis pubsub relay), with one addition — every relay into this process's
// sockets is timed around Bun's server.publish() and reported on stdout as
//   PUBLISH <topic> <ms> <bytes>
// so the bench can give the server's own fan-out time, apart from what its clients take to read.
// SIGUSR2 collects garbage (see below) and prints `STATS <statements> <redis commands>` so far. Prints `READY <port>` once listening. Never imported by the test suite.
import { buildApp } from '../../src/app.tsx'
import { loadConfig } from '../../src/config.ts'
import { systemClock } from '../../src/platform/clock.ts'
import { connectDb } from '../../src/platform/db.ts'
import { silentLogger } from '../../src/platform/log.ts'
import { createPubSub, type WsServer } from '../../src/platform/pubsub.ts'
import { Redis } from '../../src/platform/redis.ts'

const config = loadConfig()
// Statements and Redis commands, counted for the bench (reported with each SIGUSR2 as `STATS <pg> <redis>`).
let statements = 0
let redisCommands = 0
const sql = connectDb(config.databaseUrl, { max: config.dbPoolMax, tz: config.schoolTz, debug: () => { statements++ } })
const redisProto = Redis.prototype as unknown as { run: (fn: unknown) => Promise<unknown> }
const run = redisProto.run
redisProto.run = function (this: unknown, fn: unknown) { redisCommands++; return run.call(this, fn) }
const redis = new Redis(config.redisUrl, { prefix: config.redisPrefix })
const pubsub = createPubSub(redis, silentLogger)
await pubsub.start()
const attach = pubsub.attach.bind(pubsub)
pubsub.attach = (server: WsServer) => attach({
  publish(topic, data, compress) {
    const t = performance.now()
    const n = server.publish(topic, data, compress)
    process.stdout.write(`PUBLISH ${topic} ${(performance.now() - t).toFixed(3)} ${data.length}\n`)
    return n
  },
})
const app = buildApp({ sql, redis, clock: systemClock(config.schoolTz), config, log: silentLogger, services: { pubsub } })
app.listen({ port: config.port, hostname: config.host, idleTimeout: 30 })
process.stdout.write(`READY ${app.server!.port}\n`)

const stop = async () => {
  await app.stop(true)
  await pubsub.stop()
  redis.close()
  await sql.end({ timeout: 2 })
  process.exit(0)
}
// SIGUSR2: a full garbage collection, so the bench measures what stays per socket, not the
// upgrades' garbage the collector has not come to yet.
process.on('SIGUSR2', () => {
  Bun.gc(true)
  process.stdout.write(`STATS ${statements} ${redisCommands}\n`)
})
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
