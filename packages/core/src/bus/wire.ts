/**
 * The wire envelope and its hand-written check. Every message is checked here before
 * anything else reads it: this runs for every message in both directions, so it is
 * plain property tests rather than a schema library (about 10× cheaper than a zod
 * discriminated union, and exactly as strict about the envelope). Payloads are then
 * validated with the channel's own zod schema by the endpoint.
 *
 * PERSISTED NAMES: both ends of a boundary must agree on the `k` values and keys below;
 * changing them needs both sides upgraded together.
 */
import type { SerializedError } from '../errors.ts'

/** Longest channel name accepted on the wire. */
export const MAX_CHANNEL_CHARS = 128
/** Longest sender id accepted on the wire. */
export const MAX_SENDER_CHARS = 128
/** Most events one batch envelope may carry. */
export const MAX_BATCH_EVENTS = 10_000

/** Every message that crosses a bus boundary. */
export type Envelope =
  /** Handshake: "I am here" (sent once on start); answered with `welcome`. */
  | { k: 'hello' }
  | { k: 'welcome' }
  | { k: 'ping'; id: number }
  | { k: 'pong'; id: number }
  /** A request; `s` names the sender for rate limits. */
  | { k: 'req'; id: number; ch: string; p: unknown; s?: string }
  | { k: 'res'; id: number; v: unknown }
  | { k: 'err'; id: number; e: SerializedError }
  | { k: 'cancel'; id: number }
  | { k: 'evt'; ch: string; p: unknown; s?: string }
  /** A batch of events of one channel, oldest first. */
  | { k: 'evb'; ch: string; ps: unknown[]; s?: string }
  /** Stream open with the consumer's initial credit `c`. */
  | { k: 'sopen'; id: number; ch: string; p: unknown; c: number; s?: string }
  | { k: 'sitem'; id: number; v: unknown }
  | { k: 'send'; id: number }
  | { k: 'serr'; id: number; e: SerializedError }
  /** More credit from the consumer. */
  | { k: 'scredit'; id: number; c: number }
  /** The consumer stopped reading. */
  | { k: 'scancel'; id: number }

/** Envelope kinds. */
export type EnvelopeKind = Envelope['k']

type Loose = Record<string, unknown>

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const isChannel = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_CHANNEL_CHARS
const isSender = (v: unknown) =>
  v === undefined || (typeof v === 'string' && v.length > 0 && v.length <= MAX_SENDER_CHARS)
const isCredit = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v > 0 && v <= 1_000_000

/** Checks a serialized error as strictly as the old zod schema did. */
export function isSerializedError(v: unknown): v is SerializedError {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const e = v as Loose
  return (
    typeof e.name === 'string' &&
    e.name.length <= 200 &&
    typeof e.code === 'string' &&
    e.code.length <= 200 &&
    typeof e.message === 'string' &&
    e.message.length <= 10_000 &&
    typeof e.retryable === 'boolean' &&
    (e.details === undefined ||
      (typeof e.details === 'object' && e.details !== null && !Array.isArray(e.details))) &&
    (e.stack === undefined || typeof e.stack === 'string')
  )
}

/**
 * Returns the message as an {@link Envelope} if it is one, else `undefined`. Never
 * throws, whatever arrives (`null`, primitives, arrays, getters are not possible after
 * a structured clone).
 */
export function parseEnvelope(raw: unknown): Envelope | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const m = raw as Loose
  switch (m.k) {
    case 'req':
      return isId(m.id) && isChannel(m.ch) && 'p' in m && isSender(m.s)
        ? (m as Envelope)
        : undefined
    case 'res':
      return isId(m.id) && 'v' in m ? (m as Envelope) : undefined
    case 'err':
    case 'serr':
      return isId(m.id) && isSerializedError(m.e) ? (m as Envelope) : undefined
    case 'cancel':
    case 'ping':
    case 'pong':
    case 'send':
    case 'scancel':
      return isId(m.id) ? (m as Envelope) : undefined
    case 'evt':
      return isChannel(m.ch) && 'p' in m && isSender(m.s) ? (m as Envelope) : undefined
    case 'evb':
      return isChannel(m.ch) &&
        Array.isArray(m.ps) &&
        m.ps.length > 0 &&
        m.ps.length <= MAX_BATCH_EVENTS &&
        isSender(m.s)
        ? (m as Envelope)
        : undefined
    case 'sopen':
      return isId(m.id) && isChannel(m.ch) && 'p' in m && isCredit(m.c) && isSender(m.s)
        ? (m as Envelope)
        : undefined
    case 'sitem':
      return isId(m.id) && 'v' in m ? (m as Envelope) : undefined
    case 'scredit':
      return isId(m.id) && isCredit(m.c) ? (m as Envelope) : undefined
    case 'hello':
    case 'welcome':
      return m as Envelope
    default:
      return undefined
  }
}

/** Why {@link measure} gave up. */
export const TOO_LARGE = -1
/** Nesting deeper than the limit (or a cycle, which is infinitely deep). */
export const TOO_DEEP = -2

/**
 * Estimates the size of a structured-clonable value in bytes (strings as UTF-16, typed
 * arrays by byteLength, numbers 8, keys counted), stopping early once `maxBytes` or
 * `maxDepth` is passed. Recursion is bounded by `maxDepth`, so deep or cyclic data
 * cannot overflow the stack; a cycle is reported as {@link TOO_DEEP}. Runs on every
 * message received, so it allocates nothing.
 */
export function measure(value: unknown, maxBytes: number, maxDepth = 64): number {
  const bytes = walk(value, maxDepth, maxBytes)
  return bytes > maxBytes ? TOO_LARGE : bytes
}

/** Size of `v`, or a negative sentinel; may return more than `budget` (caller checks). */
function walk(v: unknown, depthLeft: number, budget: number): number {
  if (typeof v !== 'object' || v === null) return primitiveSize(v)
  if (depthLeft === 0) return TOO_DEEP
  let bytes = 8
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const size = walk(v[i], depthLeft - 1, budget - bytes)
      if (size < 0) return size
      bytes += size
      if (bytes > budget) return TOO_LARGE
    }
    return bytes
  }
  if (ArrayBuffer.isView(v)) return v.byteLength
  if (v instanceof ArrayBuffer) return v.byteLength
  if (v instanceof Map || v instanceof Set) {
    for (const entry of v instanceof Map ? v.entries() : v.values()) {
      const size = walk(entry, depthLeft - 1, budget - bytes)
      if (size < 0) return size
      bytes += size
      if (bytes > budget) return TOO_LARGE
    }
    return bytes
  }
  for (const key in v) {
    const size = walk((v as Loose)[key], depthLeft - 1, budget - bytes)
    if (size < 0) return size
    bytes += size + key.length * 2
    if (bytes > budget) return TOO_LARGE
  }
  return bytes
}

function primitiveSize(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return v.length * 2
    case 'boolean':
      return 4
    case 'bigint':
      return 16
    default:
      return 8
  }
}
