/**
 * Library-wide search over title, artists, album and tags. Matching ignores case and
 * diacritics ("bjork" finds "Björk") and needs every word of the query. A per-playlist
 * haystack is rebuilt lazily after that playlist changes, so typing stays cheap.
 */
import type { PlaylistView, Track } from '../model/schemas.ts'
import type { SearchHit } from './contract.ts'

interface Entry {
  track: Track
  haystack: string
}

/** Folds case and diacritics for matching. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
}

/** Search index over the library's playlists. */
export class SearchIndex {
  private readonly cache = new Map<string, { name: string; entries: Entry[] }>()

  /** Forgets a playlist's haystack; rebuilt on the next query. */
  invalidate(playlistId: string): void {
    this.cache.delete(playlistId)
  }

  /** Runs a query over `sources` (playlist id → anything) using `view` to read them. */
  query(
    query: string,
    limit: number,
    sources: Iterable<[string, unknown]>,
    view: (id: string) => PlaylistView,
  ): { hits: SearchHit[]; total: number } {
    const words = fold(query).split(/\s+/).filter(Boolean)
    if (words.length === 0) return { hits: [], total: 0 }
    const hits: SearchHit[] = []
    let total = 0
    for (const [id] of sources) {
      const { name, entries } = this.entries(id, view)
      for (const entry of entries) {
        if (!words.every((w) => entry.haystack.includes(w))) continue
        total++
        if (hits.length < limit)
          hits.push({ playlistId: id, playlistName: name, track: entry.track })
      }
    }
    return { hits, total }
  }

  private entries(id: string, view: (id: string) => PlaylistView) {
    let cached = this.cache.get(id)
    if (!cached) {
      const v = view(id)
      cached = {
        name: v.name,
        entries: v.tracks.map((track) => ({
          track,
          haystack: fold(
            [track.title, ...track.artists, track.album, ...track.tags].join('\u0000'),
          ),
        })),
      }
      this.cache.set(id, cached)
    }
    return cached
  }
}
