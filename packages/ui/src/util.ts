/** Small UI helpers: error text, downloads, keyboard context, durations. */
import { AppError, ValidationError } from '@whatnext/core/client'

/** A message a person can act on. */
export function errorMessage(error: unknown): string {
  if (error instanceof ValidationError && error.issues.length > 0) {
    return error.issues.map((i) => i.message).join('; ')
  }
  if (error instanceof AppError) return error.message
  return 'Something went wrong. Please try again.'
}

/** Saves text as a file through the browser's download; the object URL is revoked after. */
export function download(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.hidden = true
  document.body.append(a)
  a.click()
  a.remove()
  // Revoking at once can cancel the download in some browsers; a tick later is safe.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** True when a key press belongs to a text field (which keeps native undo and typing). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || ['TEXTAREA', 'SELECT'].includes(target.tagName)) return true
  if (target.tagName !== 'INPUT') return false
  const type = (target as HTMLInputElement).type
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(
    type,
  )
}

/** "1 h 02 min" / "42 min" / "45 s" for a playlist's total. */
export function formatTotal(ms: number): string {
  if (ms > 0 && ms < 60_000) return `${Math.round(ms / 1000)} s`
  const minutes = Math.round(ms / 60000)
  if (minutes < 60) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
}

// One formatter: `toLocaleString` builds a new one per call (milliseconds each on a
// cold ICU), which showed up as a long task when a 10,000-track playlist rendered.
const integers = new Intl.NumberFormat('en')

/** "10,000". */
export function formatCount(n: number): string {
  return integers.format(n)
}

/** "1 track" / "10,000 tracks". */
export function trackCount(n: number): string {
  return n === 1 ? '1 track' : `${formatCount(n)} tracks`
}
