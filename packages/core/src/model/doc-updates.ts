/**
 * Peers' document bytes, checked before they touch a document: whoever applies an update
 * or answers a state vector that came over the network goes through these.
 */
import * as Y from 'yjs'
import { ValidationError } from '../errors.ts'
import { skimsClean } from './update-skim.ts'

/** `update` in an ArrayBuffer of its own (copied if it is a view into a larger one). */
export function ownBuffer(update: Uint8Array): Uint8Array {
  return update.byteOffset === 0 && update.byteLength === update.buffer.byteLength
    ? update
    : update.slice()
}

/**
 * Refuses an update that `Y.applyUpdate` could apply only in part. Yjs reads all the
 * structs before it integrates any, and reads the deletions after: so what must be sure
 * before applying is that the structs end where the delete set starts and that the delete
 * set reads whole. A fast walk checks that ({@link skimsClean}); when it is not sure,
 * Yjs's full decode decides.
 */
export function checkUpdate(update: Uint8Array): void {
  if (skimsClean(update)) return
  try {
    Y.decodeUpdate(update)
  } catch {
    throw new ValidationError('Malformed document update')
  }
}

/** Checks a peer's update and applies it to `doc`; a `ValidationError` changes nothing. */
export function applyChecked(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  const bytes = ownBuffer(update)
  checkUpdate(bytes)
  try {
    Y.applyUpdate(doc, bytes, origin)
  } catch {
    throw new ValidationError('Document update could not be applied')
  }
}

/** What the holder of `stateVector` lacks of `doc`; a `ValidationError` if it is malformed. */
export function diffOf(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  try {
    return Y.encodeStateAsUpdate(doc, stateVector)
  } catch {
    throw new ValidationError('Malformed state vector')
  }
}
