// `ion serve`'s start-up order (issue 10) and the ION_STARTUP_TRACE lines that show it: it listens
// before it starts the background services (which gate no request), and names each one.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { cleanEnv, ROOT, runIon } from '../helpers/cli.ts'
import { createTestDb, type TestDb } from '../helpers/db.ts'

let db: TestDb
beforeAll(async () => { db = await createTestDb({ max: 1 }) })
afterAll(async () => { await db?.drop() })

const env = (over: Record<string, string> = {}) => ({
  DATABASE_URL: db.url, REDIS_URL: process.env.REDIS_URL!, REDIS_PREFIX: `ion:startup-${process.pid}:`,
  NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', ION_LOG_REQUESTS: 'off', ...over,
})

/** Reads a stream into `into.text` as it arrives. */
function collect(stream: ReadableStream<Uint8Array>, into: { text: string }): Promise<void> {
  return (async () => {
    const decoder = new TextDecoder()
    const reader = stream.getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) into.text += decoder.decode(r.value, { stream: true })
  })()
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = performance.now() + ms
  while (!ok()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(10)
  }
}

describe('ion serve start-up', () => {
  test('listens first, then starts pubsub, mail and jobs; ION_STARTUP_TRACE=on shows each step', async () => {
    const p = Bun.spawn([process.execPath, '--no-env-file', 'src/main.ts', 'serve'], {
      cwd: ROOT, env: cleanEnv(env({ ION_STARTUP_TRACE: 'on' })), stdout: 'pipe', stderr: 'pipe', stdin: 'ignore',
    })
    const out = { text: '' }
    const err = { text: '' }
    const reading = Promise.all([collect(p.stdout, out), collect(p.stderr, err)])
    try {
      await until('the listening line', () => out.text.includes('"msg":"listening"'))
      const port = (JSON.parse(out.text.split('\n').find((l) => l.includes('"msg":"listening"'))!) as { port: number }).port
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
      await until('the last start-up step', () => err.text.includes('started jobs'))
    } finally {
      p.kill('SIGTERM')
      await p.exited
      await reading
    }
    expect(p.exitCode).toBe(0)

    const steps = err.text.split('\n').filter((l) => l.startsWith('startup ')).map((l) => {
      const m = /^startup +([\d.]+) ms +\+([\d.]+) +(.+)$/.exec(l)
      expect(m).not.toBeNull()
      return { at: Number(m![1]), step: m![3]! }
    })
    expect(steps.map((s) => s.step)).toEqual([
      'runtime ready, imports start', 'imports done', 'runtime opened', 'buildApp', 'listen',
      'started pubsub', 'started mail', 'started jobs',
    ])
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.at).toBeGreaterThanOrEqual(steps[i - 1]!.at)
  }, 60_000)

  test('without ION_STARTUP_TRACE nothing is written to stderr', async () => {
    const r = await runIon(['--help'], env())
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('serve')
    expect(r.stderr).toBe('')
    const traced = await runIon(['--help'], env({ ION_STARTUP_TRACE: 'on' }))
    expect(traced.stderr).toContain('imports done')
  })
})
