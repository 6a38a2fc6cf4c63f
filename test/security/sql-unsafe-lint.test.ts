import { describe, expect, test } from 'bun:test'
import { Glob } from 'bun'

// Issue 11 §5: raw SQL text reaches PostgreSQL only through the migration runner. Everything else
// goes through postgres.js tagged templates, which send every ${value} as a bound parameter.
// DESIGN.md §2: SQL lives in *.sql.ts files (the runner's own bookkeeping statements excepted).

const ROOT = new URL('../../', import.meta.url).pathname
const RUNNER = 'src/platform/migrate.ts'

type Finding = { file: string; line: number; rule: string; text: string }

const RULES: { rule: string; re: RegExp; allowed(file: string): boolean }[] = [
  // sql.unsafe / tx.unsafe, also as obj['unsafe'] or a destructured { unsafe }.
  { rule: 'unsafe', re: /\.unsafe\s*\(|\[\s*['"`]unsafe['"`]\s*\]|\{\s*[^}]*\bunsafe\b[^}]*\}\s*=/, allowed: (f) => f === RUNNER },
  // sql(`… ${x} …`): a string built in JS and handed to the identifier/helper call.
  { rule: 'string-built sql() argument', re: /\b(sql|tx|trx|db)\s*\(\s*`[^`]*\$\{/, allowed: () => false },
  // sql('SELECT ' + x): concatenation into the helper.
  { rule: 'concatenated sql() argument', re: /\b(sql|tx|trx|db)\s*\(\s*(['"][^'"]*['"]\s*\+|[A-Za-z_$][\w$]*\s*\+\s*['"])/, allowed: () => false },
  // A tagged SQL template (sql`…`, tx<Row[]>`…`) outside a *.sql.ts file.
  { rule: 'SQL outside *.sql.ts', re: /\b(sql|tx|trx)\s*(<[^`;]*>)?`/, allowed: (f) => f.endsWith('.sql.ts') || f === RUNNER },
]

function lint(file: string, source: string): Finding[] {
  const out: Finding[] = []
  source.split('\n').forEach((text, i) => {
    const trimmed = text.trim()
    if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return
    for (const r of RULES) if (r.re.test(text) && !r.allowed(file)) out.push({ file, line: i + 1, rule: r.rule, text: trimmed.slice(0, 160) })
  })
  return out
}

async function sources(): Promise<{ file: string; source: string }[]> {
  const files: { file: string; source: string }[] = []
  for await (const file of new Glob('src/**/*.{ts,tsx}').scan({ cwd: ROOT })) {
    files.push({ file, source: await Bun.file(ROOT + file).text() })
  }
  return files.sort((a, b) => a.file.localeCompare(b.file))
}

describe('raw SQL lint over src/', () => {
  test('scans the whole tree (the glob finds the runner, feature SQL and views)', async () => {
    const files = (await sources()).map((s) => s.file)
    expect(files.length).toBeGreaterThan(100)
    expect(files).toContain(RUNNER)
    expect(files.some((f) => f.endsWith('.sql.ts'))).toBe(true)
    expect(files.some((f) => f.endsWith('.tsx'))).toBe(true)
  })

  test('.unsafe( only in the migration runner; no string-built or misplaced SQL anywhere', async () => {
    const findings = (await sources()).flatMap((s) => lint(s.file, s.source))
    expect(findings).toEqual([])
  })

  test('the runner really is the one user of .unsafe (so the allowance is not dead)', async () => {
    const runner = await Bun.file(ROOT + RUNNER).text()
    expect(runner).toMatch(/\.unsafe\(/)
  })

  test('each rule catches what it is for (the lint can fail)', () => {
    const bad: [string, string, string][] = [
      ['src/features/x/routes.tsx', 'await c.deps.sql.unsafe(`SELECT * FROM users WHERE id = ${id}`)', 'unsafe'],
      ['src/features/x/y.sql.ts', "const rows = await sql.unsafe('SELECT 1')", 'unsafe'],
      ['src/features/x/y.sql.ts', "const run = sql['unsafe']", 'unsafe'],
      ['src/features/x/y.sql.ts', 'const { unsafe } = sql', 'unsafe'],
      ['src/features/x/y.sql.ts', 'await sql`SELECT * FROM ${sql(`users_${year}`)}`', 'string-built sql() argument'],
      ['src/features/x/y.sql.ts', "await sql`SELECT * FROM ${sql('users_' + year)}`", 'concatenated sql() argument'],
      ['src/features/x/service.ts', 'const rows = await sql<Row[]>`SELECT 1`', 'SQL outside *.sql.ts'],
      ['src/features/x/service.ts', 'await tx`UPDATE users SET locked = true`', 'SQL outside *.sql.ts'],
    ]
    for (const [file, line, rule] of bad) expect([line, lint(file, line).map((f) => f.rule)]).toEqual([line, expect.arrayContaining([rule])])
    // …and leaves the safe forms alone.
    const good: [string, string][] = [
      ['src/features/x/y.sql.ts', 'return sql<Row[]>`SELECT * FROM users WHERE id = ${id}`'],
      ['src/features/x/y.sql.ts', 'await sql`INSERT INTO t ${sql(rows, "a", "b")}`'],
      [RUNNER, 'await tx.unsafe(m.sql)'],
      ['src/features/x/routes.tsx', '// never call sql.unsafe( here'],
    ]
    for (const [file, line] of good) expect([line, lint(file, line)]).toEqual([line, []])
  })
})
