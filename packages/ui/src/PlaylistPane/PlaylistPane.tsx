/**
 * The open playlist: editable name and description, totals, the toolbar (add, import,
 * export, share, undo/redo, delete) and the track list. Its actions are exposed through
 * `actionsRef` so the command palette reaches them too. A shared playlist also shows
 * whose it is, its connection and who else is here; one shared with the user read-only
 * offers no way to change it.
 */
import {
  PlaylistDescriptionSchema,
  PlaylistNameSchema,
  type ExportFormat,
  type PlaylistView,
  type SharedSummary,
  type Track,
  type TrackFields,
} from '@whatnext/core/client'
import {
  Suspense,
  lazy,
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type Ref,
} from 'react'
import { useCollab, useCollabSnapshot } from '../Collab/CollabProvider'
import { useEngine } from '../EngineProvider/EngineProvider'
import { ExportMenu } from '../ExportMenu/ExportMenu'
import { useHistory } from '../hooks/use-history'
import { useToasts } from '../Toasts/Toasts'
import { useSetting } from '../Settings/SettingsProvider'
import { TrackEditor } from '../TrackEditor/TrackEditor'
import { TrackList, trackLabel, type TrackListHandle, type TrackMark } from '../TrackList/TrackList'
import { download, errorMessage, formatCount, formatTotal, isTyping, trackCount } from '../util'

// Shown only for shared playlists: loaded when the first one is opened.
const SharedBar = lazy(() => import('../Share/SharedBar').then((m) => ({ default: m.SharedBar })))
const SyncState = lazy(() => import('../Share/SharedBar').then((m) => ({ default: m.SyncState })))

/** Actions the palette can run on the open playlist. */
export interface PlaylistActions {
  addTrack(): void
  rename(): void
  export(format: ExportFormat): void
  selectAll(): void
  removeSelected(): void
  moveSelected(delta: -1 | 1): void
  focusTrack(id: string): void
}

/** A request to focus a track once it is in the list; `nonce` repeats a request. */
export interface FocusRequest {
  trackId: string
  nonce: number
}

/** Props of {@link PlaylistPane}. */
export interface PlaylistPaneProps {
  playlist: PlaylistView
  onImport(): void
  onDelete(): void
  onUndo(): void
  onRedo(): void
  focusRequest?: FocusRequest | null
  actionsRef?: Ref<PlaylistActions | null>
  /** How the playlist is shared (absent: not shared). */
  shared?: SharedSummary
  /** Opens the share dialog (absent: sharing is not offered for this playlist). */
  onShare?: () => void
  /** The focused track changed (for presence). */
  onFocusTrack?: (trackId: string | null) => void
}

/** The playlist editor. */
export function PlaylistPane({
  playlist,
  onImport,
  onDelete,
  onUndo,
  onRedo,
  focusRequest,
  actionsRef,
  shared,
  onShare,
  onFocusTrack,
}: PlaylistPaneProps) {
  const client = useEngine()
  const toasts = useToasts()
  const history = useHistory()
  const list = useRef<TrackListHandle>(null)
  const nameRef = useRef<HTMLInputElement>(null)
  const [editing, setEditing] = useState<Track | 'new' | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const [selectedCount, setSelectedCount] = useState(0)
  /**
   * A track to focus once the list holds it. `always`: the user asked for it (a search
   * hit). Otherwise (a track just added) only if the user has not moved on to typing
   * elsewhere meanwhile, e.g. in the search box while the list was still reloading.
   */
  const pendingFocus = useRef<{ id: string; always: boolean } | null>(null)
  const ids = useId()
  const { id: playlistId, name } = playlist
  const joined = shared?.kind === 'joined' ? shared : null
  const readOnly = joined?.role === 'read'
  const collab = useCollab()
  const collabStatus = useCollabSnapshot().playlists[playlistId]
  const peers = collabStatus?.peers
  // Joined and nothing received yet while connecting, or the link stopped working: the
  // sync state (with its way out) stands in for the list. Once the host's copy has
  // arrived, a connection that is merely down leaves it usable offline.
  const waiting =
    joined !== null &&
    collab !== null &&
    ((collabStatus?.error ?? null) !== null || (!joined.received && !collabStatus?.synced))

  // Titles by id, for "looking at …", only while someone is here to look.
  const titles = useMemo(
    () =>
      shared && peers && peers.length > 0
        ? new Map(playlist.tracks.map((t) => [t.id, trackLabel(t)]))
        : null,
    [shared, peers, playlist.tracks],
  )
  const marks = useMemo(() => {
    const out = new Map<string, TrackMark[]>()
    for (const peer of peers ?? []) {
      if (peer.playlistId !== playlistId || !peer.trackId) continue
      const list = out.get(peer.trackId) ?? []
      list.push({ id: peer.peerId, name: peer.name.trim() || 'Someone', colour: peer.colour })
      out.set(peer.trackId, list)
    }
    return out.size > 0 ? out : undefined
  }, [peers, playlistId])

  const fail = useCallback(
    (error: unknown) => toasts.show({ kind: 'error', message: errorMessage(error) }),
    [toasts],
  )

  const [preferredExport] = useSetting('library.exportFormat')
  const exportAs = useCallback(
    (format: ExportFormat) => {
      client.request('export/playlist', { id: playlistId, format }).then((file) => {
        download(file.fileName, file.mimeType, file.content)
        toasts.show({ kind: 'info', message: `Exported “${name}” to ${file.fileName}` })
      }, fail)
    },
    [client, playlistId, name, toasts, fail],
  )

  useImperativeHandle(
    actionsRef,
    () => ({
      addTrack: () => !readOnly && setEditing('new'),
      rename: () => {
        nameRef.current?.focus()
        nameRef.current?.select()
      },
      export: exportAs,
      selectAll: () => list.current?.selectAll(),
      removeSelected: () => list.current?.removeSelected(),
      moveSelected: (delta) => list.current?.moveSelected(delta),
      focusTrack: (id) => list.current?.focusTrack(id),
    }),
    [exportAs, readOnly],
  )

  // A search hit (or a newly added track) is focused once the list holds it.
  useEffect(() => {
    if (focusRequest) pendingFocus.current = { id: focusRequest.trackId, always: true }
  }, [focusRequest])
  useEffect(() => {
    const pending = pendingFocus.current
    if (pending && playlist.tracks.some((t) => t.id === pending.id)) {
      pendingFocus.current = null
      if (pending.always || !isTyping(document.activeElement)) list.current?.focusTrack(pending.id)
    }
  }, [playlist.tracks, focusRequest])

  const save = async (fields: TrackFields) => {
    if (editing === 'new') {
      const { ids: added } = await client.request('playlist/addTracks', {
        playlistId,
        tracks: [fields],
      })
      pendingFocus.current = added[0] ? { id: added[0], always: false } : null
    } else if (editing) {
      await client.request('playlist/updateTrack', {
        playlistId,
        trackId: editing.id,
        patch: fields,
      })
    }
  }

  const onMove = useCallback(
    (trackIds: string[], toIndex: number) =>
      client.request('playlist/moveTracks', { playlistId, trackIds, toIndex }).catch(fail),
    [client, playlistId, fail],
  )
  const onRemove = useCallback(
    (trackIds: string[]) => {
      client.request('playlist/removeTracks', { playlistId, trackIds }).then((r) => {
        toasts.show({
          kind: 'info',
          message: r.removed === 1 ? 'Removed 1 track' : `Removed ${r.removed} tracks`,
          action: { label: 'Undo', run: onUndo },
        })
      }, fail)
    },
    [client, playlistId, toasts, fail, onUndo],
  )
  const onSelectionChange = useCallback((sel: string[]) => setSelectedCount(sel.length), [])

  return (
    <section className="playlist" aria-labelledby={`${ids}-heading`}>
      <header className="playlist-head">
        <h1 id={`${ids}-heading`} className={readOnly ? 'title-static' : 'visually-hidden'}>
          {playlist.name}
        </h1>
        {readOnly ? (
          playlist.description && <p className="description-static">{playlist.description}</p>
        ) : (
          <>
            <MetaField
              key={`name-${playlistId}`}
              inputRef={nameRef}
              label="Name"
              value={playlist.name}
              className="title-input"
              validate={(v) => PlaylistNameSchema.safeParse(v)}
              onCommit={(value) =>
                client
                  .request('playlist/update', { id: playlistId, name: value })
                  .then(() => {}, fail)
              }
            />
            <MetaField
              key={`desc-${playlistId}`}
              label="Description"
              placeholder="Add a description"
              value={playlist.description}
              className="description-input"
              validate={(v) => PlaylistDescriptionSchema.safeParse(v)}
              onCommit={(description) =>
                client
                  .request('playlist/update', { id: playlistId, description })
                  .then(() => {}, fail)
              }
            />
          </>
        )}
        {shared && (
          <Suspense fallback={null}>
            <SharedBar playlistId={playlistId} shared={shared} tracks={titles} />
          </Suspense>
        )}
        <p className="muted stats">
          {trackCount(playlist.trackCount)}
          {playlist.totalDurationMs > 0 ? ` · ${formatTotal(playlist.totalDurationMs)}` : ''}
          {selectedCount > 1 ? ` · ${formatCount(selectedCount)} selected` : ''}
        </p>
        <div className="toolbar" role="toolbar" aria-label="Playlist actions">
          {!readOnly && (
            <button type="button" className="primary" onClick={() => setEditing('new')}>
              Add track
            </button>
          )}
          <button type="button" onClick={onImport}>
            Import
          </button>
          <ExportMenu
            onExport={exportAs}
            disabled={playlist.trackCount === 0}
            preferred={preferredExport}
          />
          {onShare && (
            <button type="button" onClick={onShare} aria-haspopup="dialog">
              Share
            </button>
          )}
          <span className="toolbar-gap" />
          <button
            type="button"
            onClick={onUndo}
            disabled={!history.canUndo}
            aria-keyshortcuts="Control+Z Meta+Z"
          >
            Undo
          </button>
          <button
            type="button"
            onClick={onRedo}
            disabled={!history.canRedo}
            aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
          >
            Redo
          </button>
          <button type="button" className="danger" onClick={onDelete}>
            {joined ? 'Remove from library' : 'Delete playlist'}
          </button>
        </div>
      </header>
      {waiting && joined && (
        <Suspense fallback={null}>
          <SyncState playlistId={playlistId} hostPeerId={joined.hostPeerId} onRemove={onDelete} />
        </Suspense>
      )}
      {playlist.trackCount === 0 ? (
        !waiting && (
          <div className="empty">
            <p>This playlist is empty.</p>
            {!readOnly && (
              <p className="muted">
                Add a track, import a playlist file, or drop one onto the window.
              </p>
            )}
          </div>
        )
      ) : (
        <TrackList
          handleRef={list}
          tracks={playlist.tracks}
          announce={setAnnouncement}
          onEdit={setEditing}
          onMove={onMove}
          onRemove={onRemove}
          onSelectionChange={onSelectionChange}
          onFocusChange={onFocusTrack}
          readOnly={readOnly}
          marks={marks}
        />
      )}
      <div className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </div>
      {editing && (
        <TrackEditor
          track={editing === 'new' ? undefined : editing}
          onSave={save}
          onClose={() => setEditing(null)}
        />
      )}
    </section>
  )
}

interface MetaFieldProps {
  label: string
  value: string
  className: string
  placeholder?: string
  inputRef?: Ref<HTMLInputElement>
  validate(
    value: string,
  ): { success: true } | { success: false; error: { issues: { message: string }[] } }
  onCommit(value: string): Promise<void>
}

/**
 * An inline-editable line: saves on Enter or blur, reverts on Escape, and refuses a
 * value the schema refuses (with the schema's message beside it).
 */
function MetaField({
  label,
  value,
  className,
  placeholder,
  inputRef,
  validate,
  onCommit,
}: MetaFieldProps) {
  const [draft, setDraft] = useState(value)
  const [focused, setFocused] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const errorId = useId()
  useEffect(() => {
    if (!focused) setDraft(value)
  }, [value, focused])
  const commit = (): boolean => {
    const next = draft.trim()
    if (next === value) {
      setError(null)
      return true
    }
    const result = validate(next)
    if (!result.success) {
      setError(result.error.issues[0]?.message ?? 'Invalid value')
      return false
    }
    setError(null)
    void onCommit(next)
    return true
  }
  return (
    <div className={`meta-field ${className}`}>
      <input
        ref={inputRef}
        aria-label={label}
        placeholder={placeholder}
        value={draft}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onFocus={() => setFocused(true)}
        onBlur={() => {
          setFocused(false)
          if (!commit()) setDraft(value)
        }}
        onChange={(e) => {
          setDraft(e.target.value)
          if (error) setError(null)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            if (commit()) e.currentTarget.blur()
          } else if (e.key === 'Escape') {
            e.preventDefault()
            setError(null)
            setDraft(value)
            e.currentTarget.blur()
          }
        }}
      />
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
