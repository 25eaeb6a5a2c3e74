/**
 * The application shell: sidebar, search, the open playlist, imports (picker, drop,
 * OS file handlers) with progress, the command palette, undo/redo shortcuts and theme.
 */
import { EXPORT_FORMATS, IMPORT_EXTENSIONS, type SearchHit } from '@whatnext/core/client'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { CommandPalette, type PaletteCommand } from '../CommandPalette/CommandPalette'
import { Dialog } from '../Dialog/Dialog'
import { EngineProvider, useEngine, useLibrary, usePlaylist, type EngineClient } from '../engine-context'
import { PlaylistPane, type PlaylistActions } from '../PlaylistPane/PlaylistPane'
import { SearchBox } from '../SearchBox/SearchBox'
import { Sidebar } from '../Sidebar/Sidebar'
import { ToastProvider, useToasts } from '../Toasts/Toasts'
import { useTheme, type ThemeChoice } from '../theme'
import { errorMessage, isTyping, useSelectedPlaylist } from '../util'

/** Props of {@link App}. */
export interface AppProps {
  /** The engine's bus client. */
  client: EngineClient
  /**
   * Files handed to the app from outside (the OS "Open with", `launchQueue`): the host
   * calls the given function with them. Returns an unsubscribe function.
   */
  subscribeLaunchFiles?: (handler: (files: File[]) => void) => () => void
}

/** WhatNext's UI. */
export function App({ client, subscribeLaunchFiles }: AppProps) {
  return (
    <EngineProvider client={client}>
      <ToastProvider>
        <Shell subscribeLaunchFiles={subscribeLaunchFiles} />
      </ToastProvider>
    </EngineProvider>
  )
}

interface ImportJob {
  id: string
  fileName: string
  fraction: number
}

function Shell({ subscribeLaunchFiles }: Pick<AppProps, 'subscribeLaunchFiles'>) {
  const client = useEngine()
  const toasts = useToasts()
  const { playlists } = useLibrary()
  const [selectedId, select] = useSelectedPlaylist()
  const { playlist } = usePlaylist(selectedId)
  const [creating, setCreating] = useState(false)
  const [paletteOpen, setPaletteOpen] = useState(false)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const [focusRequest, setFocusRequest] = useState<string | null>(null)
  const [imports, setImports] = useState<ImportJob[]>([])
  const [dropping, setDropping] = useState(false)
  const [theme, setTheme] = useTheme()
  const fileInput = useRef<HTMLInputElement>(null)
  const search = useRef<HTMLInputElement>(null)
  const actions = useRef<PlaylistActions | null>(null)
  const queue = useRef<Promise<void>>(Promise.resolve())

  const fail = useCallback((error: unknown) => toasts.show({ kind: 'error', message: errorMessage(error) }), [toasts])

  // A selected playlist that no longer exists (deleted, or a stale link) falls back.
  useEffect(() => {
    if (selectedId && playlists && !playlists.some((p) => p.id === selectedId)) select(playlists[0]?.id ?? null)
    if (!selectedId && playlists && playlists.length > 0) select(playlists[0]!.id)
  }, [selectedId, playlists])

  useEffect(
    () =>
      client.on('import/progressed', (p) =>
        setImports((jobs) => jobs.map((j) => (j.id === p.importId ? { ...j, fraction: p.fraction } : j))),
      ),
    [client],
  )

  /** Imports files one after another, each with its own progress bar. */
  const importFiles = useCallback(
    (files: File[]) => {
      for (const file of files) {
        const id = `${Date.now()}-${Math.random().toString(36).slice(2)}`
        setImports((jobs) => [...jobs, { id, fileName: file.name, fraction: 0 }])
        queue.current = queue.current.then(async () => {
          try {
            const buffer = await file.arrayBuffer()
            const result = await client.request(
              'import/file',
              { fileName: file.name, bytes: new Uint8Array(buffer), importId: id },
              { transfer: [buffer] },
            )
            select(result.playlistId)
            toasts.show({
              kind: 'info',
              message: `Imported ${result.added.toLocaleString('en')} ${result.added === 1 ? 'track' : 'tracks'} from ${file.name}${
                result.warnings.length ? ` (${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'})` : ''
              }`,
              action: { label: 'Undo', run: () => void undo() },
            })
          } catch (error) {
            fail(error)
          } finally {
            setImports((jobs) => jobs.filter((j) => j.id !== id))
          }
        })
      }
    },
    [client, fail, toasts],
  )

  const undo = useCallback(async () => {
    try {
      const r = await client.request('history/undo', {})
      if (r.playlistId) select(r.playlistId)
    } catch (error) {
      fail(error)
    }
  }, [client, fail])
  const redo = useCallback(async () => {
    try {
      const r = await client.request('history/redo', {})
      if (r.playlistId) select(r.playlistId)
    } catch (error) {
      fail(error)
    }
  }, [client, fail])

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
      toasts.show({ kind: 'info', message: `Deleted “${playlist.name}”`, action: { label: 'Undo', run: () => void undo() } })
    } catch (error) {
      fail(error)
    }
  }

  // Global shortcuts. Text fields keep their own undo and typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey
      const key = e.key.toLowerCase()
      if (mod && key === 'k') {
        e.preventDefault()
        setPaletteOpen((o) => !o)
      } else if (paletteOpen || isTyping(e.target)) {
        return
      } else if (mod && key === 'z') {
        e.preventDefault()
        void (e.shiftKey ? redo() : undo())
      } else if (mod && key === 'y') {
        e.preventDefault()
        void redo()
      } else if ((mod && key === 'f') || (key === '/' && !mod)) {
        e.preventDefault()
        search.current?.focus()
      } else if (mod && key === 'o') {
        e.preventDefault()
        fileInput.current?.click()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [paletteOpen, undo, redo])

  // Files dropped anywhere on the window.
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
      if (hasFiles(e)) e.preventDefault()
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

  const openHit = (hit: SearchHit) => {
    select(hit.playlistId)
    setFocusRequest(null)
    requestAnimationFrame(() => setFocusRequest(hit.track.id))
  }

  const commands = useMemo<PaletteCommand[]>(() => {
    const list: PaletteCommand[] = [
      { id: 'new', label: 'New playlist', group: 'Playlist', run: () => setCreating(true) },
      { id: 'import', label: 'Import playlist files…', group: 'Playlist', shortcut: 'Ctrl+O', run: () => fileInput.current?.click() },
      { id: 'undo', label: 'Undo', group: 'Edit', shortcut: 'Ctrl+Z', run: () => void undo() },
      { id: 'redo', label: 'Redo', group: 'Edit', shortcut: 'Ctrl+Shift+Z', run: () => void redo() },
      { id: 'search', label: 'Search library', group: 'Go to', shortcut: '/', run: () => search.current?.focus() },
      { id: 'theme-system', label: 'Theme: follow system', group: 'View', run: () => setTheme('system') },
      { id: 'theme-light', label: 'Theme: light', group: 'View', run: () => setTheme('light') },
      { id: 'theme-dark', label: 'Theme: dark', group: 'View', run: () => setTheme('dark') },
    ]
    if (playlist) {
      const a = () => actions.current
      list.push(
        { id: 'add', label: 'Add track', group: 'Playlist', run: () => a()?.addTrack() },
        { id: 'rename', label: 'Rename playlist', group: 'Playlist', run: () => a()?.rename() },
        { id: 'delete', label: 'Delete playlist', group: 'Playlist', run: () => setConfirmDelete(true) },
        { id: 'select-all', label: 'Select all tracks', group: 'Edit', shortcut: 'Ctrl+A', run: () => a()?.list?.selectAll() },
        { id: 'remove', label: 'Remove selected tracks', group: 'Edit', shortcut: 'Del', run: () => a()?.list?.removeSelected() },
        { id: 'up', label: 'Move selected tracks up', group: 'Edit', shortcut: 'Alt+↑', run: () => a()?.list?.moveSelected(-1) },
        { id: 'down', label: 'Move selected tracks down', group: 'Edit', shortcut: 'Alt+↓', run: () => a()?.list?.moveSelected(1) },
        ...EXPORT_FORMATS.map((f) => ({
          id: `export-${f.format}`,
          label: `Export as ${f.label}`,
          group: 'Export',
          run: () => a()?.export(f.format),
        })),
      )
    }
    for (const p of playlists ?? []) {
      list.push({ id: `open-${p.id}`, label: `Open ${p.name}`, group: 'Go to', keywords: [p.name], run: () => select(p.id) })
    }
    return list
  }, [playlist, playlists, undo, redo, setTheme, select])

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/">
          WhatNext
        </a>
        <SearchBox ref={search} onOpen={openHit} />
        <button type="button" className="palette-button" onClick={() => setPaletteOpen(true)} aria-keyshortcuts="Control+K">
          Commands <kbd>Ctrl K</kbd>
        </button>
        <ThemeToggle theme={theme} onChange={setTheme} />
      </header>
      <div className="body">
        <Sidebar
          playlists={playlists}
          selectedId={selectedId}
          creating={creating}
          onCreating={setCreating}
          onCreate={create}
          onSelect={select}
        />
        <main className="main">
          {imports.length > 0 && (
            <div className="imports">
              {imports.map((job) => (
                <div key={job.id} className="import-job">
                  <span>Importing {job.fileName}…</span>
                  <progress
                    max={100}
                    value={Math.round(job.fraction * 100)}
                    aria-label={`Importing ${job.fileName}`}
                    aria-valuenow={Math.round(job.fraction * 100)}
                  />
                </div>
              ))}
            </div>
          )}
          {playlist ? (
            <PlaylistPane
              key={playlist.id}
              playlist={playlist}
              actionsRef={actions}
              focusRequest={focusRequest}
              onImport={() => fileInput.current?.click()}
              onDelete={() => setConfirmDelete(true)}
              onUndo={() => void undo()}
              onRedo={() => void redo()}
            />
          ) : playlists && playlists.length === 0 ? (
            <div className="empty welcome">
              <h1>Your library is empty</h1>
              <p>Create a playlist, or drop playlist files (M3U, PLS, XSPF, JSPF, ASX, CSV, Markdown) anywhere on this window.</p>
              <p>
                <button type="button" onClick={() => fileInput.current?.click()}>
                  Import
                </button>
              </p>
            </div>
          ) : null}
        </main>
      </div>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        accept={IMPORT_EXTENSIONS.join(',')}
        aria-label="Choose playlist files to import"
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
      {paletteOpen && <CommandPalette commands={commands} onClose={() => setPaletteOpen(false)} />}
      {confirmDelete && playlist && (
        <Dialog title={`Delete “${playlist.name}”?`} onClose={() => setConfirmDelete(false)}>
          <p>
            Its {playlist.trackCount.toLocaleString('en')} tracks go with it. You can undo this right after.
          </p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
            <button type="button" className="danger" onClick={() => void deleteSelected()}>
              Delete
            </button>
          </div>
        </Dialog>
      )}
    </div>
  )
}

function ThemeToggle({ theme, onChange }: { theme: ThemeChoice; onChange(theme: ThemeChoice): void }) {
  return (
    <label className="theme-toggle">
      <span className="visually-hidden">Theme</span>
      <select value={theme} onChange={(e) => onChange(e.target.value as ThemeChoice)} aria-label="Theme">
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  )
}
