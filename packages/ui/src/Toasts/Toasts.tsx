/**
 * Toasts: short confirmations (polite live region) and errors (role="alert"), with an
 * optional action such as Undo. Errors stay until dismissed; confirmations fade.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'

/** One message. */
export interface Toast {
  id: number
  kind: 'info' | 'error'
  message: string
  action?: { label: string; run: () => void }
}

interface ToastApi {
  show(toast: Omit<Toast, 'id'>): void
  dismiss(id: number): void
}

const ToastContext = createContext<ToastApi | null>(null)

/** Shows toasts from anywhere below it. */
export function useToasts(): ToastApi {
  const api = useContext(ToastContext)
  if (!api) throw new Error('useToasts needs a <ToastProvider>')
  return api
}

/** Holds the toasts and renders their regions. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), [])
  const show = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = Date.now() + Math.random()
      setToasts((list) => [...list.slice(-4), { ...toast, id }])
      if (toast.kind === 'info') setTimeout(() => dismiss(id), 6000)
    },
    [dismiss],
  )
  const api = useMemo(() => ({ show, dismiss }), [show, dismiss])
  const render = (t: Toast) => (
    <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : undefined}>
      <span>{t.message}</span>
      {t.action && (
        <button
          type="button"
          onClick={() => {
            t.action!.run()
            dismiss(t.id)
          }}
        >
          {t.action.label}
        </button>
      )}
      <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
        ×
      </button>
    </div>
  )
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts">
        <div aria-live="polite">{toasts.filter((t) => t.kind === 'info').map(render)}</div>
        <div>{toasts.filter((t) => t.kind === 'error').map(render)}</div>
      </div>
    </ToastContext.Provider>
  )
}
