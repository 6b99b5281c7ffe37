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

// An answer autosaves on its own. The case page is one form, so that it works without script, and
// htmx sends the whole of a form for a POST from inside it: keep only the fields of the answer the
// request is for (each name starts with its field id, which is the item's id after "item-").
document.body.addEventListener('htmx:configRequest', (event) => {
  const item = event.detail.elt.closest('.app-review-item[id^="item-"]')
  if (!item) return
  const prefix = `${item.id.slice('item-'.length)}-`
  const data = event.detail.formData
  for (const name of [...data.keys()]) if (!name.startsWith(prefix)) data.delete(name)
})
