/**
 * Contracts: a map of channel name → zod schemas and policy, declared once and shared
 * by both ends. Requests have a request and response schema, events a payload schema,
 * streams a request and an item schema. Names are `'domain/verb'`; events past tense.
 */
import type * as z from 'zod/mini'

/** Any zod schema (classic or mini: both are zod core schemas). */
export type Schema = z.core.$ZodType

/** A token bucket: `burst` calls at once, refilled at `perSecond` (per channel and sender). */
export interface RateLimitPolicy {
  /** Tokens added per second (may be fractional: 1/60 is one a minute). */
  perSecond: number
  /** Bucket size: how many calls may arrive at once. */
  burst: number
}

/** Exponential backoff with full jitter, for idempotent requests only. */
export interface RetryPolicy {
  /** Total attempts including the first (default 3). */
  attempts?: number
  /** Delay before the first retry, before jitter (default 100 ms). */
  baseDelayMs?: number
  /** Upper bound of any one delay (default 2 s). */
  maxDelayMs?: number
}

/** What every channel may declare. */
export interface ChannelPolicy {
  /** Token bucket applied where the message is received, per channel and sender. */
  rateLimit?: RateLimitPolicy
  /** Largest payload accepted, estimated in bytes (default: the endpoint's limit). */
  maxPayloadBytes?: number
}

/** Per-channel policy for requests. */
export interface RequestPolicy extends ChannelPolicy {
  /** How long the caller waits for an answer, per attempt (default 10 s). */
  timeoutMs?: number
  /** Safe to repeat: the bus retries it on a retryable failure. Never retried otherwise. */
  idempotent?: boolean
  /** Backoff of the retries of an idempotent request. */
  retry?: RetryPolicy
}

/** Coalescing of a high-frequency event channel. */
export interface BatchPolicy {
  /** A batch is sent as soon as it holds this many events (default 64). */
  maxSize?: number
  /** No event waits longer than this for its batch (default 16 ms). */
  maxWaitMs?: number
  /** A batch is sent once no event came for this long (default 2 ms). */
  idleMs?: number
}

/** Per-channel policy for events. */
export interface EventPolicy extends ChannelPolicy {
  /** Coalesce bursts into batches (unpacked in order on the other side). */
  batch?: BatchPolicy
}

/** Per-channel policy for streams. */
export interface StreamPolicy extends ChannelPolicy {
  /** Items the consumer may buffer (its credit window, default 16). */
  highWaterMark?: number
}

/** A request/response channel. */
export interface RequestDef<
  Req extends Schema = Schema,
  Res extends Schema = Schema,
> extends RequestPolicy {
  readonly kind: 'request'
  readonly request: Req
  readonly response: Res
}

/** A one-way event channel. */
export interface EventDef<P extends Schema = Schema> extends EventPolicy {
  readonly kind: 'event'
  readonly payload: P
}

/** A stream channel: one request, then items with backpressure until the end. */
export interface StreamDef<
  Req extends Schema = Schema,
  Item extends Schema = Schema,
> extends StreamPolicy {
  readonly kind: 'stream'
  readonly request: Req
  readonly item: Item
}

/** Any channel. */
export type ChannelDef = RequestDef | EventDef | StreamDef

/** A contract: every channel one boundary speaks. */
export type Contract = Record<string, ChannelDef>

/**
 * A channel's schema, or a function that builds it. Built on first use: a page that
 * loads a contract of many channels then builds only the schemas of the channels it
 * uses (building zod schemas is most of what evaluating a contract module costs, on
 * the main thread while the app starts).
 */
export type SchemaSource<S extends Schema> = S | (() => S)

function built<S extends Schema>(source: SchemaSource<S>): () => S {
  if (typeof source !== 'function') return () => source
  let schema: S | undefined
  return () => (schema ??= source())
}

/** `def` with each of `schemas` as a property built on first read. */
function withSchemas<D extends ChannelDef>(
  def: Omit<D, 'request' | 'response' | 'payload' | 'item'>,
  schemas: Record<string, SchemaSource<Schema>>,
): D {
  for (const [key, source] of Object.entries(schemas))
    Object.defineProperty(def, key, { get: built(source), enumerable: true })
  return def as D
}

/** Declares a request channel. */
export function request<Req extends Schema, Res extends Schema>(
  requestSchema: SchemaSource<Req>,
  responseSchema: SchemaSource<Res>,
  policy: RequestPolicy = {},
): RequestDef<Req, Res> {
  return withSchemas(
    { kind: 'request', ...policy },
    { request: requestSchema, response: responseSchema },
  )
}

/** Declares an event channel. */
export function event<P extends Schema>(
  payload: SchemaSource<P>,
  policy: EventPolicy = {},
): EventDef<P> {
  return withSchemas({ kind: 'event', ...policy }, { payload })
}

/** Declares a stream channel: a request answered by a sequence of items. */
export function stream<Req extends Schema, Item extends Schema>(
  requestSchema: SchemaSource<Req>,
  itemSchema: SchemaSource<Item>,
  policy: StreamPolicy = {},
): StreamDef<Req, Item> {
  return withSchemas({ kind: 'stream', ...policy }, { request: requestSchema, item: itemSchema })
}

/** `'domain/verb'`: lower camel case words, one slash. */
const CHANNEL_NAME = /^[a-z][a-zA-Z0-9]*\/[a-z][a-zA-Z0-9]*$/

/**
 * Checks a contract once, at start-up: channel names are `'domain/verb'` and every
 * policy number is sane. Throws a `TypeError` naming the channel otherwise.
 */
export function defineContract<C extends Contract>(contract: C): C {
  for (const [name, def] of Object.entries(contract)) {
    if (!CHANNEL_NAME.test(name)) throw new TypeError(`Channel '${name}' is not 'domain/verb'`)
    const positive = (value: number | undefined, what: string) => {
      if (value !== undefined && !(value > 0 && Number.isFinite(value)))
        throw new TypeError(`Channel '${name}': ${what} must be a positive number`)
    }
    positive(def.maxPayloadBytes, 'maxPayloadBytes')
    positive(def.rateLimit?.perSecond, 'rateLimit.perSecond')
    positive(def.rateLimit?.burst, 'rateLimit.burst')
    if (def.kind === 'request') {
      positive(def.timeoutMs, 'timeoutMs')
      positive(def.retry?.attempts, 'retry.attempts')
      if (def.retry && !def.idempotent)
        throw new TypeError(`Channel '${name}': only idempotent requests may declare retry`)
    } else if (def.kind === 'event') {
      positive(def.batch?.maxSize, 'batch.maxSize')
      positive(def.batch?.maxWaitMs, 'batch.maxWaitMs')
    } else {
      positive(def.highWaterMark, 'highWaterMark')
    }
  }
  return contract
}

/** Names of the request channels of `C`. */
export type RequestNames<C extends Contract> = {
  [K in keyof C]: C[K] extends RequestDef ? K : never
}[keyof C] &
  string

/** Names of the event channels of `C`. */
export type EventNames<C extends Contract> = {
  [K in keyof C]: C[K] extends EventDef ? K : never
}[keyof C] &
  string

/** Names of the stream channels of `C`. */
export type StreamNames<C extends Contract> = {
  [K in keyof C]: C[K] extends StreamDef ? K : never
}[keyof C] &
  string

/** What the caller passes for request `K` (before defaults are applied). */
export type RequestIn<C extends Contract, K extends RequestNames<C>> =
  C[K] extends RequestDef<infer Req> ? z.input<Req> : never
/** What the handler receives for request `K` (after parsing). */
export type RequestOf<C extends Contract, K extends RequestNames<C>> =
  C[K] extends RequestDef<infer Req> ? z.output<Req> : never
/** What request `K` answers. */
export type ResponseOf<C extends Contract, K extends RequestNames<C>> =
  C[K] extends RequestDef<Schema, infer Res> ? z.output<Res> : never
/** Payload of event `K`. */
export type EventOf<C extends Contract, K extends EventNames<C>> =
  C[K] extends EventDef<infer P> ? z.output<P> : never
/** What the caller passes to open stream `K`. */
export type StreamIn<C extends Contract, K extends StreamNames<C>> =
  C[K] extends StreamDef<infer Req> ? z.input<Req> : never
/** What the producer of stream `K` receives. */
export type StreamRequestOf<C extends Contract, K extends StreamNames<C>> =
  C[K] extends StreamDef<infer Req> ? z.output<Req> : never
/** One item of stream `K` as the consumer sees it. */
export type StreamItemOf<C extends Contract, K extends StreamNames<C>> =
  C[K] extends StreamDef<Schema, infer Item> ? z.output<Item> : never
/** One item of stream `K` as the producer yields it. */
export type StreamItemIn<C extends Contract, K extends StreamNames<C>> =
  C[K] extends StreamDef<Schema, infer Item> ? z.input<Item> : never
