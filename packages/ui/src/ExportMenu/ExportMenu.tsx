/**
 * The Export ▾ menu button: one item per export format (ARIA menu button pattern), the
 * user's preferred format (a setting) first.
 */
import { EXPORT_FORMATS, type ExportFormat } from '@whatnext/core/client'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'

/** Props of {@link ExportMenu}. */
export interface ExportMenuProps {
  onExport(format: ExportFormat): void
  disabled?: boolean
  /** Listed first and focused when the menu opens. */
  preferred?: ExportFormat
}

/** Menu of export formats. */
export function ExportMenu({ onExport, disabled, preferred }: ExportMenuProps) {
  const formats = [
    ...EXPORT_FORMATS.filter((f) => f.format === preferred),
    ...EXPORT_FORMATS.filter((f) => f.format !== preferred),
  ]
  const [open, setOpen] = useState(false)
  const menu = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
    const close = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== button.current) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])
  const onKeyDown = (e: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const at = items.indexOf(document.activeElement as HTMLElement)
    if (e.key === 'Escape') {
      setOpen(false)
      button.current?.focus()
    } else if (e.key === 'ArrowDown') items[(at + 1) % items.length]?.focus()
    else if (e.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus()
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  return (
    <div className="menu-wrap">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        Export ▾
      </button>
      {open && (
        <div
          ref={menu}
          role="menu"
          aria-label="Export format"
          className="menu"
          onKeyDown={onKeyDown}
        >
          {formats.map((f) => (
            <button
              key={f.format}
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                setOpen(false)
                onExport(f.format)
              }}
            >
              {f.label} <span className="muted">{f.extension}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
