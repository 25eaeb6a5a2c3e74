/**
 * An accessible modal: focus moves in and is trapped, Escape closes, and focus returns
 * to where it was. A div with role="dialog" rather than <dialog>, whose showModal()
 * jsdom does not implement (https://github.com/jsdom/jsdom/issues/3294).
 */
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'

/** Props of {@link Dialog}. */
export interface DialogProps {
  title: string
  onClose(): void
  children: ReactNode
  /** `alertdialog` for confirmations. */
  role?: 'dialog' | 'alertdialog'
  /** CSS selector of the element to focus first; default the first field or button. */
  initialFocus?: string
}

const FOCUSABLE = 'input, textarea, select, button, a[href], [tabindex="0"]'

/** A modal dialog. */
export function Dialog({ title, onClose, children, role = 'dialog', initialFocus }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null)
  const titleId = useId()
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    const first =
      (initialFocus && ref.current?.querySelector<HTMLElement>(initialFocus)) ||
      ref.current?.querySelector<HTMLElement>('input, textarea, select, button:not(.icon)')
    first?.focus()
    // Return focus where it was, if that element is still on the page.
    return () => {
      if (previous?.isConnected) previous.focus()
    }
  }, [initialFocus])
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation()
      e.preventDefault()
      onClose()
      return
    }
    if (e.key !== 'Tab') return
    const focusables = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter(
      (el) => !el.hasAttribute('disabled'),
    )
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
      <div
        ref={ref}
        className="dialog"
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  )
}
