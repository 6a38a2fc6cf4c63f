// `bun run bench [--only rush,pages,bus,binary,mail]`: the benchmarks of issues 5, 9 and 10 one
// after the other against this machine's PostgreSQL and Redis (loopback only), each bounded in
// time (a bench that overruns gets SIGTERM, then SIGKILL; each cleans up its scratch databases,
// Redis db and servers on SIGTERM). Every bench's own report passes through; each ends with one JSON
// line, from which this prints one table — each figure, its target, measured ÷ target, and the
// ratio to the limit measured in the same run (pgbench simple-update TPS for the rush, a bare
// Bun.serve "hello" under the same wrk settings for the pages) — and writes it with the raw
// results to bench-results.json. Exit code: 0 when every bench ran and its invariants held (a
// missed speed target is reported, not an error), 1 otherwise.
import { cpus, loadavg, totalmem } from 'node:os'
import { ROOT } from './harness.ts'
import { tabulate, type Raw } from './table.ts'

const argv = process.argv.slice(2)
const onlyAt = argv.indexOf('--only')
const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? '').split(',').filter(Boolean)) : null
const rushArgs = onlyAt >= 0 ? argv.filter((_, i) => i !== onlyAt && i !== onlyAt + 1) : argv

const BENCHES: { name: keyof Raw; cmd: string[]; limitMs: number }[] = [
  { name: 'rush', cmd: [process.execPath, 'test/load/rush.ts', ...rushArgs], limitMs: 6 * 60_000 },
  { name: 'pages', cmd: [process.execPath, 'test/load/pages.ts'], limitMs: 5 * 60_000 },
  // 5,000 sockets on each side need more descriptors than the default 1,024.
  { name: 'bus', cmd: ['bash', '-c', `ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "${process.execPath}" test/load/bus-bench.ts`], limitMs: 5 * 60_000 },
  { name: 'binary', cmd: [process.execPath, 'test/load/binary.ts'], limitMs: 5 * 60_000 },
  { name: 'mail', cmd: [process.execPath, 'test/load/mail-bench.ts'], limitMs: 3 * 60_000 },
]

/** The bench's stdout, passed through as it comes, and kept to find its JSON line. */
async function tee(stream: ReadableStream<Uint8Array>): Promise<string> {
  let all = ''
  const decoder = new TextDecoder()
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    process.stdout.write(value)
    all += decoder.decode(value, { stream: true })
  }
  return all
}

function lastJson(out: string): Record<string, unknown> | null {
  const lines = out.trim().split('\n').reverse()
  for (const l of lines) {
    if (!l.startsWith('{')) continue
    try { return JSON.parse(l) as Record<string, unknown> } catch { /* not the result line */ }
  }
  return null
}

const raw: Raw = {}
const runs: { name: string; code: number | null; seconds: number; overran: boolean }[] = []
for (const b of BENCHES) {
  if (only && !only.has(b.name)) continue
  process.stderr.write(`\n== bench ${b.name} (limit ${b.limitMs / 1000} s)\n`)
  const t = performance.now()
  const p = Bun.spawn(b.cmd, { cwd: ROOT, stdout: 'pipe', stderr: 'inherit', stdin: 'ignore' })
  let overran = false
  const soft = setTimeout(() => { overran = true; p.kill('SIGTERM') }, b.limitMs)
  const hard = setTimeout(() => p.kill('SIGKILL'), b.limitMs + 20_000)
  const stopChild = () => p.kill('SIGTERM')
  process.on('SIGINT', stopChild)
  const out = await tee(p.stdout)
  const code = await p.exited
  process.off('SIGINT', stopChild)
  clearTimeout(soft)
  clearTimeout(hard)
  const json = lastJson(out)
  if (json) (raw as Record<string, unknown>)[b.name] = json
  runs.push({ name: b.name, code, seconds: Math.round((performance.now() - t) / 100) / 10, overran })
}

const { text, rows } = tabulate(raw)
const commit = Bun.spawnSync(['git', 'rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout.toString().trim() || null
const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? null, memoryGb: Math.round(totalmem() / 2 ** 30), loadAverage: loadavg().map((x) => Math.round(x * 100) / 100) }
console.log(`\n${text}`)
console.log(`machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB; load average after the run ${machine.loadAverage.join(' ')}; commit ${commit}`)
await Bun.write(`${ROOT}/bench-results.json`, JSON.stringify({ at: new Date().toISOString(), commit, machine, runs, rows, raw }, null, 2) + '\n')
console.log(`wrote bench-results.json`)
process.stderr.write(`\n== bench: ${runs.map((r) => `${r.name} ${r.overran ? 'OVERRAN' : r.code === 0 ? 'ok' : `exit ${r.code}`} (${r.seconds} s)`).join(', ')}\n`)
process.exit(runs.every((r) => r.code === 0 && !r.overran) ? 0 : 1)
