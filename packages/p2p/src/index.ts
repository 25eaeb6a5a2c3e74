/**
 * @whatnext/p2p — peer-to-peer collaboration: the `/whatnext/sync/1` protocol (capability
 * handshake, then Yjs sync and presence), its libp2p binding with reconnection, and the
 * relay. Node factories live in `@whatnext/p2p/node` and `@whatnext/p2p/browser` (load
 * the browser one lazily); the relay in `@whatnext/p2p/relay`.
 *
 * @example
 * ```ts
 * import { createNode } from '@whatnext/p2p/node'
 * import { createSyncService } from '@whatnext/p2p'
 * import { newCapabilitySecret, shareUrls } from '@whatnext/core'
 *
 * const node = await createNode({ relays })
 * const sync = await createSyncService({ node })
 * const secret = newCapabilitySecret()
 * const hosted = sync.host({ playlistId, doc, grants: [{ role: 'edit', secret }] })
 * shareUrls(origin, { hostPeerId: node.peerId.toString(), relays, playlistId, role: 'edit', secret })
 *
 * // elsewhere, from a parsed link:
 * const joined = sync.join({ ...parseShareLink(url), doc })
 * joined.events.on('state', (s) => console.log(s)) // connecting | direct | relayed | offline
 * ```
 */
export * from './service.ts'
export * from './collab.ts'
export * from './friends.ts'
export * from './runtime.ts'
export * from './retry.ts'
export { SYNC_PROTOCOL } from './protocol/messages.ts'
export {
  CAPABILITY_REFUSED,
  DEFAULT_LIMITS,
  createSyncSession,
  type Grant,
  type HostedDoc,
  type SessionEvents,
  type SessionState,
  type SessionStats,
  type SessionTransport,
  type SyncLimits,
  type SyncSession,
  type SyncSessionInit,
} from './protocol/session.ts'
export { colourOf, parsePresence, type Presence, type PresenceState } from './protocol/presence.ts'
export type { CreateNodeInit } from './options.ts'
export { asSyncDoc, yDocSync, type SyncDoc, type SyncDocListener } from './protocol/sync-doc.ts'
