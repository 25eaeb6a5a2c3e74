/** One playlist with its tracks, live. */
import { PLAYLIST_PAGE_TRACKS, type PlaylistView } from '@whatnext/core/client'
import { useEngine, type EngineClient } from '../EngineProvider/EngineProvider'
import { useLive } from './use-live'

/** Result of {@link usePlaylist}. */
export interface PlaylistState {
  /** The playlist; `undefined` while the first answer for this id is on its way. */
  playlist: PlaylistView | undefined
  /** Set when the playlist cannot be read (e.g. `NotFoundError` once deleted). */
  error: unknown
}

/** Times a read restarts because the playlist changed between its pages. */
const MAX_RESTARTS = 3

/**
 * Reads a whole playlist in pages of `pageSize` tracks. Each page is its own message,
 * so no single one blocks the UI thread long while it is deserialized (10,000 tracks
 * in one message take ~50–100 ms; a page of 2,000 a fraction of that). Pages are only
 * stitched when they share one version; an edit mid-read restarts it, and after
 * {@link MAX_RESTARTS} the rest comes in one request, which is consistent by itself.
 */
export async function readPlaylist(
  client: EngineClient,
  id: string,
  signal: AbortSignal,
  pageSize = PLAYLIST_PAGE_TRACKS,
): Promise<PlaylistView> {
  for (let attempt = 0; ; attempt++) {
    const whole = attempt >= MAX_RESTARTS
    const first = await client.request(
      'playlist/get',
      whole ? { id } : { id, offset: 0, limit: pageSize },
      { signal },
    )
    const { offset: _offset, version, ...view } = first
    if (view.tracks.length >= view.trackCount) return view
    const tracks = [...view.tracks]
    let consistent = true
    while (tracks.length < view.trackCount) {
      const page = await client.request(
        'playlist/get',
        { id, offset: tracks.length, limit: pageSize },
        { signal },
      )
      if (page.version !== version || page.tracks.length === 0) {
        consistent = false
        break
      }
      for (const track of page.tracks) tracks.push(track)
    }
    if (consistent) return { ...view, tracks }
  }
}

/**
 * The playlist `id` with its tracks in order. A burst of `playlist/changed` events for
 * it is one fetch per animation frame, and the current view stays on screen meanwhile.
 */
export function usePlaylist(id: string | null): PlaylistState {
  const client = useEngine()
  const { data, error } = useLive(
    id ?? '',
    async (signal) => (id ? readPlaylist(client, id, signal) : undefined),
    (refresh) => client.on('playlist/changed', (e) => e.id === id && refresh()),
  )
  return { playlist: id ? data : undefined, error: id ? error : undefined }
}
