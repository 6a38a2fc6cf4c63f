import { UNLIMITED, isFull, seatsLeft } from '../effective.ts'

// The seat count and capacity bar of one scheduled activity. The same markup goes in the page,
// in htmx responses and (out of band) in live updates, so one id each: seats-<id>, bar-<id>.

export type Seats = { schactId: number; count: number; capacity: number }

export function seatsText({ count, capacity }: Seats): string {
  if (capacity === UNLIMITED) return `${count} signed up · Unlimited`
  if (isFull(count, capacity)) return `${count} / ${capacity} · Full`
  const left = seatsLeft(count, capacity)
  return `${count} / ${capacity} · ${left} ${left === 1 ? 'seat' : 'seats'} left`
}

export function SeatsText(p: Seats & { oob?: boolean }) {
  const full = p.capacity !== UNLIMITED && isFull(p.count, p.capacity)
  return (
    <span id={`seats-${p.schactId}`} class={full ? 'seats full' : 'seats'} hx-swap-oob={p.oob ? 'true' : undefined} safe>
      {seatsText(p)}
    </span>
  )
}

/** A server-rendered SVG bar (no inline styles under the CSP); the text next to it says the same. */
export function CapacityBar(p: Seats & { oob?: boolean }) {
  const unlimited = p.capacity === UNLIMITED
  const ratio = unlimited ? 0 : p.capacity <= 0 ? 1 : Math.min(1, p.count / p.capacity)
  const state = unlimited ? 'unlimited' : ratio >= 1 ? 'full' : ratio >= 0.9 ? 'almost' : 'open'
  const width = Math.round(ratio * 1000) / 10
  return (
    <svg id={`bar-${p.schactId}`} class={`capbar ${state}`} viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" focusable="false"
      hx-swap-oob={p.oob ? 'true' : undefined}>
      <rect class="capbar-track" x="0" y="0" width="100" height="6" rx="3" />
      {width > 0 ? <rect class="capbar-fill" x="0" y="0" width={String(width)} height="6" rx="3" /> : ''}
    </svg>
  )
}

/** The live message for a block: out-of-band seat counts and bars. */
export function seatsMessage(list: Seats[]): string {
  return list.map((s) => (<><SeatsText {...s} oob /><CapacityBar {...s} oob /></>) as string).join('')
}
