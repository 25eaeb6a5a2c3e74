/**
 * One loaded CRDT document and its persistence: local updates are coalesced per tick,
 * appended to the {@link DocumentStore}, and only once durable fanned out to the other
 * engines sharing the store, so no engine ever holds a change that could vanish.
 */
import * as Y from 'yjs'
import type { DocumentStore, Logger, UpdateBroadcast } from '../ports.ts'

/** Origin of updates that arrived from another engine or from storage: never re-persisted. */
export const REMOTE_ORIGIN = Symbol('remote')

/** How many stored updates a document may accumulate before it is compacted. */
const COMPACT_AFTER = 64

/** Dependencies of a {@link DocHandle}. */
export interface DocHandleComponents {
  documents: DocumentStore
  broadcast?: UpdateBroadcast | undefined
  logger: Logger
}

/** A loaded document with write-behind persistence. */
export class DocHandle {
  readonly doc = new Y.Doc({ gc: true })
  private queue: Uint8Array[] = []
  private flushing: Promise<void> = Promise.resolve()
  private scheduled = false
  private appendsSinceCompact = 0
  private failure: unknown = null

  readonly id: string
  private readonly components: DocHandleComponents
  private readonly listeners = new Set<(update: Uint8Array, origin: unknown) => void>()

  private constructor(id: string, components: DocHandleComponents) {
    this.id = id
    this.components = components
    this.doc.on('update', this.onDocUpdate)
  }

  // The document's only `update` listener (see `applyKnown`): saves, then tells listeners.
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE_ORIGIN) {
      this.queue.push(update)
      this.schedule()
    }
    for (const listener of this.listeners) listener(update, origin)
  }

  /** Every change of the document with its origin (use this, not the doc's `update`). */
  onUpdate(listener: (update: Uint8Array, origin: unknown) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Applies an update whose bytes are at hand (a peer's, checked; another engine's):
   * saved and announced as those very bytes. With no `update` listener on the document
   * while it applies, Yjs does not encode the change a second time — a quarter of the
   * work of a large update (a 10,000-track join).
   */
  applyKnown(update: Uint8Array, origin: unknown): void {
    this.doc.off('update', this.onDocUpdate)
    try {
      Y.applyUpdate(this.doc, update, origin)
    } finally {
      this.doc.on('update', this.onDocUpdate)
    }
    // Had it failed, part of it might be in the document, and nothing of it saved: the
    // caller then drops this handle and opens the document again from storage.
    this.onDocUpdate(update, origin)
  }

  /** Loads `id` from storage (empty if unknown), compacting a long update log. */
  static async open(id: string, components: DocHandleComponents): Promise<DocHandle> {
    const handle = new DocHandle(id, components)
    const stored = await components.documents.load(id)
    Y.transact(
      handle.doc,
      () => {
        for (const update of stored.updates) Y.applyUpdate(handle.doc, update, REMOTE_ORIGIN)
      },
      REMOTE_ORIGIN,
    )
    handle.appendsSinceCompact = stored.updates.length
    if (stored.updates.length > COMPACT_AFTER) await handle.compact()
    return handle
  }

  /** Applies an update that another engine already made durable. */
  applyRemote(update: Uint8Array): void {
    this.applyKnown(update, REMOTE_ORIGIN)
  }

  /** Resolves once every local change made so far is durable; rejects if writing failed. */
  async flush(): Promise<void> {
    if (this.queue.length > 0) this.kick()
    await this.flushing
    if (this.failure) {
      const error = this.failure
      this.failure = null
      throw error
    }
  }

  private schedule() {
    if (this.scheduled) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      if (this.queue.length > 0) this.kick()
    })
  }

  private kick() {
    const batch = this.queue
    this.queue = []
    const update = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch)
    this.flushing = this.flushing.then(async () => {
      try {
        await this.components.documents.append(this.id, update)
      } catch (error) {
        // Kept, to be written with the next change or flush: nothing is dropped.
        this.queue.unshift(update)
        this.failure = error
        this.components.logger.error('saving a document failed', {
          docId: this.id,
          error: String(error),
        })
        return
      }
      // Saved: what fails from here on is not a lost write, and is not written again.
      try {
        this.components.broadcast?.post(this.id, update)
      } catch (error) {
        this.components.logger.warn('telling other tabs of a change failed', {
          docId: this.id,
          error: String(error),
        })
      }
      if (++this.appendsSinceCompact > COMPACT_AFTER) await this.compact()
    })
  }

  /**
   * Replaces the stored log with one snapshot. It merges exactly what storage holds up to
   * the cursor — not this engine's in-memory state — so another tab's concurrent append
   * can never be swept away by a snapshot that lacks it.
   */
  private async compact() {
    const { documents, logger } = this.components
    try {
      const stored = await documents.load(this.id)
      if (stored.cursor === null || stored.updates.length < 2) return
      const scratch = new Y.Doc({ gc: true })
      for (const update of stored.updates) Y.applyUpdate(scratch, update)
      await documents.compact(this.id, Y.encodeStateAsUpdate(scratch), stored.cursor)
      scratch.destroy()
      this.appendsSinceCompact = 1
    } catch (error) {
      logger.warn('compaction failed; the log stays as it is', {
        docId: this.id,
        error: String(error),
      })
    }
  }

  destroy(): void {
    this.doc.destroy()
  }
}
