import type { EmergState } from './state.ts'
import type { Shown } from './warnings.ts'

// How the emergency message and warnings look wherever they show (every page's banner slot, the
// dashboard feed, the login page). Plain text, escaped; line breaks kept by CSS.

export function EmergencyBanner({ s }: { s: EmergState }) {
  if (!s.status) return ''
  return (
    <div class="alert error emergency" role="alert">
      {s.title ? <p class="banner-title" safe>{`Emergency: ${s.title}`}</p> : <p class="banner-title">Emergency announcement</p>}
      {s.message && s.message !== s.title ? <p class="banner-body" safe>{s.message}</p> : ''}
    </div>
  )
}

export function WarningBanner({ w }: { w: Shown }) {
  return (
    <div class="alert warn warning" role="status" data-warning={String(w.id)}>
      {w.title ? <p class="banner-title" safe>{w.title}</p> : ''}
      <p class="banner-body" safe>{w.body}</p>
    </div>
  )
}

export const renderWarnings = (list: Shown[]) => list.map((w) => (<WarningBanner w={w} />) as string).join('')
