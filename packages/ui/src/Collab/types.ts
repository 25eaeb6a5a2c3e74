/**
 * What the UI needs from the peer-to-peer side (the sync node the host runs: the page's
 * libp2p node on the web, the utility process on desktop). The host implements it; the
 * UI only reads snapshots and sends intents, so no libp2p code enters the UI bundle.
 */

/** How a joined playlist reaches its host now (hosted ones: 'direct' once online). */
export type CollabConnection = 'connecting' | 'direct' | 'relayed' | 'offline'

/** One collaborator connected to a shared playlist. */
export interface CollabPeer {
  peerId: string
  name: string
  /** `#rrggbb` */
  colour: string
  /** What they are looking at. */
  playlistId: string | null
  trackId: string | null
}

/** The live state of one shared playlist. */
export interface PlaylistCollabStatus {
  kind: 'hosted' | 'joined'
  state: CollabConnection
  /** Everyone else connected to this playlist now (the host and other joiners). */
  peers: CollabPeer[]
  /** Joined: the first full sync of the current connection is done. Hosted: true. */
  synced: boolean
  /** Initial sync progress in bytes (joined, while syncing). */
  progress: { received: number; total: number } | null
  /** A terminal failure (e.g. the link was revoked): the node stopped trying. */
  error: { code: string; message: string } | null
}

/** A saved friend's status. */
export interface FriendStatus {
  peerId: string
  online: boolean
}

/** Everything the UI shows about collaboration, at one moment. */
export interface CollabSnapshot {
  /** The sync node: not needed yet, starting, online, or failed (with `nodeError`). */
  node: 'off' | 'starting' | 'online' | 'failed'
  nodeError: string | null
  /** Relay multiaddrs this device is reachable through (put into share links). */
  relays: string[]
  /** By playlist id; only shared playlists appear. */
  playlists: Record<string, PlaylistCollabStatus>
  /** By peer id. */
  friends: Record<string, FriendStatus>
}

/** The host's collaboration service, as the UI sees it. */
export interface CollabSource {
  /** The current snapshot; a new object whenever anything changed (for useSyncExternalStore). */
  getSnapshot(): CollabSnapshot
  subscribe(listener: () => void): () => void
  /** What this user is looking at, sent to collaborators as presence. */
  setFocus(focus: { playlistId: string | null; trackId: string | null }): void
  /** Retry a joined playlist's connection now (skips the backoff wait). */
  reconnect(playlistId: string): void
  /** Origin of the web app for `https://…/join#…` links. */
  readonly webOrigin: string
}

/** A snapshot with nothing shared. */
export const EMPTY_COLLAB: CollabSnapshot = {
  node: 'off',
  nodeError: null,
  relays: [],
  playlists: {},
  friends: {},
}
