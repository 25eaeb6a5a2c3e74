/**
 * The engine connection inside the desktop app: main hands this window a MessagePort
 * straight to the engine's utility process (the preload passes it on with
 * `window.postMessage`, since a port cannot cross `contextBridge`). When the utility
 * process restarts, a new port arrives; messages sent in between wait and go out on it.
 * Main is never in the data path.
 */
import { messagePortTransport, type MessagePortLike, type Transport } from '@whatnext/core/client'

/** `window.postMessage` type of the port hand-off (see apps/desktop's preload). */
export const ENGINE_PORT_MESSAGE = 'whatnext:engine-port'

/** What the desktop preload exposes as `window.whatnextDesktop` (the part used here). */
export interface DesktopBridge {
  /** Asks main for an engine port; it arrives as a window `message` event. */
  connectEngine(): Promise<void>
  /** The engine restarted; a new port follows. Returns the unsubscribe function. */
  onReconnecting(listener: () => void): () => void
  /** OS notification. */
  notify?(title: string, body: string): Promise<void>
  /** What this window shows, restored after a restart. */
  setShownPlaylist?(playlistId: string | null): Promise<void>
  setUpdateChannel?(channel: 'stable' | 'beta'): Promise<void>
  libraryFolder?(): Promise<string>
  /** The settings secrets key (base64) that main keeps sealed by the OS keychain. */
  settingsKey?(): Promise<string>
  chooseLibraryFolder?(): Promise<string | null>
  /** A `whtnxt://join/…` link the OS opened the app with. */
  onDeepLink?(listener: (link: { kind: 'join'; token: string }) => void): () => void
}

/** Where the port arrives (the window). */
export interface PortMailbox {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
}

/** Connection state shown to the user. */
export type DesktopEngineState = 'connecting' | 'connected' | 'reconnecting'

/** A transport over the current engine port, re-pointed at each new one. */
export function desktopEngineTransport(
  bridge: DesktopBridge,
  mailbox: PortMailbox,
  onState: (state: DesktopEngineState) => void = () => undefined,
): Transport {
  const listeners = new Set<(message: unknown) => void>()
  const waiting: [unknown, readonly unknown[] | undefined][] = []
  let current: Transport | null = null
  let stopCurrent: (() => void) | null = null

  const onPort = (event: MessageEvent) => {
    const data = event.data as { type?: unknown } | null
    const port = event.ports?.[0]
    if (data?.type !== ENGINE_PORT_MESSAGE || !port) return
    stopCurrent?.()
    current?.close()
    current = messagePortTransport(port as unknown as MessagePortLike)
    stopCurrent = current.onMessage((message) => {
      for (const l of listeners) l(message)
    })
    for (const [message, transfer] of waiting.splice(0)) current.send(message, transfer)
    onState('connected')
  }
  mailbox.addEventListener('message', onPort)
  const stopReconnecting = bridge.onReconnecting(() => {
    // The old port leads to a dead process: hold messages until the new one arrives.
    stopCurrent?.()
    current?.close()
    current = stopCurrent = null
    onState('reconnecting')
  })
  onState('connecting')
  void bridge.connectEngine()

  return {
    send(message, transfer) {
      if (current) current.send(message, transfer)
      else waiting.push([message, transfer])
    },
    onMessage(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    close() {
      mailbox.removeEventListener('message', onPort)
      stopReconnecting()
      stopCurrent?.()
      current?.close()
      listeners.clear()
      waiting.length = 0
    },
  }
}
