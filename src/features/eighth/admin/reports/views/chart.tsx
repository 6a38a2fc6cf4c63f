// A server-rendered, accessible bar chart (no script, no inline style: colours come from
// app.css classes, so both themes work). The SVG is an image with a <title> and a <desc> that
// says what it shows; each bar has its own <title>; the numbers are also in a table (the
// fallback for screen readers and for anyone who prefers to read).

export type Bar = {
  /** Full label, used in the bar's tooltip and the table. */
  label: string
  value: number
  /** Drawn inside the bar (e.g. present out of signed up); null when unknown. */
  overlay: number | null
  /** A short axis label shown under some bars (e.g. the month). */
  tick?: string
  /** Drawn as a marker instead of a bar (e.g. cancelled). */
  muted?: boolean
}

type Props = { id: string; title: string; desc: string; bars: Bar[]; valueName: string; overlayName: string }

const SLOT = 18
const BAR = 12
const LEFT = 34
const TOP = 10
const PLOT = 150
const BOTTOM = 26

/** A round upper bound for the axis: 5, 10, 20, 25, 50, 100, … */
export function niceMax(n: number): number {
  if (n <= 5) return 5
  const p = 10 ** Math.floor(Math.log10(n))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p
  return 10 * p
}

export function BarChart({ id, title, desc, bars, valueName, overlayName }: Props) {
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)))
  const width = LEFT + Math.max(bars.length, 8) * SLOT + 8
  const height = TOP + PLOT + BOTTOM
  const y = (v: number) => TOP + PLOT - (v / max) * PLOT
  return (
    <figure class="chart-figure">
      <svg class="chart" viewBox={`0 0 ${width} ${height}`} width={String(width)} height={String(height)} role="img" aria-labelledby={`${id}-title ${id}-desc`} xmlns="http://www.w3.org/2000/svg">
        <title id={`${id}-title`} safe>{title}</title>
        <desc id={`${id}-desc`} safe>{desc}</desc>
        {[0, max / 2, max].map((v) => (
          <g class="chart-grid">
            <line x1={String(LEFT)} x2={String(width - 4)} y1={String(y(v))} y2={String(y(v))} />
            <text x={String(LEFT - 4)} y={String(y(v) + 4)} text-anchor="end" safe>{String(v)}</text>
          </g>
        ))}
        {bars.map((b, i) => {
          const x = LEFT + i * SLOT + (SLOT - BAR) / 2
          const tip = `${b.label}: ${b.muted ? 'cancelled' : `${b.value} ${valueName}${b.overlay === null ? '' : `, ${b.overlay} ${overlayName}`}`}`
          return (
            <g class={b.muted ? 'chart-bar muted' : 'chart-bar'}>
              <title safe>{tip}</title>
              {b.muted
                ? <rect class="chart-cancelled" x={String(x)} y={String(TOP + PLOT - 3)} width={String(BAR)} height="3" />
                : <rect class="chart-value" x={String(x)} y={String(y(b.value))} width={String(BAR)} height={String(TOP + PLOT - y(b.value))} />}
              {!b.muted && b.overlay !== null
                ? <rect class="chart-overlay" x={String(x + 2)} y={String(y(b.overlay))} width={String(BAR - 4)} height={String(TOP + PLOT - y(b.overlay))} />
                : ''}
              {b.tick ? <text class="chart-tick" x={String(x)} y={String(TOP + PLOT + 16)} safe>{b.tick}</text> : ''}
            </g>
          )
        })}
        <line class="chart-axis" x1={String(LEFT)} x2={String(width - 4)} y1={String(TOP + PLOT)} y2={String(TOP + PLOT)} />
      </svg>
      <figcaption class="chart-legend">
        <span class="swatch chart-value-swatch" aria-hidden="true"></span><span safe>{valueName}</span>
        <span class="swatch chart-overlay-swatch" aria-hidden="true"></span><span safe>{overlayName}</span>
        <span class="swatch chart-cancelled-swatch" aria-hidden="true"></span><span>cancelled</span>
      </figcaption>
    </figure>
  )
}
