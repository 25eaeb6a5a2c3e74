/**
 * The libp2p binding of the sync protocol: one `/whatnext/sync/1` handler per node that
 * serves the playlists this peer hosts, and join handles that dial a host (directly,
 * over WebRTC through a relay, or relayed), keep the session alive, and reconnect with
 * backoff. The protocol itself lives in `protocol/session.ts`; this file only moves
 * bytes between it and libp2p streams.
 */
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import {
  AppError,
  InternalError,
  NotFoundError,
  PermissionError,
  UnavailableError,
  newCapabilitySecret,
  type ShareRole,
} from '@whatnext/core'
import type * as Y from 'yjs'
import { SYNC_PROTOCOL } from './protocol/messages.ts'
import type { SyncDoc } from './protocol/sync-doc.ts'
import type { Presence, PresenceState } from './protocol/presence.ts'
import {
  createSyncSession,
  type Grant,
  type HostedDoc,
  type SyncLimits,
  type SyncSession,
  type SyncSessionInit,
} from './protocol/session.ts'
import { backoffDelay, sleep, withTimeout, type BackoffInit } from './retry.ts'
import { coalesceDataChannelWrites, readWholeFramesDirectly } from './webrtc-fast-path.ts'

/** How a joined playlist is connected to its host right now. */
export type ConnectionState = 'connecting' | 'direct' | 'relayed' | 'offline'

/** A minimal typed event emitter; `on` returns the unsubscribe function. */
export class Emitter<E extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof E, Set<(value: never) => void>>()

  on<K extends keyof E>(event: K, fn: (value: E[K]) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(fn as (value: never) => void)
    return () => set.delete(fn as (value: never) => void)
  }

  /** @internal */
  emit<K extends keyof E>(event: K, value: E[K]): void {
    for (const fn of this.listeners.get(event) ?? []) {
      try {
        ;(fn as (value: E[K]) => void)(value)
      } catch {
        // A listener's bug must not break the protocol.
      }
    }
  }
}

/** Options of {@link createSyncService}. */
export interface SyncServiceInit {
  node: Libp2p
  limits?: Partial<SyncLimits>
  /** Try WebRTC through relays before plain relayed connections (browsers, Node with node-datachannel). */
  webrtc?: boolean
}

/** A joiner connected to a hosted playlist. */
export interface HostPeer {
  peerId: string
  role: ShareRole
  via: 'direct' | 'relayed'
}

/** Events of a hosted playlist. */
export interface HostedEvents extends Record<string, unknown> {
  /** Presence of everyone connected (joiners; the host's own is not included). */
  peers: Presence[]
  joined: HostPeer
  left: { peerId: string }
}

/** Options of {@link SyncService.host}. */
export interface HostInit {
  playlistId: string
  /** The document (a `Y.Doc`, or a {@link SyncDoc} such as the app engine's copy). */
  doc: Y.Doc | SyncDoc
  /** Capabilities accepted now (one per link). */
  grants: Grant[]
  /** The host's own presence, sent to every joiner. */
  presence?: PresenceState
}

/** A playlist this peer serves. */
export interface HostedPlaylist {
  readonly playlistId: string
  readonly doc: Y.Doc | SyncDoc
  readonly events: Emitter<HostedEvents>
  grants(): Grant[]
  /** Replaces the accepted capabilities; peers who joined with a dropped one are disconnected. */
  setGrants(grants: Grant[]): void
  /** Revokes every link of `role` and returns a fresh secret for a new one. */
  rotate(role: ShareRole): Uint8Array
  /** Joiners connected now. */
  connected(): HostPeer[]
  /** Joiners' presence. */
  peers(): Presence[]
  setPresence(presence: PresenceState): void
  /** Stops serving this playlist and disconnects its joiners. */
  close(): void
}

/** Events of a joined playlist. */
export interface JoinedEvents extends Record<string, unknown> {
  state: ConnectionState
  /** Presence of the host and the other joiners. */
  peers: Presence[]
  /** Initial-sync progress (bytes of the host's answer to our state vector). */
  progress: { received: number; total: number }
  /** The first full sync after a connection is done. */
  synced: undefined
  /** A terminal error (capability refused or revoked): the handle stops reconnecting. */
  error: AppError
  /** A local edit was not sent: this share is read-only. */
  refused: PermissionError
}

/** Options of {@link SyncService.join}. */
export interface JoinInit {
  playlistId: string
  /** The document (a `Y.Doc`, or a {@link SyncDoc} such as the app engine's copy). */
  doc: Y.Doc | SyncDoc
  role: ShareRole
  secret: Uint8Array
  hostPeerId: string
  /** Relay multiaddrs from the link (ending in `/p2p/<relay>`). */
  relays?: string[]
  /** Direct addresses of the host, if known (tests, LAN, saved friends). */
  addrs?: string[]
  presence?: PresenceState
  /** Timeout of one dial or stream opening (ms, default 10 s). */
  dialTimeoutMs?: number
  backoff?: BackoffInit
  /** How often a session over the relay tries to reach the host directly (default from 2 s, up to 60 s apart). */
  directBackoff?: BackoffInit
}

/** A playlist joined from another peer; reconnects by itself until closed. */
export interface JoinedPlaylist {
  readonly playlistId: string
  readonly events: Emitter<JoinedEvents>
  readonly state: ConnectionState
  /** Whether the current connection has completed its initial sync. */
  readonly synced: boolean
  /** The terminal error, once there is one. */
  readonly error: AppError | undefined
  peers(): Presence[]
  setPresence(presence: PresenceState): void
  /** Skips the current backoff wait (e.g. when the network comes back). */
  reconnectNow(): void
  /** Resolves at the next completed initial sync; rejects on a terminal error or close. */
  whenSynced(): Promise<void>
  /** Disconnects and stops reconnecting. */
  close(): void
}

/** The node's sync service. */
export interface SyncService {
  readonly node: Libp2p
  host(init: HostInit): HostedPlaylist
  join(init: JoinInit): JoinedPlaylist
  /** Closes every hosted and joined playlist and unregisters the protocol. */
  stop(): Promise<void>
}

/** Whether a connection goes through a relay (and so has its limits). */
export function isRelayed(connection: Connection): boolean {
  return connection.limits != null || !connection.direct
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

/** Wires a session to a libp2p stream. */
function bindStream(
  stream: Stream,
  make: (transport: SyncSessionInit['transport']) => SyncSession,
) {
  // Over WebRTC: one data-channel message per frame, and the short way through libp2p's
  // stream both ways (see webrtc-fast-path.ts).
  coalesceDataChannelWrites(stream)
  // Data frames go straight to the session (it is the stream's only reader).
  readWholeFramesDirectly(stream, (data) => session.receive(data))
  const session: SyncSession = make({
    send(frame) {
      if (stream.writeStatus !== 'writable') throw new UnavailableError('The stream is closed')
      if (!stream.send(frame)) return stream.onDrain()
    },
    close(error) {
      if (stream.status !== 'open') return
      // A graceful close flushes the ERROR frame; a peer that stops reading gets aborted.
      stream
        .close({ signal: AbortSignal.timeout(5000) })
        .catch(() => stream.abort(error ?? new UnavailableError('Closed')))
    },
  })
  stream.addEventListener('message', (event) => {
    const data = event.data
    session.receive(data instanceof Uint8Array ? data : data.subarray())
  })
  stream.addEventListener('remoteCloseWrite', () => session.close(undefined))
  stream.addEventListener('close', (event) => {
    session.close(
      event.error ? new UnavailableError('The connection to the peer was lost') : undefined,
      { notify: false },
    )
  })
  return session
}

/** Starts the sync service on `node` (registers `/whatnext/sync/1`). */
export async function createSyncService(init: SyncServiceInit): Promise<SyncService> {
  const { node } = init
  const hosted = new Map<string, HostedState>()
  const joined = new Set<JoinedPlaylist>()

  interface HostedState {
    handle: HostedPlaylist
    hostedDoc: HostedDoc
    sessions: Map<SyncSession, HostPeer>
    presence: Map<string, Presence>
    own: PresenceState | undefined
  }

  await node.handle(
    SYNC_PROTOCOL,
    (stream, connection) => {
      let owner: HostedState | undefined
      const session = bindStream(stream, (transport) =>
        createSyncSession({
          side: 'host',
          localPeerId: node.peerId.toString(),
          remotePeerId: connection.remotePeer.toString(),
          transport,
          limits: init.limits,
          resolve: (id) => hosted.get(id)?.hostedDoc,
          events: {
            onOpen: ({ playlistId, role }) => {
              owner = hosted.get(playlistId)
              if (!owner) return
              const peer: HostPeer = {
                peerId: session.remotePeerId,
                role,
                via: isRelayed(connection) ? 'relayed' : 'direct',
              }
              owner.sessions.set(session, peer)
              if (owner.own) session.sendPresence({ ...owner.own, peerId: node.peerId.toString() })
              for (const p of owner.presence.values()) {
                if (p.peerId !== peer.peerId) session.sendPresence(p)
              }
              owner.handle.events.emit('joined', peer)
            },
            onPresence: (presence) => {
              if (!owner) return
              owner.presence.set(presence.peerId, presence)
              for (const other of owner.sessions.keys()) {
                if (other !== session) other.sendPresence(presence)
              }
              owner.handle.events.emit('peers', [...owner.presence.values()])
            },
            onClose: () => {
              if (!owner || !owner.sessions.delete(session)) return
              const peerId = session.remotePeerId
              const stillThere = [...owner.sessions.values()].some((p) => p.peerId === peerId)
              if (!stillThere) {
                if (owner.presence.delete(peerId)) {
                  for (const other of owner.sessions.keys()) other.sendPresenceGone(peerId)
                  owner.handle.events.emit('peers', [...owner.presence.values()])
                }
                owner.handle.events.emit('left', { peerId })
              }
            },
          },
        }),
      )
      session.start()
    },
    { runOnLimitedConnection: true, maxInboundStreams: 256 },
  )

  const service: SyncService = {
    node,

    host(hostInit) {
      if (hosted.has(hostInit.playlistId)) {
        throw new InternalError(`Playlist ${hostInit.playlistId} is already hosted`)
      }
      let grants = [...hostInit.grants]
      const events = new Emitter<HostedEvents>()
      const state: HostedState = {
        hostedDoc: { doc: hostInit.doc, grants: () => grants },
        sessions: new Map(),
        presence: new Map(),
        own: hostInit.presence,
        handle: undefined as unknown as HostedPlaylist,
      }
      const handle: HostedPlaylist = {
        playlistId: hostInit.playlistId,
        doc: hostInit.doc,
        events,
        grants: () => [...grants],
        setGrants(next) {
          grants = [...next]
          for (const session of [...state.sessions.keys()]) {
            const still = grants.some(
              (g) =>
                g.role === session.role &&
                session.secret !== undefined &&
                sameBytes(g.secret, session.secret),
            )
            if (!still) session.close(new PermissionError('Access to this playlist was revoked'))
          }
        },
        rotate(role) {
          const secret = newCapabilitySecret()
          handle.setGrants([...grants.filter((g) => g.role !== role), { role, secret }])
          return secret
        },
        connected: () => [...state.sessions.values()],
        peers: () => [...state.presence.values()],
        setPresence(presence) {
          state.own = presence
          for (const session of state.sessions.keys()) {
            session.sendPresence({ ...presence, peerId: node.peerId.toString() })
          }
        },
        close() {
          if (hosted.get(hostInit.playlistId) !== state) return
          hosted.delete(hostInit.playlistId)
          for (const session of [...state.sessions.keys()]) {
            session.close(new NotFoundError('The host stopped sharing this playlist'))
          }
        },
      }
      state.handle = handle
      hosted.set(hostInit.playlistId, state)
      return handle
    },

    join(joinInit) {
      // A closed handle leaves the set (it held its document, session and connection).
      const handle: JoinedPlaylist = joinPlaylist(node, joinInit, init, () => joined.delete(handle))
      joined.add(handle)
      return handle
    },

    async stop() {
      for (const state of [...hosted.values()]) state.handle.close()
      for (const handle of [...joined]) handle.close()
      joined.clear()
      await node.unhandle(SYNC_PROTOCOL).catch(() => undefined)
    },
  }
  return service
}

/** Retries of a relayed session's direct dial: from 1–2 s after it opened, at most a minute apart. */
const DIRECT_BACKOFF: BackoffInit = { initialMs: 2_000, maxMs: 60_000 }

/** A dial target that ends on a direct connection: a host address, or WebRTC signalled through a relay. */
function reachesDirectly(addr: Multiaddr): boolean {
  const s = addr.toString()
  return !s.includes('/p2p-circuit') || s.includes('/p2p-circuit/webrtc')
}

function joinPlaylist(
  node: Libp2p,
  init: JoinInit,
  service: SyncServiceInit,
  onClosed: () => void,
): JoinedPlaylist {
  const events = new Emitter<JoinedEvents>()
  const abort = new AbortController()
  const waker: { wake?: () => void } = {}
  const presence = new Map<string, Presence>()
  const dialTimeoutMs = init.dialTimeoutMs ?? 10_000
  let state: ConnectionState = 'offline'
  let synced = false
  let terminal: AppError | undefined
  let session: SyncSession | undefined
  let own = init.presence
  const syncWaiters = new Set<{ resolve: () => void; reject: (e: AppError) => void }>()

  const hostId: PeerId = peerIdFromString(init.hostPeerId)
  const setState = (next: ConnectionState) => {
    if (next === state) return
    state = next
    events.emit('state', next)
  }
  const emitPeers = () => events.emit('peers', [...presence.values()])

  const candidates = (): Multiaddr[] => {
    const out: Multiaddr[] = []
    const withPeer = (addr: string) =>
      multiaddr(addr.includes('/p2p/') ? addr : `${addr}/p2p/${init.hostPeerId}`)
    for (const addr of init.addrs ?? []) out.push(withPeer(addr))
    for (const relay of init.relays ?? []) {
      if (service.webrtc) out.push(multiaddr(`${relay}/p2p-circuit/webrtc/p2p/${init.hostPeerId}`))
      out.push(multiaddr(`${relay}/p2p-circuit/p2p/${init.hostPeerId}`))
    }
    return out
  }

  /** Whether connect() took a relayed connection that was open already, trying nothing direct. */
  let reusedRelayed = false
  const connect = async (signal: AbortSignal): Promise<Connection> => {
    // An open connection (e.g. made by another playlist's join) is reused; unlimited first.
    const existing = node
      .getConnections(hostId)
      .filter((c) => c.status === 'open')
      .sort((a, b) => Number(isRelayed(a)) - Number(isRelayed(b)))[0]
    reusedRelayed = existing !== undefined && isRelayed(existing)
    if (existing) return existing
    let last: unknown
    const targets: (Multiaddr | PeerId)[] = [...candidates()]
    if (targets.length === 0) targets.push(hostId)
    for (const target of targets) {
      try {
        return await withTimeout(
          (s) => node.dial(target, { signal: s }),
          dialTimeoutMs,
          signal,
          'Dial',
        )
      } catch (error) {
        if (signal.aborted) throw error
        last = error
      }
    }
    throw new UnavailableError('Could not reach the host', {
      reason: last instanceof Error ? last.message : String(last),
    })
  }

  /**
   * A session that opened over the relay (the direct dial failed or timed out, or the
   * only connection at hand was relayed) keeps trying to reach the host directly, with
   * backoff, for as long as it lasts: through the relay's WebRTC signalling, or at a
   * direct address it was given. Once a direct connection is up, the relayed session
   * ends and the next opens on the direct connection (connect() prefers it). Meanwhile
   * the state stays 'relayed' and the presence shown stays; the new session's sync
   * exchange carries whatever edits were in flight during the move.
   */
  let moving = false
  const goDirect = async (current: SyncSession) => {
    const targets = candidates().filter(reachesDirectly)
    // No direct dial was tried yet if the relayed connection was simply reused: try at
    // once (wait number -1), else after the first backoff.
    for (let wait = reusedRelayed ? -1 : 0; targets.length > 0 && session === current; wait++) {
      if (wait >= 0) {
        try {
          await sleep(backoffDelay(wait, init.directBackoff ?? DIRECT_BACKOFF), abort.signal)
        } catch {
          return
        }
      }
      for (const target of targets) {
        if (session !== current) return
        let connection: Connection
        try {
          connection = await withTimeout(
            (signal) => node.dial(target, { signal }),
            dialTimeoutMs,
            abort.signal,
            'Dial',
          )
        } catch {
          continue
        }
        if (isRelayed(connection) || session !== current) continue
        moving = true
        current.close()
        return
      }
    }
  }

  const run = async () => {
    let attempt = 0
    setState('connecting')
    while (!abort.signal.aborted) {
      let outcome: AppError | undefined
      let opened = false
      let used: Connection | undefined
      try {
        const connection = await connect(abort.signal)
        used = connection
        const stream = await withTimeout(
          (signal) => connection.newStream(SYNC_PROTOCOL, { signal, runOnLimitedConnection: true }),
          dialTimeoutMs,
          abort.signal,
          'Opening the sync stream',
        )
        const current = bindStream(stream, (transport) =>
          createSyncSession({
            side: 'joiner',
            localPeerId: node.peerId.toString(),
            remotePeerId: init.hostPeerId,
            transport,
            limits: service.limits,
            join: {
              playlistId: init.playlistId,
              role: init.role,
              secret: init.secret,
              doc: init.doc,
            },
            events: {
              onOpen: () => {
                opened = true
                const relayed = isRelayed(connection)
                setState(relayed ? 'relayed' : 'direct')
                if (own) current.sendPresence(own)
                if (relayed) void goDirect(current)
              },
              onProgress: (p) => events.emit('progress', p),
              onSynced: () => {
                synced = true
                events.emit('synced', undefined)
                for (const w of syncWaiters) w.resolve()
                syncWaiters.clear()
              },
              onPresence: (p) => {
                presence.set(p.peerId, p)
                emitPeers()
              },
              onPresenceGone: (peerId) => {
                if (presence.delete(peerId)) emitPeers()
              },
              onRefused: (error) => events.emit('refused', error),
            },
          }),
        )
        session = current
        current.start()
        if (abort.signal.aborted) current.close()
        outcome = await current.closed
      } catch (error) {
        outcome =
          error instanceof AppError
            ? error
            : new UnavailableError(error instanceof Error ? error.message : 'Connection failed')
      }
      session = undefined
      if (moving && !abort.signal.aborted) {
        // Off the relay: straight on to the direct connection, state and presence kept.
        moving = false
        attempt = 0
        continue
      }
      moving = false
      synced = false
      if (presence.size > 0) {
        presence.clear()
        emitPeers()
      }
      if (abort.signal.aborted) break
      setState('offline')
      const terminalOutcome = outcome instanceof PermissionError || outcome instanceof NotFoundError
      // The session died with the link still valid: its connection is suspect. A WebRTC
      // connection whose far end is gone can look open here for many seconds, until ICE
      // notices; reusing it would stall the reconnect on a dead stream. Drop it.
      if (!terminalOutcome && used && used.status === 'open') {
        try {
          used.abort(new UnavailableError('The sync session ended'))
        } catch {
          // already closing
        }
      }
      if (terminalOutcome && outcome) {
        terminal = outcome
        events.emit('error', outcome)
        for (const w of syncWaiters) w.reject(outcome)
        syncWaiters.clear()
        return
      }
      if (opened) attempt = 0
      try {
        await sleep(backoffDelay(attempt++, init.backoff), abort.signal, waker)
      } catch {
        break
      }
      setState('connecting')
    }
    setState('offline')
  }

  const handle: JoinedPlaylist = {
    playlistId: init.playlistId,
    events,
    get state() {
      return state
    },
    get synced() {
      return synced
    },
    get error() {
      return terminal
    },
    peers: () => [...presence.values()],
    setPresence(next) {
      own = next
      session?.sendPresence(next)
    },
    reconnectNow() {
      waker.wake?.()
    },
    whenSynced() {
      if (synced) return Promise.resolve()
      if (terminal) return Promise.reject(terminal)
      if (abort.signal.aborted) return Promise.reject(new UnavailableError('Closed'))
      return new Promise((resolve, reject) => syncWaiters.add({ resolve, reject }))
    },
    close() {
      if (abort.signal.aborted) return
      abort.abort()
      session?.close()
      for (const w of syncWaiters) w.reject(new UnavailableError('Closed'))
      syncWaiters.clear()
      setState('offline')
      onClosed()
    },
  }
  void run()
  return handle
}

const services = new WeakMap<Libp2p, Promise<SyncService>>()

/** The node's sync service, created on first use. */
export function syncServiceOf(
  node: Libp2p,
  init: Omit<SyncServiceInit, 'node'> = {},
): Promise<SyncService> {
  let service = services.get(node)
  if (!service) {
    service = createSyncService({ ...init, node })
    services.set(node, service)
  }
  return service
}

/** Hosts `doc` on `node` (shorthand for `syncServiceOf(node).host(init)`). */
export async function hostPlaylist(init: HostInit & { node: Libp2p }): Promise<HostedPlaylist> {
  return (await syncServiceOf(init.node)).host(init)
}

/** Joins a hosted playlist from `node` (shorthand for `syncServiceOf(node).join(init)`). */
export async function syncPlaylist(init: JoinInit & { node: Libp2p }): Promise<JoinedPlaylist> {
  return (await syncServiceOf(init.node)).join(init)
}
