/** The library list: every playlist with its size and length, and the "New playlist" form. */
import { PlaylistNameSchema, type PlaylistSummary } from '@whatnext/core/client'
import { useEffect, useId, useRef, useState } from 'react'
import { formatTotal, trackCount } from '../util'

/** Props of {@link Sidebar}. */
export interface SidebarProps {
  /** `undefined` until the library has loaded. */
  playlists: PlaylistSummary[] | undefined
  selectedId: string | null
  /** Whether the "New playlist" name field is open. */
  creating: boolean
  onCreating(open: boolean): void
  onCreate(name: string): Promise<void>
  onSelect(id: string): void
}

/** The sidebar. */
export function Sidebar({
  playlists,
  selectedId,
  creating,
  onCreating,
  onCreate,
  onSelect,
}: SidebarProps) {
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const errorId = useId()
  useEffect(() => {
    if (creating) input.current?.focus()
    else {
      setName('')
      setError(null)
    }
  }, [creating])
  return (
    <nav className="sidebar" aria-label="Playlists">
      <div className="sidebar-head">
        <h2>Library</h2>
        <button
          type="button"
          className="primary"
          disabled={playlists === undefined}
          onClick={() => (creating ? input.current?.focus() : onCreating(true))}
        >
          New playlist
        </button>
      </div>
      {creating && (
        <form
          className="new-playlist"
          onSubmit={(e) => {
            e.preventDefault()
            const parsed = PlaylistNameSchema.safeParse(name)
            if (!parsed.success) {
              setError(parsed.error.issues[0]?.message ?? 'Invalid name')
              return
            }
            void onCreate(parsed.data).then(() => onCreating(false))
          }}
        >
          <input
            ref={input}
            aria-label="Playlist name"
            placeholder="Playlist name"
            value={name}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(e) => {
              setName(e.target.value)
              setError(null)
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault()
                onCreating(false)
              }
            }}
          />
          <div className="new-playlist-actions">
            <button type="submit" className="primary">
              Create
            </button>
            <button type="button" onClick={() => onCreating(false)}>
              Cancel
            </button>
          </div>
          {error && (
            <p id={errorId} className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
      {playlists && playlists.length === 0 && !creating && (
        <p className="muted hint">
          No playlists yet. Create a playlist or drop a playlist file here.
        </p>
      )}
      <ul className="playlist-list" aria-label="Your playlists">
        {playlists?.map((p) => (
          <li key={p.id}>
            <a
              href={`#/playlist/${p.id}`}
              aria-current={p.id === selectedId ? 'page' : undefined}
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
                e.preventDefault()
                onSelect(p.id)
              }}
            >
              <span className="name">{p.name}</span>
              <span className="muted meta">
                {trackCount(p.trackCount)}
                {p.totalDurationMs > 0 ? ` · ${formatTotal(p.totalDurationMs)}` : ''}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
