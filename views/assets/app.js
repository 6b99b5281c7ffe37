import { initAll } from '/assets/govuk/govuk-frontend.min.js'

initAll()

// Content swapped in by htmx gets the same GOV.UK behaviour as the page it lands in, and
// keyboard and screen-reader users are taken to what changed.
document.body.addEventListener('htmx:afterSwap', (event) => {
  // After an outerHTML swap the original target has left the page; the event then comes from
  // the element that replaced it.
  const target = event.detail.target.isConnected ? event.detail.target : event.target
  initAll({ scope: target })
  const summary = target.querySelector('.govuk-error-summary')
  const focus = summary || target.querySelector('[data-focus-after-swap]')
  if (focus) {
    if (!focus.hasAttribute('tabindex')) focus.setAttribute('tabindex', '-1')
    focus.focus()
  }
})
