/**
 * An endpoint speaks one {@link Contract} over one {@link Transport}: it calls the
 * other side's handlers (`request`, `stream`), serves its own (`handle`,
 * `handleStream`), and publishes and listens to events. Every message is checked where
 * it is received — the envelope by hand (`wire.ts`), then size, rate limit and the
 * channel's zod schema — and nothing but plain data crosses the boundary.
 */
import { safeParse, type core } from 'zod/mini'
import {
  AppError,
  CancelledError,
  InternalError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  ValidationError,
  deserializeError,
  isRetryable,
  serializeError,
  type FieldIssue,
} from '../errors.ts'
import type { Clock, Logger } from '../ports.ts'
import { silentLogger } from '../ports.ts'
import {
  defineContract,
  type ChannelDef,
  type Contract,
  type EventNames,
  type EventOf,
  type RequestDef,
  type RequestIn,
  type RequestNames,
  type ResponseOf,
  type StreamDef,
  type StreamIn,
  type StreamItemOf,
  type StreamNames,
} from './contract.ts'
import { ChannelStats, type MetricsSnapshot } from './metrics.ts'
import { createRateLimiter } from './rate-limit.ts'
import {
  createHandlerRegistry,
  type Handler,
  type HandlerContext,
  type Handlers,
  type StreamProducer,
  type StreamProducers,
} from './registry.ts'
import { DEFAULT_RETRY, backoffDelay } from './retry.ts'
import type { Transport } from './transport.ts'
import { TOO_DEEP, TOO_LARGE, measure, parseEnvelope, type Envelope } from './wire.ts'

export type { Handler, HandlerContext, Handlers, StreamProducer, StreamProducers }

/** Default time a request may take before the caller gets a `TimeoutError`. */
export const DEFAULT_TIMEOUT_MS = 10_000
/** Default largest payload (estimated bytes) an endpoint sends or accepts. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
/** Default deepest nesting of a payload. */
export const DEFAULT_MAX_DEPTH = 64
/** Default credit window of a stream consumer. */
export const DEFAULT_HIGH_WATER_MARK = 16
/** Messages held for a peer that has not said hello yet; beyond this, calls fail at once. */
export const MAX_OUTBOX = 10_000

const BATCH_DEFAULTS = { maxSize: 64, maxWaitMs: 16, idleMs: 2 }

/** Options of one call. */
export interface RequestOptions {
  signal?: AbortSignal
  /** Overrides the channel's timeout (per attempt). */
  timeoutMs?: number
  /** Transferable objects in the payload (e.g. a file's ArrayBuffer). */
  transfer?: readonly unknown[]
  /** `false` turns off retries of an idempotent channel for this call. */
  retry?: boolean
}

/** Options of one stream. */
export interface StreamOptions {
  /** Cancels the stream; the producer's signal aborts. */
  signal?: AbortSignal
  /** Items this side may buffer (overrides the channel's). */
  highWaterMark?: number
}

/** Options of one event subscription. */
export interface ListenOptions {
  /** Unsubscribes when aborted (the owner — a view, a window, a session — is gone). */
  signal?: AbortSignal
}

/** The consumer's end of a stream: iterate it; `cancel()` (or `break`) stops the producer. */
export interface BusStream<T> extends AsyncIterable<T> {
  cancel(): void
}

/** Dependencies of an endpoint. */
export interface EndpointComponents {
  transport: Transport
  clock: Clock
  logger?: Logger
  /** High-resolution time in ms for latency figures (`performance.now`); default `clock.now`. */
  now?: () => number
  /** Uniform [0, 1) for retry jitter; default `Math.random`. */
  random?: () => number
}

/** Options of an endpoint. */
export interface EndpointInit {
  /** Names this side in logs and metrics. */
  name?: string
  /** Include messages and stacks of unexpected errors in replies (development only). */
  exposeInternals?: boolean
  /**
   * Requests received before this settles wait for it (e.g. while the engine opens its
   * storage) instead of failing; if it rejects, they are answered with its error.
   */
  ready?: Promise<unknown>
  /** Names this side to the other's rate limiter (needed where many share a channel). */
  senderId?: string
  /** Largest payload sent or accepted on channels that declare none (estimated bytes). */
  maxPayloadBytes?: number
  /** Deepest nesting of a payload (deeper — or cyclic — payloads are refused). */
  maxDepth?: number
  /**
   * Hold outgoing calls until the other side's endpoint has said hello (default true),
   * so nothing sent before it exists is lost. Turn off only toward a peer that is not a
   * bus endpoint.
   */
  handshake?: boolean
}

/** Counters for tests and the diagnostics view. */
export interface EndpointStats {
  pendingRequests: number
  activeHandlers: number
  eventListeners: number
  /** Streams open in either direction. */
  openStreams: number
  /** Messages waiting for the other side's hello. */
  queued: number
  /** Timers this endpoint holds (deadline, batches, backoffs, pings). */
  timers: number
  received: number
  rejected: number
}

/** One side of a typed boundary. */
export interface Endpoint<C extends Contract> {
  /** Calls the other side's handler for `channel`. */
  request<K extends RequestNames<C>>(
    channel: K,
    payload: RequestIn<C, K>,
    options?: RequestOptions,
  ): Promise<ResponseOf<C, K>>
  /** Opens a stream from the other side's producer for `channel`. */
  stream<K extends StreamNames<C>>(
    channel: K,
    payload: StreamIn<C, K>,
    options?: StreamOptions,
  ): BusStream<StreamItemOf<C, K>>
  /** Registers the handler of a request channel; throws on an unknown or taken channel. */
  handle<K extends RequestNames<C>>(channel: K, handler: Handler<C, K>): void
  /** Registers several handlers (each checked as by `handle`). */
  handleAll(handlers: Handlers<C>): void
  /** Registers the producer of a stream channel. */
  handleStream<K extends StreamNames<C>>(channel: K, producer: StreamProducer<C, K>): void
  /** Publishes an event (batched if its channel declares `batch`). */
  emit<K extends EventNames<C>>(channel: K, payload: EventOf<C, K>): void
  /** Listens to an event; returns the unsubscribe function. */
  on<K extends EventNames<C>>(
    channel: K,
    listener: (payload: EventOf<C, K>) => void,
    options?: ListenOptions,
  ): () => void
  /** Sends every pending event batch now. */
  flush(): void
  /** Round trip to the other endpoint in ms; `TimeoutError` if it does not answer. */
  ping(timeoutMs?: number): Promise<number>
  /** Whether the other side has said hello. */
  readonly connected: boolean
  stats(): EndpointStats
  metrics(): MetricsSnapshot
  /** Fails pending calls, cancels streams, drops listeners and timers, closes the transport. */
  close(): void
}

interface Pending {
  ch: string
  def: RequestDef
  stats: ChannelStats
  resolve(value: unknown): void
  reject(error: unknown): void
  deadline: number
  timeoutMs: number
  startedAt: number
  queued: boolean
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

/** A call being served; it is also the handler's context (one allocation per call). */
class ActiveCall implements HandlerContext {
  controller: AbortController | undefined = undefined
  reason: AppError | undefined = undefined
  readonly sender: string | undefined
  constructor(sender: string | undefined) {
    this.sender = sender
  }
  // Created on first use: most handlers never look at their signal.
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController()
      if (this.reason) this.controller.abort(this.reason)
    }
    return this.controller.signal
  }
  abort(reason: AppError) {
    if (this.reason) return
    this.reason = reason
    this.controller?.abort(reason)
  }
}

interface OutStream {
  credit: number
  wake: (() => void) | undefined
  call: ActiveCall
}

interface InStream {
  def: StreamDef
  stats: ChannelStats
  hwm: number
  buffer: unknown[]
  outstanding: number
  finished: boolean
  error: unknown
  waiter: { resolve(r: IteratorResult<unknown>): void; reject(e: unknown): void } | undefined
  detach: (() => void) | undefined
}

interface Batch {
  items: unknown[]
  firstAt: number
  lastAt: number
  timer: unknown
  policy: typeof BATCH_DEFAULTS
}

const checkedContracts = new WeakSet<Contract>()

/** Creates an endpoint for `contract` over `components.transport`. */
export function createEndpoint<C extends Contract>(
  contract: C,
  components: EndpointComponents,
  init: EndpointInit = {},
): Endpoint<C> {
  if (!checkedContracts.has(contract)) {
    defineContract(contract)
    checkedContracts.add(contract)
  }
  const { transport, clock } = components
  const logger = components.logger ?? silentLogger
  const now = components.now ?? (() => clock.now())
  const random = components.random ?? Math.random
  const name = init.name ?? 'endpoint'
  const sender = init.senderId
  const maxBytes = init.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES
  const maxDepth = init.maxDepth ?? DEFAULT_MAX_DEPTH
  const handshake = init.handshake ?? true

  const defs = new Map<string, ChannelDef>()
  const channelStats = new Map<string, ChannelStats>()
  for (const [ch, def] of Object.entries(contract)) {
    defs.set(ch, def)
    channelStats.set(ch, new ChannelStats(ch, def.kind))
  }
  const registry = createHandlerRegistry(contract)
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const pending = new Map<number, Pending>()
  const active = new Map<number, ActiveCall>()
  const outStreams = new Map<number, OutStream>()
  const inStreams = new Map<number, InStream>()
  const batches = new Map<string, Batch>()
  const pings = new Map<
    number,
    { resolve(ms: number): void; reject(e: unknown): void; timer: unknown }
  >()
  const sleepers = new Set<{ timer: unknown; reject(e: unknown): void }>()
  const limiter = createRateLimiter(() => clock.now())
  let outbox: Array<{ message: Envelope; transfer: readonly unknown[] | undefined }> = []
  let peerReady = !handshake
  let nextId = 0
  let closed = false
  let received = 0
  let rejected = 0
  let deadlineTimer: unknown
  let deadlineAt = Infinity

  // --- sending --------------------------------------------------------------------

  const sendNow = (message: Envelope, transfer?: readonly unknown[]) => {
    if (closed) return
    if (transfer && transfer.length > 0) transport.send(message, transfer)
    else transport.send(message)
  }

  /** Sends, or holds the message until the peer's hello. Returns false if the outbox is full. */
  const post = (message: Envelope, transfer?: readonly unknown[]): boolean => {
    if (peerReady) {
      sendNow(message, transfer)
      return true
    }
    if (outbox.length >= MAX_OUTBOX) return false
    outbox.push({ message, transfer })
    return true
  }

  const onPeerReady = () => {
    if (peerReady) return
    peerReady = true
    const held = outbox
    outbox = []
    for (const { message, transfer } of held) {
      // Skip calls that timed out or were cancelled while waiting.
      if (message.k === 'req') {
        const entry = pending.get(message.id)
        if (!entry) continue
        entry.queued = false
      }
      if (message.k === 'sopen' && !inStreams.has(message.id)) continue
      try {
        sendNow(message, transfer)
      } catch (error) {
        if (message.k === 'req') settle(message.id, sendFailure(message.ch, error))
        else logger.warn('held message could not be sent', { endpoint: name, kind: message.k })
      }
    }
  }

  const reply = (id: number, error: unknown, kind: 'err' | 'serr' = 'err') => {
    if (!(error instanceof AppError))
      logger.error('handler failed', { endpoint: name, error: String(error) })
    sendNow({ k: kind, id, e: serializeError(error, init.exposeInternals) })
  }

  const stat = (ch: string) => channelStats.get(ch) as ChannelStats

  /** Checks size and depth; returns bytes or the error to answer with. */
  const sizeOf = (ch: string, value: unknown, limit: number): number | AppError => {
    const bytes = measure(value, limit, maxDepth)
    if (bytes === TOO_LARGE)
      return new PayloadTooLargeError(`Payload of '${ch}' exceeds ${limit} bytes`, {
        channel: ch,
        limitBytes: limit,
      })
    if (bytes === TOO_DEEP)
      return new ValidationError(`Payload of '${ch}' is nested deeper than ${maxDepth} levels`, [
        { path: '', message: `Nested deeper than ${maxDepth} levels (or cyclic)` },
      ])
    return bytes
  }

  // --- deadlines: one timer for all pending calls -------------------------------

  const armDeadline = (at: number) => {
    if (at >= deadlineAt) return
    if (deadlineTimer !== undefined) clock.clearTimeout(deadlineTimer)
    deadlineAt = at
    deadlineTimer = clock.setTimeout(sweep, Math.max(0, at - clock.now()))
  }

  const sweep = () => {
    deadlineTimer = undefined
    deadlineAt = Infinity
    const t = clock.now()
    let next = Infinity
    for (const [id, entry] of pending) {
      if (entry.deadline <= t) {
        const waiting = entry.queued
        settle(
          id,
          new TimeoutError(
            waiting
              ? `Request '${entry.ch}' timed out after ${entry.timeoutMs} ms: the other side never became ready`
              : `Request '${entry.ch}' timed out after ${entry.timeoutMs} ms`,
            { channel: entry.ch, timeoutMs: entry.timeoutMs, phase: waiting ? 'connect' : 'reply' },
          ),
          !waiting,
        )
      } else if (entry.deadline < next) next = entry.deadline
    }
    if (next !== Infinity) armDeadline(next)
  }

  /** Ends a pending call with an error; tells the other side to stop if it was sent. */
  const settle = (id: number, error: AppError, sendCancel = false) => {
    const entry = pending.get(id)
    if (!entry) return
    pending.delete(id)
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort)
    entry.stats.errors++
    if (sendCancel) sendNow({ k: 'cancel', id })
    entry.reject(error)
  }

  // --- requests (caller side) ------------------------------------------------------

  const attempt = (
    ch: string,
    def: RequestDef,
    payload: unknown,
    options: RequestOptions,
  ): Promise<unknown> => {
    if (closed) return Promise.reject(new CancelledError('Endpoint closed'))
    const { signal } = options
    if (signal?.aborted) return Promise.reject(new CancelledError('Cancelled before sending'))
    const stats = stat(ch)
    const size = sizeOf(ch, payload, def.maxPayloadBytes ?? maxBytes)
    if (typeof size !== 'number') {
      stats.errors++
      return Promise.reject(size)
    }
    const id = nextId++
    const timeoutMs = options.timeoutMs ?? def.timeoutMs ?? DEFAULT_TIMEOUT_MS
    return new Promise((resolve, reject) => {
      const startedAt = now()
      const entry: Pending = {
        ch,
        def,
        stats,
        resolve,
        reject,
        deadline: clock.now() + timeoutMs,
        timeoutMs,
        startedAt,
        queued: !peerReady,
        signal,
        onAbort: undefined,
      }
      if (signal) {
        entry.onAbort = () =>
          settle(id, new CancelledError(`Request '${ch}' cancelled`), !entry.queued)
        signal.addEventListener('abort', entry.onAbort, { once: true })
      }
      pending.set(id, entry)
      armDeadline(entry.deadline)
      stats.sent++
      stats.bytesOut += size
      const message: Envelope =
        sender === undefined
          ? { k: 'req', id, ch, p: payload }
          : { k: 'req', id, ch, p: payload, s: sender }
      try {
        if (!post(message, options.transfer))
          settle(
            id,
            new UnavailableError(`Request '${ch}': too many calls waiting for the other side`),
          )
      } catch (error) {
        settle(id, sendFailure(ch, error))
      }
    })
  }

  const sleep = (ms: number, signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      const entry = {
        timer: undefined as unknown,
        reject: (e: unknown) => {
          sleepers.delete(entry)
          clock.clearTimeout(entry.timer)
          signal?.removeEventListener('abort', onAbort)
          reject(e)
        },
      }
      const onAbort = () => entry.reject(new CancelledError('Cancelled while waiting to retry'))
      entry.timer = clock.setTimeout(() => {
        sleepers.delete(entry)
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      sleepers.add(entry)
      signal?.addEventListener('abort', onAbort, { once: true })
    })

  const withRetry = async (
    ch: string,
    def: RequestDef,
    payload: unknown,
    options: RequestOptions,
  ): Promise<unknown> => {
    const policy = def.retry ?? {}
    const attempts = policy.attempts ?? DEFAULT_RETRY.attempts
    for (let n = 1; ; n++) {
      try {
        return await attempt(ch, def, payload, options)
      } catch (error) {
        if (n >= attempts || !isRetryable(error) || closed || options.signal?.aborted) throw error
        stat(ch).retries++
        const after = error instanceof RateLimitedError ? error.retryAfterMs : 0
        const delay = backoffDelay(n, policy, random, after)
        logger.debug('retrying idempotent request', {
          endpoint: name,
          channel: ch,
          attempt: n + 1,
          delay,
        })
        await sleep(delay, options.signal)
      }
    }
  }

  // --- requests (serving side) -----------------------------------------------------

  let readySettled = init.ready === undefined
  let readyError: unknown
  const ready = init.ready ?? Promise.resolve()
  ready.then(
    () => (readySettled = true),
    (error: unknown) => {
      readySettled = true
      readyError = error ?? new UnavailableError('Start-up failed')
    },
  )
  const afterReady = (run: () => void, fail: (error: unknown) => void) => {
    if (readySettled) {
      if (readyError === undefined) run()
      else fail(readyError)
    } else ready.then(run, fail)
  }

  /** Refuses a received message (size, rate limit); returns true when it was refused. */
  const admit = (ch: string, def: ChannelDef, value: unknown, from: string | undefined) => {
    const stats = stat(ch)
    const size = sizeOf(ch, value, def.maxPayloadBytes ?? maxBytes)
    if (typeof size !== 'number') {
      stats.rejected++
      rejected++
      return size
    }
    stats.bytesIn += size
    if (def.rateLimit) {
      const decision = limiter.take(`${ch}\u0000${from ?? ''}`, def.rateLimit)
      if (!decision.ok) {
        stats.rejected++
        rejected++
        return new RateLimitedError(
          `Too many '${ch}' calls; retry in ${decision.retryAfterMs} ms`,
          {
            channel: ch,
            retryAfterMs: decision.retryAfterMs,
          },
        )
      }
    }
    return undefined
  }

  const abortCall = (call: ActiveCall, reason: AppError) => call.abort(reason)

  const onRequest = (id: number, ch: string, raw: unknown, from: string | undefined) => {
    const def = defs.get(ch)
    if (!def || def.kind !== 'request') {
      rejected++
      reply(id, new NotFoundError(`Unknown channel '${ch}'`, { channel: ch }))
      return
    }
    const refused = admit(ch, def, raw, from)
    if (refused) {
      reply(id, refused)
      return
    }
    afterReady(
      () => serve(id, ch, def, raw, from),
      (error) => reply(id, error),
    )
  }

  const serve = (
    id: number,
    ch: string,
    def: RequestDef,
    raw: unknown,
    from: string | undefined,
  ) => {
    const stats = stat(ch)
    const handler = registry.handler(ch)
    if (!handler) {
      rejected++
      stats.rejected++
      reply(id, new NotFoundError(`No handler for '${ch}'`, { channel: ch }))
      return
    }
    const parsed = safeParse(def.request, raw)
    if (!parsed.success) {
      rejected++
      stats.rejected++
      reply(id, toValidationError(`Invalid request for '${ch}'`, parsed.error))
      return
    }
    stats.received++
    const call = new ActiveCall(from)
    active.set(id, call)
    const t0 = now()
    let result: unknown
    try {
      result = handler(parsed.data, call)
    } catch (error) {
      failed(id, stats, call, t0, error)
      return
    }
    if (isThenable(result))
      result.then(
        (value) => answer(id, stats, call, t0, value),
        (error: unknown) => failed(id, stats, call, t0, error),
      )
    else answer(id, stats, call, t0, result)
  }

  const answer = (
    id: number,
    stats: ChannelStats,
    call: ActiveCall,
    t0: number,
    value: unknown,
  ) => {
    active.delete(id)
    if (call.reason || closed) return
    stats.handlerLatency.add(now() - t0)
    const size = measure(value, maxBytes, maxDepth)
    if (size >= 0) stats.bytesOut += size
    try {
      sendNow({ k: 'res', id, v: value })
    } catch (error) {
      stats.errors++
      reply(
        id,
        isDataCloneError(error)
          ? new InternalError(`Answer of '${stats.channel}' cannot be sent`)
          : error,
      )
    }
  }

  const failed = (
    id: number,
    stats: ChannelStats,
    call: ActiveCall,
    t0: number,
    error: unknown,
  ) => {
    active.delete(id)
    if (call.reason || closed) return
    stats.handlerLatency.add(now() - t0)
    stats.errors++
    reply(id, error)
  }

  const onResponse = (message: Extract<Envelope, { k: 'res' | 'err' }>) => {
    const entry = pending.get(message.id)
    if (!entry) return // late answer to a call that already timed out or was cancelled
    pending.delete(message.id)
    if (entry.onAbort) entry.signal?.removeEventListener('abort', entry.onAbort)
    const { stats } = entry
    stats.latency.add(now() - entry.startedAt)
    if (message.k === 'err') {
      stats.errors++
      entry.reject(deserializeError(message.e))
      return
    }
    const size = measure(message.v, maxBytes, maxDepth)
    if (size < 0) {
      stats.errors++
      entry.reject(new PayloadTooLargeError(`Answer of '${entry.ch}' is too large or too deep`))
      return
    }
    stats.bytesIn += size
    const parsed = safeParse(entry.def.response, message.v)
    if (parsed.success) entry.resolve(parsed.data)
    else {
      stats.errors++
      entry.reject(toValidationError(`Invalid response from '${entry.ch}'`, parsed.error))
    }
  }

  // --- events ---------------------------------------------------------------------

  const flushBatch = (ch: string, batch: Batch) => {
    batches.delete(ch)
    if (batch.timer !== undefined) clock.clearTimeout(batch.timer)
    const stats = stat(ch)
    stats.eventMessages++
    const items = batch.items
    const message: Envelope =
      items.length === 1 ? { k: 'evt', ch, p: items[0] } : { k: 'evb', ch, ps: items }
    if (sender !== undefined) message.s = sender
    if (!post(message))
      logger.warn('event batch dropped: peer not ready', { endpoint: name, channel: ch })
  }

  const onBatchTimer = (ch: string) => {
    const batch = batches.get(ch)
    if (!batch) return
    batch.timer = undefined
    const t = clock.now()
    const due = Math.min(batch.firstAt + batch.policy.maxWaitMs, batch.lastAt + batch.policy.idleMs)
    if (t >= due) flushBatch(ch, batch)
    else batch.timer = clock.setTimeout(() => onBatchTimer(ch), due - t)
  }

  const emit = (ch: string, payload: unknown) => {
    const def = defs.get(ch)
    if (!def || def.kind !== 'event') throw new NotFoundError(`Unknown event channel '${ch}'`)
    if (closed) return
    const stats = stat(ch)
    const size = sizeOf(ch, payload, def.maxPayloadBytes ?? maxBytes)
    if (typeof size !== 'number') {
      stats.errors++
      logger.error('event not sent', { endpoint: name, channel: ch, code: size.code })
      return
    }
    stats.sent++
    stats.events++
    stats.bytesOut += size
    if (!def.batch) {
      stats.eventMessages++
      const message: Envelope =
        sender === undefined
          ? { k: 'evt', ch, p: payload }
          : { k: 'evt', ch, p: payload, s: sender }
      if (!post(message))
        logger.warn('event dropped: peer not ready', { endpoint: name, channel: ch })
      return
    }
    const t = clock.now()
    let batch = batches.get(ch)
    if (!batch) {
      const policy = { ...BATCH_DEFAULTS, ...def.batch }
      batch = { items: [], firstAt: t, lastAt: t, timer: undefined, policy }
      batches.set(ch, batch)
      batch.timer = clock.setTimeout(
        () => onBatchTimer(ch),
        Math.min(policy.idleMs, policy.maxWaitMs),
      )
    }
    batch.items.push(payload)
    batch.lastAt = t
    if (batch.items.length >= batch.policy.maxSize) flushBatch(ch, batch)
  }

  const onEvents = (ch: string, items: readonly unknown[], from: string | undefined) => {
    const def = defs.get(ch)
    if (!def || def.kind !== 'event') {
      rejected++
      logger.warn('event on unknown channel dropped', { endpoint: name, channel: ch })
      return
    }
    const stats = stat(ch)
    stats.eventMessages++
    const set = listeners.get(ch)
    for (const raw of items) {
      stats.events++
      const refused = admit(ch, def, raw, from)
      if (refused) {
        logger.warn('event refused', { endpoint: name, channel: ch, code: refused.code })
        continue
      }
      if (!set || set.size === 0) continue
      const parsed = safeParse(def.payload, raw)
      if (!parsed.success) {
        rejected++
        stats.rejected++
        logger.warn('invalid event dropped', { endpoint: name, channel: ch })
        continue
      }
      stats.received++
      for (const listener of [...set]) {
        try {
          listener(parsed.data)
        } catch (error) {
          stats.errors++
          logger.error('event listener threw', {
            endpoint: name,
            channel: ch,
            error: String(error),
          })
        }
      }
    }
  }

  // --- streams --------------------------------------------------------------------

  const onStreamOpen = (
    id: number,
    ch: string,
    raw: unknown,
    credit: number,
    from: string | undefined,
  ) => {
    const def = defs.get(ch)
    if (!def || def.kind !== 'stream') {
      rejected++
      reply(id, new NotFoundError(`Unknown stream '${ch}'`, { channel: ch }), 'serr')
      return
    }
    const refused = admit(ch, def, raw, from)
    if (refused) {
      reply(id, refused, 'serr')
      return
    }
    const out: OutStream = {
      credit,
      wake: undefined,
      call: new ActiveCall(from),
    }
    // Registered before start-up ends so a cancel that arrives meanwhile is not lost.
    outStreams.set(id, out)
    afterReady(
      () => void produce(id, ch, def, raw, out),
      (error) => {
        outStreams.delete(id)
        if (!out.call.reason) reply(id, error, 'serr')
      },
    )
  }

  const produce = async (id: number, ch: string, def: StreamDef, raw: unknown, out: OutStream) => {
    const stats = stat(ch)
    const producer = registry.producer(ch)
    const parsed = producer ? safeParse(def.request, raw) : undefined
    if (!producer || !parsed?.success) {
      outStreams.delete(id)
      rejected++
      stats.rejected++
      if (out.call.reason) return
      reply(
        id,
        producer && parsed && !parsed.success
          ? toValidationError(`Invalid request for '${ch}'`, parsed.error)
          : new NotFoundError(`No producer for '${ch}'`, { channel: ch }),
        'serr',
      )
      return
    }
    stats.received++
    let iterator: Iterator<unknown> | AsyncIterator<unknown> | undefined
    try {
      const iterable = producer(parsed.data, out.call)
      iterator =
        Symbol.asyncIterator in iterable
          ? (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]()
          : (iterable as Iterable<unknown>)[Symbol.iterator]()
      for (;;) {
        if (out.credit <= 0 && !out.call.reason)
          await new Promise<void>((resolve) => (out.wake = resolve))
        if (out.call.reason) break
        const next = await iterator.next()
        if (out.call.reason) break
        if (next.done) {
          sendNow({ k: 'send', id })
          return
        }
        const size = sizeOf(ch, next.value, def.maxPayloadBytes ?? maxBytes)
        if (typeof size !== 'number') throw size
        stats.sent++
        stats.bytesOut += size
        out.credit--
        sendNow({ k: 'sitem', id, v: next.value })
      }
      await iterator.return?.()
    } catch (error) {
      stats.errors++
      if (!out.call.reason) reply(id, error, 'serr')
      else void Promise.resolve(iterator?.return?.()).catch(() => undefined)
    } finally {
      outStreams.delete(id)
    }
  }

  const endInStream = (id: number, s: InStream, error?: unknown) => {
    if (s.finished) return
    s.finished = true
    s.error = error
    inStreams.delete(id)
    s.detach?.()
    const waiter = s.waiter
    s.waiter = undefined
    if (!waiter) return
    if (error !== undefined) waiter.reject(error)
    else waiter.resolve({ value: undefined, done: true })
  }

  const grant = (id: number, s: InStream) => {
    if (s.finished) return
    const held = s.outstanding + s.buffer.length
    if (held * 2 > s.hwm) return
    const credit = s.hwm - held
    s.outstanding += credit
    sendNow({ k: 'scredit', id, c: credit })
  }

  const onStreamItem = (id: number, raw: unknown) => {
    const s = inStreams.get(id)
    if (!s) return // late item of a cancelled stream
    const ch = s.stats.channel
    s.outstanding--
    const fail = (error: AppError) => {
      s.stats.errors++
      sendNow({ k: 'scancel', id })
      endInStream(id, s, error)
    }
    if (s.outstanding < 0)
      return fail(new ValidationError(`Stream '${ch}' sent more items than it had credit for`))
    const size = sizeOf(ch, raw, s.def.maxPayloadBytes ?? maxBytes)
    if (typeof size !== 'number') return fail(size)
    s.stats.bytesIn += size
    const parsed = safeParse(s.def.item, raw)
    if (!parsed.success) return fail(toValidationError(`Invalid item from '${ch}'`, parsed.error))
    s.stats.received++
    if (s.waiter) {
      const waiter = s.waiter
      s.waiter = undefined
      waiter.resolve({ value: parsed.data, done: false })
      grant(id, s)
    } else s.buffer.push(parsed.data)
  }

  const openStream = (ch: string, payload: unknown, options: StreamOptions): BusStream<unknown> => {
    const def = defs.get(ch)
    if (!def || def.kind !== 'stream') throw new NotFoundError(`Unknown stream '${ch}'`)
    const id = nextId++
    const hwm = Math.max(
      1,
      Math.floor(options.highWaterMark ?? def.highWaterMark ?? DEFAULT_HIGH_WATER_MARK),
    )
    const stats = stat(ch)
    const s: InStream = {
      def,
      stats,
      hwm,
      buffer: [],
      outstanding: hwm,
      finished: false,
      error: undefined,
      waiter: undefined,
      detach: undefined,
    }
    const cancel = (error?: AppError) => {
      if (s.finished) return
      sendNow({ k: 'scancel', id })
      endInStream(id, s, error)
    }
    const size = closed
      ? new CancelledError('Endpoint closed')
      : sizeOf(ch, payload, def.maxPayloadBytes ?? maxBytes)
    if (typeof size !== 'number') {
      s.finished = true
      s.error = size
    } else if (options.signal?.aborted) {
      s.finished = true
      s.error = new CancelledError(`Stream '${ch}' cancelled`)
    } else {
      inStreams.set(id, s)
      stats.sent++
      stats.bytesOut += size
      const message: Envelope =
        sender === undefined
          ? { k: 'sopen', id, ch, p: payload, c: hwm }
          : { k: 'sopen', id, ch, p: payload, c: hwm, s: sender }
      if (!post(message))
        endInStream(id, s, new UnavailableError(`Stream '${ch}': other side not ready`))
      const { signal } = options
      if (signal) {
        const onAbort = () => cancel(new CancelledError(`Stream '${ch}' cancelled`))
        signal.addEventListener('abort', onAbort, { once: true })
        s.detach = () => signal.removeEventListener('abort', onAbort)
      }
    }
    return {
      cancel: () => cancel(),
      [Symbol.asyncIterator]: () => ({
        next: () => {
          if (s.buffer.length > 0) {
            const value = s.buffer.shift()
            grant(id, s)
            return Promise.resolve({ value, done: false })
          }
          if (s.finished) {
            const error = s.error
            s.error = undefined // an error is thrown once; then the stream is simply done
            return error !== undefined
              ? Promise.reject(error)
              : Promise.resolve({ value: undefined, done: true })
          }
          return new Promise((resolve, reject) => (s.waiter = { resolve, reject }))
        },
        return: () => {
          cancel()
          s.error = undefined
          return Promise.resolve({ value: undefined, done: true })
        },
      }),
    }
  }

  // --- receiving ------------------------------------------------------------------

  const onMalformed = (raw: unknown) => {
    rejected++
    // Answer when the message at least names a request id, so the caller is not left waiting.
    const m = raw as { k?: unknown; id?: unknown } | null
    const kind = typeof m === 'object' && m !== null ? m.k : undefined
    const id = kind === 'req' || kind === 'sopen' ? m?.id : undefined
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
      reply(
        id,
        new ValidationError('Malformed message', [{ path: '', message: 'Not a bus envelope' }]),
        kind === 'sopen' ? 'serr' : 'err',
      )
    } else logger.warn('malformed message dropped', { endpoint: name })
  }

  const unsubscribe = transport.onMessage((raw) => {
    if (closed) return
    received++
    const message = parseEnvelope(raw)
    if (!message) return onMalformed(raw)
    switch (message.k) {
      case 'req':
        return onRequest(message.id, message.ch, message.p, message.s)
      case 'res':
      case 'err':
        return onResponse(message)
      case 'cancel': {
        const call = active.get(message.id)
        if (call) {
          active.delete(message.id)
          abortCall(call, new CancelledError('Cancelled by caller'))
        }
        return
      }
      case 'evt':
        return onEvents(message.ch, [message.p], message.s)
      case 'evb':
        return onEvents(message.ch, message.ps, message.s)
      case 'hello':
        sendNow({ k: 'welcome' })
        return onPeerReady()
      case 'welcome':
        return onPeerReady()
      case 'ping':
        return sendNow({ k: 'pong', id: message.id })
      case 'pong': {
        const entry = pings.get(message.id)
        if (entry) {
          pings.delete(message.id)
          clock.clearTimeout(entry.timer)
          entry.resolve(now())
        }
        return
      }
      case 'sopen':
        return onStreamOpen(message.id, message.ch, message.p, message.c, message.s)
      case 'sitem':
        return onStreamItem(message.id, message.v)
      case 'send': {
        const s = inStreams.get(message.id)
        if (s) endInStream(message.id, s)
        return
      }
      case 'serr': {
        const s = inStreams.get(message.id)
        if (s) {
          s.stats.errors++
          endInStream(message.id, s, deserializeError(message.e))
        }
        return
      }
      case 'scredit': {
        const out = outStreams.get(message.id)
        if (out) {
          out.credit += message.c
          const wake = out.wake
          out.wake = undefined
          wake?.()
        }
        return
      }
      case 'scancel': {
        const out = outStreams.get(message.id)
        if (out) {
          abortCall(out.call, new CancelledError('Stream cancelled by consumer'))
          const wake = out.wake
          out.wake = undefined
          wake?.()
        }
        return
      }
    }
  })

  if (handshake) sendNow({ k: 'hello' })

  // --- the endpoint ---------------------------------------------------------------

  const endpoint: Endpoint<C> = {
    request(ch, payload, options = {}) {
      const def = defs.get(ch)
      if (!def || def.kind !== 'request')
        return Promise.reject(new NotFoundError(`Unknown channel '${ch}'`, { channel: ch }))
      const call =
        def.idempotent && options.retry !== false
          ? withRetry(ch, def, payload, options)
          : attempt(ch, def, payload, options)
      return call as Promise<ResponseOf<C, typeof ch>>
    },
    stream(ch, payload, options = {}) {
      return openStream(ch, payload, options) as BusStream<StreamItemOf<C, typeof ch>>
    },
    handle: (ch, handler) => registry.handle(ch, handler),
    handleAll(handlers) {
      for (const [ch, handler] of Object.entries(handlers))
        if (handler) registry.handle(ch as RequestNames<C>, handler as never)
    },
    handleStream: (ch, producer) => registry.handleStream(ch, producer),
    emit: (ch, payload) => emit(ch, payload),
    on(ch, listener, options = {}) {
      const def = defs.get(ch)
      if (!def || def.kind !== 'event') throw new NotFoundError(`Unknown event channel '${ch}'`)
      const { signal } = options
      if (signal?.aborted || closed) return () => undefined
      let set = listeners.get(ch)
      if (!set) listeners.set(ch, (set = new Set()))
      const l = listener as (payload: unknown) => void
      set.add(l)
      const off = () => {
        signal?.removeEventListener('abort', off)
        const current = listeners.get(ch)
        if (!current) return
        current.delete(l)
        if (current.size === 0) listeners.delete(ch)
      }
      signal?.addEventListener('abort', off, { once: true })
      return off
    },
    flush() {
      for (const [ch, batch] of [...batches]) flushBatch(ch, batch)
    },
    ping(timeoutMs = 5000) {
      if (closed) return Promise.reject(new CancelledError('Endpoint closed'))
      const id = nextId++
      const t0 = now()
      return new Promise<number>((resolve, reject) => {
        const timer = clock.setTimeout(() => {
          pings.delete(id)
          reject(new TimeoutError(`No answer to ping within ${timeoutMs} ms`, { timeoutMs }))
        }, timeoutMs)
        pings.set(id, { resolve: (t) => resolve(t - t0), reject, timer })
        if (!post({ k: 'ping', id })) {
          pings.delete(id)
          clock.clearTimeout(timer)
          reject(new UnavailableError('Other side not ready'))
        }
      })
    },
    get connected() {
      return peerReady
    },
    stats() {
      let count = 0
      for (const set of listeners.values()) count += set.size
      return {
        pendingRequests: pending.size,
        activeHandlers: active.size,
        eventListeners: count,
        openStreams: inStreams.size + outStreams.size,
        queued: outbox.length,
        timers: (deadlineTimer === undefined ? 0 : 1) + batches.size + sleepers.size + pings.size,
        received,
        rejected,
      }
    },
    metrics() {
      const s = endpoint.stats()
      return {
        endpoint: name,
        at: clock.now(),
        pendingRequests: s.pendingRequests,
        queuedRequests: outbox.filter((o) => o.message.k === 'req').length,
        activeHandlers: s.activeHandlers,
        eventListeners: s.eventListeners,
        openStreams: s.openStreams,
        received,
        rejected,
        channels: [...channelStats.values()].map((c) => c.snapshot()),
      }
    },
    close() {
      if (closed) return
      try {
        endpoint.flush()
      } catch (error) {
        logger.warn('final event flush failed', { endpoint: name, error: String(error) })
      }
      const reason = new CancelledError('Endpoint closed')
      for (const id of [...pending.keys()]) settle(id, reason)
      for (const call of active.values()) abortCall(call, reason)
      active.clear()
      for (const out of outStreams.values()) {
        abortCall(out.call, reason)
        out.wake?.()
      }
      outStreams.clear()
      for (const [id, s] of [...inStreams]) endInStream(id, s, reason)
      for (const entry of [...sleepers]) entry.reject(reason)
      for (const entry of pings.values()) {
        clock.clearTimeout(entry.timer)
        entry.reject(reason)
      }
      pings.clear()
      if (deadlineTimer !== undefined) clock.clearTimeout(deadlineTimer)
      deadlineTimer = undefined
      deadlineAt = Infinity
      listeners.clear()
      outbox = []
      closed = true
      unsubscribe()
      transport.close()
    },
  }
  return endpoint
}

/** Converts a zod error into a {@link ValidationError} with field paths. */
export function toValidationError(message: string, error: core.$ZodError): ValidationError {
  const issues: FieldIssue[] = error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
  const first = issues[0]
  const summary = first
    ? `${message}: ${first.path ? `${first.path}: ` : ''}${first.message}`
    : message
  return new ValidationError(summary, issues)
}

function sendFailure(ch: string, error: unknown): AppError {
  return isDataCloneError(error)
    ? new ValidationError(`Request '${ch}' holds data that cannot be sent`)
    : new PayloadTooLargeError(`Request '${ch}' could not be sent`)
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

function isDataCloneError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'DataCloneError'
  )
}
