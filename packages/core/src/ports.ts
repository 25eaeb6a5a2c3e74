/**
 * Ports: the small interfaces core declares and hosts fill with adapters
 * (`@whatnext/storage/idb`, `.../memory`, later `.../fs`). Core never reaches for a
 * platform global; everything it needs from the platform arrives through these.
 */

/** What {@link DocumentStore.load} returns: the update log in append order. */
export interface StoredUpdates {
  /** Updates in the order they were appended (a compacted snapshot, if any, first). */
  updates: Uint8Array[]
  /**
   * Opaque position of the newest update returned; pass it to `compact` so updates
   * appended after this load (e.g. by another tab) are never swept away. `null` when empty.
   */
  cursor: number | null
}

/**
 * Durable, append-only storage of CRDT document updates. Several engines (tabs) may
 * share one store: appends never overwrite each other, and `compact` replaces only
 * what the caller has seen.
 */
export interface DocumentStore {
  /** Appends one update; resolves once it is durable. Returns its position. */
  append(docId: string, update: Uint8Array): Promise<number>
  /** Every update of a document, oldest first. Unknown documents load empty. */
  load(docId: string): Promise<StoredUpdates>
  /**
   * Atomically replaces every update at or before `cursor` with `merged` (the merge of
   * exactly those updates). Updates after `cursor` are kept, after `merged`.
   */
  compact(docId: string, merged: Uint8Array, cursor: number): Promise<void>
  /** Ids of all documents that have at least one update. */
  list(): Promise<string[]>
  /** Removes a document and all its updates. */
  delete(docId: string): Promise<void>
  /** Releases the underlying handle; later calls fail with `StorageError`. */
  close(): Promise<void>
}

/** Small durable key → JSON-value store for engine metadata (not for documents). */
export interface KeyValueStore {
  get<T = unknown>(key: string): Promise<T | undefined>
  set(key: string, value: unknown): Promise<void>
  delete(key: string): Promise<void>
}

/** Time, injected so tests control it and hosts can use their own timers. */
export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Levelled, structured logging. */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void
  info(message: string, data?: Record<string, unknown>): void
  warn(message: string, data?: Record<string, unknown>): void
  error(message: string, data?: Record<string, unknown>): void
}

/**
 * Fan-out of document updates to the other engines that share this store (other tabs
 * via BroadcastChannel on the web; later windows/processes). Delivery is best effort:
 * the store is the truth, this only makes other engines see changes at once.
 */
export interface UpdateBroadcast {
  post(docId: string, update: Uint8Array): void
  subscribe(listener: (docId: string, update: Uint8Array) => void): () => void
  close(): void
}

/** The real clock of any JS host (setTimeout exists everywhere; only typing is missing). */
export function systemClock(timers: {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: never): void
}): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => timers.setTimeout(fn, ms),
    clearTimeout: (h) => timers.clearTimeout(h as never),
  }
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
}
