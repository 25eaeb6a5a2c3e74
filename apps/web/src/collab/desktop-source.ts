/**
 * Collaboration in the desktop app: the sync node runs in the utility process beside the
 * engine. This window hands it the configuration it owns (identity, relays, ICE servers,
 * name, friends) and shows the node's snapshots.
 */
import type { CollabConfig, CollabContract, Endpoint } from '@whatnext/core/client'
import { EMPTY_COLLAB, type AppSettingsStore, type CollabSnapshot } from '@whatnext/ui'
import type { CollabHost } from './source'

/** Origin of the web app that https share links open (desktop windows are app://). */
const WEB_ORIGIN = process.env.NEXT_PUBLIC_WEB_ORIGIN || 'https://whatnext.app'

export function createDesktopCollabSource(init: {
  collab: Endpoint<CollabContract>
  settings: AppSettingsStore
  privateKey: Promise<string>
}): CollabHost {
  const { collab, settings } = init
  const listeners = new Set<() => void>()
  let snapshot: CollabSnapshot = EMPTY_COLLAB
  let disposed = false
  const set = (next: CollabSnapshot) => {
    snapshot = next
    for (const l of listeners) l()
  }
  const configure = async () => {
    const privateKey = await init.privateKey
    if (disposed || !privateKey) return
    const config: CollabConfig = {
      privateKey,
      relays: settings.get('network.relayAddresses'),
      iceServers: settings.get('network.iceServers'),
      displayName: settings.get('profile.displayName'),
      friends: settings.get('friends').map((f) => f.peerId),
    }
    await collab.request('collab/configure', config)
  }
  const reconfigure = () =>
    void configure().catch((error: unknown) => console.error('collaboration', error))
  const stops = [
    collab.on('collab/changed', set),
    settings.onDidChange('network', reconfigure),
    settings.onDidChange('profile.displayName', reconfigure),
    settings.onDidChange('friends', reconfigure),
  ]
  reconfigure()
  void collab.request('collab/snapshot', {}).then(set, () => undefined)
  return {
    webOrigin: WEB_ORIGIN,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    setFocus(focus) {
      void collab.request('collab/focus', focus).catch(() => undefined)
    },
    reconnect(playlistId) {
      void collab.request('collab/reconnect', { playlistId }).catch(() => undefined)
    },
    dispose() {
      disposed = true
      for (const stop of stops) stop()
    },
  }
}
