/**
 * What the UI needs from the peer-to-peer side (the sync node the host runs: the page's
 * libp2p node on the web, the utility process on desktop). The host implements it; the
 * UI only reads snapshots and sends intents, so no libp2p code enters the UI bundle.
 */
import {
  EMPTY_COLLAB_SNAPSHOT,
  type CollabPeerData,
  type CollabSnapshotData,
  type SharedStatusData,
} from '@whatnext/core/client'

/** How a joined playlist reaches its host now (hosted ones: 'direct' once online). */
export type CollabConnection = SharedStatusData['state']
/** One collaborator connected to a shared playlist. */
export type CollabPeer = CollabPeerData
/** The live state of one shared playlist. */
export type PlaylistCollabStatus = SharedStatusData
/** A saved friend's status. */
export type FriendStatus = CollabSnapshotData['friends'][string]
/** Everything the UI shows about collaboration, at one moment (core's collab contract). */
export type CollabSnapshot = CollabSnapshotData

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
export const EMPTY_COLLAB: CollabSnapshot = EMPTY_COLLAB_SNAPSHOT
