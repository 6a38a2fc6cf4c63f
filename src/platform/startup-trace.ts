// ION_STARTUP_TRACE=on (README, configuration): `ion serve` writes one line per start-up step to
// stderr, in ms since the process started (performance.now() counts from then, in the compiled
// binary too), and the step's own share:
//   startup    12.1 ms  +12.1   runtime ready, imports start
//   startup    31.9 ms  +19.8   imports done
// Imported first by src/main.ts, so its first line is the runtime's own start-up. Read here, not
// in config.ts: it must work before the configuration is loaded.
const on = /^(on|true|yes|1)$/i.test(process.env.ION_STARTUP_TRACE ?? '')
let last = 0

/** Records a start-up step (nothing unless ION_STARTUP_TRACE is on). */
export function lap(step: string): void {
  if (!on) return
  const now = performance.now()
  process.stderr.write(`startup ${now.toFixed(1).padStart(7)} ms  +${(now - last).toFixed(1).padEnd(6)} ${step}\n`)
  last = now
}

lap('runtime ready, imports start')
