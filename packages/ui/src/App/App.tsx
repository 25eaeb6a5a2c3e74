/**
 * The application shell: sidebar, search, the open playlist, imports (picker, window
 * drop, OS file handlers) with progress, the command palette, undo/redo shortcuts, the
 * theme, and (when the host runs a sync node) sharing: the share dialog, joining from a
 * link, presence and friends.
 */
import {
  EXPORT_FORMATS,
  IMPORT_EXTENSIONS,
  NotFoundError,
  type SearchHit,
} from '@whatnext/core/client'
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { CollabProvider } from '../Collab/CollabProvider'
import type { CollabSource } from '../Collab/types'
import type { PaletteCommand } from '../CommandPalette/CommandPalette'
import type { DiagnosticsSource } from '../Diagnostics/DiagnosticsView'
import { Dialog } from '../Dialog/Dialog'
import { EngineProvider, useEngine, type EngineClient } from '../EngineProvider/EngineProvider'
import { useHistory } from '../hooks/use-history'
import { useImports } from '../hooks/use-imports'
import { useLibrary } from '../hooks/use-library'
import { usePlaylist } from '../hooks/use-playlist'
import { playlistIdFromHash, useSelectedPlaylist } from '../hooks/use-selected-playlist'
import { useTheme, type ThemeChoice } from '../hooks/use-theme'
import type { FocusRequest, PlaylistActions } from '../PlaylistPane/PlaylistPane'
import { SearchBox } from '../SearchBox/SearchBox'
import {
  SettingsProvider,
  useSetting,
  useSettings,
  type AppSettingsStore,
} from '../Settings/SettingsProvider'
import { Sidebar } from '../Sidebar/Sidebar'
import { ToastProvider, useToasts } from '../Toasts/Toasts'
import { errorMessage, isTyping, trackCount } from '../util'
import type { DesktopControls } from '../Settings/SettingsDialog'

/**
 * The open playlist's view (the track grid with drag and drop, the editor, exports):
 * loaded once there is a playlist to show, so a first visit's page leaves it out.
 */
const loadPlaylistPane = () => import('../PlaylistPane/PlaylistPane')
const PlaylistPane = lazy(() => loadPlaylistPane().then((m) => ({ default: m.PlaylistPane })))
const DiagnosticsView = lazy(() =>
  import('../Diagnostics/DiagnosticsView').then((m) => ({ default: m.DiagnosticsView })),
)
// Collaboration UI loads when there is a sync node to show (not on the first page).
const FriendsPanel = lazy(() =>
  import('../Friends/FriendsPanel').then((m) => ({ default: m.FriendsPanel })),
)
// Settings load on first open; cmdk and its dialog on the first Ctrl/Cmd+K.
const SettingsDialog = lazy(() =>
  import('../Settings/SettingsDialog').then((m) => ({ default: m.SettingsDialog })),
)
const CommandPalette = lazy(() =>
  import('../CommandPalette/CommandPalette').then((m) => ({ default: m.CommandPalette })),
)
// Sharing dialogs (and the QR encoder behind them) load when first opened.
const ShareDialog = lazy(() =>
  import('../Share/ShareDialog').then((m) => ({ default: m.ShareDialog })),
)
const JoinDialog = lazy(() =>
  import('../Share/JoinDialog').then((m) => ({ default: m.JoinDialog })),
)

/** Props of {@link App}. */
export interface AppProps {
  /** The engine's bus client. */
  client: EngineClient
  /**
   * Files handed to the app from outside (the OS "Open with", `launchQueue`): the host
   * calls the given function with them. Returns an unsubscribe function.
   */
  subscribeLaunchFiles?: (handler: (files: File[]) => void) => () => void
  /** The user's settings (synced across tabs, windows and processes by the store). */
  settings: AppSettingsStore
  /** Logs and monitors for the diagnostics view (absent: the view is not offered). */
  diagnostics?: DiagnosticsSource
  /** This device's identity, once made or loaded (its peer id is the user id). */
  identity?: { peerId: string } | null
  /** The host's sync node (absent: no sharing UI at all). */
  collab?: CollabSource
  /**
   * A share link to open now (the /join page's URL, a desktop deep link): the join
   * prompt shows it. A new value opens a new prompt.
   */
  join?: string | null
  /** The join prompt for `join` is done or cancelled (the host can clear its URL). */
  onJoinHandled?: () => void
  /** The desktop app's library folder (absent in browsers: Settings shows no Desktop section). */
  desktop?: DesktopControls
}

/** WhatNext's UI, on the given engine client and settings. */
export function App({
  client,
  subscribeLaunchFiles,
  settings,
  diagnostics,
  identity,
  collab,
  join,
  onJoinHandled,
  desktop,
}: AppProps) {
  return (
    <SettingsProvider settings={settings}>
      <EngineProvider client={client}>
        <CollabProvider source={collab}>
          <ToastProvider>
            <Shell
              subscribeLaunchFiles={subscribeLaunchFiles}
              diagnostics={diagnostics}
              identity={identity}
              collab={collab}
              join={join}
              onJoinHandled={onJoinHandled}
              desktop={desktop}
            />
          </ToastProvider>
        </CollabProvider>
      </EngineProvider>
    </SettingsProvider>
  )
}

const THEME_LABELS: Record<ThemeChoice, string> = {
  system: 'Theme: follow the system',
  light: 'Theme: light',
  dark: 'Theme: dark',
}

const NEXT_THEME: Record<ThemeChoice, ThemeChoice> = {
  system: 'light',
  light: 'dark',
  dark: 'system',
}
const THEME_BUTTON: Record<ThemeChoice, string> = {
  system: 'Theme: system',
  light: 'Theme: light',
  dark: 'Theme: dark',
}

/** A join prompt: for the `join` prop (reported back when done) or pasted from the palette. */
interface JoinRequest {
  link: string | null
  fromHost: boolean
}

function Shell({
  subscribeLaunchFiles,
  diagnostics,
  identity,
  collab,
  join,
  onJoinHandled,
  desktop,
}: Pick<
  AppProps,
  | 'subscribeLaunchFiles'
  | 'diagnostics'
  | 'identity'
  | 'collab'
  | 'join'
  | 'onJoinHandled'
  | 'desktop'
>) {
  const client = useEngine()
  const toasts = useToasts()
  const { playlists } = useLibrary()
  const hasPlaylists = (playlists?.length ?? 0) > 0
  useEffect(() => {
    // Fetched as soon as there is a playlist to open, not when one is first clicked.
    if (hasPlaylists) void loadPlaylistPane()
  }, [hasPlaylists])
  const [selectedId, select] = useSelectedPlaylist()
  const { playlist, error: playlistError } = usePlaylist(selectedId)
  const history = useHistory()
  const [creating, setCreating] = useState(false)
  const [paletteOpen, setPaletteOpen] = useState(false)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [focusRequest, setFocusRequest] = useState<FocusRequest | null>(null)
  const [dropping, setDropping] = useState(false)
  const [theme, setTheme] = useTheme()
  const [openAfterImport] = useSetting('library.openAfterImport')
  const [settingsOpen, setSettingsOpen] = useState(false)
  const [diagnosticsOpen, setDiagnosticsOpen] = useState(false)
  const [shareOpen, setShareOpen] = useState(false)
  const [joinRequest, setJoinRequest] = useState<JoinRequest | null>(null)
  const [focusedTrack, setFocusedTrack] = useState<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const searchInput = useRef<HTMLInputElement>(null)
  const actions = useRef<PlaylistActions | null>(null)

  const fail = useCallback(
    (error: unknown) => toasts.show({ kind: 'error', message: errorMessage(error) }),
    [toasts],
  )

  // How the open playlist is shared: joined read-only ones cannot be changed here.
  // The pane waits for the library's word on it, so that no edit control flashes up on a
  // read-only playlist whose view arrived first.
  const summary = playlist ? playlists?.find((p) => p.id === playlist.id) : undefined
  const shared = summary?.shared
  const joined = shared?.kind === 'joined'
  const readOnly = joined && shared.role === 'read'
  const canShare = collab !== undefined && summary !== undefined && !joined

  // Presence: collaborators see which playlist (and track) this user is on.
  useEffect(() => setFocusedTrack(null), [selectedId])
  useEffect(() => {
    collab?.setFocus({ playlistId: selectedId, trackId: selectedId ? focusedTrack : null })
  }, [collab, selectedId, focusedTrack])

  // A link handed in by the host opens the join prompt once (a new link, a new prompt).
  const handledJoin = useRef<string | null>(null)
  useEffect(() => {
    if (!join || join === handledJoin.current) return
    handledJoin.current = join
    if (collab) setJoinRequest({ link: join, fromHost: true })
    else {
      toasts.show({ kind: 'error', message: 'Joining shared playlists is not available here.' })
      onJoinHandled?.()
    }
  }, [join, collab, toasts, onJoinHandled])
  const openJoin = useRef<JoinRequest | null>(null)
  openJoin.current = joinRequest
  const closeJoin = useCallback(() => {
    const request = openJoin.current
    openJoin.current = null
    setJoinRequest(null)
    if (request?.fromHost) onJoinHandled?.()
  }, [onJoinHandled])
  const openOwn = useCallback(
    (id: string) => {
      select(id)
      toasts.show({ kind: 'info', message: 'This is your own playlist.' })
      closeJoin()
    },
    [select, toasts, closeJoin],
  )
  const onJoined = useCallback(
    (id: string) => {
      select(id)
      toasts.show({ kind: 'info', message: 'Joined. The playlist is in your library.' })
      closeJoin()
    },
    [select, toasts, closeJoin],
  )

  // What opening the settings found: said once, in words, instead of failing silently.
  const settings = useSettings()
  useEffect(() => {
    const { migrationError, recovered } = settings.report
    if (migrationError)
      toasts.show({
        kind: 'error',
        message: `Your settings could not be updated for this version (${migrationError.message}). WhatNext keeps using them as they were; a backup was kept.`,
      })
    if (recovered)
      toasts.show({
        kind: 'error',
        message:
          recovered.source === 'backup'
            ? `Your saved settings were damaged (${recovered.reason}); the last good backup was restored.`
            : `Your saved settings were damaged (${recovered.reason}) and were reset to the defaults.`,
      })
  }, [settings, toasts])

  // Nothing selected: open the first playlist. The selected one is gone (deleted here or
  // in another tab, or a stale link): fall back to the first that exists.
  // (A just-created playlist may be selected before the list that holds it arrives, so
  // only a playlist the list held before and holds no more counts as gone.)
  const listed = useRef<ReadonlySet<string>>(new Set())
  useEffect(() => {
    if (!playlists) return
    const now = new Set(playlists.map((p) => p.id))
    const vanished = selectedId !== null && listed.current.has(selectedId) && !now.has(selectedId)
    listed.current = now
    // (A child's effect in this same commit, e.g. the join prompt opening one's own
    // playlist, may have selected one already: the URL has it before this render does.)
    if (!selectedId && playlists.length > 0) {
      if (!playlistIdFromHash(location.hash)) select(playlists[0]!.id)
    } else if (selectedId && (vanished || playlistError instanceof NotFoundError))
      select(playlists.find((p) => p.id !== selectedId)?.id ?? null)
  }, [selectedId, playlists, playlistError, select])

  const undo = useCallback(async () => {
    try {
      const r = await client.request('history/undo', {})
      if (r.playlistId) select(r.playlistId)
    } catch (error) {
      fail(error)
    }
  }, [client, fail, select])
  const redo = useCallback(async () => {
    try {
      const r = await client.request('history/redo', {})
      if (r.playlistId) select(r.playlistId)
    } catch (error) {
      fail(error)
    }
  }, [client, fail, select])

  const { jobs, importFiles } = useImports({
    onImported(file, result) {
      if (openAfterImport) select(result.playlistId)
      const warnings = result.warnings.length
      toasts.show({
        kind: 'info',
        message: `Imported ${trackCount(result.added)} from ${file.name}${
          warnings ? ` (${warnings} ${warnings === 1 ? 'line' : 'lines'} skipped)` : ''
        }`,
        action: { label: 'Undo', run: () => void undo() },
      })
    },
    onFailed: (_file, error) => fail(error),
  })
  const openImport = useCallback(() => fileInput.current?.click(), [])

  const create = async (name: string) => {
    try {
      const { id } = await client.request('playlist/create', { name })
      select(id)
    } catch (error) {
      fail(error)
    }
  }

  const deleteSelected = async () => {
    if (!playlist) return
    setConfirmDelete(false)
    try {
      await client.request('playlist/delete', { id: playlist.id })
      toasts.show({
        kind: 'info',
        message: joined
          ? `Removed “${playlist.name}” from your library`
          : `Deleted “${playlist.name}”`,
        action: { label: 'Undo', run: () => void undo() },
      })
    } catch (error) {
      fail(error)
    }
  }

  // Global shortcuts. Text fields keep their own undo and typing; dialogs their keys.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey
      const key = e.key.toLowerCase()
      if (mod && !e.altKey && key === 'k') {
        e.preventDefault()
        setPaletteOpen((o) => !o)
        return
      }
      if (e.defaultPrevented || paletteOpen || isTyping(e.target)) return
      if ((e.target as Element | null)?.closest?.('[role="dialog"],[role="alertdialog"]')) return
      if (mod && key === 'z') {
        e.preventDefault()
        void (e.shiftKey ? redo() : undo())
      } else if (mod && key === 'y') {
        e.preventDefault()
        void redo()
      } else if ((mod && key === 'f') || (key === '/' && !mod && !e.altKey)) {
        e.preventDefault()
        searchInput.current?.focus()
        searchInput.current?.select()
      } else if (mod && key === 'o') {
        e.preventDefault()
        openImport()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [paletteOpen, undo, redo, openImport])

  // Playlist files dropped anywhere on the window.
  useEffect(() => {
    let depth = 0
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files')
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return
      depth++
      setDropping(true)
    }
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDropping(false)
    }
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
    }
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return
      e.preventDefault()
      depth = 0
      setDropping(false)
      importFiles([...(e.dataTransfer?.files ?? [])])
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragleave', leave)
    window.addEventListener('dragover', over)
    window.addEventListener('drop', drop)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('dragover', over)
      window.removeEventListener('drop', drop)
    }
  }, [importFiles])

  useEffect(() => subscribeLaunchFiles?.(importFiles), [subscribeLaunchFiles, importFiles])

  const openHit = useCallback(
    (hit: SearchHit) => {
      select(hit.playlistId)
      setFocusRequest((r) => ({ trackId: hit.track.id, nonce: (r?.nonce ?? 0) + 1 }))
    },
    [select],
  )

  const commands = useMemo<PaletteCommand[]>(() => {
    const a = () => actions.current
    const list: PaletteCommand[] = [
      {
        id: 'new-playlist',
        label: 'New playlist',
        group: 'Playlist',
        run: () => setCreating(true),
      },
      {
        id: 'settings',
        label: 'Open settings',
        group: 'View',
        keywords: ['preferences', 'options', 'display name', 'relay', 'history'],
        run: () => setSettingsOpen(true),
      },
      ...(collab
        ? [
            {
              id: 'join',
              label: 'Join from link…',
              group: 'Playlist',
              keywords: ['share', 'link', 'open', 'paste', 'collaborate'],
              run: () => setJoinRequest({ link: null, fromHost: false }),
            },
          ]
        : []),
      ...(diagnostics
        ? [
            {
              id: 'diagnostics',
              label: 'Open diagnostics',
              group: 'View',
              keywords: ['metrics', 'performance', 'logs', 'debug', 'export diagnostics'],
              run: () => setDiagnosticsOpen(true),
            },
          ]
        : []),
      {
        id: 'import',
        label: 'Import playlist files',
        group: 'Playlist',
        shortcut: 'Ctrl+O',
        run: openImport,
      },
    ]
    if (playlist) {
      if (canShare)
        list.push({
          id: 'share',
          label: 'Share playlist…',
          group: 'Playlist',
          keywords: ['link', 'invite', 'collaborate', 'qr', 'revoke'],
          run: () => setShareOpen(true),
        })
      // A playlist shared read-only offers nothing that would change it.
      if (!readOnly)
        list.push(
          { id: 'add-track', label: 'Add track', group: 'Playlist', run: () => a()?.addTrack() },
          { id: 'rename', label: 'Rename playlist', group: 'Playlist', run: () => a()?.rename() },
        )
      list.push(
        {
          id: 'delete-playlist',
          label: joined ? 'Remove from library' : 'Delete playlist',
          group: 'Playlist',
          run: () => setConfirmDelete(true),
        },
        ...EXPORT_FORMATS.map((f) => ({
          id: `export-${f.format}`,
          label: `Export as ${f.label}`,
          group: 'Export',
          keywords: [f.extension],
          run: () => a()?.export(f.format),
        })),
        {
          id: 'select-all',
          label: 'Select all tracks',
          group: 'Tracks',
          shortcut: 'Ctrl+A',
          run: () => a()?.selectAll(),
        },
      )
      if (!readOnly)
        list.push(
          {
            id: 'delete-selected',
            label: 'Delete selected tracks',
            group: 'Tracks',
            shortcut: 'Del',
            keywords: ['remove'],
            run: () => a()?.removeSelected(),
          },
          {
            id: 'move-up',
            label: 'Move selected tracks up',
            group: 'Tracks',
            shortcut: 'Alt+↑',
            run: () => a()?.moveSelected(-1),
          },
          {
            id: 'move-down',
            label: 'Move selected tracks down',
            group: 'Tracks',
            shortcut: 'Alt+↓',
            run: () => a()?.moveSelected(1),
          },
        )
    }
    list.push(
      {
        id: 'undo',
        label: 'Undo',
        group: 'Edit',
        shortcut: 'Ctrl+Z',
        run: () => void undo(),
      },
      {
        id: 'redo',
        label: 'Redo',
        group: 'Edit',
        shortcut: 'Ctrl+Shift+Z',
        run: () => void redo(),
      },
      {
        id: 'search',
        label: 'Search library',
        group: 'Go to',
        shortcut: '/',
        keywords: ['find'],
        run: () => searchInput.current?.focus(),
      },
    )
    for (const p of playlists ?? []) {
      list.push({
        id: `open-${p.id}`,
        label: `Go to ${p.name}`,
        group: 'Go to',
        keywords: ['open', 'playlist'],
        run: () => select(p.id),
      })
    }
    for (const choice of ['system', 'light', 'dark'] as const) {
      list.push({
        id: `theme-${choice}`,
        label: THEME_LABELS[choice],
        group: 'View',
        keywords: ['toggle theme', 'appearance', 'colour', 'color'],
        run: () => void setTheme(choice),
      })
    }
    return list
  }, [
    playlist,
    playlists,
    undo,
    redo,
    setTheme,
    select,
    openImport,
    diagnostics,
    collab,
    canShare,
    readOnly,
    joined,
  ])

  const loading = playlists === undefined

  return (
    <div className="app" aria-busy={loading}>
      <header className="topbar">
        <a className="brand" href="#/">
          WhatNext
        </a>
        <SearchBox inputRef={searchInput} onOpen={openHit} />
        <button
          type="button"
          className="palette-button"
          onClick={() => setPaletteOpen(true)}
          aria-keyshortcuts="Control+K Meta+K"
        >
          Commands <kbd aria-hidden="true">Ctrl K</kbd>
        </button>
        <button
          type="button"
          className="theme-toggle"
          title="Switch theme (system, light, dark)"
          onClick={() => void setTheme(NEXT_THEME[theme])}
        >
          {THEME_BUTTON[theme]}
        </button>
        <button type="button" onClick={() => setSettingsOpen(true)}>
          Settings
        </button>
      </header>
      <div className="body">
        <Sidebar
          playlists={playlists}
          selectedId={selectedId}
          creating={creating}
          onCreating={setCreating}
          onCreate={create}
          onSelect={select}
          footer={
            collab ? (
              <Suspense fallback={null}>
                <FriendsPanel />
              </Suspense>
            ) : undefined
          }
        />
        <main className="main">
          {jobs.length > 0 && (
            <ul className="imports" aria-label="Imports">
              {jobs.map((job) => {
                const percent = Math.round(job.fraction * 100)
                return (
                  <li key={job.id} className="import-job">
                    <span>Importing {job.fileName}…</span>
                    <div
                      className="progress"
                      role="progressbar"
                      aria-label={`Importing ${job.fileName}`}
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-valuenow={percent}
                    >
                      <div className="progress-bar" style={{ width: `${percent}%` }} />
                    </div>
                  </li>
                )
              })}
            </ul>
          )}
          {playlist && summary ? (
            <Suspense fallback={<p className="muted loading">Opening the playlist…</p>}>
              <PlaylistPane
                key={playlist.id}
                playlist={playlist}
                actionsRef={actions}
                focusRequest={focusRequest}
                onImport={openImport}
                onDelete={() => setConfirmDelete(true)}
                onUndo={() => void undo()}
                onRedo={() => void redo()}
                shared={shared}
                onShare={canShare ? () => setShareOpen(true) : undefined}
                onFocusTrack={setFocusedTrack}
              />
            </Suspense>
          ) : playlists && playlists.length === 0 ? (
            <div className="empty welcome">
              <h1>Your library is empty</h1>
              <p>Create a playlist or drop a playlist file here.</p>
              <p className="muted">
                WhatNext reads M3U, PLS, XSPF, JSPF, ASX, CSV and Markdown playlists.
              </p>
              <p className="welcome-actions">
                <button type="button" className="primary" onClick={() => setCreating(true)}>
                  Create a playlist
                </button>
                <button type="button" onClick={openImport}>
                  Import
                </button>
              </p>
              {history.canUndo && (
                <p>
                  <button type="button" onClick={() => void undo()}>
                    Undo
                  </button>
                </p>
              )}
            </div>
          ) : (
            <p className="muted loading">{loading ? 'Opening your library…' : ''}</p>
          )}
        </main>
      </div>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        accept={IMPORT_EXTENSIONS.join(',')}
        aria-label="Choose playlist files to import"
        data-testid="import-input"
        onChange={(e) => {
          importFiles([...(e.target.files ?? [])])
          e.target.value = ''
        }}
      />
      {dropping && (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop playlist files to import</p>
        </div>
      )}
      {settingsOpen && (
        <Suspense fallback={null}>
          <SettingsDialog
            peerId={identity?.peerId}
            desktop={desktop}
            onClose={() => setSettingsOpen(false)}
            onOpenDiagnostics={
              diagnostics
                ? () => {
                    setSettingsOpen(false)
                    setDiagnosticsOpen(true)
                  }
                : undefined
            }
          />
        </Suspense>
      )}
      {diagnosticsOpen && diagnostics && (
        <Suspense fallback={null}>
          <DiagnosticsView source={diagnostics} onClose={() => setDiagnosticsOpen(false)} />
        </Suspense>
      )}
      {paletteOpen && (
        <Suspense fallback={null}>
          <CommandPalette commands={commands} onClose={() => setPaletteOpen(false)} />
        </Suspense>
      )}
      {confirmDelete && playlist && (
        <Dialog
          role="alertdialog"
          title={
            joined ? `Remove “${playlist.name}” from your library?` : `Delete “${playlist.name}”?`
          }
          onClose={() => setConfirmDelete(false)}
          initialFocus=".dialog-actions button"
        >
          <p>
            {joined
              ? 'It stays with whoever shared it; you can join again with the link.'
              : `Its ${trackCount(playlist.trackCount)} go with it. You can undo this right after.`}
          </p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
            <button type="button" className="danger" onClick={() => void deleteSelected()}>
              {joined ? 'Remove' : 'Delete'}
            </button>
          </div>
        </Dialog>
      )}
      {shareOpen && canShare && playlist && (
        <Suspense fallback={null}>
          <ShareDialog
            playlist={playlist}
            peerId={identity?.peerId}
            onClose={() => setShareOpen(false)}
            onOpenSettings={() => {
              setShareOpen(false)
              setSettingsOpen(true)
            }}
          />
        </Suspense>
      )}
      {joinRequest && playlists && (
        <Suspense fallback={null}>
          <JoinDialog
            key={joinRequest.link ?? ''}
            link={joinRequest.link}
            playlists={playlists}
            peerId={identity?.peerId}
            onOwn={openOwn}
            onJoined={onJoined}
            onClose={closeJoin}
          />
        </Suspense>
      )}
    </div>
  )
}
