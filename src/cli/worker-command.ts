import { command } from './registry.ts'
import { configOrExit } from './runtime.ts'
import { startMailWorker } from '../platform/mail/mailer.ts'
import { jsonLogger } from '../platform/log.ts'

command({
  name: 'worker',
  usage: 'worker',
  summary: 'Run only the mail worker (sends the outbox; `serve` runs one too)',
  positionals: [0, 0],
  run: async () => {
    const config = configOrExit()
    const log = jsonLogger()
    const worker = startMailWorker(config, log)
    const { smtp } = await worker.ready
    log.info('mail worker started', { smtp })
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        log.info('mail worker stopping', { signal })
        void worker.stop().then(resolve)
      }
      process.once('SIGTERM', () => stop('SIGTERM'))
      process.once('SIGINT', () => stop('SIGINT'))
    })
    return 0
  },
})
