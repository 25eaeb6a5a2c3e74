/**
 * The engine bridge: keeps the sync service serving and joining exactly the playlists the
 * engine's library marks as shared, each through a mirror Y.Doc that follows the engine
 * over the bus (`doc/sync` catch-up, `doc/updated` live, `doc/apply` for peers' changes).
 * The engine stays the only writer of storage; the node only ever holds mirrors. The same
 * bridge runs in the browser page (engine in a Web Worker) and in the desktop utility
 * process (engine in the same process).
 */
import {
  fromBase64Url,
  silentLogger,
  type AppError,
  type Endpoint,
  type EngineContract,
  type Logger,
  type ShareRecord,
  type ShareRole,
  type SharedStatusData,
} from '@whatnext/core/client'
import * as Y from 'yjs'
import type { Grant } from './protocol/session.ts'
import type { PresenceState } from './protocol/presence.ts'
import { Emitter, type HostedPlaylist, type JoinedPlaylist, type SyncService } from './service.ts'
import type { BackoffInit } from './retry.ts'

/** The live state of one shared playlist (what the UI shows; core's collab contract). */
export type SharedStatus = SharedStatusData

/** Options of {@link createCollab}. */
export interface CollabInit {
  /** The engine's bus client (or an in-process endpoint serving it). */
  engine: Endpoint<EngineContract>
  sync: SyncService
  /** This user's presence (name, colour, what they look at). */
  presence: PresenceState
  /** Relays to try besides the ones a link names. */
  relays?: () => string[]
  dialTimeoutMs?: number
  backoff?: BackoffInit
  logger?: Logger
}

/** The running bridge. */
export interface Collab {
  /** By playlist id. A new object after every change. */
  status(): Record<string, SharedStatus>
  readonly events: Emitter<{ changed: undefined }>
  setPresence(presence: PresenceState): void
  reconnect(playlistId: string): void
  /** Re-reads the engine's share records now (also done on every `share/changed`). */
  refresh(): Promise<void>
  /** Resolves once the mirror of `playlistId` holds all the engine has (tests, benches). */
  settled(playlistId: string): Promise<void>
  close(): Promise<void>
}

/** Origin of changes the mirror got from the engine: never sent back to it. */
const ENGINE = Symbol('engine')

interface Shared {
  id: string
  record: ShareRecord
  mirror: Y.Doc
  hosted?: HostedPlaylist
  joined?: JoinedPlaylist
  status: SharedStatus
  /** Changes from peers not yet acknowledged by the engine, in order. */
  pending: Uint8Array[]
  /** A `doc/apply` loop is running. */
  sending: boolean
  applying: Promise<void>
  ready: Promise<void>
  stops: (() => void)[]
}

const grantsOf = (record: ShareRecord): Grant[] =>
  record.kind !== 'hosted'
    ? []
    : (['edit', 'read'] as const).flatMap((role: ShareRole) => {
        const secret = record.grants[role] ? fromBase64Url(record.grants[role]) : null
        return secret ? [{ role, secret }] : []
      })

const sameRecord = (a: ShareRecord, b: ShareRecord) => JSON.stringify(a) === JSON.stringify(b)

const errorOf = (error: AppError) => ({ code: error.code, message: error.message })

/** Starts the bridge; it follows the engine's share records until closed. */
export async function createCollab(init: CollabInit): Promise<Collab> {
  const { engine, sync } = init
  const logger = init.logger ?? silentLogger
  const events = new Emitter<{ changed: undefined }>()
  const shared = new Map<string, Shared>()
  let presence = init.presence
  let snapshot: Record<string, SharedStatus> = {}
  let closed = false

  const changed = () => {
    snapshot = Object.fromEntries([...shared].map(([id, s]) => [id, s.status]))
    events.emit('changed', undefined)
  }
  const update = (s: Shared, patch: Partial<SharedStatus>) => {
    s.status = { ...s.status, ...patch }
    if (shared.get(s.id) === s) changed()
  }

  /** Peers' changes go to the engine in order, merged while one is in flight. */
  const forward = (s: Shared) => {
    if (s.sending) return // the running loop takes what is pending next
    s.sending = true
    // An async function runs up to its first await at once: the first request is posted
    // now, not after the caller's synchronous work (see `fromPeer`).
    const loop = async () => {
      try {
        while (s.pending.length > 0) {
          const batch = s.pending
          s.pending = []
          const merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch)
          try {
            await engine.request('doc/apply', { id: s.id, update: merged })
          } catch (error) {
            // The mirror still holds it; the next change or catch-up sends it again.
            logger.warn('saving a peer change failed', {
              playlistId: s.id,
              error: String(error),
            })
            s.pending.unshift(merged)
            return
          }
        }
      } finally {
        s.sending = false
      }
    }
    s.applying = loop()
  }

  /** Brings the mirror and the engine level with each other. */
  const catchUp = async (s: Shared) => {
    const answer = await engine.request('doc/sync', {
      id: s.id,
      stateVector: Y.encodeStateVector(s.mirror),
    })
    Y.applyUpdate(s.mirror, answer.update, ENGINE)
    const missing = Y.encodeStateAsUpdate(s.mirror, answer.stateVector)
    // An empty update is 2 bytes (no structs, no deletions).
    if (missing.length > 2) {
      s.pending.push(missing)
      forward(s)
    }
  }

  /**
   * A peer's update goes to the engine as soon as it is checked, so the engine (in its
   * worker) applies it while the mirror (here) does: a 10k-track join is not applied
   * twice in a row. This is the only way peers' changes reach the engine: everything
   * else the mirror receives comes from the engine itself.
   */
  const fromPeer = (s: Shared) => (update: Uint8Array) => {
    s.pending.push(update)
    forward(s)
  }

  const wireHosted = (s: Shared) => {
    const hosted = sync.host({
      playlistId: s.id,
      doc: s.mirror,
      grants: grantsOf(s.record),
      presence,
      onRemoteUpdate: fromPeer(s),
    })
    s.hosted = hosted
    const refreshPeers = () => {
      const connected = hosted.connected()
      update(s, {
        peers: hosted.peers(),
        state: connected.some((p) => p.via === 'relayed') ? 'relayed' : 'direct',
      })
    }
    s.stops.push(
      hosted.events.on('peers', refreshPeers),
      hosted.events.on('joined', refreshPeers),
      hosted.events.on('left', refreshPeers),
    )
    update(s, { state: 'direct', synced: true })
  }

  const wireJoined = (s: Shared, record: Extract<ShareRecord, { kind: 'joined' }>) => {
    const secret = fromBase64Url(record.secret)
    if (!secret) {
      update(s, { error: { code: 'VALIDATION', message: 'The saved link is damaged' } })
      return
    }
    const relays = [...new Set([...record.relays, ...(init.relays?.() ?? [])])]
    const joined = sync.join({
      playlistId: s.id,
      doc: s.mirror,
      role: record.role,
      secret,
      hostPeerId: record.hostPeerId,
      relays,
      presence,
      onRemoteUpdate: fromPeer(s),
      ...(init.dialTimeoutMs ? { dialTimeoutMs: init.dialTimeoutMs } : {}),
      ...(init.backoff ? { backoff: init.backoff } : {}),
    })
    s.joined = joined
    s.stops.push(
      joined.events.on('state', (state) =>
        update(s, {
          state,
          ...(state === 'offline' || state === 'connecting' ? { synced: false } : {}),
        }),
      ),
      joined.events.on('peers', (peers) => update(s, { peers })),
      joined.events.on('progress', (progress) => update(s, { progress })),
      joined.events.on('synced', () => update(s, { synced: true, progress: null })),
      joined.events.on('error', (error) => update(s, { error: errorOf(error), state: 'offline' })),
    )
    update(s, { state: joined.state })
  }

  const open = (id: string, record: ShareRecord) => {
    const mirror = new Y.Doc({ gc: true })
    const s: Shared = {
      id,
      record,
      mirror,
      status: {
        kind: record.kind,
        state: 'connecting',
        peers: [],
        synced: false,
        progress: null,
        error: null,
      },
      pending: [],
      sending: false,
      applying: Promise.resolve(),
      ready: Promise.resolve(),
      stops: [],
    }
    shared.set(id, s)
    // The mirror holds the engine's state before any peer sees it.
    s.ready = catchUp(s).then(
      () => {
        if (shared.get(id) !== s) return
        if (record.kind === 'hosted') wireHosted(s)
        else wireJoined(s, record)
      },
      (error: unknown) => {
        logger.error('opening a shared playlist failed', { playlistId: id, error: String(error) })
        update(s, { error: { code: 'UNAVAILABLE', message: 'Could not read this playlist' } })
      },
    )
    changed()
    return s
  }

  const shut = (s: Shared) => {
    for (const stop of s.stops.splice(0)) stop()
    s.hosted?.close()
    s.joined?.close()
    s.mirror.destroy()
  }

  let refreshing: Promise<void> = Promise.resolve()
  const refresh = (): Promise<void> =>
    (refreshing = refreshing.then(async () => {
      if (closed) return
      const { shares } = await engine.request('share/list', {})
      const wanted = new Map(shares.map((x) => [x.playlistId, x.record]))
      for (const [id, s] of shared) {
        const record = wanted.get(id)
        if (record && sameRecord(record, s.record)) continue
        if (record && record.kind === 'hosted' && s.record.kind === 'hosted' && s.hosted) {
          // A revoked link: its joiners are disconnected, the others stay.
          s.record = record
          s.hosted.setGrants(grantsOf(record))
          continue
        }
        shared.delete(id)
        shut(s)
        changed()
      }
      for (const [id, record] of wanted) if (!shared.has(id)) open(id, record)
    }))

  const stopUpdates = engine.on('doc/updated', ({ id, update: u }) => {
    const s = shared.get(id)
    if (s) Y.applyUpdate(s.mirror, u, ENGINE)
  })
  const stopLibrary = engine.on('share/changed', () => {
    refresh().catch((error: unknown) =>
      logger.warn('reading shares failed', { error: String(error) }),
    )
  })
  await refresh()

  return {
    status: () => snapshot,
    events,
    setPresence(next) {
      presence = next
      for (const s of shared.values()) {
        s.hosted?.setPresence(next)
        s.joined?.setPresence(next)
      }
    },
    reconnect(playlistId) {
      shared.get(playlistId)?.joined?.reconnectNow()
    },
    refresh,
    async settled(playlistId) {
      await refreshing
      const s = shared.get(playlistId)
      if (!s) return
      await s.ready
      await s.applying
    },
    async close() {
      if (closed) return
      closed = true
      stopUpdates()
      stopLibrary()
      await refreshing.catch(() => {})
      for (const s of shared.values()) shut(s)
      shared.clear()
      changed()
    },
  }
}
