import { resolve } from 'node:path'

/** The repository root (where bunfig.toml and tsconfig.json are: `bun src/main.ts` needs them). */
export const ROOT = resolve(import.meta.dir, '../..')

/** An environment with nothing of ours in it: PATH and HOME plus what the test says. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v
  return env
}

export type RunResult = { code: number; stdout: string; stderr: string; ms: number }

/** `bun src/main.ts …` in a clean environment (no .env file is read). */
export async function runIon(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 15_000): Promise<RunResult> {
  const t = performance.now()
  const p = Bun.spawn([process.execPath, '--no-env-file', 'src/main.ts', ...args], {
    cwd: ROOT, env: cleanEnv(env), stdout: 'pipe', stderr: 'pipe', stdin: 'ignore',
  })
  const timer = setTimeout(() => p.kill(), timeoutMs)
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  clearTimeout(timer)
  return { code, stdout, stderr, ms: performance.now() - t }
}
