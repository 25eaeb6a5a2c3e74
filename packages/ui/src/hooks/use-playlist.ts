/** One playlist with its tracks, live. */
import type { PlaylistView } from '@whatnext/core/client'
import { useEngine } from '../EngineProvider/EngineProvider'
import { useLive } from './use-live'

/** Result of {@link usePlaylist}. */
export interface PlaylistState {
  /** The playlist; `undefined` while the first answer for this id is on its way. */
  playlist: PlaylistView | undefined
  /** Set when the playlist cannot be read (e.g. `NotFoundError` once deleted). */
  error: unknown
}

/**
 * The playlist `id` with its tracks in order. A burst of `playlist/changed` events for
 * it is one fetch per animation frame, and the current view stays on screen meanwhile.
 */
export function usePlaylist(id: string | null): PlaylistState {
  const client = useEngine()
  const { data, error } = useLive(
    id ?? '',
    async (signal) => (id ? client.request('playlist/get', { id }, { signal }) : undefined),
    (refresh) => client.on('playlist/changed', (e) => e.id === id && refresh()),
  )
  return { playlist: id ? data : undefined, error: id ? error : undefined }
}
