// Issue 10's table: each figure from the benches' JSON lines, its target on this kind of 2-core
// machine, measured ÷ target, and the ratio to the limit measured in the same run.

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
export type Raw = { rush?: Json; pages?: Json; bus?: Json; binary?: Json; mail?: Json }

export type Row = {
  bench: string
  figure: string
  measured: number | null
  unit: string
  target: { op: '≥' | '≤' | '='; value: number } | null
  /** measured ÷ the limit measured in the same run (pgbench TPS, Bun hello req/s). */
  ofLimit: { limit: string; ratio: number } | null
  met: boolean | null
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null)

function row(bench: string, figure: string, measured: unknown, unit: string, target: Row['target'], ofLimit: Row['ofLimit'] = null): Row {
  const m = num(measured)
  const met = m === null || !target ? null : target.op === '≥' ? m >= target.value : target.op === '≤' ? m <= target.value : m === target.value
  return { bench, figure, measured: m, unit, target, ofLimit, met }
}

export function rowsOf(raw: Raw): Row[] {
  const rows: Row[] = []
  const { rush, pages, bus, binary, mail } = raw
  if (rush) {
    const tps = num(rush.pgbenchTps)
    rows.push(row('limit', 'pgbench simple-update, 20 clients', tps, 'TPS', null))
    rows.push(row('rush', 'signups/s end to end (HTTP)', rush.signupsPerSec, '/s', { op: '≥', value: 2000 },
      tps ? { limit: 'pgbench TPS', ratio: rush.signupsPerSec / tps } : null))
    rows.push(row('rush', 'answers/s, every outcome (HTTP)', rush.requestsPerSec, '/s', null,
      tps ? { limit: 'pgbench TPS', ratio: rush.requestsPerSec / tps } : null))
    if (tps) rows.push(row('rush', 'signups/s ÷ pgbench TPS', Math.round((rush.signupsPerSec / tps) * 1000) / 10, '%', { op: '≥', value: 30 }))
    rows.push(row('rush', 'latency p50', rush.latencyMs?.p50, 'ms', null))
    rows.push(row('rush', 'latency p99', rush.latencyMs?.p99, 'ms', { op: '≤', value: 250 }))
    rows.push(row('rush', 'latency max', rush.latencyMs?.max, 'ms', null))
    rows.push(row('rush', 'answers 5xx', rush.fiveXx, '', { op: '=', value: 0 }))
    rows.push(row('rush', 'over-capacity seats', rush.overCapacity, '', { op: '=', value: 0 }))
    rows.push(row('rush', 'duplicate signups', rush.duplicates, '', { op: '=', value: 0 }))
  }
  if (pages) {
    const hello = num(pages.hello?.reqPerSec)
    rows.push(row('limit', 'Bun.serve hello (same wrk)', hello, 'req/s', null))
    for (const p of (pages.pages ?? []) as Json[]) {
      const rps = p.name === 'signup page' || p.name === 'dashboard' ? { op: '≥' as const, value: 2500 } : null
      rows.push(row('pages', `${p.name}: req/s (wrk)`, p.reqPerSec, 'req/s', rps, hello ? { limit: 'hello', ratio: p.reqPerSec / hello } : null))
      rows.push(row('pages', `${p.name}: p99 (wrk)`, p.p99Ms, 'ms', p.name === 'signup page' ? { op: '≤', value: 40 } : null))
      rows.push(row('pages', `${p.name}: p99 at ${pages.openRate ?? 200} req/s`, p.at200?.p99Ms, 'ms', { op: '≤', value: 100 }))
      rows.push(row('pages', `${p.name}: bytes`, p.bytes, 'B', null))
    }
  }
  if (bus) {
    rows.push(row('bus', `connect storm, ${bus.clients} sockets`, bus.connect_storm_ms, 'ms', { op: '≤', value: 1000 }))
    rows.push(row('bus', 'server publish (median)', bus.server_publish_ms_median, 'ms', { op: '≤', value: 5 }))
    rows.push(row('bus', 'update delivery p50', bus.update_p50_ms, 'ms', null))
    rows.push(row('bus', 'update delivery p99', bus.update_p99_ms, 'ms', { op: '≤', value: 300 }))
    rows.push(row('bus', 'memory per idle connection', bus.bytes_per_idle_connection, 'B', { op: '≤', value: 4096 }))
  }
  if (binary) {
    rows.push(row('binary', 'cold start → first 200 (median of 5)', binary.coldStartMs, 'ms', { op: '≤', value: 150 }))
    rows.push(row('binary', 'idle RSS', binary.idleRssMb, 'MB', { op: '≤', value: 100 }))
    rows.push(row('binary', 'file size', binary.sizeMb, 'MB', { op: '≤', value: 120 }))
  }
  if (mail) {
    rows.push(row('mail', 'enqueue in a transaction (median)', mail.enqueueMedianUs, 'µs', null))
    rows.push(row('mail', `${mail.recipients}-recipient message → sink (median)`, mail.toSinkMedianMs, 'ms', { op: '≤', value: 10_000 }))
  }
  return rows
}

const fmt = (x: number | null) => (x === null ? '–' : Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 100) / 100))

export function tabulate(raw: Raw): { text: string; rows: Row[] } {
  const rows = rowsOf(raw)
  const cells = rows.map((r) => [
    r.bench,
    r.figure,
    `${fmt(r.measured)} ${r.unit}`.trim(),
    r.target ? `${r.target.op} ${fmt(r.target.value)} ${r.unit}`.trim() : '',
    r.target && r.measured !== null && r.target.value !== 0 ? (r.measured / r.target.value).toFixed(2) : '',
    r.ofLimit ? `${(r.ofLimit.ratio * 100).toFixed(1)}% of ${r.ofLimit.limit}` : '',
    r.met === null ? '' : r.met ? 'ok' : 'MISS',
  ])
  const head = ['bench', 'figure', 'measured', 'target', '÷target', 'ratio to limit', '']
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)))
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd()
  const missed = rows.filter((r) => r.met === false).length
  const text = [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), '', `${rows.filter((r) => r.met).length} targets met, ${missed} missed`].join('\n')
  return { text, rows }
}
