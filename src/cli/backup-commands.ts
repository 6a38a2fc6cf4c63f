import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { command } from './registry.ts'
import { configOrExit } from './runtime.ts'
import { connectDb, type Sql } from '../platform/db.ts'
import { pendingMigrations } from '../platform/migrate.ts'
import { findPgTool, isCustomDump, runPgTool, toolProblem, type PgTool, type PgToolName } from '../platform/backup.ts'
import { publicTables, serverMajorVersion } from '../platform/backup.sql.ts'

// `ion backup <file>` and `ion restore <file>`: all of PostgreSQL (Redis holds only sessions).
// Exit codes: 0 done, 1 refused or failed (one line saying why), 2 usage.

class Refused extends Error {}

const fail = (cmd: string, message: string) => {
  process.stderr.write(`ion ${cmd}: ${message}\n`)
  return 1
}

/** Connects (no Redis), finds the tool for the server's major, runs body; Refused → exit 1 with its message. */
async function withDatabase(cmd: string, tool: PgToolName, body: (sql: Sql, t: PgTool, databaseUrl: string) => Promise<number>): Promise<number> {
  const config = configOrExit()
  const sql = connectDb(config.databaseUrl, { max: 1, tz: config.schoolTz, appName: `ion ${cmd}` })
  try {
    let major: number
    try {
      major = await serverMajorVersion(sql)
    } catch (e) {
      return fail(cmd, `cannot reach PostgreSQL (${(e as Error).message})`)
    }
    const choice = await findPgTool(tool, major)
    const problem = toolProblem(tool, choice, major)
    if (problem) return fail(cmd, problem)
    return await body(sql, choice!.tool, config.databaseUrl)
  } catch (e) {
    if (e instanceof Refused) return fail(cmd, e.message)
    throw e
  } finally {
    await sql.end({ timeout: 5 })
  }
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

command({
  name: 'backup',
  usage: 'backup <file> [--force]',
  summary: 'Back up the whole PostgreSQL database to <file> (pg_dump, custom format)',
  flags: { force: { type: 'boolean', help: 'replace <file> if it exists (only once the new backup is complete)' } },
  positionals: [1, 1],
  run: async ({ flags, positionals }) => {
    const file = positionals[0]!
    if (existsSync(file) && !flags.force) return fail('backup', `${file} exists; say --force to replace it`)
    if (!existsSync(dirname(file))) return fail('backup', `the folder ${dirname(file)} does not exist`)
    return withDatabase('backup', 'pg_dump', async (_sql, tool, url) => {
      // Dump beside the target, then rename: a failed dump leaves no half file and keeps the old one.
      const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`)
      const r = await runPgTool(tool, url, ['--format=custom', `--file=${partial}`])
      if (r.code !== 0) {
        rmSync(partial, { force: true })
        throw new Refused(`pg_dump failed (exit ${r.code}): ${r.stderr || 'no message'}`)
      }
      renameSync(partial, file)
      console.log(`backup: ${file} (${megabytes(statSync(file).size)}, pg_dump ${tool.version}, ${r.ms} ms)`)
      return 0
    })
  },
})

command({
  name: 'restore',
  usage: 'restore <file>',
  summary: 'Restore a backup into DATABASE_URL, which must be an empty database',
  positionals: [1, 1],
  run: async ({ positionals }) => {
    const file = positionals[0]!
    if (!existsSync(file) || !statSync(file).isFile()) return fail('restore', `${file}: no such file`)
    if (!(await isCustomDump(file))) return fail('restore', `${file} is not a backup made by ion backup (pg_dump --format=custom)`)
    return withDatabase('restore', 'pg_restore', async (sql, tool, url) => {
      const tables = await publicTables(sql)
      if (tables.length) {
        const db = decodeURIComponent(new URL(url).pathname.slice(1))
        throw new Refused(`the database "${db}" is not empty (${tables.length} tables, e.g. ${tables.slice(0, 3).join(', ')}); restore only into a new, empty database (createdb) so nothing is overwritten`)
      }
      // One transaction: an error leaves the database as empty as it was. Owners and grants are the
      // old server's roles; the restoring user owns everything instead.
      const r = await runPgTool(tool, url, ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction', file])
      if (r.code !== 0) throw new Refused(`pg_restore failed (exit ${r.code}), nothing was restored: ${r.stderr || 'no message'}`)
      const pending = await pendingMigrations(sql)
      console.log(`restore: ${file} into ${decodeURIComponent(new URL(url).pathname.slice(1))} (${r.ms} ms)${pending.length ? `; ${pending.length} migrations are newer than the backup: run "ion migrate"` : ''}`)
      return 0
    })
  },
})
