// `bun run bench`: the on-demand benchmarks one after the other, each bounded in time (a bench
// that overruns is killed; the rush also cleans up after itself on SIGTERM). Output passes
// through; the exit code is non-zero when any bench failed or overran. Issue 10 grows this into
// the full table (pages, bus, binary) with bench-results.json.
import { ROOT } from './harness.ts'

const BENCHES: { name: string; cmd: string[]; limitMs: number }[] = [
  { name: 'rush', cmd: ['test/load/rush.ts', ...process.argv.slice(2)], limitMs: 6 * 60_000 },
  // pages and binary clean up on SIGTERM too (servers stopped, scratch databases dropped).
  { name: 'pages', cmd: ['test/load/pages.ts'], limitMs: 5 * 60_000 },
  { name: 'binary', cmd: ['test/load/binary.ts'], limitMs: 5 * 60_000 },
  { name: 'mail', cmd: ['test/load/mail-bench.ts'], limitMs: 3 * 60_000 },
]

const results: { name: string; code: number | null; seconds: number; overran: boolean }[] = []
for (const b of BENCHES) {
  process.stderr.write(`\n== bench ${b.name} (limit ${b.limitMs / 1000} s)\n`)
  const t = performance.now()
  const p = Bun.spawn([process.execPath, ...b.cmd], { cwd: ROOT, stdout: 'inherit', stderr: 'inherit', stdin: 'ignore' })
  let overran = false
  // SIGTERM first, so the bench drops its databases and stops its server; SIGKILL 20 s later.
  const soft = setTimeout(() => { overran = true; p.kill('SIGTERM') }, b.limitMs)
  const hard = setTimeout(() => p.kill('SIGKILL'), b.limitMs + 20_000)
  const stopChild = () => p.kill('SIGTERM')
  process.on('SIGINT', stopChild)
  const code = await p.exited
  process.off('SIGINT', stopChild)
  clearTimeout(soft)
  clearTimeout(hard)
  results.push({ name: b.name, code, seconds: (performance.now() - t) / 1000, overran })
}

process.stderr.write(`\n== bench: ${results.map((r) => `${r.name} ${r.overran ? 'OVERRAN' : r.code === 0 ? 'ok' : `exit ${r.code}`} (${r.seconds.toFixed(0)} s)`).join(', ')}\n`)
process.exit(results.every((r) => r.code === 0 && !r.overran) ? 0 : 1)
