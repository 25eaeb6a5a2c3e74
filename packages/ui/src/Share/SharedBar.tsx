/**
 * The shared-playlist strip under a playlist's title: whose it is (and whether it is
 * read-only), how it is connected (with "Retry now" for joined ones), who else is here,
 * and, for a joined playlist, the first sync's progress or why it stopped.
 */
import type { SharedSummary } from '@whatnext/core/client'
import { shortPeerId, useCollab, useCollabSnapshot } from '../Collab/CollabProvider'
import type { CollabConnection, PlaylistCollabStatus } from '../Collab/types'
import { useSetting } from '../Settings/SettingsProvider'
import { peerName, PresenceList } from './Presence'

const JOINED_LABELS: Record<CollabConnection, string> = {
  connecting: 'Connecting…',
  direct: 'Connected directly',
  relayed: 'Connected through relay',
  offline: 'Offline',
}
const HOSTED_LABELS: Record<CollabConnection, string> = {
  connecting: 'Connecting…',
  direct: 'Online',
  relayed: 'Online through relay',
  offline: 'Offline',
}

/**
 * What to call the host of a joined playlist: the name saved for a friend, else the
 * name they go by when connected, else a short peer id.
 */
export function useHostLabel(hostPeerId: string, status: PlaylistCollabStatus | undefined) {
  const [friends] = useSetting('friends')
  const friend = friends.find((f) => f.peerId === hostPeerId)
  if (friend?.name) return friend.name
  const peer = status?.peers.find((p) => p.peerId === hostPeerId)
  return peer?.name.trim() ? peerName(peer) : shortPeerId(hostPeerId)
}

/** Props of {@link SharedBar}. */
export interface SharedBarProps {
  playlistId: string
  shared: SharedSummary
  /** Track titles by id (for "looking at …"). */
  tracks: ReadonlyMap<string, string> | null
}

/** The strip; render only for shared playlists. */
export function SharedBar({ playlistId, shared, tracks }: SharedBarProps) {
  const collab = useCollab()
  const snapshot = useCollabSnapshot()
  const status = snapshot.playlists[playlistId]
  const host = useHostLabel(shared.kind === 'joined' ? shared.hostPeerId : '', status)
  const state: CollabConnection =
    status?.state ?? (snapshot.node === 'failed' || !collab ? 'offline' : 'connecting')
  const labels = shared.kind === 'joined' ? JOINED_LABELS : HOSTED_LABELS
  const owner =
    shared.kind === 'hosted'
      ? 'Shared by you'
      : shared.role === 'read'
        ? `Read-only — shared by ${host}`
        : `Shared with you by ${host} · you can edit`
  return (
    <div className="shared-bar">
      <span
        className={`shared-owner${shared.kind === 'joined' && shared.role === 'read' ? ' read-only' : ''}`}
      >
        {owner}
      </span>
      <span className={`conn conn-${state}`} role="status">
        <span className="conn-dot" aria-hidden="true" />
        {labels[state]}
      </span>
      {collab && shared.kind === 'joined' && state === 'offline' && !status?.error && (
        <button type="button" className="small" onClick={() => collab.reconnect(playlistId)}>
          Retry now
        </button>
      )}
      {status && status.peers.length > 0 && (
        <PresenceList
          playlistId={playlistId}
          peers={status.peers}
          tracks={tracks}
          variant="compact"
        />
      )}
    </div>
  )
}

/** Props of {@link SyncState}. */
export interface SyncStateProps {
  playlistId: string
  hostPeerId: string
  /** Removes the playlist from the library (after a revoked or unknown link). */
  onRemove(): void
}

/**
 * A joined playlist before its first sync ("Syncing from Ana… 42 %", or "Connecting…"),
 * or the reason it cannot sync with a way out. Nothing once synced.
 */
export function SyncState({ playlistId, hostPeerId, onRemove }: SyncStateProps) {
  const snapshot = useCollabSnapshot()
  const status = snapshot.playlists[playlistId]
  const host = useHostLabel(hostPeerId, status)
  if (status?.error)
    return (
      <div className="sync-state sync-error" role="alert">
        <p>{status.error.message}</p>
        <button type="button" className="danger" onClick={onRemove}>
          Remove from library
        </button>
      </div>
    )
  if (status?.synced) return null
  const progress = status?.progress
  const percent =
    progress && progress.total > 0
      ? Math.min(100, Math.round((progress.received / progress.total) * 100))
      : null
  const text =
    snapshot.node === 'failed'
      ? `Cannot connect: ${snapshot.nodeError ?? 'sharing is not running on this device'}`
      : progress
        ? `Syncing from ${host}…${percent === null ? '' : ` ${percent} %`}`
        : 'Connecting…'
  return (
    <div className="sync-state" aria-busy={snapshot.node !== 'failed'}>
      <p role="status">{text}</p>
      {percent !== null && (
        <div
          className="progress"
          role="progressbar"
          aria-label={`Syncing from ${host}`}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
        >
          <div className="progress-bar" style={{ width: `${percent}%` }} />
        </div>
      )}
    </div>
  )
}
