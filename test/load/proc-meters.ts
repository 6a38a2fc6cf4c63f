// What the load benchmarks read from /proc: open-files limit, resident memory and CPU time of a
// process (the bench client, its server, the PostgreSQL backends and redis-server). Linux only.
import { readFileSync } from 'node:fs'

/** The open-files limit of this process (the server inherits it): each socket is one file here and one there. */
export function fdLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'))
  return !m || m[1] === 'unlimited' ? Infinity : Number(m[1])
}
/** CPU time (user + system, ms) a process has used so far, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8') as string
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * 10 // utime, stime (fields 14 and 15)
}
/** Client and server CPU over one phase of the bench (who is the bottleneck on a shared machine). */
export function cpuMeter(serverPid: number) {
  const c0 = cpuMs(process.pid), s0 = cpuMs(serverPid)
  return () => ({ client: cpuMs(process.pid) - c0, server: cpuMs(serverPid) - s0 })
}
/** CPU of the PostgreSQL backends serving the server's pool, and of redis-server (shared with anyone else using it). */
export async function serviceMeter(pids: () => Promise<number[]>, redisPid: number) {
  const read = (pid: number) => { try { return cpuMs(pid) } catch { return 0 } }
  const start = new Map<number, number>()
  for (const p of await pids()) start.set(p, read(p))
  const redis0 = read(redisPid)
  return async () => {
    let postgres = 0
    for (const p of await pids()) postgres += read(p) - (start.get(p) ?? 0) // a backend started meanwhile counts whole
    return { postgres, redis: read(redisPid) - redis0 }
  }
}
export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!m) throw new Error(`no VmRSS for pid ${pid}`)
  return Number(m[1])
}
