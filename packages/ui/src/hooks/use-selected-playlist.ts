/** The selected playlist, kept in the URL hash (`#/playlist/<id>`) so a reload keeps it. */
import { useCallback, useEffect, useState } from 'react'

/** `#/playlist/<id>` → id; anything else → null. */
export function playlistIdFromHash(hash: string): string | null {
  const m = /^#\/playlist\/([A-Za-z0-9_-]{1,64})$/.exec(hash)
  return m ? m[1]! : null
}

/** The hash that selects `id` (or nothing). */
export function hashFor(id: string | null): string {
  return id ? `#/playlist/${id}` : '#/'
}

/**
 * The playlist id in the URL and a stable function that selects another one (a new
 * history entry, so Back returns to the previous playlist).
 */
export function useSelectedPlaylist(): [string | null, (id: string | null) => void] {
  const [id, setId] = useState<string | null>(() => playlistIdFromHash(location.hash))
  useEffect(() => {
    const onChange = () => setId(playlistIdFromHash(location.hash))
    window.addEventListener('hashchange', onChange)
    window.addEventListener('popstate', onChange)
    return () => {
      window.removeEventListener('hashchange', onChange)
      window.removeEventListener('popstate', onChange)
    }
  }, [])
  const select = useCallback((next: string | null) => {
    const hash = hashFor(next)
    if (location.hash !== hash) history.pushState(null, '', hash)
    setId(next)
  }, [])
  return [id, select]
}
