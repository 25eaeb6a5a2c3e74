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

  async append(docId: string, update: Uint8Array): Promise<number> {
    this.check()
    const seq = ++this.seq
    let log = this.docs.get(docId)
    if (!log) this.docs.set(docId, (log = []))
    log.push({ seq, update: update.slice() })
    return seq
  }

  async load(docId: string): Promise<StoredUpdates> {
    this.check()
    const log = this.docs.get(docId) ?? []
    return { updates: log.map((e) => e.update.slice()), cursor: log.at(-1)?.seq ?? null }
  }

  async compact(docId: string, merged: Uint8Array, cursor: number): Promise<void> {
    this.check()
    const log = this.docs.get(docId) ?? []
    const later = log.filter((e) => e.seq > cursor)
    this.docs.set(docId, [{ seq: cursor, update: merged.slice() }, ...later])
  }

  async list(): Promise<string[]> {
    this.check()
    return [...this.docs.keys()].sort()
  }

  async delete(docId: string): Promise<void> {
    this.check()
    this.docs.delete(docId)
  }

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

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const value = this.values.get(key)
    return value === undefined ? undefined : (structuredClone(value) as T)
  }

  async set(key: string, value: unknown): Promise<void> {
    this.values.set(key, structuredClone(value))
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key)
  }
}
