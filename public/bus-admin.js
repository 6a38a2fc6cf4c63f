// Bus admins' controls over the WebSocket: the "Mark a bus" form, the announcement form and the
// lot's spaces (tap an empty space: a type-ahead of the routes not parked yet; tap a filled one:
// unassign). Without a connection the forms and links fall back to plain posts and pages.
// Loaded after bus.js, on bus admins' boards only.
(() => {
  'use strict'
  const bus = window.IonBus
  if (!bus || !bus.editable) return
  const $ = (id) => document.getElementById(id)
  const STATUS = { a: 'arrived', o: 'on time', d: 'delayed' }
  const optionText = (r) => `${r.route_name} · ${STATUS[r.status]}${r.space ? ` (space ${bus.spaceNo(r.space)})` : ''}`
  const byId = (id) => (bus.routes() || []).find((r) => r.id === id)

  // Arrived / on time / delayed without a space. A parked bus marked "arrived" keeps its space.
  const mark = $('bus-mark')
  if (mark) {
    mark.addEventListener('submit', (e) => {
      const status = e.submitter ? e.submitter.value : ''
      const r = byId(Number($('bus-mark-route').value))
      if (!r || !status) return
      const space = bus.view === 'afternoon' && status === 'a' ? r.space || '' : ''
      if (bus.send({ id: r.id, status, space })) e.preventDefault()
    })
  }

  const annForm = $('bus-ann-form')
  if (annForm) {
    annForm.addEventListener('submit', (e) => {
      const clear = e.submitter ? e.submitter.value === 'clear' : false
      const input = $('bus-ann-input')
      if (!bus.send({ announcement: clear ? '' : input.value })) return
      e.preventDefault()
      if (clear) input.value = ''
      input.blur()
    })
  }

  // -------------------------------------------------------------- the sheet ---
  const sheet = $('bus-sheet')
  if (!sheet) return onRender()
  const filter = $('bus-sheet-filter')
  let space = null

  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a.space-link') : null
    if (!a || !bus.routes()) return // not connected yet: the link opens the server's panel
    e.preventDefault()
    space = a.querySelector('[data-space]').dataset.space
    filter.value = ''
    renderSheet()
    sheet.showModal()
    if (!$('bus-sheet-assign').hidden && window.matchMedia('(hover: hover)').matches) filter.focus()
  })

  function candidates() {
    // Type-ahead: names that start with what is typed, with or without the route prefix.
    const sq = bus.strip(filter.value)
    const nq = bus.norm(filter.value)
    return (bus.routes() || []).filter((r) => !(r.status === 'a' && r.space)
      && (!sq || bus.strip(r.route_name).startsWith(sq) || (nq !== '' && bus.norm(r.route_name).startsWith(nq))))
  }

  function renderSheet() {
    if (!space) return
    const parked = (bus.routes() || []).find((r) => r.status === 'a' && r.space === space)
    $('bus-sheet-title').textContent = `Space ${bus.spaceNo(space)}`
    $('bus-sheet-assign').hidden = !!parked
    $('bus-sheet-filled').hidden = !parked
    if (parked) {
      $('bus-sheet-filled-text').textContent = `${parked.route_name} is parked here.`
      const u = $('bus-sheet-unassign')
      u.textContent = `Unassign ${parked.route_name}`
      u.dataset.id = String(parked.id)
      return
    }
    const list = candidates()
    $('bus-sheet-list').replaceChildren(...list.map((r) => {
      const b = bus.el('button', `pick st-${r.status}`, r.route_name)
      b.type = 'button'
      b.dataset.id = String(r.id)
      if (r.status !== 'o') b.setAttribute('aria-label', `${r.route_name} (${STATUS[r.status]})`)
      const li = bus.el('li')
      li.append(b)
      return li
    }))
    $('bus-sheet-empty').hidden = list.length > 0
  }

  function assign(id) {
    if (bus.send({ id, status: 'a', space })) sheet.close()
    else bus.toast('No connection: nothing was sent. Try again in a moment.')
  }

  filter.addEventListener('input', renderSheet)
  filter.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return
    e.preventDefault()
    const list = candidates()
    if (list.length === 1) assign(list[0].id)
  })
  $('bus-sheet-list').addEventListener('click', (e) => {
    const b = e.target instanceof Element ? e.target.closest('button[data-id]') : null
    if (b) assign(Number(b.dataset.id))
  })
  $('bus-sheet-unassign').addEventListener('click', (e) => {
    const id = Number(e.currentTarget.dataset.id)
    if (bus.send({ id, status: 'o', space: '' })) sheet.close()
    else bus.toast('No connection: nothing was sent. Try again in a moment.')
  })
  $('bus-sheet-close').addEventListener('click', () => sheet.close())
  sheet.addEventListener('close', () => { space = null })
  // A tap on the backdrop closes the sheet.
  sheet.addEventListener('click', (e) => { if (e.target === sheet) sheet.close() })
  onRender()

  // Another admin's change while the sheet is open (the space filled, a bus gone) shows at once.
  function onRender() {
    bus.onRender(() => {
      const select = $('bus-mark-route')
      if (select) {
        for (const o of select.options) {
          const r = o.value ? byId(Number(o.value)) : null
          if (r) o.textContent = optionText(r)
        }
      }
      if (sheet && sheet.open) renderSheet()
    })
  }
})()
