import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

// pg_dump / pg_restore for `ion backup`, `ion restore` and `ion check`.
// The tools come from PATH, else from Debian's /usr/lib/postgresql/<major>/bin (several majors may
// be installed side by side; the newest that is at least the server's major wins). The password
// travels in PGPASSWORD, never in argv, where any user on the host could read it from `ps`.

export type PgToolName = 'pg_dump' | 'pg_restore'
export type PgTool = { name: PgToolName; path: string; version: string; major: number }

const DEBIAN_DIR = '/usr/lib/postgresql'

/** Every pg_dump (or pg_restore) on this host: PATH's first, then Debian's, newest major first. */
function candidates(name: PgToolName, path = process.env.PATH ?? ''): string[] {
  const out: string[] = []
  const onPath = Bun.which(name, { PATH: path })
  if (onPath) out.push(onPath)
  let majors: string[] = []
  try {
    majors = readdirSync(DEBIAN_DIR).filter((d) => /^\d+(\.\d+)?$/.test(d)).sort((a, b) => Number(b) - Number(a))
  } catch {} // not Debian's layout
  for (const m of majors) {
    const p = join(DEBIAN_DIR, m, 'bin', name)
    if (existsSync(p) && !out.includes(p)) out.push(p)
  }
  return out
}

/** "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" → { version: '15.18', major: 15 }. */
export function parseToolVersion(text: string): { version: string; major: number } | null {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text)
  if (!m) return null
  const first = Number(m[1])
  // Before PostgreSQL 10 the major was two numbers (9.6); 9.6 < 10 all the same.
  const major = first < 10 && m[2] ? Number(`${first}.${m[2]}`) : first
  return { version: m.slice(1).filter(Boolean).join('.'), major }
}

async function versionOf(name: PgToolName, path: string): Promise<PgTool | null> {
  try {
    const p = Bun.spawn([path, '--version'], { stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' })
    const [out] = await Promise.all([new Response(p.stdout).text(), p.exited])
    const v = parseToolVersion(out)
    return v ? { name, path, ...v } : null
  } catch {
    return null
  }
}

export type ToolChoice = { tool: PgTool; matches: boolean } | null

/** The first tool whose major is at least the server's; else the newest found (matches: false); else null. */
export async function findPgTool(name: PgToolName, serverMajor: number, path?: string): Promise<ToolChoice> {
  const found = (await Promise.all(candidates(name, path).map((p) => versionOf(name, p)))).filter((t): t is PgTool => t !== null)
  const good = found.find((t) => t.major >= serverMajor)
  if (good) return { tool: good, matches: true }
  const newest = found.sort((a, b) => b.major - a.major)[0]
  return newest ? { tool: newest, matches: false } : null
}

/** Why a choice can't be used (null when it can): the message names the package to install. */
export function toolProblem(name: PgToolName, choice: ToolChoice, serverMajor: number): string | null {
  const pkg = `PostgreSQL ${serverMajor}'s client tools (Debian/Ubuntu: apt-get install postgresql-client-${serverMajor})`
  if (!choice) return `${name} is not installed (looked on PATH and in ${DEBIAN_DIR}/*/bin): install ${pkg}`
  if (!choice.matches) return `${name} ${choice.tool.version} (${choice.tool.path}) is older than the server (PostgreSQL ${serverMajor}): install ${pkg}`
  return null
}

/** `ion check`'s line: "ok" or a warning; a warning does not fail the verdict (serving needs neither tool). */
export async function pgToolsReport(serverMajor: number): Promise<{ ok: boolean; line: string }> {
  const [dump, restore] = await Promise.all([findPgTool('pg_dump', serverMajor), findPgTool('pg_restore', serverMajor)])
  const problems = [toolProblem('pg_dump', dump, serverMajor), toolProblem('pg_restore', restore, serverMajor)].filter(Boolean)
  if (problems.length) return { ok: false, line: `pg_dump/pg_restore: WARNING: ${problems.join('; ')}; ion backup/restore will not work` }
  return { ok: true, line: `pg_dump/pg_restore: ok (${dump!.tool.version} at ${dump!.tool.path}, ${restore!.tool.path}; server ${serverMajor})` }
}

/**
 * libpq's connection for a DATABASE_URL: the URL without its password (as --dbname, which takes a
 * URI), and the password in PGPASSWORD.
 */
export function libpqConnection(databaseUrl: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(databaseUrl)
  const password = u.password ? decodeURIComponent(u.password) : null
  u.password = ''
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  if (password !== null) env.PGPASSWORD = password
  return { dbname: u.toString(), env }
}

export type ToolRun = { code: number; stderr: string; ms: number }

/** Runs a tool against DATABASE_URL; never prompts for a password (stdin closed, --no-password). */
export async function runPgTool(tool: PgTool, databaseUrl: string, args: string[]): Promise<ToolRun> {
  const t = performance.now()
  const conn = libpqConnection(databaseUrl)
  const p = Bun.spawn([tool.path, '--no-password', `--dbname=${conn.dbname}`, ...args], {
    env: conn.env, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe',
  })
  const [stderr, code] = await Promise.all([new Response(p.stderr).text(), p.exited])
  return { code, stderr: stderr.trim(), ms: Math.round(performance.now() - t) }
}

/** pg_dump's custom format starts with "PGDMP". */
export async function isCustomDump(file: string): Promise<boolean> {
  const head = await Bun.file(file).slice(0, 5).text()
  return head === 'PGDMP'
}
