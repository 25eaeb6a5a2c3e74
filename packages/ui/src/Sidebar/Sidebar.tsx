/**
 * The library list: every playlist with its size and length (and a mark on shared ones),
 * the "New playlist" form, and whatever the app puts below (the friends list).
 */
import { PlaylistNameSchema, type PlaylistSummary, type SharedSummary } from '@whatnext/core/client'
import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
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
  /** Shown below the list. */
  footer?: ReactNode
}

/** What a shared playlist's mark says. */
export function sharedLabel(shared: SharedSummary): string {
  if (shared.kind === 'hosted') return 'Shared by you'
  return shared.role === 'read' ? 'Shared with you, read-only' : 'Shared with you'
}

/** Two linked nodes (shared by you) or an arrow in (shared with you); its text for readers. */
function SharedMark({ shared }: { shared: SharedSummary }) {
  const label = sharedLabel(shared)
  return (
    <span className={`shared-mark shared-${shared.kind}`} title={label}>
      <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        {shared.kind === 'hosted' ? (
          <path d="M12 1.5a2.5 2.5 0 1 1-2.3 3.5L6.4 6.9a2.5 2.5 0 0 1 0 2.2l3.3 1.9A2.5 2.5 0 1 1 9 12.3L5.7 10.4a2.5 2.5 0 1 1 0-4.8L9 3.7A2.5 2.5 0 0 1 12 1.5Z" />
        ) : (
          <path d="M8 1.5a3 3 0 1 1 0 6 3 3 0 0 1 0-6ZM2.5 14c0-3 2.5-5 5.5-5s5.5 2 5.5 5v.5h-11Z" />
        )}
      </svg>
      {shared.kind === 'joined' && shared.role === 'read' && (
        <span className="shared-ro" aria-hidden="true">
          read-only
        </span>
      )}
      <span className="visually-hidden">{label}</span>
    </span>
  )
}

/** The sidebar. */
export function Sidebar({
  playlists,
  selectedId,
  creating,
  onCreating,
  onCreate,
  onSelect,
  footer,
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
    <div className="sidebar">
      <nav className="sidebar-nav" aria-label="Playlists">
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
                <span className="name">
                  {p.name}
                  {p.shared && <SharedMark shared={p.shared} />}
                </span>
                <span className="muted meta">
                  {trackCount(p.trackCount)}
                  {p.totalDurationMs > 0 ? ` · ${formatTotal(p.totalDurationMs)}` : ''}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {footer}
    </div>
  )
}
