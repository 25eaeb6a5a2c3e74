/**
 * Search across the whole library as you type (title, artist, album, tag). Arrow keys
 * move through the results (combobox/listbox pattern); Enter opens the track.
 */
import type { SearchHit } from '@whatnext/core/client'
import { forwardRef, useId, useState } from 'react'
import { useSearch } from '../engine-context'

/** Props of {@link SearchBox}. */
export interface SearchBoxProps {
  onOpen(hit: SearchHit): void
}

/** The library search field and its results. */
export const SearchBox = forwardRef<HTMLInputElement, SearchBoxProps>(function SearchBox({ onOpen }, ref) {
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const { hits, total, pending } = useSearch(query)
  const id = useId()
  const open = query.trim().length > 0
  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return
    onOpen(hit)
    setQuery('')
  }
  return (
    <div className="search" role="search">
      <input
        ref={ref}
        type="search"
        aria-label="Search library"
        placeholder="Search titles, artists, albums, tags  ( / )"
        value={query}
        role="searchbox"
        aria-controls={open ? `${id}-results` : undefined}
        aria-activedescendant={open && hits[active] ? `${id}-${active}` : undefined}
        onChange={(e) => {
          setQuery(e.target.value)
          setActive(0)
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(hits.length - 1, a + 1))
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1))
          else if (e.key === 'Enter') choose(hits[active])
          else if (e.key === 'Escape') setQuery('')
          else return
          e.preventDefault()
        }}
      />
      {open && (
        <div className="search-results">
          <p className="muted" aria-live="polite">
            {pending && hits.length === 0 ? 'Searching…' : total === 0 ? 'No matches' : `${total} match${total === 1 ? '' : 'es'}`}
          </p>
          <ul id={`${id}-results`} role="listbox" aria-label="Search results">
            {hits.map((hit, i) => (
              <li
                key={`${hit.playlistId}:${hit.track.id}`}
                id={`${id}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(hit)}
              >
                <span className="name">{hit.track.title || hit.track.source}</span>
                <span className="muted">
                  {hit.track.artists.join(', ')}
                  {hit.track.album ? ` · ${hit.track.album}` : ''} — {hit.playlistName}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
})
