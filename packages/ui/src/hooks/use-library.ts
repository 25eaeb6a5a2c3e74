/** The library's playlists, live. */
import type { PlaylistSummary } from '@whatnext/core/client'
import { useEngine } from '../EngineProvider/EngineProvider'
import { useLive } from './use-live'

/** Result of {@link useLibrary}. */
export interface LibraryState {
  /** Playlists in creation order; `undefined` until the engine first answers. */
  playlists: PlaylistSummary[] | undefined
  error: unknown
}

/** The library's playlist summaries, refetched (once per frame) on `library/changed`. */
export function useLibrary(): LibraryState {
  const client = useEngine()
  const { data, error } = useLive(
    'library',
    async (signal) => (await client.request('library/list', {}, { signal })).playlists,
    (refresh) => client.on('library/changed', refresh),
  )
  return { playlists: data, error }
}
