/**
 * @whatnext/ui — WhatNext's React interface. It talks to the engine only through the
 * typed bus client it is given, so the same UI runs over a Web Worker or an Electron
 * utility process.
 *
 * @example
 * ```tsx
 * import { App } from '@whatnext/ui'
 * import '@whatnext/ui/styles.css'
 * root.render(<App client={createEndpoint(engineContract, { transport, clock })} />)
 * ```
 */
export { App, type AppProps } from './App/App'
export { EngineProvider, useEngine, useHistory, useLibrary, usePlaylist, useSearch, type EngineClient } from './engine-context'
export { TrackList, type TrackListHandle, type TrackListProps } from './TrackList/TrackList'
export { TrackEditor } from './TrackEditor/TrackEditor'
export { useTheme, type ThemeChoice } from './theme'
