// `bun run check`: the type check and the XSS scan. Both must be clean.
// xss-scan exits 0 when it crashes (e.g. under TypeScript 7), so its output must say it found nothing.
const run = (cmd: string[]) => {
  const p = Bun.spawnSync(cmd, { stdout: 'pipe', stderr: 'pipe' })
  return { code: p.exitCode, out: (p.stdout.toString() + p.stderr.toString()).trim() }
}

let failed = false
const tsc = run(['bunx', 'tsc', '--noEmit', '-p', '.'])
if (tsc.code !== 0) {
  failed = true
  console.log(tsc.out)
  console.log('typecheck: FAILED')
} else console.log('typecheck: ok')

const xss = run(['bunx', 'xss-scan', '-p', 'tsconfig.json'])
if (xss.code !== 0 || !/No XSS vulnerabilities found/.test(xss.out)) {
  failed = true
  console.log(xss.out)
  console.log('xss-scan: FAILED')
} else console.log('xss-scan: ok')

process.exit(failed ? 1 : 0)
