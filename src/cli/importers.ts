import type { FlagSpec } from './args.ts'
import { command } from './registry.ts'

// `ion import <kind> <file>`: ONE command; features add kinds (users, groups, later photos, routes).

export type ImporterArgs = { file: string; flags: Record<string, string | boolean> }

export type Importer = {
  kind: string
  /** e.g. 'users <file.csv> [--dry-run] [--valid-only]' (after `import `). */
  usage: string
  summary: string
  flags?: FlagSpec
  /** Exit code: 0 done, 1 failed (nothing written), 2 usage. */
  run: (args: ImporterArgs) => Promise<number | void>
}

const importers = new Map<string, Importer>()

export function registerImporter(i: Importer): void {
  if (importers.has(i.kind)) throw new Error(`duplicate importer ${i.kind}`)
  importers.set(i.kind, i)
}

export const allImporters = () => [...importers.values()].sort((a, b) => a.kind.localeCompare(b.kind))

function importUsage(): string {
  const list = allImporters()
  const width = Math.max(0, ...list.map((i) => i.usage.length))
  return ['Kinds:', ...list.map((i) => `  ion import ${i.usage.padEnd(width)}  ${i.summary}`)].join('\n')
}

function usageError(message: string): number {
  process.stderr.write(`ion import: ${message}\n\n${importUsage()}\n`)
  return 2
}

command({
  name: 'import',
  usage: 'import <kind> <file>',
  get summary(): string {
    return `Import a CSV file; kinds: ${allImporters().map((i) => i.kind).join(', ')} (\`ion import\` shows each kind's options)`
  },
  // Every kind's flags are accepted by the parser; each kind then refuses the ones it does not take.
  get flags(): FlagSpec {
    return Object.assign({}, ...allImporters().map((i) => i.flags ?? {}))
  },
  positionals: [0, 2],
  run: async ({ positionals, flags }) => {
    const [kind, file] = positionals
    if (!kind) return usageError('say what to import')
    const imp = importers.get(kind)
    if (!imp) return usageError(`unknown kind "${kind}"`)
    if (!file) return usageError(`missing file: ion import ${imp.usage}`)
    const foreign = Object.keys(flags).filter((f) => !(f in (imp.flags ?? {})))
    if (foreign.length) return usageError(`ion import ${kind} does not take --${foreign[0]}`)
    return imp.run({ file, flags })
  },
})

export { importUsage }
