/**
 * Saved friends: a friend is online when this node has a connection to them. Offline
 * friends are dialled through the relays now and then (both must be online for that to
 * work), so the app reconnects to friends by itself.
 */
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'

/** Options of {@link watchFriends}. */
export interface FriendWatchInit {
  node: Libp2p
  /** Relay multiaddrs to reach friends through. */
  relays: () => string[]
  /** Peer ids of the saved friends (read on every round). */
  friends: () => string[]
  /** Called whenever someone's status may have changed. */
  onChange: () => void
  /** Between dialling rounds (default 30 s). */
  intervalMs?: number
  /** One dial (default 10 s). */
  dialTimeoutMs?: number
}

/** The relay part of a node's circuit addresses: what share links should name. */
export function reachableRelays(node: Libp2p): string[] {
  const out = new Set<string>()
  for (const ma of node.getMultiaddrs()) {
    const text = ma.toString()
    const at = text.indexOf('/p2p-circuit')
    if (at > 0) out.add(text.slice(0, at))
  }
  return [...out]
}

/** Whether `node` has a connection to `peerId` now (false for a malformed id). */
export function isConnected(node: Libp2p, peerId: string): boolean {
  try {
    return node.getConnections(peerIdFromString(peerId)).length > 0
  } catch {
    return false
  }
}

/** Starts watching; returns `{ status, dialNow, stop }`. */
export function watchFriends(init: FriendWatchInit) {
  const { node } = init
  let stopped = false
  let round: Promise<void> | null = null
  const dialRound = () =>
    (round ??= (async () => {
      for (const id of init.friends()) {
        if (stopped) break
        if (isConnected(node, id)) continue
        for (const relay of init.relays()) {
          try {
            await node.dial(multiaddr(`${relay}/p2p-circuit/p2p/${id}`), {
              signal: AbortSignal.timeout(init.dialTimeoutMs ?? 10_000),
            })
            break
          } catch {
            // offline, or not reachable through this relay
          }
        }
      }
      if (!stopped) init.onChange()
    })().finally(() => (round = null)))
  const onPeer = () => init.onChange()
  node.addEventListener('peer:connect', onPeer)
  node.addEventListener('peer:disconnect', onPeer)
  const timer = setInterval(() => void dialRound(), init.intervalMs ?? 30_000)
  // The first round after the caller has its handle (it may read `status` on change).
  const first = setTimeout(() => void dialRound(), 0)
  return {
    status: () =>
      Object.fromEntries(
        init.friends().map((peerId) => [peerId, { peerId, online: isConnected(node, peerId) }]),
      ),
    dialNow: () => dialRound(),
    stop() {
      stopped = true
      clearInterval(timer)
      clearTimeout(first)
      node.removeEventListener('peer:connect', onPeer)
      node.removeEventListener('peer:disconnect', onPeer)
    },
  }
}
