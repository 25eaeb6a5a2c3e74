/**
 * The page's sync node (loaded lazily, only in the tab that leads): libp2p with WebRTC,
 * WebSockets to relays and circuit relay, and the app's sync runtime on it. Pages have
 * RTCPeerConnection, workers do not; the engine stays in its worker and the bridge talks
 * to it over the bus.
 */
import type { Endpoint, EngineContract } from '@whatnext/core/client'
import { startSyncRuntime, type Focus } from '@whatnext/p2p'
import { createNode, privateKeyFromSettings } from '@whatnext/p2p/browser'
import type { AppSettingsStore, CollabSnapshot } from '@whatnext/ui'

export interface RuntimeInit {
  client: Endpoint<EngineContract>
  settings: AppSettingsStore
  /** The stored identity key (libp2p protobuf, base64). */
  privateKey: string
  onChange(snapshot: CollabSnapshot): void
}

export interface Runtime {
  setFocus(focus: Focus): void
  reconnect(playlistId: string): void
  stop(): Promise<void>
}

/** Relays this deployment recommends (`/relays.json`), used besides the user's own. */
async function deploymentRelays(): Promise<string[]> {
  try {
    const response = await fetch('/relays.json', {
      cache: 'no-store',
      signal: AbortSignal.timeout(5000),
    })
    if (!response.ok) return []
    const list: unknown = await response.json()
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []
  } catch {
    return []
  }
}

/** ws:// and private addresses are dialled only by an app served from this machine. */
const isLocalOrigin = () => ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname)

/** Starts the node and the runtime; resolves once both run. */
export async function startRuntime(init: RuntimeInit): Promise<Runtime> {
  const { client, settings } = init
  const configured = settings.get('network.relayAddresses')
  const relays = [...new Set([...configured, ...(await deploymentRelays())])]
  const node = await createNode({
    privateKey: privateKeyFromSettings(init.privateKey),
    relays,
    webrtc: { rtcConfiguration: { iceServers: settings.get('network.iceServers') } },
    allowPrivateAddresses: isLocalOrigin(),
  })
  const runtime = await startSyncRuntime({
    node,
    engine: client,
    webrtc: true,
    relays: () => relays,
    displayName: () => settings.get('profile.displayName'),
    friends: () => settings.get('friends').map((f) => f.peerId),
    onChange: init.onChange,
  })
  const stops = [
    settings.onDidChange('profile.displayName', runtime.refreshPresence),
    settings.onDidChange('friends', runtime.dialFriends),
  ]
  // Back online: joined playlists retry now instead of after their backoff.
  window.addEventListener('online', runtime.reconnectAll)
  return {
    setFocus: runtime.setFocus,
    reconnect: runtime.reconnect,
    async stop() {
      window.removeEventListener('online', runtime.reconnectAll)
      for (const stop of stops) stop()
      await runtime.stop()
    },
  }
}
