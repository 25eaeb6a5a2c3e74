/** Small UI helpers: hash routing, error text, downloads, keyboard focus. */
import { AppError, ValidationError } from '@whatnext/core/client'
import { useEffect, useState } from 'react'

/** `#/playlist/<id>` → id; anything else → null. */
export function playlistIdFromHash(hash: string): string | null {
  const m = /^#\/playlist\/([A-Za-z0-9_-]+)/.exec(hash)
  return m ? m[1]! : null
}

/** The playlist selected in the URL, kept in sync with back/forward. */
export function useSelectedPlaylist(): [string | null, (id: string | null) => void] {
  const [id, setId] = useState<string | null>(() =>
    typeof location === 'undefined' ? null : playlistIdFromHash(location.hash),
  )
  useEffect(() => {
    const onHash = () => setId(playlistIdFromHash(location.hash))
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  const select = (next: string | null) => {
    const hash = next ? `#/playlist/${next}` : '#/'
    if (location.hash !== hash) history.pushState(null, '', hash)
    setId(next)
  }
  return [id, select]
}

/** A message a person can act on. */
export function errorMessage(error: unknown): string {
  if (error instanceof ValidationError && error.issues.length > 0) {
    return error.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
  }
  if (error instanceof AppError) return error.message
  return 'Something went wrong. Please try again.'
}

/** Saves text as a file through the browser's download. */
export function download(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${mimeType};charset=utf-8` }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** True when a key press belongs to a text field (native undo, typing). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** "1 h 02 min" / "42 min" for a playlist's total. */
export function formatTotal(ms: number): string {
  const minutes = Math.round(ms / 60000)
  if (minutes < 60) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}
