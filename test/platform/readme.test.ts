import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CONFIG_DOC } from '../../src/config.ts'
import { allCommands } from '../../src/cli/registry.ts'
import '../../src/cli/commands.ts'
import { ROOT } from '../helpers/cli.ts'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The README's configuration table: variable → its row's cells. */
function configTable(): Map<string, string[]> {
  const rows = new Map<string, string[]>()
  for (const line of readme.split('\n')) {
    const m = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|(.*)\|\s*$/.exec(line)
    if (m) rows.set(m[1]!, m[2]!.split('|').map((c) => c.trim()))
  }
  return rows
}

describe('README.md', () => {
  test('starts with the two commands', () => {
    const dev = readme.indexOf('./scripts/dev.sh')
    const tests = readme.indexOf('./scripts/test.sh')
    expect(dev).toBeGreaterThan(0)
    expect(tests).toBeGreaterThan(dev)
    expect(tests).toBeLessThan(readme.indexOf('## Self-hosting'))
  })

  test('the configuration table has a row for every CONFIG_DOC variable, with its default and whether it is required', () => {
    const rows = configTable()
    for (const [name, def] of CONFIG_DOC) {
      const row = rows.get(name)
      expect([name, row ? 'in README' : 'MISSING from the README configuration table']).toEqual([name, 'in README'])
      const [defaultCell, requiredCell] = row!
      if (def === 'required') {
        expect([name, requiredCell]).toEqual([name, '**yes**'])
      } else {
        expect([name, requiredCell]).toEqual([name, 'no'])
        expect([name, defaultCell!.replace(/^`|`$/g, '')]).toEqual([name, def])
      }
    }
  })

  test('the table lists no variable Ion does not read', () => {
    const known = new Set(CONFIG_DOC.map(([n]) => n))
    for (const name of configTable().keys()) expect([name, known.has(name)]).toEqual([name, true])
  })

  test('has the sections the issue asks for', () => {
    for (const h of ['## Self-hosting', '### The binary', '### Docker Compose', '## Configuration', '### What losing Redis means', '## CLI', '## Development', '### htmx 4, not htmx 2'])
      expect(readme).toContain(h)
    expect(readme).toContain('docker compose up')
    expect(readme).toContain('bun run check')
    expect(readme).toContain('--appendonly yes')
  })

  test('documents every CLI command', () => {
    const cli = readme.slice(readme.indexOf('## CLI'), readme.indexOf('## Development'))
    for (const c of allCommands()) expect([c.name, cli.includes('`' + c.name)]).toEqual([c.name, true])
  })
})
