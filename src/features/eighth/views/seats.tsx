import { escapeHtml } from '@kitajs/html'
import { UNLIMITED, isFull, seatsLeft } from '../effective.ts'

// The seat count of one scheduled activity with its capacity bar inside: the same markup goes in
// the page, in htmx responses and (out of band) in live updates, so one id: seats-<id>.

export type Seats = { schactId: number; count: number; capacity: number }

export function seatsText({ count, capacity }: Seats): string {
  if (capacity === UNLIMITED) return `${count} signed up · Unlimited`
  if (isFull(count, capacity)) return `${count} / ${capacity} · Full`
  const left = seatsLeft(count, capacity)
  return `${count} / ${capacity} · ${left} ${left === 1 ? 'seat' : 'seats'} left`
}

/**
 * The bar's class: `w<percent>`, 0–100, styled by eighth-signup.css (no inline styles under the
 * CSP; w90–w99 draw as almost full, w100 as full). Unlimited is an empty bar. A part-full
 * activity never shows as 100, nor one at 90% or more as less than 90.
 */
export function barClass({ count, capacity }: Seats): string {
  if (capacity === UNLIMITED) return 'w0'
  if (capacity <= 0 || count >= capacity) return 'w100'
  const pct = Math.min(99, Math.floor((count * 100) / capacity))
  return `w${pct}`
}

export function SeatsText(p: Seats & { oob?: boolean }) {
  const full = p.capacity !== UNLIMITED && isFull(p.count, p.capacity)
  return (
    <span id={`seats-${p.schactId}`} class={full ? 'full' : undefined} hx-swap-oob={p.oob ? 'true' : undefined}>
      <i class={barClass(p)}></i>
      {escapeHtml(seatsText(p))}
    </span>
  )
}

/** The live message for a block: out-of-band seat counts (each with its bar). */
export function seatsMessage(list: Seats[]): string {
  return list.map((s) => (<SeatsText {...s} oob />) as string).join('')
}
