/**
 * React access to the engine: the bus client in context, and hooks that keep the UI
 * in step with engine events (library, playlist, history) and search.
 */
import type { Endpoint, EngineContract, HistoryState, PlaylistSummary, PlaylistView, SearchHit } from '@whatnext/core/client'
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react'

/** The typed client of the engine. */
export type EngineClient = Endpoint<EngineContract>

const EngineContext = createContext<EngineClient | null>(null)

/** Provides the engine client to the tree. */
export function EngineProvider({ client, children }: { client: EngineClient; children: ReactNode }) {
  return <EngineContext.Provider value={client}>{children}</EngineContext.Provider>
}

/** The engine client; throws outside an {@link EngineProvider}. */
export function useEngine(): EngineClient {
  const client = useContext(EngineContext)
  if (!client) throw new Error('useEngine needs an <EngineProvider>')
  return client
}

/**
 * Fetches with `load` now and again whenever `subscribe` reports a change. Bursts of
 * change events collapse into one fetch per animation frame; the previous data stays on
 * screen until the new data arrives, and a stale answer never replaces a newer one.
 */
function useLive<T>(
  load: (signal: AbortSignal) => Promise<T>,
  subscribe: (refresh: () => void) => () => void,
  deps: readonly unknown[],
): { data: T | undefined; error: unknown; loading: boolean } {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  })
  const generation = useRef(0)
  useEffect(() => {
    let frame = 0
    let controller: AbortController | null = null
    let disposed = false
    const run = () => {
      frame = 0
      controller?.abort()
      controller = new AbortController()
      const mine = ++generation.current
      load(controller.signal).then(
        (data) => {
          if (!disposed && mine === generation.current) setState({ data, error: undefined, loading: false })
        },
        (error: unknown) => {
          if (!disposed && mine === generation.current && !controller?.signal.aborted) {
            setState((s) => ({ data: s.data, error, loading: false }))
          }
        },
      )
    }
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(run)
    }
    setState((s) => ({ ...s, loading: true }))
    run()
    const unsubscribe = subscribe(schedule)
    return () => {
      disposed = true
      if (frame) cancelAnimationFrame(frame)
      controller?.abort()
      unsubscribe()
    }
  }, deps)
  return state
}

/** The library's playlists, live. */
export function useLibrary(): { playlists: PlaylistSummary[] | undefined; error: unknown } {
  const client = useEngine()
  const { data, error } = useLive(
    async (signal) => (await client.request('library/list', {}, { signal })).playlists,
    (refresh) => client.on('library/changed', refresh),
    [client],
  )
  return { playlists: data, error }
}

/** One playlist with its tracks, live; `undefined` while loading, error if it is gone. */
export function usePlaylist(id: string | null): { playlist: PlaylistView | undefined; error: unknown } {
  const client = useEngine()
  const { data, error } = useLive(
    async (signal) => (id ? client.request('playlist/get', { id }, { signal }) : undefined),
    (refresh) => client.on('playlist/changed', (e) => e.id === id && refresh()),
    [client, id],
  )
  return { playlist: id ? data : undefined, error: id ? error : undefined }
}

/** Whether undo/redo are possible, live. */
export function useHistory(): HistoryState {
  const client = useEngine()
  const [state, setState] = useState<HistoryState>({ canUndo: false, canRedo: false })
  useEffect(() => {
    let live = true
    void client.request('history/state', {}).then((s) => live && setState(s), () => undefined)
    const off = client.on('history/changed', setState)
    return () => {
      live = false
      off()
    }
  }, [client])
  return state
}

/** Library-wide search as you type (debounced; stale requests cancelled). */
export function useSearch(query: string, delayMs = 120): { hits: SearchHit[]; total: number; pending: boolean } {
  const client = useEngine()
  const [state, setState] = useState({ hits: [] as SearchHit[], total: 0, pending: false })
  useEffect(() => {
    if (!query.trim()) {
      setState({ hits: [], total: 0, pending: false })
      return
    }
    const controller = new AbortController()
    setState((s) => ({ ...s, pending: true }))
    const timer = setTimeout(() => {
      client.request('library/search', { query, limit: 50 }, { signal: controller.signal }).then(
        (r) => setState({ hits: r.hits, total: r.total, pending: false }),
        () => undefined,
      )
    }, delayMs)
    // A search refreshes when the library changes under it.
    const off = client.on('library/changed', () => {
      client.request('library/search', { query, limit: 50 }, { signal: controller.signal }).then(
        (r) => setState({ hits: r.hits, total: r.total, pending: false }),
        () => undefined,
      )
    })
    return () => {
      clearTimeout(timer)
      controller.abort()
      off()
    }
  }, [client, query, delayMs])
  return state
}
