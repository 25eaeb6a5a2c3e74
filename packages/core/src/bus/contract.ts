/**
 * Contracts: a map of channel name → zod schemas and policy, declared once and shared
 * by both ends. Requests have a request and response schema; events have a payload
 * schema. Names are `'domain/verb'` for requests and past tense for events.
 */
import type { z } from 'zod'

/** Per-channel policy for requests. */
export interface RequestPolicy {
  /** How long the caller waits for an answer (default 10 s). */
  timeoutMs?: number
  /** Safe to repeat: the bus may retry it on a retryable failure. */
  idempotent?: boolean
}

/** A request/response channel. */
export interface RequestDef<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
> extends RequestPolicy {
  readonly kind: 'request'
  readonly request: Req
  readonly response: Res
}

/** A one-way event channel. */
export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event'
  readonly payload: P
}

/** A contract: every channel one boundary speaks. */
export type Contract = Record<string, RequestDef | EventDef>

/** Declares a request channel. */
export function request<Req extends z.ZodType, Res extends z.ZodType>(
  requestSchema: Req,
  responseSchema: Res,
  policy: RequestPolicy = {},
): RequestDef<Req, Res> {
  return { kind: 'request', request: requestSchema, response: responseSchema, ...policy }
}

/** Declares an event channel. */
export function event<P extends z.ZodType>(payload: P): EventDef<P> {
  return { kind: 'event', payload }
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

/** What the caller passes for request `K` (before defaults are applied). */
export type RequestIn<C extends Contract, K extends RequestNames<C>> =
  C[K] extends RequestDef<infer Req> ? z.input<Req> : never
/** What the handler receives for request `K` (after parsing). */
export type RequestOf<C extends Contract, K extends RequestNames<C>> =
  C[K] extends RequestDef<infer Req> ? z.output<Req> : never
/** What request `K` answers. */
export type ResponseOf<C extends Contract, K extends RequestNames<C>> =
  C[K] extends RequestDef<z.ZodType, infer Res> ? z.output<Res> : never
/** Payload of event `K`. */
export type EventOf<C extends Contract, K extends EventNames<C>> =
  C[K] extends EventDef<infer P> ? z.output<P> : never
