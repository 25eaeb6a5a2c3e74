/**
 * The sandboxed preload: the only bridge between a window's page and main. It exposes
 * `window.whatnextDesktop` with a handful of typed calls — never `ipcRenderer` itself —
 * and hands the engine's MessagePort to the page with `window.postMessage` (a port
 * cannot cross `contextBridge`), after which main is out of the data path.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { EVENTS, PORT_MESSAGE } from '../shared/events.ts'

type DeepLink = { kind: 'join'; token: string }

// Each port main sends (first connection, and again after an engine restart) goes to the
// page, which builds its bus endpoint on it. Only our own origin receives it.
ipcRenderer.on(EVENTS.port, (event) => {
  const [port] = event.ports
  if (port) window.postMessage({ type: PORT_MESSAGE }, window.location.origin, [port])
})

const subscribe = <T>(channel: string, listener: (value: T) => void) => {
  const wrapped = (_event: unknown, value: T) => listener(value)
  ipcRenderer.on(channel, wrapped)
  return () => {
    ipcRenderer.removeListener(channel, wrapped)
  }
}

const api = {
  platform: process.platform,
  /** Asks for an engine port; it arrives as a `message` event of type `whatnext:engine-port`. */
  connectEngine: (): Promise<void> => ipcRenderer.invoke('engine/connect', {}),
  openPlaylistFiles: (): Promise<{ fileName: string; bytes: Uint8Array }[]> =>
    ipcRenderer.invoke('dialog/openPlaylists', {}),
  savePlaylistFile: (fileName: string, content: string): Promise<boolean> =>
    ipcRenderer.invoke('dialog/savePlaylist', { fileName, content }),
  openExternal: (url: string): Promise<boolean> =>
    ipcRenderer.invoke('shell/openExternal', { url }),
  openPlaylistWindow: (playlistId: string): Promise<void> =>
    ipcRenderer.invoke('window/openPlaylist', { playlistId }),
  setShownPlaylist: (playlistId: string | null): Promise<void> =>
    ipcRenderer.invoke('window/setPlaylist', { playlistId }),
  notify: (title: string, body: string): Promise<void> =>
    ipcRenderer.invoke('notify/show', { title, body }),
  settingsKey: (): Promise<string> => ipcRenderer.invoke('secrets/settingsKey', {}),
  libraryFolder: (): Promise<string> => ipcRenderer.invoke('library/folder', {}),
  chooseLibraryFolder: (): Promise<string | null> => ipcRenderer.invoke('library/chooseFolder', {}),
  setUpdateChannel: (channel: 'stable' | 'beta'): Promise<void> =>
    ipcRenderer.invoke('update/setChannel', { channel }),
  onDeepLink: (listener: (link: DeepLink) => void) => subscribe(EVENTS.deepLink, listener),
  onReconnecting: (listener: () => void) => subscribe(EVENTS.reconnecting, listener),
  onUpdateState: (listener: (state: unknown) => void) => subscribe(EVENTS.update, listener),
}

/** What `window.whatnextDesktop` offers (apps/web can declare it from this type). */
export type DesktopBridge = typeof api

contextBridge.exposeInMainWorld('whatnextDesktop', api)
