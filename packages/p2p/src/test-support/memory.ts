/**
 * Test helpers: two sessions joined by an in-memory duplex that records every frame, and
 * playlist-document helpers built on core's playlist-doc functions.
 */
import { insertTracks, readTracks, type AppError, type ShareRole } from '@whatnext/core'
import * as Y from 'yjs'
import { yDocSync, type SyncDoc } from '../protocol/sync-doc.ts'
import {
  createSyncSession,
  type Grant,
  type SessionEvents,
  type SyncLimits,
  type SyncSession,
} from '../protocol/session.ts'

export const HOST_ID = '12D3KooWReQt7RWFEMFz6fCYZiFavdTz8XrYPyfPdf3Ft168kGWz'
export const JOINER_ID = '12D3KooWJdR3De589pE2Bpu4dFTu6RBufJssHWxbdne4r1K7vhf9'

/** Waits for queued deliveries and crypto to settle. */
export async function settle(rounds = 20): Promise<void> {
  // WebCrypto completes on libuv's thread pool, so real (tiny) timeouts, not just ticks.
  for (let i = 0; i < rounds; i++) await new Promise((r) => setTimeout(r, 2))
}

/** Polls `cond` until true; fails after `ms` (bounded, for tests). */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** A document with `n` tracks titled `${prefix}${i}`. */
export function docWith(n: number, prefix = 't', actor = 'a'): Y.Doc {
  const doc = new Y.Doc()
  if (n > 0) {
    insertTracks(
      doc,
      Array.from({ length: n }, (_, i) => ({
        id: `${prefix}${i}`,
        fields: {
          title: `${prefix} title ${i}`,
          artists: ['artist'],
          album: '',
          durationMs: 1000,
          source: '',
          notes: '',
          tags: [],
        },
        addedAt: 1,
        addedBy: actor,
      })),
    )
  }
  return doc
}

/** Track ids and titles in list order: what must be identical when converged. */
export function snapshot(doc: Y.Doc): string {
  return JSON.stringify(readTracks(doc).map((t) => [t.id, t.title, t.order]))
}

export interface Pair {
  host: SyncSession
  joiner: SyncSession
  hostSent: Uint8Array[]
  joinerSent: Uint8Array[]
  hostClosed: Promise<AppError | undefined>
  joinerClosed: Promise<AppError | undefined>
}

/** A host and a joiner session wired together in memory. */
export function memoryPair(init: {
  hostDoc: Y.Doc
  joinerDoc: Y.Doc
  grants: Grant[]
  role: ShareRole
  secret: Uint8Array
  playlistId?: string
  hostedPlaylistId?: string
  limits?: Partial<SyncLimits>
  hostEvents?: SessionEvents
  joinerEvents?: SessionEvents
  /** How each side's session sees its document (default: the `Y.Doc` itself). */
  wrap?: (doc: Y.Doc) => SyncDoc
}): Pair {
  const wrap = init.wrap ?? yDocSync
  const hostSent: Uint8Array[] = []
  const joinerSent: Uint8Array[] = []
  const grants = init.grants
  const hostedId = init.hostedPlaylistId ?? 'pl1'
  // Each transport delivers to the other session, created just below.
  const peers = {} as { host: SyncSession; joiner: SyncSession }
  const host = createSyncSession({
    side: 'host',
    localPeerId: HOST_ID,
    remotePeerId: JOINER_ID,
    limits: init.limits,
    events: init.hostEvents,
    resolve: (id) =>
      id === hostedId ? { doc: wrap(init.hostDoc), grants: () => grants } : undefined,
    transport: {
      send(frame) {
        hostSent.push(frame)
        setImmediate(() => peers.joiner.receive(frame))
      },
      close() {
        setImmediate(() => peers.joiner.close(undefined))
      },
    },
  })
  const joiner = createSyncSession({
    side: 'joiner',
    localPeerId: JOINER_ID,
    remotePeerId: HOST_ID,
    limits: init.limits,
    events: init.joinerEvents,
    join: {
      playlistId: init.playlistId ?? 'pl1',
      role: init.role,
      secret: init.secret,
      doc: wrap(init.joinerDoc),
    },
    transport: {
      send(frame) {
        joinerSent.push(frame)
        setImmediate(() => peers.host.receive(frame))
      },
      close() {
        setImmediate(() => peers.host.close(undefined))
      },
    },
  })
  peers.host = host
  peers.joiner = joiner
  host.start()
  joiner.start()
  return {
    host,
    joiner,
    hostSent,
    joinerSent,
    hostClosed: host.closed,
    joinerClosed: joiner.closed,
  }
}

/** Waits until both sessions of `p` are open, then lets the initial sync run. */
export async function ready(p: Pair): Promise<void> {
  await until(() => p.host.state === 'open' && p.joiner.state === 'open', 5000, 'handshake')
  await settle()
}
