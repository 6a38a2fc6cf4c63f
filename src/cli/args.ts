/** A tiny flag parser: declared flags only; anything else is a usage error (exit 2). */
export type FlagSpec = Record<string, { type: 'boolean' | 'string'; help: string }>
export type Parsed = { flags: Record<string, string | boolean>; positionals: string[] }

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const flags: Record<string, string | boolean> = {}
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') { positionals.push(...argv.slice(i + 1)); break }
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined]
      const s = spec[name]
      if (!s) throw new UsageError(`unknown option --${name}`)
      if (s.type === 'boolean') {
        if (inline !== undefined) throw new UsageError(`--${name} takes no value`)
        flags[name] = true
      } else {
        const v = inline ?? argv[++i]
        if (v === undefined || v === '') throw new UsageError(`--${name} needs a value`)
        flags[name] = v
      }
    } else if (a.startsWith('-') && a.length > 1) {
      throw new UsageError(`unknown option ${a}`)
    } else positionals.push(a)
  }
  return { flags, positionals }
}
