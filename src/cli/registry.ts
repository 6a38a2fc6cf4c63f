import type { FlagSpec, Parsed } from './args.ts'

export type Command = {
  name: string
  usage: string
  summary: string
  flags?: FlagSpec
  /** How many positionals: [min, max]. */
  positionals?: [number, number]
  run: (args: Parsed) => Promise<number | void>
}

const commands = new Map<string, Command>()

/** Features add commands to the same registry (import, create-admin, worker, …). */
export function command(c: Command): void {
  if (commands.has(c.name)) throw new Error(`duplicate command ${c.name}`)
  commands.set(c.name, c)
}

export const allCommands = () => [...commands.values()]
export const findCommand = (name: string) => commands.get(name)

export function usage(): string {
  const lines = ['Usage: ion <command> [options]', '', 'Commands:']
  const width = Math.max(...allCommands().map((c) => c.usage.length))
  for (const c of allCommands()) lines.push(`  ${c.usage.padEnd(width)}  ${c.summary}`)
  lines.push('', 'Configuration comes from the environment; see README.md (DATABASE_URL and REDIS_URL are required).')
  return lines.join('\n')
}

export function commandUsage(c: Command): string {
  const lines = [`Usage: ion ${c.usage}`, '', c.summary]
  for (const [name, f] of Object.entries(c.flags ?? {})) lines.push(`  --${name}${f.type === 'string' ? ' VALUE' : ''}  ${f.help}`)
  return lines.join('\n')
}
