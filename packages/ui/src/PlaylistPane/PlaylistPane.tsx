/**
 * The open playlist: editable name and description, totals, the toolbar (add, import,
 * export, delete, undo/redo) and the track list. It registers its actions with the app
 * so the command palette reaches them too.
 */
import type { ExportFormat, PlaylistView, Track, TrackFields } from '@whatnext/core/client'
import { useEffect, useId, useRef, useState, type Ref } from 'react'
import { useEngine, useHistory } from '../engine-context'
import { ExportMenu } from '../ExportMenu/ExportMenu'
import { useToasts } from '../Toasts/Toasts'
import { TrackEditor } from '../TrackEditor/TrackEditor'
import { TrackList, type TrackListHandle } from '../TrackList/TrackList'
import { download, errorMessage, formatTotal } from '../util'

/** Actions the palette can run on the open playlist. */
export interface PlaylistActions {
  addTrack(): void
  rename(): void
  export(format: ExportFormat): void
  remove(): void
  list: TrackListHandle | null
}

/** Props of {@link PlaylistPane}. */
export interface PlaylistPaneProps {
  playlist: PlaylistView
  onImport(): void
  onDelete(): void
  onUndo(): void
  onRedo(): void
  focusRequest: string | null
  actionsRef: Ref<PlaylistActions | null>
}

/** The playlist editor. */
export function PlaylistPane({ playlist, onImport, onDelete, onUndo, onRedo, focusRequest, actionsRef }: PlaylistPaneProps) {
  const client = useEngine()
  const toasts = useToasts()
  const history = useHistory()
  const list = useRef<TrackListHandle>(null)
  const nameRef = useRef<HTMLInputElement>(null)
  const [editing, setEditing] = useState<Track | 'new' | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const ids = useId()

  const fail = (error: unknown) => toasts.show({ kind: 'error', message: errorMessage(error) })
  const exportAs = (format: ExportFormat) => {
    client.request('export/playlist', { id: playlist.id, format }).then((file) => {
      download(file.fileName, file.mimeType, file.content)
      toasts.show({ kind: 'info', message: `Exported ${playlist.trackCount} tracks to ${file.fileName}` })
    }, fail)
  }

  const actions: PlaylistActions = {
    addTrack: () => setEditing('new'),
    rename: () => nameRef.current?.focus(),
    export: exportAs,
    remove: onDelete,
    get list() {
      return list.current
    },
  }
  if (typeof actionsRef === 'function') actionsRef(actions)
  else if (actionsRef) (actionsRef as { current: PlaylistActions | null }).current = actions
  useEffect(
    () => () => {
      if (typeof actionsRef === 'function') actionsRef(null)
      else if (actionsRef) (actionsRef as { current: PlaylistActions | null }).current = null
    },
    [actionsRef],
  )

  const save = async (fields: TrackFields) => {
    if (editing === 'new') {
      const { ids: added } = await client.request('playlist/addTracks', { playlistId: playlist.id, tracks: [fields] })
      if (added[0]) list.current?.focusTrack(added[0])
    } else if (editing) {
      await client.request('playlist/updateTrack', { playlistId: playlist.id, trackId: editing.id, patch: fields })
    }
  }

  return (
    <section className="playlist" aria-labelledby={`${ids}-name`}>
      <header className="playlist-head">
        <h1 id={`${ids}-name`} className="visually-hidden">
          {playlist.name}
        </h1>
        <MetaField
          key={`name-${playlist.id}`}
          inputRef={nameRef}
          label="Name"
          value={playlist.name}
          className="title-input"
          onCommit={(name) => client.request('playlist/update', { id: playlist.id, name }).then(() => undefined, fail)}
        />
        <MetaField
          key={`desc-${playlist.id}`}
          label="Description"
          placeholder="Add a description"
          value={playlist.description}
          className="description-input"
          allowEmpty
          onCommit={(description) =>
            client.request('playlist/update', { id: playlist.id, description }).then(() => undefined, fail)
          }
        />
        <p className="muted stats">
          {playlist.trackCount === 1 ? '1 track' : `${playlist.trackCount.toLocaleString('en')} tracks`}
          {playlist.totalDurationMs > 0 ? ` · ${formatTotal(playlist.totalDurationMs)}` : ''}
        </p>
        <div className="toolbar" role="toolbar" aria-label="Playlist actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add track
          </button>
          <button type="button" onClick={onImport}>
            Import
          </button>
          <ExportMenu onExport={exportAs} disabled={playlist.trackCount === 0} />
          <button type="button" onClick={onUndo} disabled={!history.canUndo} aria-keyshortcuts="Control+Z">
            Undo
          </button>
          <button type="button" onClick={onRedo} disabled={!history.canRedo} aria-keyshortcuts="Control+Shift+Z">
            Redo
          </button>
          <button type="button" className="danger" onClick={onDelete}>
            Delete playlist
          </button>
        </div>
      </header>
      {playlist.trackCount === 0 ? (
        <div className="empty">
          <p>This playlist is empty.</p>
          <p className="muted">Add a track, import a playlist file, or drop one onto the window.</p>
        </div>
      ) : (
        <TrackList
          ref={list}
          tracks={playlist.tracks}
          focusRequest={focusRequest}
          announce={setAnnouncement}
          onEdit={(t) => setEditing(t)}
          onMove={(trackIds, toIndex) =>
            client.request('playlist/moveTracks', { playlistId: playlist.id, trackIds, toIndex }).then(() => undefined, fail)
          }
          onRemove={(trackIds) =>
            client.request('playlist/removeTracks', { playlistId: playlist.id, trackIds }).then((r) => {
              toasts.show({
                kind: 'info',
                message: r.removed === 1 ? 'Removed 1 track' : `Removed ${r.removed} tracks`,
                action: { label: 'Undo', run: onUndo },
              })
            }, fail)
          }
        />
      )}
      <div className="visually-hidden" aria-live="assertive">
        {announcement}
      </div>
      {editing && (
        <TrackEditor track={editing === 'new' ? undefined : editing} onSave={save} onClose={() => setEditing(null)} />
      )}
    </section>
  )
}

interface MetaFieldProps {
  label: string
  value: string
  className: string
  placeholder?: string
  allowEmpty?: boolean
  inputRef?: Ref<HTMLInputElement>
  onCommit(value: string): Promise<void>
}

/** An inline-editable line that saves on Enter or blur and reverts on Escape. */
function MetaField({ label, value, className, placeholder, allowEmpty, inputRef, onCommit }: MetaFieldProps) {
  const [draft, setDraft] = useState(value)
  const [focused, setFocused] = useState(false)
  useEffect(() => {
    if (!focused) setDraft(value)
  }, [value, focused])
  const commit = () => {
    const next = draft.trim()
    if (next === value || (!next && !allowEmpty)) {
      setDraft(value)
      return
    }
    void onCommit(next)
  }
  return (
    <input
      ref={inputRef}
      className={className}
      aria-label={label}
      placeholder={placeholder}
      value={draft}
      onFocus={() => setFocused(true)}
      onBlur={() => {
        setFocused(false)
        commit()
      }}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur()
        if (e.key === 'Escape') {
          setDraft(value)
          e.currentTarget.blur()
        }
      }}
    />
  )
}
