/**
 * Search across the whole library as you type (title, artist, album, tag). The results
 * are a listbox the arrow keys move through (`aria-activedescendant`); Enter or a click
 * opens the playlist at that track.
 */
import { formatCount } from '../util'
import type { SearchHit } from '@whatnext/core/client'
import { useId, useState, type Ref } from 'react'
import { useSearch } from '../hooks/use-search'

/** Props of {@link SearchBox}. */
export interface SearchBoxProps {
  onOpen(hit: SearchHit): void
  inputRef?: Ref<HTMLInputElement>
}

/** The library search field and its results. */
export function SearchBox({ onOpen, inputRef }: SearchBoxProps) {
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const [dismissed, setDismissed] = useState(false)
  const { hits, total, pending } = useSearch(query)
  const id = useId()
  const open = query.trim().length > 0 && !dismissed
  const choose = (hit: SearchHit | undefined) => {
    if (!hit) return
    setDismissed(true)
    onOpen(hit)
  }
  const status = pending
    ? 'Searching…'
    : total === 0
      ? 'No matches'
      : total > hits.length
        ? `${formatCount(total)} matches, showing the first ${hits.length}`
        : `${formatCount(total)} ${total === 1 ? 'match' : 'matches'}`
  return (
    <div
      className="search"
      role="search"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDismissed(true)
      }}
    >
      <input
        ref={inputRef}
        type="search"
        aria-label="Search library"
        placeholder="Search titles, artists, albums, tags"
        aria-keyshortcuts="Control+F Meta+F /"
        value={query}
        role="searchbox"
        aria-controls={open ? `${id}-results` : undefined}
        aria-activedescendant={open && hits[active] ? `${id}-${active}` : undefined}
        onFocus={() => setDismissed(false)}
        onChange={(e) => {
          setQuery(e.target.value)
          setActive(0)
          setDismissed(false)
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(hits.length - 1, a + 1))
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1))
          else if (e.key === 'Enter') choose(hits[active])
          else if (e.key === 'Escape') {
            if (query) setQuery('')
            else e.currentTarget.blur()
          } else return
          e.preventDefault()
        }}
      />
      {open && (
        <div className="search-results">
          <p className="muted search-status" role="status">
            {status}
          </p>
          <ul id={`${id}-results`} role="listbox" aria-label="Search results">
            {hits.map((hit, i) => (
              <li
                key={`${hit.playlistId}:${hit.track.id}`}
                id={`${id}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(hit)}
              >
                <span className="name">{hit.track.title || hit.track.source}</span>
                <span className="muted detail">
                  {hit.track.artists.join(', ')}
                  {hit.track.album ? ` · ${hit.track.album}` : ''}
                  <span className="in-playlist"> in {hit.playlistName}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
