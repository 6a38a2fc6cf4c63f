// Small progressive enhancements. No inline handlers anywhere (CSP: script-src 'self').
document.addEventListener('click', (e) => {
  const t = e.target instanceof Element ? e.target.closest('[data-confirm]') : null
  if (t && !window.confirm(t.getAttribute('data-confirm') || 'Are you sure?')) {
    e.preventDefault()
    e.stopImmediatePropagation()
  }
}, true)
// Copy buttons (one-time links, tokens)
document.addEventListener('click', (e) => {
  const b = e.target instanceof Element ? e.target.closest('[data-copy]') : null
  if (!b) return
  const el = document.getElementById(b.getAttribute('data-copy') || '')
  if (el && navigator.clipboard) navigator.clipboard.writeText(el.textContent || '').then(() => { b.textContent = 'Copied' })
})
