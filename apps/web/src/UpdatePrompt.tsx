import { useEffect, useRef, useState } from 'react'
import type { Workbox } from 'workbox-window'

/**
 * Registers the service worker (production builds) and, when a new version has been
 * downloaded, offers a reload instead of swapping code under the user's feet.
 */
export function UpdatePrompt() {
  const [waiting, setWaiting] = useState<Workbox | null>(null)
  // `controlling` also fires when the first service worker claims the page on a first
  // visit; only a switch the user asked for may reload (and lose) what is on screen.
  const reloadRequested = useRef(false)

  useEffect(() => {
    if (process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return
    let cancelled = false
    void import('workbox-window').then(({ Workbox }) => {
      if (cancelled) return
      const wb = new Workbox('/sw.js')
      wb.addEventListener('waiting', () => setWaiting(wb))
      // Once the new worker controls the page, load the new version.
      wb.addEventListener('controlling', () => {
        if (reloadRequested.current) window.location.reload()
      })
      // Registration fails where service workers are blocked (policy, private modes):
      // the app still works, it just is not available offline.
      wb.register().catch((error: unknown) => console.warn('service worker not registered', error))
    })
    return () => {
      cancelled = true
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
          waiting.messageSkipWaiting()
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
