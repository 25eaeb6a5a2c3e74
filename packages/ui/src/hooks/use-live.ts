/** Shared machinery of the live hooks: fetch now, refetch on change events, once per frame. */
import { startTransition, useEffect, useRef, useState } from 'react'

/** State of a live query. */
export interface LiveState<T> {
  /** The latest answer; the previous one stays while a refetch is in flight. */
  data: T | undefined
  /** The last failure, cleared by the next success. */
  error: unknown
  loading: boolean
}

/**
 * Runs `load` now and again whenever `subscribe` reports a change. A burst of change
 * events collapses into one fetch per animation frame; the previous data stays on screen
 * until new data arrives, and a stale answer never replaces a newer one (the superseded
 * request is cancelled).
 *
 * @param key - Identity of the query; when it changes, old data is dropped.
 */
export function useLive<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  subscribe: (refresh: () => void) => () => void,
): LiveState<T> & { key: string | undefined } {
  const [state, setState] = useState<LiveState<T> & { key: string | undefined }>({
    data: undefined,
    error: undefined,
    loading: true,
    key: undefined,
  })
  // The latest callbacks, without making them effect dependencies.
  const latest = useRef({ load, subscribe })
  latest.current = { load, subscribe }

  useEffect(() => {
    let frame = 0
    let controller: AbortController | null = null
    let disposed = false
    const run = () => {
      frame = 0
      controller?.abort()
      const mine = (controller = new AbortController())
      latest.current.load(mine.signal).then(
        (data) => {
          // A transition: rendering a big answer (a 10,000-track playlist) is interruptible
          // and done in slices, so it never blocks input as one long task.
          if (!disposed && controller === mine)
            startTransition(() => setState({ data, error: undefined, loading: false, key }))
        },
        (error: unknown) => {
          if (!disposed && controller === mine)
            setState((s) => ({
              data: s.key === key ? s.data : undefined,
              error,
              loading: false,
              key,
            }))
        },
      )
    }
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(run)
    }
    setState((s) => ({ ...s, loading: true }))
    run()
    const unsubscribe = latest.current.subscribe(schedule)
    return () => {
      disposed = true
      if (frame) cancelAnimationFrame(frame)
      controller?.abort()
      unsubscribe()
    }
  }, [key])

  // Data of another key is never shown as this key's.
  return state.key === key ? state : { data: undefined, error: undefined, loading: true, key }
}
