import { registerImporter, type ImporterArgs } from '../../cli/importers.ts'
import { openRuntime, progressBar } from '../../cli/runtime.ts'
import { decodeCsvBytes } from '../../platform/csv.ts'
import { planCsv, applyPlan, planSummary, planSize, resultSummary, type AnyPlan, type ImportKind } from './service.ts'

// `ion import users <file>` and `ion import groups <file>`.

const COMMON = {
  'dry-run': { type: 'boolean', help: 'print what would change; write nothing' },
  'valid-only': { type: 'boolean', help: 'import the valid rows even when other rows have errors' },
} as const

registerImporter({
  kind: 'users',
  usage: 'users <file.csv> [--dry-run] [--valid-only] [--deactivate-missing]',
  summary: 'Create or update accounts (students by student ID, staff by username)',
  flags: { ...COMMON, 'deactivate-missing': { type: 'boolean', help: 'deactivate active students whose student ID is not in the file' } },
  run: (a) => runImport('users', a),
})

registerImporter({
  kind: 'groups',
  usage: 'groups <file.csv> [--dry-run] [--valid-only]',
  summary: 'Add members to groups (columns group, username); creates missing groups, never admin_*',
  flags: { ...COMMON },
  run: (a) => runImport('groups', a),
})

const out = (s: string) => process.stdout.write(s + '\n')
const err = (s: string) => process.stderr.write(s + '\n')

async function readText(file: string): Promise<string | null> {
  const f = Bun.file(file)
  if (!(await f.exists())) {
    err(`ion import: cannot read ${file}: no such file`)
    return null
  }
  const decoded = decodeCsvBytes(new Uint8Array(await f.arrayBuffer()))
  if (!decoded.ok) {
    err(`ion import: ${file} is not a CSV text file`)
    return null
  }
  return decoded.text
}

async function runImport(kind: ImportKind, { file, flags }: ImporterArgs): Promise<number> {
  const text = await readText(file)
  if (text === null) return 1
  const dryRun = Boolean(flags['dry-run'])
  const validOnly = Boolean(flags['valid-only'])
  const rt = openRuntime({ poolMax: 2 })
  try {
    const t0 = performance.now()
    const plan = await planCsv(rt.sql, kind, text, {
      today: rt.clock.today(), turnoverMonth: rt.config.yearTurnoverMonth, deactivateMissing: Boolean(flags['deactivate-missing']),
    })
    for (const note of plan.notes) err(`note: ${note}`)
    for (const e of plan.errors) err(`${file}:${e.line}: ${e.message}`)
    if (dryRun) {
      printPlan(plan)
      out(`dry run: ${planSummary(plan)} (nothing written, ${Math.round(performance.now() - t0)} ms)`)
      return plan.fatal || (plan.errors.length && !validOnly) ? 1 : 0
    }
    const bar = progressBar(`import ${kind}`, planSize(plan))
    const result = await applyPlan(rt.sql, plan, {
      validOnly, now: rt.clock.now(), audit: { actorId: null, source: 'cli', file }, onProgress: (done) => bar.tick(done),
    })
    bar.done()
    if (!result.ok) {
      err(`ion import: ${result.errors.join(' ')}`)
      return 1
    }
    out(`imported ${kind} from ${file}: ${resultSummary(result.value)} (${Math.round(performance.now() - t0)} ms)`)
    return 0
  } finally {
    await rt.close()
  }
}

function printPlan(plan: AnyPlan): void {
  if (plan.kind === 'groups') {
    for (const g of plan.newGroups) out(`create group  ${g}`)
    for (const a of plan.adds) out(`add  line ${a.line}  ${a.username} → ${a.group}`)
    return
  }
  for (const c of plan.creates) {
    const u = c.user
    const extra = [u.studentId && `student ID ${u.studentId}`, u.graduationYear && `class of ${u.graduationYear}`, c.counselor && `counselor ${c.counselor.username}`, c.email]
    out(`create  line ${c.line}  ${u.username}  ${u.userType}  ${u.lastName}, ${u.firstName}  (${extra.filter(Boolean).join(', ')})`)
  }
  for (const u of plan.updates)
    out(`update  line ${u.line}  ${u.was}  ${u.changes.map((c) => `${c.field}: ${c.from} → ${c.to}`).join('; ')}`)
  for (const d of plan.deactivations) out(`deactivate  ${d.username}  ${d.lastName}, ${d.firstName}  (student ID ${d.studentId})`)
}
