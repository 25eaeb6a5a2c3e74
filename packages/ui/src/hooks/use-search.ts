/** Library-wide search as you type. */
import type { SearchHit } from '@whatnext/core/client'
import { useEffect, useState } from 'react'
import { useEngine } from '../EngineProvider/EngineProvider'

/** Result of {@link useSearch}. */
export interface SearchState {
  hits: SearchHit[]
  /** Matches in the library (hits are capped at the limit). */
  total: number
  /** A request for the current query is on its way. */
  pending: boolean
  /** The query the hits answer. */
  query: string
}

/** Default pause after the last keystroke before the engine is asked. */
export const SEARCH_DEBOUNCE_MS = 120

/**
 * Searches titles, artists, albums and tags across the library. Waits `delayMs` after
 * the last change of `query`, cancels the previous request (AbortSignal) when a newer
 * one starts, and refreshes when the library changes under the results.
 */
export function useSearch(query: string, delayMs = SEARCH_DEBOUNCE_MS, limit = 50): SearchState {
  const client = useEngine()
  const [state, setState] = useState<SearchState>({ hits: [], total: 0, pending: false, query })
  useEffect(() => {
    const q = query.trim()
    if (!q) {
      setState({ hits: [], total: 0, pending: false, query })
      return
    }
    let controller: AbortController | null = null
    let frame = 0
    const run = () => {
      frame = 0
      controller?.abort()
      const mine = (controller = new AbortController())
      client.request('library/search', { query: q, limit }, { signal: mine.signal }).then(
        (r) => {
          if (controller === mine) setState({ hits: r.hits, total: r.total, pending: false, query })
        },
        () => {
          if (controller === mine && !mine.signal.aborted)
            setState((s) => ({ ...s, pending: false }))
        },
      )
    }
    setState((s) => ({ ...s, pending: true }))
    const timer = setTimeout(run, delayMs)
    const off = client.on('library/changed', () => {
      if (frame === 0) frame = requestAnimationFrame(run)
    })
    return () => {
      clearTimeout(timer)
      if (frame) cancelAnimationFrame(frame)
      controller?.abort()
      off()
    }
  }, [client, query, delayMs, limit])
  return state
}
