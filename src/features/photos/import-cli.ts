import { registerImporter, type ImporterArgs } from '../../cli/importers.ts'
import { openRuntime, progressBar } from '../../cli/runtime.ts'
import { yearLabel } from './image.ts'
import { applyPhotoImport, planPhotoImport, SourceChanged } from './import-plan.ts'
import { openSource } from './sources.ts'

// `ion import photos <dir|zip> [--grade N] [--dry-run]`.

registerImporter({
  kind: 'photos',
  usage: 'photos <dir|file.zip> [--grade N] [--dry-run]',
  summary: 'Import photos named <student id>.jpg/.png from a folder or a zip (grade: the student’s current one)',
  flags: {
    'dry-run': { type: 'boolean', help: 'print what would change; write nothing' },
    grade: { type: 'string', help: 'the grade the photos are from: 9–12, or 13 for staff (default: each student’s current grade)' },
  },
  run: runPhotoImport,
})

const out = (s: string) => process.stdout.write(s + '\n')
const err = (s: string) => process.stderr.write(s + '\n')

async function runPhotoImport({ file, flags }: ImporterArgs): Promise<number> {
  let grade: number | null = null
  if (flags.grade !== undefined) {
    const g = String(flags.grade)
    if (!/^\d{1,2}$/.test(g) || Number(g) < 9 || Number(g) > 13) {
      err('ion import photos: --grade must be 9, 10, 11, 12, or 13 for staff')
      return 2
    }
    grade = Number(g)
  }
  const opened = await openSource(file)
  if (!opened.ok) {
    err(`ion import: ${opened.message}`)
    return 1
  }
  const source = opened.source
  const rt = openRuntime({ poolMax: 2 })
  try {
    const t0 = performance.now()
    const check = progressBar('check photos', source.entries.length)
    const plan = await planPhotoImport(rt.sql, source, {
      grade, today: rt.clock.today(), turnoverMonth: rt.config.yearTurnoverMonth, onProgress: (n) => check.tick(n),
    })
    check.done()
    for (const e of plan.errors) err(`${e.name}: ${e.message}`)
    const summary = `${plan.files} file(s) in the ${source.kind}: ${plan.valid.length} valid, ${plan.errors.length} with errors`
    if (flags['dry-run']) {
      for (const v of plan.valid) out(`photo  ${v.name}  student ID ${v.studentId}  ${yearLabel(v.gradeNumber).toLowerCase()}`)
      out(`dry run: ${summary} (nothing written, ${Math.round(performance.now() - t0)} ms)`)
      return plan.valid.length === 0 && plan.errors.length ? 1 : 0
    }
    if (plan.valid.length === 0) {
      err(`ion import: ${summary}; nothing imported`)
      return plan.errors.length ? 1 : 0
    }
    const bar = progressBar('import photos', plan.valid.length)
    const r = await applyPhotoImport(rt.sql, source, plan, { now: rt.clock.now(), file, onProgress: (n) => bar.tick(n) })
    bar.done()
    out(`imported photos from ${file}: ${r.created} new, ${r.replaced} replaced, ${r.unchanged} unchanged; `
      + `${plan.errors.length} file(s) skipped for errors (${Math.round(performance.now() - t0)} ms)`)
    return 0
  } catch (e) {
    if (e instanceof SourceChanged) {
      err(`ion import: ${e.message}; nothing was imported`)
      return 1
    }
    throw e
  } finally {
    await rt.close()
  }
}
