#!/usr/bin/env bun
// The `ion` CLI: serve | migrate | seed | check | … (features add commands to the registry).
import { lap } from './platform/startup-trace.ts' // first: it notes when the imports start
import { parseArgs, UsageError } from './cli/args.ts'
import { commandUsage, findCommand, usage } from './cli/registry.ts'
import './cli/commands.ts'

export async function main(argv: string[]): Promise<number> {
  lap('imports done')
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage())
    return name ? 0 : 2
  }
  const cmd = findCommand(name)
  if (!cmd) {
    process.stderr.write(`ion: unknown command "${name}"\n\n${usage()}\n`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandUsage(cmd))
    return 0
  }
  let args
  try {
    args = parseArgs(rest, cmd.flags ?? {})
    const [min, max] = cmd.positionals ?? [0, Infinity]
    if (args.positionals.length < min || args.positionals.length > max)
      throw new UsageError(args.positionals.length < min ? 'missing argument' : `unexpected argument "${args.positionals[max]}"`)
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ion ${name}: ${e.message}\n\n${commandUsage(cmd)}\n`)
      return 2
    }
    throw e
  }
  return (await cmd.run(args)) ?? 0
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => { if (code !== 0 || process.argv[2] !== 'serve') process.exit(code) },
    (e) => {
      process.stderr.write(`ion: ${(e as Error)?.message ?? e}\n`)
      process.exit(1)
    },
  )
}
