/**
 * Collaboration for this tab, as the UI sees it (`CollabSource`). One sync node serves
 * every tab of the browser profile: the tab holding the `whatnext/collab` Web Lock runs
 * it (loading libp2p only once something is shared or a friend is saved) and publishes
 * its state on a BroadcastChannel; the other tabs show that state and pass their intents
 * (focus for presence, "retry now") to it. When the leading tab closes, the lock passes
 * to another tab, which starts the node with the same identity.
 */
import type { Endpoint, EngineContract } from '@whatnext/core/client'
import {
  EMPTY_COLLAB,
  type AppSettingsStore,
  type CollabSnapshot,
  type CollabSource,
} from '@whatnext/ui'
import type { Runtime } from './runtime'

type Focus = { playlistId: string | null; trackId: string | null }
type Message =
  | { type: 'snapshot'; snapshot: CollabSnapshot }
  | { type: 'hello' }
  | { type: 'focus'; focus: Focus }
  | { type: 'reconnect'; playlistId: string }

export interface CollabHost extends CollabSource {
  dispose(): void
}

/** Creates this tab's source; `privateKey` resolves once the identity is loaded. */
export function createCollabSource(init: {
  client: Endpoint<EngineContract>
  settings: AppSettingsStore
  privateKey: Promise<string>
}): CollabHost {
  const { client, settings } = init
  const listeners = new Set<() => void>()
  let snapshot: CollabSnapshot = EMPTY_COLLAB
  let leader = false
  let runtime: Runtime | null = null
  let starting: Promise<void> | null = null
  let focus: Focus = { playlistId: null, trackId: null }
  let disposed = false
  let releaseLock: (() => void) | null = null
  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel('whatnext/collab') : null

  const set = (next: CollabSnapshot) => {
    snapshot = next
    for (const l of listeners) l()
    if (leader) channel?.postMessage({ type: 'snapshot', snapshot: next } satisfies Message)
  }

  /** Whether this profile needs a node: something shared, or a friend to reach. */
  const needed = async () => {
    if (settings.get('friends').length > 0) return true
    const { shares } = await client.request('share/list', {})
    return shares.length > 0
  }

  const start = () =>
    (starting ??= (async () => {
      set({ ...snapshot, node: 'starting', nodeError: null })
      try {
        const [{ startRuntime }, privateKey] = await Promise.all([
          import('./runtime'),
          init.privateKey,
        ])
        if (disposed || !leader) return
        runtime = await startRuntime({
          client,
          settings,
          privateKey,
          onChange: set,
        })
        runtime.setFocus(focus)
      } catch (error) {
        console.error('collaboration', error)
        set({ ...snapshot, node: 'failed', nodeError: String((error as Error).message ?? error) })
      }
    })().finally(() => (starting = null)))

  /** Stops this tab's node (after a start under way); false when this tab does not lead. */
  const stopNode = async () => {
    if (!leader) return false
    await starting
    const old = runtime
    runtime = null
    await old?.stop()
    return true
  }

  const restart = async () => {
    if (!(await stopNode())) return
    set({ ...EMPTY_COLLAB })
    if (await needed().catch(() => false)) await start()
  }

  /**
   * The browser went offline: stop the node (its connections are gone or going) and show
   * every shared playlist offline. Edits go on into the local library and merge when the
   * node is back.
   */
  const goOffline = async () => {
    if (!(await stopNode())) return
    const playlists = Object.fromEntries(
      Object.entries(snapshot.playlists).map(([id, s]) => [
        id,
        { ...s, state: 'offline' as const, peers: [], synced: false, progress: null },
      ]),
    )
    set({ ...snapshot, node: 'off', playlists, friends: {} })
  }

  const check = () => {
    if (!leader || runtime || starting || disposed || !navigator.onLine) return
    void needed()
      .then((yes) => {
        if (yes) void start()
      })
      .catch(() => undefined)
  }

  const stops = [
    client.on('share/changed', check),
    settings.onDidChange('friends', check),
    // New relays or ICE servers: a node with the new configuration.
    settings.onDidChange('network', () => void restart()),
  ]

  const onOffline = () => void goOffline()
  window.addEventListener('offline', onOffline)
  window.addEventListener('online', check)
  stops.push(() => {
    window.removeEventListener('offline', onOffline)
    window.removeEventListener('online', check)
  })

  if (channel) {
    channel.onmessage = (event: MessageEvent<Message>) => {
      const message = event.data
      if (message.type === 'snapshot' && !leader) {
        snapshot = message.snapshot
        for (const l of listeners) l()
      } else if (message.type === 'hello' && leader) {
        channel.postMessage({ type: 'snapshot', snapshot } satisfies Message)
      } else if (message.type === 'focus' && leader) {
        focus = message.focus
        runtime?.setFocus(focus)
      } else if (message.type === 'reconnect' && leader) {
        runtime?.reconnect(message.playlistId)
      }
    }
    channel.postMessage({ type: 'hello' } satisfies Message)
  }

  const lead = () => {
    leader = true
    check()
    return new Promise<void>((resolve) => (releaseLock = resolve))
  }
  if (typeof navigator.locks?.request === 'function') {
    navigator.locks.request('whatnext/collab', lead).catch(() => undefined)
  } else {
    void lead() // no Web Locks: every tab runs its own node
  }

  return {
    webOrigin: location.origin,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    setFocus(next) {
      focus = next
      if (leader) runtime?.setFocus(next)
      else channel?.postMessage({ type: 'focus', focus: next } satisfies Message)
    },
    reconnect(playlistId) {
      if (leader) runtime?.reconnect(playlistId)
      else channel?.postMessage({ type: 'reconnect', playlistId } satisfies Message)
    },
    dispose() {
      disposed = true
      for (const stop of stops) stop()
      channel?.close()
      const r = runtime
      runtime = null
      void r?.stop().finally(() => releaseLock?.())
      if (!r) releaseLock?.()
    },
  }
}
