/** The library list: every playlist with its size, and the "New playlist" form. */
import type { PlaylistSummary } from '@whatnext/core/client'
import { useEffect, useRef, useState } from 'react'
import { formatTotal } from '../util'

/** Props of {@link Sidebar}. */
export interface SidebarProps {
  playlists: PlaylistSummary[] | undefined
  selectedId: string | null
  creating: boolean
  onCreating(open: boolean): void
  onCreate(name: string): Promise<void>
  onSelect(id: string): void
}

/** The sidebar. */
export function Sidebar({ playlists, selectedId, creating, onCreating, onCreate, onSelect }: SidebarProps) {
  const [name, setName] = useState('')
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (creating) input.current?.focus()
    else setName('')
  }, [creating])
  return (
    <nav className="sidebar" aria-label="Playlists">
      <div className="sidebar-head">
        <h2>Library</h2>
        <button type="button" className="primary" disabled={playlists === undefined} onClick={() => onCreating(true)}>
          New playlist
        </button>
      </div>
      {creating && (
        <form
          className="new-playlist"
          onSubmit={(e) => {
            e.preventDefault()
            if (name.trim()) void onCreate(name.trim()).then(() => onCreating(false))
          }}
        >
          <input
            ref={input}
            aria-label="Playlist name"
            placeholder="Playlist name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && onCreating(false)}
          />
        </form>
      )}
      {playlists && playlists.length === 0 && !creating && (
        <p className="muted hint">No playlists yet. Create one, or drop a playlist file here.</p>
      )}
      <ul className="playlist-list">
        {playlists?.map((p) => (
          <li key={p.id}>
            <a
              href={`#/playlist/${p.id}`}
              aria-current={p.id === selectedId ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault()
                onSelect(p.id)
              }}
            >
              <span className="name">{p.name}</span>
              <span className="muted meta">
                {p.trackCount.toLocaleString('en')} {p.trackCount === 1 ? 'track' : 'tracks'}
                {p.totalDurationMs > 0 ? ` · ${formatTotal(p.totalDurationMs)}` : ''}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
