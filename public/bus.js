// The bus board, live (ion-apps.md §12): Ion's JSON protocol over /bus/ws. No framework, no
// inline code (CSP). Every (re)connect starts with a full snapshot, so there is nothing to resync.
(() => {
  'use strict'
  const root = document.getElementById('bus')
  if (!root) return
  const $ = (id) => document.getElementById(id)
  const d = root.dataset
  const view = d.view
  const editable = d.editable === '1'
  const staleAt = Date.parse(d.staleAt || '')
  const lateAt = d.lateAt ? Date.parse(d.lateAt) : NaN
  let myRouteId = d.myRoute ? Number(d.myRoute) : null
  let myStatus = d.myStatus || null
  let routes = null
  let announcement = ''
  let stale = false
  /** bus-admin.js's renderers (bus admins' pages only; that file loads after this one). */
  const listeners = []

  const ICON = { arrived: '✓', ontime: '◷', late: '!', delayed: '⚠' }
  // Ion's rule: lower-case, no whitespace or '-', no jt/ac/lc/pw prefixes; then "contains".
  const norm = (s) => String(s).toLowerCase().replace(/[\s-]+/g, '').replace(/jt|ac|lc|pw/g, '')
  const mentions = (text, name) => { const r = norm(name); return r !== '' && norm(text).includes(r) }
  // The search box (board.ts searchRoutes): typed exactly, else equal by Ion's rule, else prefix.
  const strip = (s) => String(s).toLowerCase().replace(/[\s-]+/g, '')
  function searchRoutes(list, q) {
    const sq = strip(q)
    const nq = norm(q)
    if (!sq) return []
    const exact = list.filter((r) => strip(r.route_name) === sq)
    if (exact.length) return exact
    const same = nq ? list.filter((r) => norm(r.route_name) === nq) : []
    if (same.length) return same
    return list.filter((r) => strip(r.route_name).startsWith(sq) || (nq !== '' && norm(r.route_name).startsWith(nq)))
  }
  const labelSize = (name, w) => Math.max(9, Math.min(18, Math.floor((w - 26) / (Math.max(1, name.length) * 0.62))))
  const spaceNo = (s) => s.slice(1)
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e }
  const mine = () => (routes && myRouteId !== null ? routes.find((r) => r.id === myRouteId) || null : null)

  // ---------------------------------------------------------------- notices ---
  let toastTimer = 0
  function toast(text) {
    const t = $('bus-toast')
    if (!t) return
    t.textContent = text
    t.hidden = false
    clearTimeout(toastTimer)
    toastTimer = setTimeout(() => { t.hidden = true }, 6000)
  }
  let connTimer = 0
  function connNotice(text, ms) {
    const c = $('bus-conn')
    clearTimeout(connTimer)
    c.textContent = text
    c.hidden = !text
    if (text && ms) connTimer = setTimeout(() => { c.hidden = true }, ms)
  }

  // ----------------------------------------------------------------- socket ---
  let ws = null
  let delay = 2000
  let retryTimer = 0
  let pingTimer = 0
  let deadTimer = 0
  let downTimer = 0
  let shownDown = false

  function connect() {
    clearTimeout(retryTimer)
    let s
    try {
      s = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/bus/ws')
    } catch {
      return retry()
    }
    ws = s
    s.onopen = () => {
      if (ws !== s) return
      delay = 2000
      clearTimeout(downTimer)
      if (shownDown) connNotice('Connection established.', 3000)
      shownDown = false
      clearInterval(pingTimer)
      pingTimer = setInterval(keepalive, 30000)
    }
    s.onmessage = (e) => {
      if (ws !== s) return
      clearTimeout(deadTimer)
      handle(e.data)
    }
    s.onclose = (e) => drop(s, e.code)
  }
  // Down: show "No connection" unless it comes straight back; reconnect after 2 s, ×1.25, ≤ 10 s.
  // 1012 (service restart: the server is shutting down gracefully) retries sooner, spread over
  // 0.5–2 s so a whole school's boards don't come back in the same instant.
  function drop(s, code) {
    if (ws !== s) return
    ws = null
    if (code === 1012) delay = 500 + Math.floor(Math.random() * 1500)
    try { s.close() } catch {}
    clearInterval(pingTimer)
    clearTimeout(deadTimer)
    clearTimeout(downTimer)
    downTimer = setTimeout(() => { shownDown = true; connNotice('No connection to the bus board. Reconnecting…') }, 1500)
    retry()
  }
  function retry() {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(connect, delay)
    delay = Math.min(10000, delay * 1.25)
  }
  function keepalive() {
    const s = ws
    if (!s || s.readyState !== 1) return
    s.send('{"type":"keepalive"}')
    clearTimeout(deadTimer)
    deadTimer = setTimeout(() => drop(s), 10000) // nothing back within 10 s: a dead connection
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && !ws) { delay = 2000; connect() }
  })

  function send(msg) {
    if (stale) { $('bus-stale').hidden = false; toast('This board is out of date: reload it to make changes.'); return true }
    if (!ws || ws.readyState !== 1) return false
    ws.send(JSON.stringify(Object.assign({}, msg, { time: view })))
    return true
  }

  function handle(raw) {
    let m
    try { m = JSON.parse(raw) } catch { return }
    if (!m || typeof m !== 'object') return
    if (typeof m.error === 'string') return toast(m.error)
    if (!Array.isArray(m.allRoutes)) return
    // Only the personal snapshot names the viewer's route (a broadcast can come first: keep it).
    if (typeof m.userRouteId === 'number') myRouteId = m.userRouteId
    routes = m.allRoutes
    announcement = typeof m.announcement === 'string' ? m.announcement : ''
    render()
  }

  // ----------------------------------------------------------------- render ---
  function render() {
    const r = mine()
    if (r && r.status === 'a' && myStatus !== null && myStatus !== 'a') arrived(r)
    myStatus = r ? r.status : null
    renderBanner(r)
    renderAnnouncement(r)
    for (const st of ['a', 'o', 'd']) renderList(st)
    if (view === 'afternoon') renderLot()
    search()
    for (const f of listeners) f()
    notifyButton()
  }

  function renderBanner(r) {
    const b = $('bus-banner')
    if (!b) return
    if (!r) {
      if (!b.classList.contains('register')) b.hidden = true
      return
    }
    const tone = r.status === 'a' ? 'arrived' : r.status === 'd' ? 'delayed' : Date.now() >= lateAt ? 'late' : 'ontime'
    const text = tone === 'arrived' ? `${r.route_name} has arrived${r.space ? ` (space ${spaceNo(r.space)})` : ''}`
      : tone === 'delayed' ? `${r.route_name} is delayed` : tone === 'late' ? `${r.route_name} has not arrived yet` : `${r.route_name} is on time`
    b.className = `bus-banner ${tone}`
    b.setAttribute('role', 'status')
    b.hidden = false
    const icon = el('span', 'bus-banner-icon', ICON[tone])
    icon.setAttribute('aria-hidden', 'true')
    b.replaceChildren(icon, el('span', 'bus-banner-text', text))
  }

  function renderAnnouncement(r) {
    const box = $('bus-ann')
    const m = !!r && mentions(announcement, r.route_name)
    box.hidden = !announcement
    box.classList.toggle('mine', m)
    $('bus-ann-title').textContent = m ? 'Announcement about your bus' : 'Bus announcement'
    $('bus-ann-text').textContent = announcement
    const input = $('bus-ann-input')
    if (input && document.activeElement !== input) input.value = announcement
  }

  function renderList(st) {
    const ul = $(`bus-list-${st}`)
    if (!ul) return
    const list = routes.filter((r) => r.status === st)
    ul.replaceChildren(...list.map((r) => {
      const li = el('li', r.id === myRouteId ? 'mine' : '')
      li.append(el('span', 'rn', r.route_name))
      if (ul.dataset.withSpace && r.space) li.append(' ', el('span', 'sp', `space ${spaceNo(r.space)}`))
      return li
    }))
    $(`bus-count-${st}`).textContent = String(list.length)
  }

  function renderLot() {
    const bySpace = new Map(routes.filter((r) => r.status === 'a' && r.space).map((r) => [r.space, r]))
    for (const g of document.querySelectorAll('#bus-lot g[data-space]')) {
      const id = g.dataset.space
      const r = bySpace.get(id)
      g.classList.toggle('filled', !!r)
      g.classList.toggle('mine', !!r && r.id === myRouteId)
      g.dataset.route = r ? String(r.id) : ''
      const label = g.querySelector('.space-route')
      const w = Number(g.querySelector('rect').getAttribute('width'))
      label.textContent = r ? r.route_name : ''
      label.setAttribute('font-size', String(labelSize(r ? r.route_name : '', w)))
      const a = g.parentElement
      if (a && a.classList.contains('space-link'))
        a.setAttribute('aria-label', r ? `Space ${spaceNo(id)}: ${r.route_name}. Unassign` : `Space ${spaceNo(id)}, empty: assign a bus`)
    }
    const title = $('bus-lot-title')
    if (title) title.textContent = `Bus lot map: ${bySpace.size} of ${d.spaces || root.querySelectorAll('#bus-lot g[data-space]').length} spaces filled`
  }

  // -------------------------------------------------------------- arrivals ---
  function arrived(r) {
    const text = `Your bus ${r.route_name} has arrived${r.space ? ` — space ${spaceNo(r.space)}` : ''}.`
    // Shown first, then filled: screen readers announce the alert's new text.
    $('bus-arrived').hidden = false
    $('bus-arrived-text').textContent = ''
    setTimeout(() => { $('bus-arrived-text').textContent = text }, 50)
    if (navigator.vibrate) navigator.vibrate([200, 100, 200])
    if ('Notification' in window && Notification.permission === 'granted') {
      try { new Notification('Your bus has arrived', { body: text, tag: 'bus-arrived' }) } catch {} // Android wants a service worker
    }
  }
  $('bus-arrived-close').addEventListener('click', () => { $('bus-arrived').hidden = true })

  function notifyButton() {
    const b = $('bus-notify')
    if (b) b.hidden = !('Notification' in window) || Notification.permission !== 'default' || myRouteId === null
  }
  const nb = $('bus-notify')
  if (nb) nb.addEventListener('click', () => { Notification.requestPermission().then(notifyButton, notifyButton) })

  // ----------------------------------------------------------------- search ---
  const q = $('bus-q')
  function search() {
    if (!q || !routes) return
    const needle = q.value.trim()
    const found = searchRoutes(routes, needle)
    const ids = new Set(found.map((r) => r.id))
    for (const g of document.querySelectorAll('#bus-lot g[data-space]')) g.classList.toggle('found', ids.has(Number(g.dataset.route)))
    const where = (r) => (r.status === 'a' ? (r.space ? `is in space ${spaceNo(r.space)}` : 'has arrived (no space yet)') : r.status === 'd' ? 'is delayed' : 'has not arrived yet')
    $('bus-found').textContent = !needle ? '' : found.length === 0 ? `No route matches “${q.value.trim()}”.`
      : found.length === 1 ? `${found[0].route_name} ${where(found[0])}.` : `${found.length} routes match: ${found.map((r) => r.route_name).join(', ')}.`
  }
  if (q) {
    q.addEventListener('input', search)
    q.form.addEventListener('submit', (e) => {
      if (!routes) return // not connected yet: the server highlights
      e.preventDefault()
      search()
      const hit = document.querySelector('#bus-lot g.found')
      if (hit) hit.scrollIntoView({ block: 'center', behavior: 'smooth' })
    })
  }

  // What bus-admin.js builds on.
  window.IonBus = { view, editable, send, toast, norm, strip, el, spaceNo, routes: () => routes, onRender: (f) => listeners.push(f) }

  // ------------------------------------------------------------------ timers ---
  const at = (t, fn) => { if (Number.isFinite(t) && t > Date.now()) setTimeout(fn, Math.min(t - Date.now(), 2 ** 31 - 1)) }
  at(lateAt + 50, () => { if (routes) renderBanner(mine()) })
  at(staleAt, () => { stale = true; $('bus-stale').hidden = false })
  if (Number.isFinite(staleAt) && staleAt <= Date.now()) { stale = true; $('bus-stale').hidden = false }

  connect()
})()
