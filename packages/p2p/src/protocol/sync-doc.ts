/**
 * What a sync session needs of a document. A `Y.Doc` in the same thread is one
 * ({@link yDocSync}); in the app it is the engine's copy, reached over the bus, so the
 * page that runs libp2p never decodes or holds a playlist itself (see collab.ts).
 * Methods may answer synchronously or with a promise; a session waits for each answer
 * before it reads the next frame of its stream.
 */
import { AppError, ValidationError, applyChecked, diffOf } from '@whatnext/core'
import * as Y from 'yjs'

/** A listener of {@link SyncDoc.subscribe}. */
export type SyncDocListener = (update: Uint8Array, origin: unknown) => void

/** A document as a sync session sees it. */
export interface SyncDoc {
  /** The document's state vector now. */
  stateVector(): Uint8Array | Promise<Uint8Array>
  /** What the holder of `stateVector` lacks; a `ValidationError` if it is malformed. */
  diff(stateVector: Uint8Array): Uint8Array | Promise<Uint8Array>
  /**
   * Checks a peer's update and applies it; a `ValidationError`, and nothing applied, if
   * it is malformed. Subscribers see it with `origin`.
   */
  apply(update: Uint8Array, origin: unknown): void | Promise<void>
  /** Every change to the document from now on (local ones and applied ones), with its origin. */
  subscribe(listener: SyncDocListener): () => void
}

/** A `Y.Doc` of this thread as a {@link SyncDoc}. */
export function yDocSync(doc: Y.Doc): SyncDoc {
  return {
    stateVector: () => Y.encodeStateVector(doc),
    diff: (stateVector) => diffOf(doc, stateVector),
    apply: (update, origin) => applyChecked(doc, update, origin),
    subscribe(listener) {
      doc.on('update', listener)
      return () => doc.off('update', listener)
    },
  }
}

/** A `SyncDoc` as given, or a `Y.Doc` wrapped. */
export function asSyncDoc(doc: Y.Doc | SyncDoc): SyncDoc {
  return doc instanceof Y.Doc ? yDocSync(doc) : doc
}

/** `error` if it is one of ours, else a `ValidationError` saying `what`. */
export function asAppError(error: unknown, what: string): AppError {
  return error instanceof AppError ? error : new ValidationError(what)
}
