// `bun run faults [name…]`: the fault tests (test/faults/*.fault.ts), each in its own
// `bun test --timeout 120000` process with its own PostgreSQL and Redis, then one table: fault,
// figures, verdict, and a last line "N passed, N failed" (exit code 1 if any failed).
//
// They are named *.fault.ts, not *.test.ts, so the normal suite (`bun test`, root "test") never
// picks them up; `bun test ./path` runs a file whatever its name.
import { readdirSync } from 'node:fs'
import { ROOT } from '../load/harness.ts'
import { sweepStale } from './services.ts'

/** A fault file that has not finished after this long is killed (each test bounds itself to 2 minutes). */
const FILE_LIMIT_MS = 200_000

type Row = { file: string; fault: string; figures: Record<string, string>; pass: boolean; note: string }

const wanted = process.argv.slice(2)
const files = readdirSync(`${ROOT}/test/faults`)
  .filter((f) => f.endsWith('.fault.ts'))
  .filter((f) => !wanted.length || wanted.some((w) => f.includes(w)))
  .sort()
if (!files.length) {
  console.error(`faults: no test/faults/*.fault.ts${wanted.length ? ` matching ${wanted.join(', ')}` : ''}`)
  process.exit(2)
}

async function runFile(file: string): Promise<Row> {
  const t = performance.now()
  process.stderr.write(`faults: ${file}…\n`)
  const proc = Bun.spawn([process.execPath, 'test', `./test/faults/${file}`, '--timeout', '120000'], {
    cwd: ROOT, stdout: 'pipe', stderr: 'pipe', env: process.env,
  })
  let killed = false
  const timer = setTimeout(() => { killed = true; proc.kill('SIGKILL') }, FILE_LIMIT_MS)
  // bun test writes console output to stdout and its report to stderr; show both as they come.
  const collect = async (s: ReadableStream<Uint8Array>, to: NodeJS.WriteStream) => {
    let all = ''
    const dec = new TextDecoder()
    const reader = s.getReader()
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      const text = dec.decode(value, { stream: true })
      all += text
      to.write(text)
    }
    return all
  }
  const [out, err, code] = await Promise.all([collect(proc.stdout, process.stderr), collect(proc.stderr, process.stderr), proc.exited])
  clearTimeout(timer)
  const reported = (out + '\n' + err).split('\n').filter((l) => l.startsWith('FAULT {')).map((l) => JSON.parse(l.slice(6)) as { fault: string; figures: Record<string, unknown> })
  const figures: Record<string, string> = {}
  for (const r of reported) for (const [k, v] of Object.entries(r.figures)) figures[k] = typeof v === 'string' ? v : JSON.stringify(v)
  const failures = [...(out + err).matchAll(/^\(fail\) (.+?)(?: \[[\d.]+m?s\])?$/gm)].map((m) => m[1]!)
  const pass = code === 0 && !killed
  const seconds = Math.round((performance.now() - t) / 1000)
  const note = killed ? `killed after ${FILE_LIMIT_MS / 1000} s` : pass ? `${seconds} s` : `${failures.length ? `failed: ${failures.join('; ')}` : `exit code ${code}`} (${seconds} s)`
  return { file, fault: reported.map((r) => r.fault).join(' / ') || file.replace(/\.fault\.ts$/, ''), figures, pass, note }
}

const rows: Row[] = []
for (const f of files) rows.push(await runFile(f))
await sweepStale() // services of a fault file that was killed before its afterAll ran

const width = Math.min(48, Math.max(5, ...rows.map((r) => r.fault.length)))
const pad = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n))
const lines = ['', `${pad('fault', width)}  verdict  figures`, `${'-'.repeat(width)}  -------  ${'-'.repeat(60)}`]
for (const r of rows) {
  const figs = Object.entries(r.figures).map(([k, v]) => `${k}: ${v}`)
  figs.push(r.note)
  lines.push(`${pad(r.fault, width)}  ${r.pass ? 'pass   ' : 'FAIL   '}  ${figs[0]}`)
  for (const f of figs.slice(1)) lines.push(`${' '.repeat(width)}           ${f}`)
}
const passed = rows.filter((r) => r.pass).length
lines.push('', `${passed} passed, ${rows.length - passed} failed`)
console.log(lines.join('\n'))
process.exit(passed === rows.length ? 0 : 1)
