/**
 * An accessible modal: focus moves in and is trapped, Escape closes, and focus returns
 * to where it was. (A div rather than <dialog>, which jsdom cannot open in tests.)
 */
import { useEffect, useRef, type ReactNode } from 'react'

/** Props of {@link Dialog}. */
export interface DialogProps {
  title: string
  onClose(): void
  children: ReactNode
}

/** A modal dialog. */
export function Dialog({ title, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const first = ref.current?.querySelector<HTMLElement>('input, textarea, select, button:not(.icon)')
    first?.focus()
    return () => previous?.focus?.()
  }, [])
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      onClose()
      return
    }
    if (e.key !== 'Tab') return
    const focusables = [
      ...(ref.current?.querySelectorAll<HTMLElement>('input, textarea, select, button, a[href], [tabindex="0"]') ?? []),
    ].filter((el) => !el.hasAttribute('disabled'))
    if (focusables.length === 0) return
    const first = focusables[0]!
    const last = focusables.at(-1)!
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} className="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" onKeyDown={onKeyDown}>
        <h2 id="dialog-title">{title}</h2>
        {children}
      </div>
    </div>
  )
}
