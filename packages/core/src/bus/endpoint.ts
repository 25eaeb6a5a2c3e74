/**
 * An endpoint speaks one {@link Contract} over one {@link Transport}: it calls the
 * other side's handlers (`request`), serves its own (`handle`), and publishes and
 * listens to events. Every message is validated where it is received — the envelope
 * first, then the channel's schema — and nothing but plain data crosses the boundary.
 */
import { z } from 'zod'
import {
  AppError,
  CancelledError,
  NotFoundError,
  PayloadTooLargeError,
  TimeoutError,
  ValidationError,
  deserializeError,
  serializeError,
  type FieldIssue,
  type SerializedError,
} from '../errors.ts'
import type { Clock, Logger } from '../ports.ts'
import { silentLogger } from '../ports.ts'
import type {
  Contract,
  EventDef,
  EventNames,
  EventOf,
  RequestDef,
  RequestIn,
  RequestNames,
  RequestOf,
  ResponseOf,
} from './contract.ts'
import type { Transport } from './transport.ts'

/** Default time a request may take before the caller gets a `TimeoutError`. */
export const DEFAULT_TIMEOUT_MS = 10_000

const MAX_CHANNEL_CHARS = 128

const SerializedErrorSchema = z.object({
  name: z.string().max(200),
  code: z.string().max(200),
  message: z.string().max(10_000),
  retryable: z.boolean(),
  details: z.record(z.string(), z.unknown()).optional(),
  stack: z.string().optional(),
})

const id = z.number().int().nonnegative()
const channel = z.string().min(1).max(MAX_CHANNEL_CHARS)

/** The wire envelope. PERSISTED NAMES: both ends of a boundary must agree on these keys. */
const EnvelopeSchema = z.discriminatedUnion('k', [
  z.object({ k: z.literal('req'), id, ch: channel, p: z.unknown() }),
  z.object({ k: z.literal('res'), id, v: z.unknown() }),
  z.object({ k: z.literal('err'), id, e: SerializedErrorSchema }),
  z.object({ k: z.literal('cancel'), id }),
  z.object({ k: z.literal('evt'), ch: channel, p: z.unknown() }),
])
type Envelope = z.infer<typeof EnvelopeSchema>

/** Context a handler receives. */
export interface HandlerContext {
  /** Aborted when the caller cancels or gives up (timeout). */
  signal: AbortSignal
}

/** Serves one request channel. */
export type Handler<C extends Contract, K extends RequestNames<C>> = (
  payload: RequestOf<C, K>,
  context: HandlerContext,
) => ResponseOf<C, K> | Promise<ResponseOf<C, K>>

/** Options of one call. */
export interface RequestOptions {
  signal?: AbortSignal
  /** Overrides the channel's timeout. */
  timeoutMs?: number
  /** Transferable objects in the payload (e.g. a file's ArrayBuffer). */
  transfer?: readonly unknown[]
}

/** Dependencies of an endpoint. */
export interface EndpointComponents {
  transport: Transport
  clock: Clock
  logger?: Logger
}

/** Options of an endpoint. */
export interface EndpointInit {
  /** Names this side in logs. */
  name?: string
  /** Include messages and stacks of unexpected errors in replies (development only). */
  exposeInternals?: boolean
  /**
   * Requests received before this settles wait for it (e.g. while the engine opens its
   * storage) instead of failing; if it rejects, they are answered with its error.
   */
  ready?: Promise<unknown>
}

/** Counters the diagnostics view reads. */
export interface EndpointStats {
  pendingRequests: number
  activeHandlers: number
  eventListeners: number
  received: number
  rejected: number
}

/** One side of a typed boundary. */
export interface Endpoint<C extends Contract> {
  request<K extends RequestNames<C>>(
    channel: K,
    payload: RequestIn<C, K>,
    options?: RequestOptions,
  ): Promise<ResponseOf<C, K>>
  handle<K extends RequestNames<C>>(channel: K, handler: Handler<C, K>): void
  emit<K extends EventNames<C>>(channel: K, payload: EventOf<C, K>): void
  on<K extends EventNames<C>>(channel: K, listener: (payload: EventOf<C, K>) => void): () => void
  stats(): EndpointStats
  close(): void
}

interface Pending {
  resolve(value: unknown): void
  reject(error: unknown): void
  def: RequestDef
  cleanup(): void
}

/** Creates an endpoint for `contract` over `components.transport`. */
export function createEndpoint<C extends Contract>(
  contract: C,
  components: EndpointComponents,
  init: EndpointInit = {},
): Endpoint<C> {
  const { transport, clock } = components
  const logger = components.logger ?? silentLogger
  const name = init.name ?? 'endpoint'
  const defs = new Map<string, RequestDef | EventDef>(Object.entries(contract))
  const handlers = new Map<string, Handler<C, RequestNames<C>>>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const pending = new Map<number, Pending>()
  const active = new Map<number, AbortController>()
  let nextId = 0
  let closed = false
  let received = 0
  let rejected = 0

  const send = (message: Envelope, transfer?: readonly unknown[]) => {
    if (!closed) transport.send(message, transfer)
  }

  const reply = (reqId: number, error: unknown) => {
    if (!(error instanceof AppError))
      logger.error('handler failed', { endpoint: name, error: String(error) })
    send({ k: 'err', id: reqId, e: serializeError(error, init.exposeInternals) })
  }

  const ready = init.ready ?? Promise.resolve()
  // Keeps an unobserved rejection from being reported before the first request.
  ready.catch(() => undefined)

  const onRequest = async (reqId: number, ch: string, raw: unknown) => {
    try {
      await ready
    } catch (error) {
      reply(reqId, error)
      return
    }
    const def = defs.get(ch)
    const handler = handlers.get(ch)
    if (!def || def.kind !== 'request' || !handler) {
      rejected++
      reply(reqId, new NotFoundError(`Unknown channel '${ch}'`, { channel: ch }))
      return
    }
    const parsed = def.request.safeParse(raw)
    if (!parsed.success) {
      rejected++
      reply(reqId, toValidationError(`Invalid request for '${ch}'`, parsed.error))
      return
    }
    const controller = new AbortController()
    active.set(reqId, controller)
    try {
      const value = await handler(parsed.data as never, { signal: controller.signal })
      if (controller.signal.aborted) return
      send({ k: 'res', id: reqId, v: value })
    } catch (error) {
      if (!controller.signal.aborted) reply(reqId, error)
    } finally {
      active.delete(reqId)
    }
  }

  const onResponse = (message: Extract<Envelope, { k: 'res' | 'err' }>) => {
    const entry = pending.get(message.id)
    if (!entry) return // late answer to a call that already timed out or was cancelled
    pending.delete(message.id)
    entry.cleanup()
    if (message.k === 'err') {
      entry.reject(deserializeError(message.e as SerializedError))
      return
    }
    const parsed = entry.def.response.safeParse(message.v)
    if (parsed.success) entry.resolve(parsed.data)
    else entry.reject(toValidationError('Invalid response', parsed.error))
  }

  const onEvent = (ch: string, raw: unknown) => {
    const def = defs.get(ch)
    const set = listeners.get(ch)
    if (!def || def.kind !== 'event') {
      rejected++
      logger.warn('event on unknown channel dropped', { endpoint: name, channel: ch })
      return
    }
    if (!set || set.size === 0) return
    const parsed = def.payload.safeParse(raw)
    if (!parsed.success) {
      rejected++
      logger.warn('invalid event dropped', { endpoint: name, channel: ch })
      return
    }
    for (const listener of [...set]) {
      try {
        listener(parsed.data)
      } catch (error) {
        logger.error('event listener threw', { endpoint: name, channel: ch, error: String(error) })
      }
    }
  }

  const unsubscribe = transport.onMessage((raw) => {
    received++
    const parsed = EnvelopeSchema.safeParse(raw)
    if (!parsed.success) {
      rejected++
      // Answer when the message at least names a request id, so the caller is not left waiting.
      const maybeId = (raw as { k?: unknown; id?: unknown } | null)?.id
      if ((raw as { k?: unknown } | null)?.k === 'req' && id.safeParse(maybeId).success) {
        reply(maybeId as number, toValidationError('Malformed message', parsed.error))
      } else {
        logger.warn('malformed message dropped', { endpoint: name })
      }
      return
    }
    const message = parsed.data
    switch (message.k) {
      case 'req':
        void onRequest(message.id, message.ch, message.p)
        break
      case 'res':
      case 'err':
        onResponse(message)
        break
      case 'cancel':
        active.get(message.id)?.abort(new CancelledError('Cancelled by caller'))
        active.delete(message.id)
        break
      case 'evt':
        onEvent(message.ch, message.p)
        break
    }
  })

  return {
    request(ch, payload, options = {}) {
      const def = defs.get(ch)
      if (!def || def.kind !== 'request') {
        return Promise.reject(new NotFoundError(`Unknown channel '${ch}'`, { channel: ch }))
      }
      if (closed) return Promise.reject(new CancelledError('Endpoint closed'))
      const { signal } = options
      if (signal?.aborted) return Promise.reject(new CancelledError('Cancelled before sending'))
      const reqId = nextId++
      const timeoutMs = options.timeoutMs ?? def.timeoutMs ?? DEFAULT_TIMEOUT_MS
      return new Promise((resolve, reject) => {
        const abandon = (error: AppError) => {
          if (!pending.delete(reqId)) return
          cleanup()
          send({ k: 'cancel', id: reqId })
          reject(error)
        }
        const onAbort = () => abandon(new CancelledError(`Request '${ch}' cancelled`))
        const timer = clock.setTimeout(
          () =>
            abandon(
              new TimeoutError(`Request '${ch}' timed out after ${timeoutMs} ms`, {
                channel: ch,
                timeoutMs,
              }),
            ),
          timeoutMs,
        )
        const cleanup = () => {
          clock.clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
        }
        signal?.addEventListener('abort', onAbort, { once: true })
        pending.set(reqId, { resolve: resolve as (v: unknown) => void, reject, def, cleanup })
        try {
          send({ k: 'req', id: reqId, ch, p: payload }, options.transfer)
        } catch (error) {
          pending.delete(reqId)
          cleanup()
          reject(
            isDataCloneError(error)
              ? new ValidationError(`Request '${ch}' holds data that cannot be sent`)
              : new PayloadTooLargeError(`Request '${ch}' could not be sent`),
          )
        }
      })
    },
    handle(ch, handler) {
      const def = defs.get(ch)
      if (!def || def.kind !== 'request')
        throw new NotFoundError(`Cannot handle unknown channel '${ch}'`)
      if (handlers.has(ch)) throw new ValidationError(`Channel '${ch}' already has a handler`)
      handlers.set(ch, handler as unknown as Handler<C, RequestNames<C>>)
    },
    emit(ch, payload) {
      send({ k: 'evt', ch, p: payload })
    },
    on(ch, listener) {
      let set = listeners.get(ch)
      if (!set) listeners.set(ch, (set = new Set()))
      const l = listener as (payload: unknown) => void
      set.add(l)
      return () => {
        set.delete(l)
        if (set.size === 0) listeners.delete(ch)
      }
    },
    stats() {
      let count = 0
      for (const set of listeners.values()) count += set.size
      return {
        pendingRequests: pending.size,
        activeHandlers: active.size,
        eventListeners: count,
        received,
        rejected,
      }
    },
    close() {
      if (closed) return
      for (const entry of pending.values()) {
        entry.cleanup()
        entry.reject(new CancelledError('Endpoint closed'))
      }
      pending.clear()
      for (const c of active.values()) c.abort(new CancelledError('Endpoint closed'))
      active.clear()
      listeners.clear()
      closed = true
      unsubscribe()
      transport.close()
    },
  }
}

/** Converts a zod error into a {@link ValidationError} with field paths. */
export function toValidationError(message: string, error: z.ZodError): ValidationError {
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

function isDataCloneError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'DataCloneError'
  )
}
