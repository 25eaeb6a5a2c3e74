/**
 * Toasts: short confirmations (a polite live region) and errors (role="alert"), with an
 * optional action such as Undo. Errors stay until dismissed; confirmations fade.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react'

/** One message. */
export interface Toast {
  id: number
  kind: 'info' | 'error'
  message: string
  action?: { label: string; run: () => void }
}

/** What components use to show messages. */
export interface ToastApi {
  show(toast: Omit<Toast, 'id'>): void
  dismiss(id: number): void
}

/** How long a confirmation stays, in ms. */
export const INFO_TOAST_MS = 6000

const ToastContext = createContext<ToastApi | null>(null)

/** Shows toasts from anywhere below a {@link ToastProvider}. */
export function useToasts(): ToastApi {
  const api = useContext(ToastContext)
  if (!api) throw new Error('useToasts needs a <ToastProvider>')
  return api
}

/** Holds the toasts and renders their regions. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([])
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>())
  const nextId = useRef(0)
  useEffect(() => {
    const pending = timers.current
    return () => pending.forEach(clearTimeout)
  }, [])
  const dismiss = useCallback(
    (id: number) => setToasts((list) => list.filter((t) => t.id !== id)),
    [],
  )
  const show = useCallback(
    (toast: Omit<Toast, 'id'>) => {
      const id = ++nextId.current
      setToasts((list) => [...list.slice(-4), { ...toast, id }])
      if (toast.kind === 'info') {
        const timer = setTimeout(() => {
          timers.current.delete(timer)
          dismiss(id)
        }, INFO_TOAST_MS)
        timers.current.add(timer)
      }
    },
    [dismiss],
  )
  const api = useMemo(() => ({ show, dismiss }), [show, dismiss])
  const render = (t: Toast) => (
    <div
      key={t.id}
      className={`toast toast-${t.kind}`}
      role={t.kind === 'error' ? 'alert' : undefined}
    >
      <span className="toast-message">{t.message}</span>
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
        <div aria-live="polite" aria-relevant="additions">
          {toasts.filter((t) => t.kind === 'info').map(render)}
        </div>
        <div>{toasts.filter((t) => t.kind === 'error').map(render)}</div>
      </div>
    </ToastContext.Provider>
  )
}
