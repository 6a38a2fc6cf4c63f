import { command } from './registry.ts'
import { configOrExit, openRuntime } from './runtime.ts'
import { migrate, pendingMigrations } from '../platform/migrate.ts'
import { serve } from './serve.ts'
import { describeConfig } from '../config.ts'
import { serverVersion } from '../features/platform/platform.sql.ts'
import { pgToolsReport } from '../platform/backup.ts'

command({
  name: 'serve',
  usage: 'serve',
  summary: 'Serve Ion over HTTP (and run the mail worker and scheduled jobs)',
  positionals: [0, 0],
  run: async () => serve(),
})

command({
  name: 'migrate',
  usage: 'migrate',
  summary: 'Apply pending database migrations (safe to run twice or from two processes)',
  positionals: [0, 0],
  run: async () => {
    const rt = openRuntime({ redis: false, poolMax: 2 })
    try {
      const applied = await migrate(rt.sql)
      console.log(applied.length ? `migrated: ${applied.join(', ')}` : 'migrated: nothing to do')
    } finally {
      await rt.close()
    }
  },
})

command({
  name: 'seed',
  usage: 'seed --demo',
  summary: 'Load the demo school (idempotent; refused when NODE_ENV=production)',
  flags: { demo: { type: 'boolean', help: 'load the demo school and accounts' } },
  positionals: [0, 0],
  run: async ({ flags }) => {
    if (!flags.demo) {
      process.stderr.write('ion seed: say --demo to load the demo school\n')
      return 2
    }
    const config = configOrExit()
    if (config.nodeEnv === 'production') {
      process.stderr.write('ion seed: refusing to load demo data with NODE_ENV=production\n')
      return 1
    }
    const rt = openRuntime({ poolMax: 4 })
    try {
      const pending = await pendingMigrations(rt.sql)
      if (pending.length) {
        process.stderr.write(`ion seed: run "ion migrate" first (${pending.length} pending)\n`)
        return 1
      }
      // Imported here, not at the top: the demo data stays out of every other command's start-up.
      const { runSeeds } = await import('../features/seeds.ts')
      await runSeeds({ sql: rt.sql, config: rt.config, clock: rt.clock, log: rt.log }, (name, msg, ms) => console.log(`seed ${name}: ${msg} (${ms} ms)`))
    } finally {
      await rt.close()
    }
  },
})

command({
  name: 'check',
  usage: 'check',
  summary: 'Check the configuration and that PostgreSQL, Redis and SMTP answer',
  positionals: [0, 0],
  run: async () => {
    const config = configOrExit()
    console.log(`config: ok (${config.nodeEnv}, ${config.baseUrl}, ${config.schoolTz})`)
    if (process.env.ION_CHECK_VERBOSE) console.log(JSON.stringify(describeConfig(config)))
    const rt = openRuntime({ poolMax: 1 })
    let failed = 0
    try {
      try {
        const version = await withTimeout(serverVersion(rt.sql), 3000)
        const pending = await pendingMigrations(rt.sql)
        console.log(`postgresql: ok (version ${version}; ${pending.length ? pending.length + ' migrations pending: run "ion migrate"' : 'schema up to date'})`)
        if (pending.length) failed++
        // ion backup/restore need client tools at least as new as the server: a warning, not a failure.
        console.log((await pgToolsReport(Number.parseInt(version, 10))).line)
      } catch (e) {
        failed++
        console.log(`postgresql: FAILED (${(e as Error).message})`)
      }
      try {
        await withTimeout(rt.redis.ping(), 3000)
        console.log('redis: ok')
      } catch (e) {
        failed++
        console.log(`redis: FAILED (${(e as Error).message})`)
      }
      if (!config.smtpUrl) {
        console.log('smtp: not configured (SMTP_URL unset): mail stays in the outbox and is written to the log')
      } else {
        try {
          const nodemailer = await import('nodemailer')
          const t = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 3000, greetingTimeout: 3000 } as Parameters<typeof nodemailer.createTransport>[0])
          await withTimeout(t.verify(), 5000)
          t.close()
          console.log('smtp: ok')
        } catch (e) {
          failed++
          console.log(`smtp: FAILED (${(e as Error).message})`)
        }
      }
    } finally {
      await rt.close()
    }
    console.log(failed ? `verdict: ${failed} problem(s)` : 'verdict: ready')
    return failed ? 1 : 0
  },
})

function withTimeout<T>(p: PromiseLike<T>, ms: number): Promise<T> {
  return Promise.race([Promise.resolve(p), new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`no answer in ${ms} ms`)), ms))])
}
