/**
 * One handler registry per endpoint: request handlers and stream producers registered
 * against the contract. Mistakes are start-up errors, thrown at registration: an unknown
 * channel, a channel of another kind, or a second handler for one channel.
 */
import { ConflictError, NotFoundError } from '../errors.ts'
import type {
  Contract,
  RequestNames,
  RequestOf,
  ResponseOf,
  StreamItemIn,
  StreamNames,
  StreamRequestOf,
} from './contract.ts'

/** Context a handler or producer receives. */
export interface HandlerContext {
  /** Aborted when the caller cancels or gives up (timeout), or the endpoint closes. */
  readonly signal: AbortSignal
  /** The caller's `senderId`, when it declared one. */
  readonly sender: string | undefined
}

/** Serves one request channel. */
export type Handler<C extends Contract, K extends RequestNames<C>> = (
  payload: RequestOf<C, K>,
  context: HandlerContext,
) => ResponseOf<C, K> | Promise<ResponseOf<C, K>>

/**
 * Produces one stream's items: an async generator is the natural form. It is advanced
 * only while the consumer has credit, so a slow consumer pauses it rather than making
 * it buffer; returning ends the stream, throwing fails it.
 */
export type StreamProducer<C extends Contract, K extends StreamNames<C>> = (
  payload: StreamRequestOf<C, K>,
  context: HandlerContext,
) => AsyncIterable<StreamItemIn<C, K>> | Iterable<StreamItemIn<C, K>>

/** Handlers for several request channels at once. */
export type Handlers<C extends Contract> = { [K in RequestNames<C>]?: Handler<C, K> }

/** Producers for several stream channels at once. */
export type StreamProducers<C extends Contract> = {
  [K in StreamNames<C>]?: StreamProducer<C, K>
}

type AnyHandler = (payload: unknown, context: HandlerContext) => unknown
type AnyProducer = (
  payload: unknown,
  context: HandlerContext,
) => AsyncIterable<unknown> | Iterable<unknown>

/** The registry an endpoint serves from. */
export interface HandlerRegistry<C extends Contract> {
  handle<K extends RequestNames<C>>(channel: K, handler: Handler<C, K>): void
  handleStream<K extends StreamNames<C>>(channel: K, producer: StreamProducer<C, K>): void
  /** The handler of a request channel, if one is registered. */
  handler(channel: string): AnyHandler | undefined
  /** The producer of a stream channel, if one is registered. */
  producer(channel: string): AnyProducer | undefined
  /** Channels that have a handler or producer. */
  channels(): string[]
}

/** Creates an empty registry for `contract`. */
export function createHandlerRegistry<C extends Contract>(contract: C): HandlerRegistry<C> {
  const handlers = new Map<string, AnyHandler>()
  const producers = new Map<string, AnyProducer>()
  const check = (channel: string, kind: 'request' | 'stream') => {
    const def = Object.hasOwn(contract, channel) ? contract[channel] : undefined
    if (!def || def.kind !== kind)
      throw new NotFoundError(
        `Cannot serve '${channel}': the contract has no ${kind} channel so named`,
        {
          channel,
        },
      )
    if (handlers.has(channel) || producers.has(channel))
      throw new ConflictError(`Channel '${channel}' already has a handler`, { channel })
  }
  return {
    handle(channel, handler) {
      check(channel, 'request')
      handlers.set(channel, handler as unknown as AnyHandler)
    },
    handleStream(channel, producer) {
      check(channel, 'stream')
      producers.set(channel, producer as unknown as AnyProducer)
    },
    handler: (channel) => handlers.get(channel),
    producer: (channel) => producers.get(channel),
    channels: () => [...handlers.keys(), ...producers.keys()],
  }
}
