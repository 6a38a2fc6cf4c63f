// Bell schedule: every 10 s, mark the block in progress, or show a "Passing: end – start" row
// between two consecutive blocks. Loaded only on pages with a bell schedule (no inline script:
// CSP script-src 'self').
//
// The server renders, on each `.bell-day`: data-date (the day shown, YYYY-MM-DD) and data-tz (the
// school's time zone); on each block row: data-start and data-end ("HH:MM", 24-hour). The wall
// clock is read in data-tz, not the browser's zone, and only the day that is today there is marked.
//
// Tests: a `data-now` attribute (an ISO instant, e.g. "2026-11-30T14:00:00Z") on the .bell-day
// element or on <html> replaces Date.now(); setting or changing it re-checks at once.
(() => {
  'use strict'
  const DAY = '.bell-day'
  const fmts = new Map()

  function wallClock(ms, tz) {
    let f = fmts.get(tz)
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: tz || undefined, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      })
      fmts.set(tz, f)
    }
    const parts = {}
    for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value
    return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) }
  }

  function nowMs(el) {
    const raw = el.getAttribute('data-now') || document.documentElement.getAttribute('data-now')
    const t = raw ? Date.parse(raw) : NaN
    return Number.isNaN(t) ? Date.now() : t
  }

  const minutesOf = (hhmm) => {
    const [h, m] = hhmm.split(':').map(Number)
    return h * 60 + m
  }
  const twelveHour = (hhmm) => {
    const [h, m] = hhmm.split(':').map(Number)
    return `${h % 12 === 0 ? 12 : h % 12}:${String(m).padStart(2, '0')}`
  }

  /** What should be marked: { current: i } (block i), { passing: i } (after block i), or null. */
  function stateOf(el) {
    const w = wallClock(nowMs(el), el.getAttribute('data-tz'))
    if (w.date !== el.getAttribute('data-date')) return null
    const rows = el.querySelectorAll('.bell-block[data-start][data-end]')
    for (let i = 0; i < rows.length; i++) {
      const start = minutesOf(rows[i].dataset.start), end = minutesOf(rows[i].dataset.end)
      if (w.minutes >= start && w.minutes < end) return { key: `c${i}`, current: i }
      const next = rows[i + 1]
      if (next && w.minutes >= end && w.minutes < minutesOf(next.dataset.start)) return { key: `p${i}`, passing: i }
    }
    return null
  }

  function update(el) {
    const s = stateOf(el)
    const key = s ? s.key : ''
    // Only touch the page when something changed (the row is inside a live region).
    if ((el.getAttribute('data-marked') || '') === key) return
    el.setAttribute('data-marked', key)
    for (const r of el.querySelectorAll('.bell-passing')) r.remove()
    for (const r of el.querySelectorAll('.bell-block.current')) {
      r.classList.remove('current')
      r.removeAttribute('aria-current')
    }
    if (!s) return
    const rows = el.querySelectorAll('.bell-block[data-start][data-end]')
    if (s.current !== undefined) {
      rows[s.current].classList.add('current')
      rows[s.current].setAttribute('aria-current', 'time')
      return
    }
    const before = rows[s.passing], after = rows[s.passing + 1]
    const li = document.createElement('li')
    li.className = 'bell-passing current'
    li.setAttribute('aria-current', 'time')
    const name = document.createElement('span')
    name.className = 'bell-name'
    name.textContent = 'Passing:'
    const time = document.createElement('span')
    time.className = 'bell-time'
    time.textContent = `${twelveHour(before.dataset.end)} – ${twelveHour(after.dataset.start)}`
    li.append(name, ' ', time)
    before.after(li)
  }

  function updateAll() {
    for (const el of document.querySelectorAll(DAY)) update(el)
  }

  updateAll()
  setInterval(updateAll, 10000)
  // A day swapped in by an arrow (htmx), or a data-now set by a test: check at once.
  new MutationObserver((records) => {
    if (records.some((r) => r.type === 'attributes' || [...r.addedNodes].some((n) => n.nodeType === 1 && (n.matches(DAY) || n.querySelector(DAY))))) updateAll()
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-now'] })
})()
