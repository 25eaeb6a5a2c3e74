/**
 * One `/whatnext/sync/1` stream as a state machine over a duplex of bytes: it knows
 * nothing of libp2p, so tests and fuzzers drive it directly.
 *
 * ```
 * joiner                                host
 *   HELLO(version, playlistId, nJ)  →
 *                                   ←  CHALLENGE(nH)
 *   PROOF(role, HMAC(secret, …))    →   verify against the playlist's current grants
 *                                   ←  WELCOME(role, HMAC'(secret, …))   (or ERROR, close)
 *   SYNC-STATE(sv)                  →   ← SYNC-STATE(sv)  (host sends it to editors only)
 *                                   ←  UPDATE(sync, …chunks)  → UPDATE(sync) (editors only)
 *   UPDATE(live) / PRESENCE         ⇄   UPDATE(live) / PRESENCE / PRESENCE-GONE
 * ```
 *
 * Rules that hold whatever the other side sends:
 * - no document byte (state vector or update) leaves the host before a valid proof;
 * - an update from a read-only joiner is refused with `PermissionError` and never applied;
 * - a malformed, oversized, out-of-order or replayed frame, or one that does not fit the
 *   current state, closes this stream with a typed error (sent to the peer as ERROR);
 *   nothing is thrown to the caller.
 */
import {
  AppError,
  InternalError,
  PayloadTooLargeError,
  PermissionError,
  TimeoutError,
  UnavailableError,
  ValidationError,
  deserializeError,
  type ShareRole,
} from '@whatnext/core'
import * as Y from 'yjs'
import {
  hostProof,
  joinerProof,
  verifyHostProof,
  verifyJoinerProof,
  type Transcript,
} from './auth.ts'
import { FrameDecoder } from './codec.ts'
import {
  NONCE_BYTES,
  WIRE_VERSION,
  decodeMessage,
  encodeMessage,
  type Message,
} from './messages.ts'
import { parsePresence, presenceJson, type Presence, type PresenceState } from './presence.ts'
import { asAppError, asSyncDoc, type SyncDoc } from './sync-doc.ts'
import { canDeflate, deflate, inflate } from './deflate.ts'

/** Hard limits of one stream. */
export interface SyncLimits {
  /** Largest frame body accepted (bytes). */
  maxFrameBytes: number
  /** Updates larger than this are sent in several frames (bytes). */
  chunkBytes: number
  /** Largest whole update (all chunks) accepted (bytes). */
  maxUpdateBytes: number
  /** The handshake must complete within this time (ms). */
  handshakeTimeoutMs: number
  /** Frames that may wait while the handshake's crypto runs. */
  maxPendingFrames: number
  /** Updates at least this large are sent deflated (bytes; `Infinity`: never). */
  deflateAbove: number
}

/** Defaults of {@link SyncLimits}. */
export const DEFAULT_LIMITS: SyncLimits = {
  maxFrameBytes: 256 * 1024,
  chunkBytes: 128 * 1024,
  maxUpdateBytes: 64 * 1024 * 1024,
  handshakeTimeoutMs: 15_000,
  maxPendingFrames: 8,
  deflateAbove: 64 * 1024,
}

/** One capability the host accepts for a playlist. */
export interface Grant {
  role: ShareRole
  secret: Uint8Array
}

/** What a host session needs to know about a playlist a joiner asks for. */
export interface HostedDoc {
  /** The document (a `Y.Doc` here, or a {@link SyncDoc} such as the engine's copy). */
  doc: Y.Doc | SyncDoc
  /** The grants in force now (read at proof time). */
  grants(): readonly Grant[]
}

/** Where the session's bytes go. */
export interface SessionTransport {
  /** Sends one encoded frame; a returned promise means "wait before the next one". */
  send(frame: Uint8Array): void | Promise<void>
  /** Ends the stream (after pending sends). Called exactly once. */
  close(error?: AppError): void
}

/** Callbacks of a session; all optional. */
export interface SessionEvents {
  /** The handshake succeeded. */
  onOpen?(info: { playlistId: string; role: ShareRole }): void
  /** Initial-sync progress of the update the other side sends in answer to our state vector. */
  onProgress?(progress: { received: number; total: number }): void
  /** The other side's initial-sync update has been applied. */
  onSynced?(): void
  /** The other side sent presence (for a host: a joiner's own, stamped with its peer id). */
  onPresence?(presence: Presence): void
  /** The host says a peer left. */
  onPresenceGone?(peerId: string): void
  /** A local edit could not be sent because this session is read-only. */
  onRefused?(error: PermissionError): void
  /** The session ended; `error` is undefined for a clean close. */
  onClose?(error: AppError | undefined): void
}

/** Options of {@link createSyncSession}. */
export interface SyncSessionInit {
  side: 'host' | 'joiner'
  localPeerId: string
  remotePeerId: string
  transport: SessionTransport
  /** Host side: looks up a playlist by id (undefined: not hosted). */
  resolve?: (playlistId: string) => HostedDoc | undefined
  /** Joiner side: what to join and with which capability. */
  join?: { playlistId: string; role: ShareRole; secret: Uint8Array; doc: Y.Doc | SyncDoc }
  limits?: Partial<SyncLimits>
  events?: SessionEvents
  /** Random bytes (tests may make them deterministic). */
  randomBytes?: (n: number) => Uint8Array
  /** Timers (default: the global ones). */
  setTimeout?: (fn: () => void, ms: number) => unknown
  clearTimeout?: (handle: unknown) => void
}

/** Where a session is in its life. */
export type SessionState = 'handshake' | 'open' | 'closed'

/** Counters, for tests and diagnostics. */
export interface SessionStats {
  framesSent: number
  bytesSent: number
  /** Bytes of state vectors and updates sent (document content). */
  docBytesSent: number
  framesReceived: number
  updatesApplied: number
  updatesRefused: number
}

/** A running session. */
export interface SyncSession {
  readonly side: 'host' | 'joiner'
  readonly state: SessionState
  /** Set once the handshake succeeded. */
  readonly playlistId: string | undefined
  readonly role: ShareRole | undefined
  /** The capability secret the peer proved (host side), to drop it on revocation. */
  readonly secret: Uint8Array | undefined
  readonly remotePeerId: string
  readonly stats: SessionStats
  /** Starts the handshake (the joiner speaks first; for a host this arms the timeout). */
  start(): void
  /**
   * Feeds bytes received from the peer. Never throws. The session keeps views into `chunk`
   * (no copy): the caller hands it over and must not write to it afterwards.
   */
  receive(chunk: Uint8Array): void
  /** Sends our presence (or, on a host, relays another peer's). */
  sendPresence(presence: PresenceState & { peerId?: string }): void
  /** Host: tells the joiner that `peerId` left. */
  sendPresenceGone(peerId: string): void
  /**
   * Ends the session; with an error, the peer is told why first unless `notify` is false
   * (the stream is already gone).
   */
  close(error?: AppError, options?: { notify?: boolean }): void
  /** Resolves when the session has ended, with its error if any. */
  readonly closed: Promise<AppError | undefined>
}

/** Fixed text for every refused capability, so a prober learns nothing more. */
export const CAPABILITY_REFUSED = 'This link is not valid (revoked, or not for this playlist)'

/** Creates a session; call `start()` once the transport is ready. */
export function createSyncSession(init: SyncSessionInit): SyncSession {
  const limits: SyncLimits = { ...DEFAULT_LIMITS, ...init.limits }
  const { side, transport } = init
  const events = init.events ?? {}
  const random = init.randomBytes ?? ((n: number) => crypto.getRandomValues(new Uint8Array(n)))
  const setTimer = init.setTimeout ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = init.clearTimeout ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))
  if (side === 'joiner' && !init.join) throw new TypeError('A joiner session needs `join`')
  if (side === 'host' && !init.resolve) throw new TypeError('A host session needs `resolve`')

  const decoder = new FrameDecoder(limits.maxFrameBytes)
  const stats: SessionStats = {
    framesSent: 0,
    bytesSent: 0,
    docBytesSent: 0,
    framesReceived: 0,
    updatesApplied: 0,
    updatesRefused: 0,
  }
  let state: SessionState = 'handshake'
  let step: 'hello' | 'challenge' | 'proof' | 'welcome' = side === 'host' ? 'hello' : 'challenge'
  let sendSeq = 0
  let recvSeq = 0
  let playlistId: string | undefined
  let role: ShareRole | undefined
  let secret: Uint8Array | undefined
  let doc: SyncDoc | undefined
  let unsubscribe: (() => void) | undefined
  let myNonce: Uint8Array | undefined
  let theirNonce: Uint8Array | undefined
  let timer: unknown
  let gotStateVector = false
  let syncedReceived = false
  let assembling: {
    kind: 'sync' | 'live'
    deflated: boolean
    total: number
    parts: Uint8Array[]
    size: number
  } | null = null
  const pending: Uint8Array[] = []
  let live: Uint8Array[] = []
  let busy = false
  // Frames go to the transport at once (an edit leaves in the same task as the change
  // that made it); only while the transport asks to wait do they queue, in order.
  const outbox: Uint8Array[] = []
  let waiting = false
  let flushing = false
  let sendFailed = false
  let afterFlush: (() => void) | undefined
  let resolveClosed!: (error: AppError | undefined) => void
  const closed = new Promise<AppError | undefined>((r) => (resolveClosed = r))

  // The document's listener: forwards local (and, on a host, other peers') edits.
  const onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (state !== 'open' || origin === session) return
    if (side === 'joiner' && role === 'read') {
      stats.updatesRefused++
      events.onRefused?.(new PermissionError('This playlist is shared with you read-only'))
      return
    }
    sendUpdate('live', update)
  }

  const send = (msg: Message, isDoc = false) => {
    if (state === 'closed' && msg.type !== 'error') return
    const frame = encodeMessage(msg, sendSeq++, true)
    stats.framesSent++
    stats.bytesSent += frame.length
    if (isDoc) stats.docBytesSent += frame.length
    outbox.push(frame)
    if (!waiting && !flushing) flush()
  }

  const flush = () => {
    flushing = true
    try {
      while (outbox.length > 0 && !sendFailed) {
        const frame = outbox.shift() as Uint8Array
        let wait: void | Promise<void>
        try {
          wait = transport.send(frame)
        } catch (error) {
          failSending(error)
          break
        }
        if (wait) {
          waiting = true
          wait.then(
            () => {
              waiting = false
              flush()
            },
            (error: unknown) => {
              waiting = false
              failSending(error)
              flush()
            },
          )
          return
        }
      }
    } finally {
      flushing = false
    }
    const then = afterFlush
    afterFlush = undefined
    then?.()
  }

  const failSending = (error: unknown) => {
    sendFailed = true
    outbox.length = 0
    // Reported from a microtask, as when sends were chained: the caller (an observer,
    // the pump, finish) completes first.
    queueMicrotask(() =>
      fail(error instanceof AppError ? error : new UnavailableError('Stream closed while sending')),
    )
  }

  const sendParts = (kind: 'sync' | 'live', payload: Uint8Array, deflated: boolean) => {
    const total = payload.length
    let at = 0
    do {
      const chunk = payload.subarray(at, Math.min(total, at + limits.chunkBytes))
      send({ type: 'update', kind, total, chunk, ...(deflated ? { deflated } : {}) }, true)
      at += chunk.length
    } while (at < total)
  }

  // Compressions under way, in order: an update never overtakes an earlier one.
  let deflating: Promise<void> | null = null

  const sendUpdate = (kind: 'sync' | 'live', update: Uint8Array) => {
    const total = update.length
    if (total > limits.maxUpdateBytes) {
      fail(new PayloadTooLargeError(`Update of ${total} bytes exceeds ${limits.maxUpdateBytes}`))
      return
    }
    const big = total >= limits.deflateAbove && canDeflate()
    if (!big && !deflating) return sendParts(kind, update, false)
    const next = (deflating ?? Promise.resolve()).then(async () => {
      const packed = big ? await deflate(update).catch(() => null) : null
      if (isClosed()) return
      if (packed && packed.length < total) sendParts(kind, packed, true)
      else sendParts(kind, update, false)
    })
    deflating = next
    void next.finally(() => {
      if (deflating === next) deflating = null
    })
  }

  const transcript = (): Transcript => ({
    playlistId: playlistId as string,
    hostPeerId: side === 'host' ? init.localPeerId : init.remotePeerId,
    joinerPeerId: side === 'host' ? init.remotePeerId : init.localPeerId,
    hostNonce: (side === 'host' ? myNonce : theirNonce) as Uint8Array,
    joinerNonce: (side === 'host' ? theirNonce : myNonce) as Uint8Array,
    role: role as ShareRole,
  })

  /**
   * Asks the document, then goes on with its answer: at once when it answers at once (a
   * `Y.Doc` here, so a live edit costs no extra turn), else once it does and only if the
   * session is still open. What it throws that is not typed becomes a ValidationError
   * saying `refused`.
   */
  const thenDoc = <T>(
    ask: () => T | Promise<T>,
    refused: string,
    next: (answer: T) => void | Promise<void>,
  ): void | Promise<void> => {
    let answer: T | Promise<T>
    try {
      answer = ask()
    } catch (error) {
      throw asAppError(error, refused)
    }
    if (!(answer instanceof Promise)) return next(answer)
    return answer.then(
      (value) => (isClosed() ? undefined : next(value)),
      (error: unknown) => {
        throw asAppError(error, refused)
      },
    )
  }

  const open = (): void | Promise<void> => {
    state = 'open'
    if (timer !== undefined) clearTimer(timer)
    timer = undefined
    const current = doc as SyncDoc
    unsubscribe = current.subscribe(onDocUpdate)
    events.onOpen?.({ playlistId: playlistId as string, role: role as ShareRole })
    // A read-only joiner's state vector is not asked for: it may send nothing back.
    if (side === 'joiner' || role === 'edit') {
      return thenDoc(
        () => current.stateVector(),
        'The document could not be read',
        (stateVector) => send({ type: 'sync-state', stateVector }, side === 'host'),
      )
    }
  }

  const applied = (kind: 'sync' | 'live', count: number) => {
    stats.updatesApplied += count
    if (kind === 'sync' && !syncedReceived) {
      syncedReceived = true
      events.onSynced?.()
    }
  }

  const applyRemote = (
    kind: 'sync' | 'live',
    update: Uint8Array,
    count = 1,
  ): void | Promise<void> => {
    if (side === 'host' && role !== 'edit') {
      stats.updatesRefused++
      throw new PermissionError('Read-only collaborators cannot edit this playlist')
    }
    return thenDoc(
      () => (doc as SyncDoc).apply(update, session),
      'Document update could not be applied',
      () => applied(kind, count),
    )
  }

  const handle = (msg: Message): void | Promise<void> => {
    if (msg.type === 'error') {
      const remote = deserializeError({
        name: msg.name,
        code: msg.code,
        message: msg.message,
        retryable: false,
      })
      finish(remote, false)
      return
    }
    if (state === 'handshake') return handshake(msg)
    switch (msg.type) {
      case 'sync-state': {
        if (gotStateVector) throw new ValidationError('Repeated state vector')
        gotStateVector = true
        if (side === 'joiner' && role === 'read') return
        return thenDoc(
          () => (doc as SyncDoc).diff(msg.stateVector),
          'Malformed state vector',
          (update) => sendUpdate('sync', update),
        )
      }
      case 'update':
        return receiveUpdate(msg)
      case 'presence': {
        const parsed = parsePresence(msg.json)
        // A joiner speaks only for itself; the host relays others with their ids.
        const peerId = side === 'host' ? init.remotePeerId : (parsed.peerId ?? init.remotePeerId)
        events.onPresence?.({ ...parsed, peerId })
        return
      }
      case 'presence-gone':
        if (side === 'host') throw new ValidationError('Unexpected presence-gone')
        events.onPresenceGone?.(msg.peerId)
        return
      default:
        throw new ValidationError(`Unexpected ${msg.type} after the handshake`)
    }
  }

  const receiveUpdate = (msg: Extract<Message, { type: 'update' }>): void | Promise<void> => {
    if (side === 'host' && role !== 'edit') {
      stats.updatesRefused++
      throw new PermissionError('Read-only collaborators cannot edit this playlist')
    }
    if (msg.kind === 'sync' && !(side === 'joiner' || role === 'edit')) {
      throw new ValidationError('Unexpected sync update')
    }
    if (msg.total > limits.maxUpdateBytes) {
      throw new PayloadTooLargeError(
        `Update of ${msg.total} bytes exceeds ${limits.maxUpdateBytes}`,
      )
    }
    if (!assembling) {
      if (msg.total === 0 || msg.chunk.length === 0) {
        if (msg.total !== 0 || msg.chunk.length !== 0) throw new ValidationError('Bad update size')
        throw new ValidationError('Empty update')
      }
      assembling = {
        kind: msg.kind,
        deflated: msg.deflated === true,
        total: msg.total,
        parts: [],
        size: 0,
      }
    } else if (
      assembling.kind !== msg.kind ||
      assembling.total !== msg.total ||
      assembling.deflated !== (msg.deflated === true)
    ) {
      throw new ValidationError('Interleaved update parts')
    }
    if (msg.chunk.length === 0 || assembling.size + msg.chunk.length > assembling.total) {
      throw new ValidationError('Update parts do not add up')
    }
    assembling.parts.push(msg.chunk)
    assembling.size += msg.chunk.length
    if (msg.kind === 'sync') {
      events.onProgress?.({ received: assembling.size, total: assembling.total })
    }
    if (assembling.size < assembling.total) return
    const whole =
      assembling.parts.length === 1 ? (assembling.parts[0] as Uint8Array) : concat(assembling.parts)
    const { kind, deflated } = assembling
    assembling = null
    if (kind === 'live' && !deflated) {
      // Applied with the other live updates read in this turn (see flushLive).
      live.push(whole)
      return
    }
    if (!deflated) return applyRemote(kind, whole)
    return thenDoc(
      () => inflate(whole, limits.maxUpdateBytes),
      'Malformed compressed update',
      (update) => applyRemote(kind, update),
    )
  }

  const handshake = (msg: Message): void | Promise<void> => {
    if (side === 'host') {
      if (step === 'hello' && msg.type === 'hello') {
        if (msg.version !== WIRE_VERSION) {
          throw new ValidationError(`Unsupported protocol version ${msg.version}`)
        }
        playlistId = msg.playlistId
        theirNonce = msg.nonce
        myNonce = random(NONCE_BYTES)
        step = 'proof'
        send({ type: 'challenge', nonce: myNonce })
        return
      }
      if (step === 'proof' && msg.type === 'proof') {
        step = 'welcome' // nothing more is accepted until the check is done
        return checkProof(msg.role, msg.mac)
      }
    } else {
      if (step === 'challenge' && msg.type === 'challenge') {
        theirNonce = msg.nonce
        step = 'welcome'
        const join = init.join as NonNullable<SyncSessionInit['join']>
        return joinerProof(join.secret, transcript()).then((mac) => {
          send({ type: 'proof', role: join.role, mac })
        })
      }
      if (step === 'welcome' && msg.type === 'welcome') {
        step = 'proof'
        return checkWelcome(msg.role, msg.mac)
      }
    }
    // Anything else before the handshake is done: a stranger does not get to talk.
    throw new PermissionError(`Unexpected ${msg.type} before the capability check`)
  }

  // State changes while crypto awaits; a function call keeps TypeScript from narrowing.
  const isClosed = () => state === 'closed'

  const checkProof = async (claimed: ShareRole, mac: Uint8Array) => {
    const hosted = (init.resolve as NonNullable<SyncSessionInit['resolve']>)(playlistId as string)
    role = claimed
    let match: Grant | undefined
    if (hosted) {
      for (const grant of hosted.grants()) {
        if (grant.role !== claimed) continue
        // Every grant of the role is tried, so timing does not tell which one matched.
        if ((await verifyJoinerProof(grant.secret, transcript(), mac)) && !match) match = grant
      }
    }
    if (isClosed()) return
    if (!hosted || !match) throw new PermissionError(CAPABILITY_REFUSED)
    doc = asSyncDoc(hosted.doc)
    secret = match.secret
    send({ type: 'welcome', role: claimed, mac: await hostProof(match.secret, transcript()) })
    if (isClosed()) return
    return open()
  }

  const checkWelcome = async (granted: ShareRole, mac: Uint8Array) => {
    const join = init.join as NonNullable<SyncSessionInit['join']>
    if (granted !== join.role) throw new PermissionError('The host granted a different role')
    const ok = await verifyHostProof(join.secret, transcript(), mac)
    if (isClosed()) return
    if (!ok) throw new PermissionError('The host could not prove it holds this playlist')
    doc = asSyncDoc(join.doc)
    secret = join.secret
    return open()
  }

  /**
   * Applies the live updates read since the last call as one: while the document (the
   * engine, elsewhere) takes one, the frames that arrive meanwhile are applied together
   * next, so a burst of edits costs a few round trips, not one each.
   */
  const flushLive = (): void | Promise<void> => {
    if (live.length === 0) return
    const batch = live
    live = []
    if (batch.length === 1) return applyRemote('live', batch[0] as Uint8Array)
    let merged: Uint8Array
    try {
      merged = Y.mergeUpdates(batch)
    } catch {
      throw new ValidationError('Malformed document update')
    }
    return applyRemote('live', merged, batch.length)
  }

  const pump = () => {
    while (!busy && state !== 'closed') {
      let result: void | Promise<void>
      try {
        const body = pending.shift()
        if (body === undefined) {
          result = flushLive()
          if (!result) return
        } else {
          const { seq, msg } = decodeMessage(body, limits.maxFrameBytes)
          if (seq !== recvSeq) {
            throw new ValidationError(seq < recvSeq ? 'Replayed frame' : 'Out-of-order frame', [
              { path: 'seq', message: `expected ${recvSeq}, got ${seq}` },
            ])
          }
          recvSeq++
          // Anything but an update waits for the live updates before it.
          const before = msg.type === 'update' ? undefined : flushLive()
          result = before ? before.then(() => handle(msg)) : handle(msg)
        }
      } catch (error) {
        fail(error)
        return
      }
      if (result) {
        busy = true
        result.then(
          () => {
            busy = false
            pump()
          },
          (error: unknown) => {
            busy = false
            fail(error)
          },
        )
      }
    }
  }

  const fail = (error: unknown) => {
    const appError = error instanceof AppError ? error : new InternalError('Sync protocol failure')
    finish(appError, true)
  }

  const finish = (error: AppError | undefined, tell: boolean) => {
    if (isClosed()) return
    state = 'closed'
    if (error && tell) {
      send({ type: 'error', name: error.name, code: error.code, message: error.message })
    }
    if (timer !== undefined) clearTimer(timer)
    timer = undefined
    unsubscribe?.()
    unsubscribe = undefined
    pending.length = 0
    live = []
    assembling = null
    // Pending frames (the ERROR above included) are flushed before the stream closes.
    const close = () => void Promise.resolve().then(() => transport.close(error))
    if (waiting) afterFlush = close
    else close()
    events.onClose?.(error)
    resolveClosed(error)
  }

  const session: SyncSession = {
    side,
    get state() {
      return state
    },
    get playlistId() {
      return doc ? playlistId : undefined
    },
    get role() {
      return doc ? role : undefined
    },
    get secret() {
      return secret
    },
    remotePeerId: init.remotePeerId,
    stats,
    closed,
    start() {
      if (timer !== undefined || state !== 'handshake') return
      timer = setTimer(() => {
        if (state === 'handshake') fail(new TimeoutError('The capability handshake timed out'))
      }, limits.handshakeTimeoutMs)
      if (side === 'joiner') {
        const join = init.join as NonNullable<SyncSessionInit['join']>
        playlistId = join.playlistId
        role = join.role
        myNonce = random(NONCE_BYTES)
        send({ type: 'hello', version: WIRE_VERSION, playlistId, nonce: myNonce })
      }
    },
    receive(chunk) {
      if (isClosed()) return
      try {
        const frames = decoder.push(chunk)
        stats.framesReceived += frames.length
        pending.push(...frames)
        if (state === 'handshake' && pending.length > limits.maxPendingFrames) {
          throw new ValidationError('Too many frames before the capability check')
        }
        // Bytes that cannot yet form a frame are bounded by the frame limit.
        if (decoder.buffered > limits.maxFrameBytes + 8) {
          throw new PayloadTooLargeError('Too many buffered bytes')
        }
      } catch (error) {
        fail(error)
        return
      }
      pump()
    },
    sendPresence(presence) {
      if (state !== 'open') return
      send({ type: 'presence', json: presenceJson(presence) })
    },
    sendPresenceGone(peerId) {
      if (state !== 'open' || side !== 'host') return
      send({ type: 'presence-gone', peerId })
    },
    close(error, options) {
      finish(error, error !== undefined && options?.notify !== false)
    },
  }
  return session
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
