/**
 * @whatnext/ui — WhatNext's React interface. It talks to the engine only through the
 * typed bus client it is given, so the same UI runs over a Web Worker (web) or an
 * Electron utility process (desktop). UI code imports `@whatnext/core/client`, which
 * keeps the engine, Yjs and the file parsers out of the page's bundle.
 *
 * @example
 * ```tsx
 * import { createEndpoint, engineContract, messagePortTransport, systemClock } from '@whatnext/core/client'
 * import { App } from '@whatnext/ui'
 * import '@whatnext/ui/styles.css'
 *
 * const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' })
 * const client = createEndpoint(engineContract, {
 *   transport: messagePortTransport(worker),
 *   clock: systemClock(globalThis),
 * })
 * createRoot(document.getElementById('root')!).render(
 *   <App client={client} settings={settings} collab={syncNode} join={linkFromUrl} onJoinHandled={clearUrl} />,
 * )
 * ```
 */
export { App, type AppProps } from './App/App'
export {
  EngineProvider,
  useEngine,
  type EngineClient,
  type EngineProviderProps,
} from './EngineProvider/EngineProvider'
export { useLibrary, type LibraryState } from './hooks/use-library'
export { usePlaylist, type PlaylistState } from './hooks/use-playlist'
export { useSearch, SEARCH_DEBOUNCE_MS, type SearchState } from './hooks/use-search'
export { useHistory } from './hooks/use-history'
export { useImports, type ImportJob, type ImportOutcome } from './hooks/use-imports'
export { useTheme, THEME_STORAGE_KEY, type ThemeChoice } from './hooks/use-theme'
export {
  SettingsProvider,
  useSetting,
  useSettings,
  useSettingsSnapshot,
  type AppSettingsStore,
  type SettingsProviderProps,
} from './Settings/SettingsProvider'
export {
  SettingsDialog,
  type DesktopControls,
  type SettingsDialogProps,
} from './Settings/SettingsDialog'
export { TrackList, type TrackListHandle, type TrackListProps } from './TrackList/TrackList'
export { TrackEditor, type TrackEditorProps } from './TrackEditor/TrackEditor'
export {
  EMPTY_COLLAB,
  type CollabConnection,
  type CollabPeer,
  type CollabSnapshot,
  type CollabSource,
  type FriendStatus,
  type PlaylistCollabStatus,
} from './Collab/types'
export {
  CollabProvider,
  useCollab,
  useCollabSnapshot,
  shortPeerId,
  type CollabProviderProps,
} from './Collab/CollabProvider'
export {
  DiagnosticsView,
  type DiagnosticsSource,
  type DiagnosticsViewProps,
} from './Diagnostics/DiagnosticsView'
