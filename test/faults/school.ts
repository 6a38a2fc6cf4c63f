// The whole stage a fault test plays on: its own PostgreSQL and Redis, the demo school, the first
// upcoming block staged for a rush (signups just opened, ten small "hot" activities), one real
// session per student, and a real `ion serve`. `stop()` undoes all of it, also after a failure.
import type { Sql } from '../../src/platform/db.ts'
import { Cleanup } from '../load/harness.ts'
import { stageBlock, type Stage } from '../load/signup-rush.ts'
import { loadDemoSchool, mintSessions, openDb, startIonProcess, type IonProcess } from './ion.ts'
import { startServices, type Services } from './services.ts'

export type School = {
  services: Services
  ion: IonProcess
  /** A small pool of the test's own (not the server's) on the school's database. */
  sql: Sql
  stage: Stage
  /** Session token by student id. */
  tokens: Map<number, string>
  stop(): Promise<void>
}

export const faultLog = (name: string) => (s: string) => process.stderr.write(`${name}: ${s}\n`)

export async function startSchool(o: { students: number; log: (s: string) => void; env?: Record<string, string> }): Promise<School> {
  const cleanup = new Cleanup()
  try {
    const t = performance.now()
    const services = await startServices()
    cleanup.add('stop the services', () => services.stop())
    o.log(`postgres :${services.pgPort}, redis :${services.redisPort} in ${services.dataDir}`)
    await loadDemoSchool(services.databaseUrl, services.redisUrl)
    const sql = openDb(services.databaseUrl)
    cleanup.add('close the test pool', () => sql.end({ timeout: 2 }))
    const stage = await stageBlock(sql, process.env.SCHOOL_TZ ?? 'America/New_York', { students: o.students, hot: 10 })
    const tokens = await mintSessions(services.redisUrl, stage.students)
    const ion = await startIonProcess({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, env: o.env })
    cleanup.add('stop ion serve', () => ion.stop())
    o.log(`demo school, block ${stage.blockId} staged, ${tokens.size} sessions, ion at ${ion.url}: ${Math.round(performance.now() - t)} ms`)
    return { services, ion, sql, stage, tokens, stop: () => cleanup.run() }
  } catch (e) {
    await cleanup.run()
    throw e
  }
}

/** The figures a fault test reports to test/faults/run.ts (one line on stdout). */
export function reportFigures(fault: string, figures: Record<string, unknown>): void {
  console.log(`FAULT ${JSON.stringify({ fault, figures })}`)
}
