/**
 * The engine bridge: keeps the sync service serving and joining exactly the playlists the
 * engine's library marks as shared. Sessions work on the engine's own documents over the
 * bus (`doc/state`, `doc/sync` for a peer's state vector, `doc/apply` for peers' changes,
 * `doc/updated` for this user's): the node holds no copy of a playlist, and in the
 * browser every decode and merge of a peer's update runs in the engine's worker, never
 * on the page that runs libp2p. The same bridge runs in the desktop utility process
 * (engine in the same process).
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
import type { Grant } from './protocol/session.ts'
import type { PresenceState } from './protocol/presence.ts'
import type { SyncDoc, SyncDocListener } from './protocol/sync-doc.ts'
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
  close(): Promise<void>
}

/** Origin of this user's changes (`doc/updated`): sent to every peer. */
const ENGINE = Symbol('engine')

/** The engine's copy of one playlist as sessions see it. */
interface EngineDoc extends SyncDoc {
  /** This user's change (from `doc/updated`), for the sessions to send. */
  changed(update: Uint8Array): void
}

function engineDoc(engine: Endpoint<EngineContract>, id: string): EngineDoc {
  const listeners = new Set<SyncDocListener>()
  const tell = (update: Uint8Array, origin: unknown) => {
    for (const listener of [...listeners]) listener(update, origin)
  }
  return {
    stateVector: async () => (await engine.request('doc/state', { id })).stateVector,
    diff: async (stateVector) => (await engine.request('doc/sync', { id, stateVector })).update,
    async apply(update, origin) {
      // The engine checks it (a malformed one is refused, nothing applied) and saves it;
      // then the other sessions of this playlist pass it on.
      await engine.request('doc/apply', { id, update })
      tell(update, origin)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    changed: (update) => tell(update, ENGINE),
  }
}

interface Shared {
  id: string
  record: ShareRecord
  doc: EngineDoc
  hosted?: HostedPlaylist
  joined?: JoinedPlaylist
  status: SharedStatus
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

  const wireHosted = (s: Shared) => {
    const hosted = sync.host({
      playlistId: s.id,
      doc: s.doc,
      grants: grantsOf(s.record),
      presence,
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
      doc: s.doc,
      role: record.role,
      secret,
      hostPeerId: record.hostPeerId,
      relays,
      presence,
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
    const s: Shared = {
      id,
      record,
      doc: engineDoc(engine, id),
      status: {
        kind: record.kind,
        state: 'connecting',
        peers: [],
        synced: false,
        progress: null,
        error: null,
      },
      stops: [],
    }
    shared.set(id, s)
    if (record.kind === 'hosted') wireHosted(s)
    else wireJoined(s, record)
    changed()
    return s
  }

  const shut = (s: Shared) => {
    for (const stop of s.stops.splice(0)) stop()
    s.hosted?.close()
    s.joined?.close()
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

  const stopUpdates = engine.on('doc/updated', ({ id, update: u }) =>
    shared.get(id)?.doc.changed(u),
  )
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
