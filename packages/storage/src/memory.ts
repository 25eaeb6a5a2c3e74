/**
 * In-memory adapters for unit tests. They honour the same contract as the durable ones
 * (the compliance suite runs against both) and copy bytes in and out, so callers cannot
 * mutate stored data by accident.
 */
import { StorageError } from '@whatnext/core/errors'
import type { DocumentStore, KeyValueStore, StoredUpdates } from '@whatnext/core/ports'

/** A {@link DocumentStore} kept in memory. */
export class MemoryDocumentStore implements DocumentStore {
  private readonly docs = new Map<string, { seq: number; update: Uint8Array }[]>()
  private seq = 0
  private closed = false

  /** Appends a copy of `update`; positions count up from 1 across all documents. */
  async append(docId: string, update: Uint8Array): Promise<number> {
    this.check()
    const seq = ++this.seq
    let log = this.docs.get(docId)
    if (!log) this.docs.set(docId, (log = []))
    log.push({ seq, update: update.slice() })
    return seq
  }

  /** Copies of `docId`'s updates in append order. */
  async load(docId: string): Promise<StoredUpdates> {
    this.check()
    const log = this.docs.get(docId) ?? []
    return { updates: log.map((e) => e.update.slice()), cursor: log.at(-1)?.seq ?? null }
  }

  /** Same contract as {@link DocumentStore.compact}, including the no-op and foreign-cursor cases. */
  async compact(docId: string, merged: Uint8Array, cursor: number): Promise<void> {
    this.check()
    for (const [id, entries] of this.docs)
      if (id !== docId && entries.some((e) => e.seq === cursor))
        throw new StorageError('Could not compact a playlist: the cursor is not from it', {
          cause: 'ForeignCursor',
          operation: 'compact a playlist',
        })
    const log = this.docs.get(docId) ?? []
    // Nothing left at or before the cursor: another writer compacted further, or the
    // document was deleted. Either way `merged` adds nothing and must not resurrect it.
    if (!log.some((e) => e.seq <= cursor)) return
    const later = log.filter((e) => e.seq > cursor)
    this.docs.set(docId, [{ seq: cursor, update: merged.slice() }, ...later])
  }

  /** Ids of documents with at least one update, sorted. */
  async list(): Promise<string[]> {
    this.check()
    return [...this.docs.keys()].sort()
  }

  /** Forgets `docId`; unknown documents are a no-op. */
  async delete(docId: string): Promise<void> {
    this.check()
    this.docs.delete(docId)
  }

  /** Marks the store closed; later calls fail with `StorageError`. */
  async close(): Promise<void> {
    this.closed = true
  }

  private check() {
    if (this.closed) throw new StorageError('The document store is closed')
  }
}

/** A {@link KeyValueStore} kept in memory (values are structured-cloned). */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, unknown>()

  /** A copy of the value under `key`, or `undefined`. */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    const value = this.values.get(key)
    return value === undefined ? undefined : (structuredClone(value) as T)
  }

  /** Stores a copy of `value` under `key`. */
  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value))
  }

  /** Removes `key`; unknown keys are a no-op. */
  async delete(key: string): Promise<void> {
    this.values.delete(key)
  }
}
