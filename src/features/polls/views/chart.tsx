// A server-rendered horizontal bar chart of a question's results: no script, no inline style
// (colours come from polls.css classes, so both themes work). The SVG is an image named by its
// <title> and described by its <desc>; each bar has its own <title>; the numbers are also in the
// data table that follows it on the page.

export type ChartBar = { label: string; value: number; note: string; muted?: boolean }

const W = 320
const ROW = 40
const TOP = 4
const BAR_H = 15
const LABEL_MAX = 40

const short = (s: string) => (s.length > LABEL_MAX ? s.slice(0, LABEL_MAX - 1) + '…' : s)

export function ResultChart({ id, title, desc, bars }: { id: string; title: string; desc: string; bars: ChartBar[] }) {
  const max = Math.max(0, ...bars.map((b) => b.value))
  const plot = W - 86
  const height = TOP + bars.length * ROW + 4
  return (
    <svg class="poll-chart" viewBox={`0 0 ${W} ${height}`} width={String(W)} height={String(height)} role="img"
      aria-labelledby={`${id}-title ${id}-desc`} xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">
      <title id={`${id}-title`} safe>{title}</title>
      <desc id={`${id}-desc`} safe>{desc}</desc>
      {bars.map((b, i) => {
        const y = TOP + i * ROW
        const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, (b.value / max) * plot) : 0
        return (
          <g class={b.muted ? 'poll-bar muted' : 'poll-bar'}>
            <title safe>{`${b.label}: ${b.note}`}</title>
            <text class="poll-bar-label" x="0" y={String(y + 13)} safe>{short(b.label)}</text>
            <rect class="poll-bar-track" x="0" y={String(y + 18)} width={String(plot)} height={String(BAR_H)} rx="3" />
            <rect class="poll-bar-fill" x="0" y={String(y + 18)} width={String(Math.round(w * 10) / 10)} height={String(BAR_H)} rx="3" />
            <text class="poll-bar-value" x={String(plot + 6)} y={String(y + 30)} safe>{b.note}</text>
          </g>
        )
      })}
    </svg>
  )
}
