/**
 * A started sync node as the app runs it, whatever the host (the web page, the desktop
 * utility process): the sync service and the engine bridge on a node, saved friends
 * watched, presence with this user's name, colour and focus, and one snapshot of it all
 * for windows to show. Hosts only make the node (their transports) and read settings.
 */
import type { Libp2p } from '@libp2p/interface'
import type { CollabSnapshotData, Endpoint, EngineContract, Logger } from '@whatnext/core/client'
import { createCollab } from './collab.ts'
import { reachableRelays, watchFriends } from './friends.ts'
import { colourOf } from './protocol/presence.ts'
import { createSyncService } from './service.ts'

/** What this user looks at, for presence. */
export interface Focus {
  playlistId: string | null
  trackId: string | null
}

/** Options of {@link startSyncRuntime}. */
export interface SyncRuntimeInit {
  node: Libp2p
  engine: Endpoint<EngineContract>
  /** Try WebRTC through relays before relayed connections. */
  webrtc?: boolean
  /** Relays to reach friends and hosts through (besides those a link names). */
  relays: () => string[]
  /** The display name (empty: "Guest" and the end of the peer id). */
  displayName: () => string
  /** Saved friends' peer ids. */
  friends: () => string[]
  /** Every new snapshot. */
  onChange(snapshot: CollabSnapshotData): void
  logger?: Logger
}

/** The running node. */
export interface SyncRuntime {
  snapshot(): CollabSnapshotData
  setFocus(focus: Focus): void
  /** Re-reads the display name into presence. */
  refreshPresence(): void
  reconnect(playlistId: string): void
  /** Joined playlists that are offline retry now (e.g. the network came back). */
  reconnectAll(): void
  /** Dials offline friends now (e.g. one was just saved). */
  dialFriends(): void
  stop(): Promise<void>
}

/** Starts the sync service, the bridge and the friend watch on `node`. */
export async function startSyncRuntime(init: SyncRuntimeInit): Promise<SyncRuntime> {
  const { node } = init
  const self = node.peerId.toString()
  const sync = await createSyncService({ node, ...(init.webrtc ? { webrtc: true } : {}) })
  let focus: Focus = { playlistId: null, trackId: null }
  const presence = () => ({
    name: init.displayName() || `Guest ${self.slice(-4)}`,
    colour: colourOf(self),
    ...focus,
  })
  const collab = await createCollab({
    engine: init.engine,
    sync,
    presence: presence(),
    relays: () => [...new Set([...reachableRelays(node), ...init.relays()])],
    ...(init.logger ? { logger: init.logger } : {}),
  })
  let stopped = false
  const snapshot = (): CollabSnapshotData => ({
    node: 'online',
    nodeError: null,
    relays: reachableRelays(node),
    playlists: collab.status(),
    friends: friends.status(),
  })
  const publish = () => {
    if (!stopped) init.onChange(snapshot())
  }
  const friends = watchFriends({
    node,
    relays: init.relays,
    friends: init.friends,
    onChange: publish,
  })
  const stopChanged = collab.events.on('changed', publish)
  // Our relay reservations came or went: the links' relays change.
  node.addEventListener('self:peer:update', publish)
  publish()
  return {
    snapshot,
    setFocus(next) {
      focus = next
      collab.setPresence(presence())
    },
    refreshPresence: () => collab.setPresence(presence()),
    reconnect: (id) => collab.reconnect(id),
    reconnectAll() {
      for (const [id, status] of Object.entries(collab.status()))
        if (status.kind === 'joined' && status.state === 'offline') collab.reconnect(id)
    },
    dialFriends: () => void friends.dialNow(),
    async stop() {
      stopped = true
      stopChanged()
      friends.stop()
      node.removeEventListener('self:peer:update', publish)
      await collab.close()
      await sync.stop()
      await node.stop()
    },
  }
}
