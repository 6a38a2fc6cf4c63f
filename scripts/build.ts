// `bun run build`: one self-contained executable, dist/ion.
//
// Embedded: the migrations (imported `with { type: 'text' }` in src/migrations.ts), the /public
// files and htmx (imported `with { type: 'file' }` in src/platform/html/assets.ts), and every
// worker entry point below that exists. A Worker file must be its own entry point to be found
// inside the binary.
//
// Inside the binary `import.meta.url` is the executable itself (file:///$bunfs/root/ion) in every
// module, so `new Worker(new URL('./worker.ts', import.meta.url).href)` written in
// src/platform/mail/mailer.ts asks for /$bunfs/root/worker.ts. Entry points are therefore embedded
// flat, under their own base name (`--entry-naming [name].[ext]`), and base names must be unique.
//
//   bun scripts/build.ts [--outfile path]      default dist/ion
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dir, '..')
export const MAIN_ENTRYPOINT = 'src/main.ts'

/** Worker entry points, relative to the repository root; those that don't exist (yet) are left out. */
export const WORKER_ENTRYPOINTS: string[] = ['src/platform/mail/worker.ts']

export function entrypoints(root = ROOT): string[] {
  const list = [MAIN_ENTRYPOINT, ...WORKER_ENTRYPOINTS.filter((p) => existsSync(join(root, p)))]
  const names = list.map((p) => basename(p).replace(/\.[cm]?[jt]sx?$/, ''))
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) throw new Error(`two entry points are named "${dup}": they are embedded flat, so rename one`)
  return list
}

export function buildCommand(outfile: string, root = ROOT): string[] {
  return [
    process.execPath, 'build', '--compile', '--minify',
    // Start-up (issue 10): JavaScriptCore bytecode compiled at build time, so the binary need not
    // parse ~2 MB of JavaScript before it runs a line (the first line ran at ~100 ms, now ~12 ms;
    // the file grows by ~8 MB).
    // ESM keeps import.meta and top-level await as in source mode; splitting keeps nodemailer
    // (only the mail worker and `ion check` load it) and the node: modules it imports out of the
    // main entry's start-up.
    '--bytecode', '--format', 'esm', '--splitting',
    // A bunfig.toml lying in the directory the binary is started from must not change it.
    '--no-compile-autoload-bunfig',
    '--entry-naming', '[name].[ext]',
    ...entrypoints(root).map((p) => './' + p),
    '--outfile', outfile,
  ]
}

/** Builds the executable; returns its path. Throws with bun's output when the build fails. */
export function build(outfile = join(ROOT, 'dist', 'ion'), root = ROOT): string {
  mkdirSync(dirname(outfile), { recursive: true })
  const cmd = buildCommand(outfile, root)
  const p = Bun.spawnSync(cmd, { cwd: root, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, NODE_ENV: 'production' } })
  if (p.exitCode !== 0 || !existsSync(outfile)) {
    throw new Error(`bun build failed (exit ${p.exitCode}):\n${p.stdout.toString()}${p.stderr.toString()}`)
  }
  return outfile
}

if (import.meta.main) {
  const i = process.argv.indexOf('--outfile')
  const outfile = i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]!) : join(ROOT, 'dist', 'ion')
  const t = performance.now()
  try {
    build(outfile)
  } catch (e) {
    console.error((e as Error).message)
    process.exit(1)
  }
  const mb = (statSync(outfile).size / 1e6).toFixed(1)
  console.log(`built ${relative(process.cwd(), outfile) || outfile} (${mb} MB) from ${entrypoints().join(', ')} in ${Math.round(performance.now() - t)} ms`)
}
