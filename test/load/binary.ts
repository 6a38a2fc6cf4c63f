// The binary bench (issue 10), on demand: `bun test/load/binary.ts [--no-build]`. Never part of the test suite.
//
//  1. `bun run build` (scripts/build.ts → dist/ion), unless --no-build and dist/ion exists.
//  2. A scratch database ion_binary_<pid>, migrated (no seed: start-up is what is measured);
//     Redis logical db 7 (BINARY_REDIS_DB).
//  3. Five cold starts of `dist/ion serve` on a free loopback port: time from spawn to the first
//     200 on /healthz (polled every 2 ms), median of 5; the idle RSS (VmRSS) 1 s after the
//     first 200; the file size.
// Prints a table and one JSON line (the last line of stdout).
import { statSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectDb } from '../../src/platform/db.ts'
import { migrate } from '../../src/platform/migrate.ts'
import { Cleanup, createDatabase, dropDatabase, dropStaleScratch, freePort, percentile, redisDbUrl, ROOT, serviceEnv, sleep } from './harness.ts'

const RUNS = 5
const REDIS_DB = Number(process.env.BINARY_REDIS_DB ?? 7)
const OVERALL_LIMIT_MS = 4 * 60_000
const START_LIMIT_MS = 15_000
const BIN = join(ROOT, 'dist', 'ion')

const log = (s: string) => process.stderr.write(`binary: ${s}\n`)

function vmRssKb(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

/** One cold start: ms from spawn to the first 200 on /healthz, and VmRSS 1 s later. */
async function coldStart(env: Record<string, string>, cleanup: Cleanup): Promise<{ firstOkMs: number; rssKb: number | null }> {
  const port = freePort()
  const url = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const proc = Bun.spawn([BIN, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), BASE_URL: url, ION_LOG_REQUESTS: 'off', ...env },
    stdout: 'ignore',
    stderr: 'pipe',
    stdin: 'ignore',
  })
  const stderr = new Response(proc.stderr).text()
  let exited: number | null = null
  void proc.exited.then((c) => { exited = c })
  const stop = async () => {
    if (exited !== null) return
    proc.kill('SIGTERM')
    if ((await Promise.race([proc.exited, sleep(6000).then(() => null)])) === null) {
      proc.kill('SIGKILL')
      await proc.exited
    }
  }
  cleanup.add(`stop dist/ion pid ${proc.pid}`, stop)
  try {
    for (;;) {
      if (exited !== null) throw new Error(`dist/ion exited with ${exited} before answering:\n${(await stderr).slice(-1000)}`)
      if (performance.now() - t0 > START_LIMIT_MS) throw new Error(`dist/ion gave no 200 on /healthz within ${START_LIMIT_MS} ms`)
      try {
        const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(500) })
        await r.arrayBuffer()
        if (r.status === 200) break
      } catch {}
      await sleep(2)
    }
    const firstOkMs = performance.now() - t0
    await sleep(1000)
    return { firstOkMs, rssKb: vmRssKb(proc.pid) }
  } finally {
    await stop()
  }
}

async function main(): Promise<number> {
  const { databaseUrl, redisUrl } = serviceEnv()
  const cleanup = new Cleanup()
  cleanup.guard(OVERALL_LIMIT_MS, 'binary')
  const stale = await dropStaleScratch(databaseUrl, ['ion_binary_'])
  if (stale.length) log(`dropped scratch databases left by killed runs: ${stale.join(', ')}`)
  try {
    let buildMs: number | null = null
    if (!(process.argv.includes('--no-build') && Bun.file(BIN).size > 0)) {
      const t = performance.now()
      const b = Bun.spawn([process.execPath, 'run', 'build'], { cwd: ROOT, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' })
      const timer = setTimeout(() => b.kill('SIGKILL'), 120_000)
      const [out, err, code] = await Promise.all([new Response(b.stdout).text(), new Response(b.stderr).text(), b.exited])
      clearTimeout(timer)
      if (code !== 0) throw new Error(`bun run build failed (${code}):\n${out.slice(-500)}${err.slice(-1000)}`)
      buildMs = performance.now() - t
      log(`built dist/ion in ${Math.round(buildMs)} ms`)
    }
    const sizeBytes = statSync(BIN).size

    const dbName = `ion_binary_${process.pid}`
    const env = { DATABASE_URL: await createDatabase(databaseUrl, dbName), REDIS_URL: redisDbUrl(redisUrl, REDIS_DB) }
    cleanup.add(`drop ${dbName}`, () => dropDatabase(databaseUrl, dbName))
    const sql = connectDb(env.DATABASE_URL, { max: 1, tz: process.env.SCHOOL_TZ ?? 'America/New_York', appName: 'binary-bench' })
    try {
      await migrate(sql)
    } finally {
      await sql.end({ timeout: 2 })
    }

    const runs: { firstOkMs: number; rssKb: number | null }[] = []
    for (let i = 0; i < RUNS; i++) {
      const r = await coldStart(env, cleanup)
      log(`start ${i + 1}: first 200 after ${r.firstOkMs.toFixed(1)} ms, VmRSS ${r.rssKb ?? '–'} kB`)
      runs.push(r)
    }
    const startMs = percentile(runs.map((r) => r.firstOkMs), 0.5)
    const rssList = runs.map((r) => r.rssKb).filter((x): x is number => x !== null)
    const rssMb = rssList.length ? percentile(rssList, 0.5) / 1024 : NaN
    const sizeMb = sizeBytes / 1024 / 1024
    const check = (ok: boolean) => (ok ? 'ok  ' : 'MISS')
    console.log([
      '',
      `Binary — dist/ion${buildMs !== null ? ` (built in ${(buildMs / 1000).toFixed(1)} s)` : ''}, ${RUNS} cold starts of \`dist/ion serve\` on a migrated scratch database`,
      `  ${'figure'.padEnd(30)}${'measured'.padEnd(26)}${'target'.padEnd(12)}`,
      `  ${'cold start → first 200'.padEnd(30)}${`${startMs.toFixed(1)} ms (median)`.padEnd(26)}${'≤ 150 ms'.padEnd(12)}${check(startMs <= 150)}  all: ${runs.map((r) => r.firstOkMs.toFixed(0)).join(', ')} ms`,
      `  ${'idle RSS (VmRSS, +1 s)'.padEnd(30)}${`${rssMb.toFixed(1)} MB (median)`.padEnd(26)}${'≤ 100 MB'.padEnd(12)}${check(rssMb <= 100)}  all: ${rssList.map((k) => (k / 1024).toFixed(0)).join(', ')} MB`,
      `  ${'file size'.padEnd(30)}${`${sizeMb.toFixed(1)} MB`.padEnd(26)}${'≤ 120 MB'.padEnd(12)}${check(sizeMb <= 120)}`,
    ].join('\n'))
    console.log(JSON.stringify({
      bench: 'binary', runs: RUNS, buildMs: buildMs === null ? null : Math.round(buildMs),
      coldStartMs: Math.round(startMs * 10) / 10, coldStartsMs: runs.map((r) => Math.round(r.firstOkMs * 10) / 10),
      idleRssMb: Math.round(rssMb * 10) / 10, idleRssKb: rssList, sizeBytes, sizeMb: Math.round(sizeMb * 10) / 10,
      targetsMet: { coldStart: startMs <= 150, idleRss: rssMb <= 100, size: sizeMb <= 120 },
    }))
    return 0
  } catch (e) {
    process.stderr.write(`binary: failed: ${(e as Error).stack ?? e}\n`)
    return 2
  } finally {
    await cleanup.run()
  }
}

process.exit(await main())
