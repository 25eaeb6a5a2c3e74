/**
 * Post-build step over the static export's HTML: the page's scripts start after the
 * static shell's first paint.
 *
 * Next emits its scripts as `<script defer>` in the head. Served fast (from the service
 * worker's cache, or over loopback) they have arrived before the HTML is parsed, so the
 * browser evaluates React, Next and the page before it paints anything: the shell's text
 * waited for all of that script, and how long depended on a race. Here each of those tags
 * becomes an inert `<script type="whatnext/after-paint" data-src>` and one small script
 * of our own (`after-paint.js`, below) turns them back into real, in-order scripts once the
 * shell has painted. The polyfills (`noModule`, skipped by every browser we support) and
 * `__NEXT_DATA__` stay as they are.
 */

/** The `type` that keeps a held script from loading. */
export const HELD_TYPE = 'whatnext/after-paint'
/** Where the starter is served from (the export's root). */
export const STARTER_PATH = '/after-paint.js'

/** A deferred script as Next writes it (the polyfills put `noModule` first and stay). */
const DEFERRED_SCRIPT = /<script src="([^"<>]+)" defer=""><\/script>/g

/** The export's HTML is not what this step knows how to change. */
export class HoldScriptsError extends Error {
  override readonly name = 'HoldScriptsError'
}

/**
 * Returns `html` with its deferred scripts held and the starter added; `file` names it
 * in errors. An already-held page comes back unchanged.
 */
export function holdScripts(html: string, file: string): string {
  if (html.includes(`src="${STARTER_PATH}"`)) return html
  let held = 0
  const changed = html.replace(DEFERRED_SCRIPT, (_tag, src: string) => {
    held++
    return `<script type="${HELD_TYPE}" data-src="${src}"></script>`
  })
  if (held === 0 || !changed.includes('</head>'))
    throw new HoldScriptsError(
      `${file}: no deferred Next.js scripts in its <head>; the export's HTML changed shape, so the scripts cannot be held back`,
    )
  return changed.replace('</head>', `<script src="${STARTER_PATH}" defer=""></script></head>`)
}

/**
 * The starter, written to the export as `after-paint.js` (`(${startHeldScripts})()`): an
 * external file, because the desktop app's CSP allows no inline script. Self-contained
 * on purpose: it runs as its source text.
 *
 * It waits for the frame after this one (requestAnimationFrame runs just before a frame
 * is painted; a task queued from it runs after), except in a tab that is hidden, which
 * gets no frames: there, and as soon as a tab turns hidden, the scripts start at once.
 */
export function startHeldScripts(): void {
  let started = false
  const start = () => {
    if (started) return
    started = true
    document.removeEventListener('visibilitychange', onVisibility)
    for (const held of document.querySelectorAll('script[type="whatnext/after-paint"]')) {
      const script = document.createElement('script')
      script.src = held.getAttribute('data-src') ?? ''
      // Inserted scripts run as they arrive unless async is off: off, they run in
      // document order, as the deferred ones did.
      script.async = false
      held.replaceWith(script)
    }
  }
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') start()
  }
  if (document.visibilityState === 'hidden') return start()
  document.addEventListener('visibilitychange', onVisibility)
  requestAnimationFrame(() => setTimeout(start, 0))
}
