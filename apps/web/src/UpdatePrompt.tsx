import { useEffect, useRef, useState } from 'react'

/**
 * Registers the service worker once the page has loaded and calls `onWaiting` with a new
 * version's worker when it has been downloaded and waits (now, or already at start).
 * A first install is not offered: nothing older controls the page then.
 *
 * The platform's own API, not workbox-window: this is all of it the app uses, and the
 * library was 2.2 KiB gzip of the first page's script.
 */
function registerServiceWorker(onWaiting: (worker: ServiceWorker) => void): () => void {
  let cancelled = false
  const offer = (worker: ServiceWorker | null) => {
    if (worker && !cancelled && navigator.serviceWorker.controller) onWaiting(worker)
  }
  const register = () => {
    if (cancelled) return
    navigator.serviceWorker.register('/sw.js').then(
      (registration) => {
        offer(registration.waiting)
        registration.addEventListener('updatefound', () => {
          const installing = registration.installing
          installing?.addEventListener('statechange', () => {
            if (installing.state === 'installed') offer(installing)
          })
        })
      },
      // Registration fails where service workers are blocked (policy, private modes):
      // the app still works, it just is not available offline.
      (error: unknown) => console.warn('service worker not registered', error),
    )
  }
  if (document.readyState === 'complete') register()
  else window.addEventListener('load', register, { once: true })
  return () => {
    cancelled = true
    window.removeEventListener('load', register)
  }
}

/**
 * Registers the service worker (production builds) and, when a new version has been
 * downloaded, offers a reload instead of swapping code under the user's feet.
 */
export function UpdatePrompt() {
  const [waiting, setWaiting] = useState<ServiceWorker | null>(null)
  // The controller also changes when the first service worker claims the page on a first
  // visit; only a switch the user asked for may reload (and lose) what is on screen.
  const reloadRequested = useRef(false)

  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return
    const stop = registerServiceWorker(setWaiting)
    // Once the new worker controls the page, load the new version.
    const onControllerChange = () => {
      if (reloadRequested.current) window.location.reload()
    }
    navigator.serviceWorker.addEventListener('controllerchange', onControllerChange)
    return () => {
      stop()
      navigator.serviceWorker.removeEventListener('controllerchange', onControllerChange)
    }
  }, [])

  if (!waiting) return null
  return (
    <div className="update-prompt" role="status">
      <span>A new version of WhatNext is ready.</span>
      <button
        type="button"
        onClick={() => {
          reloadRequested.current = true
          // The service worker (scripts/build-sw.mjs) calls skipWaiting on this message.
          waiting.postMessage({ type: 'SKIP_WAITING' })
        }}
      >
        Reload
      </button>
      <button type="button" onClick={() => setWaiting(null)}>
        Later
      </button>
    </div>
  )
}
