/**
 * Peers' document bytes, checked before they touch a document: whoever applies an update
 * or answers a state vector that came over the network goes through these.
 */
import * as Y from 'yjs'
import { ValidationError } from '../errors.ts'
import { endsItsBuffer, skimsClean } from './update-skim.ts'

/**
 * A peer's update, checked, in a view Yjs cannot read past (Yjs reads strings through the
 * underlying buffer, so a view that stops before its buffer's end is copied first; the
 * tail of a received message is taken as it is). Refuses an update
 * that `Y.applyUpdate` could apply only in part: Yjs reads all the structs before it
 * integrates any, and the deletions after, so what must be sure before applying is that
 * the structs end where the delete set starts and that the delete set reads whole. A
 * fast walk checks that ({@link skimsClean}); when it is not sure, Yjs's full decode
 * decides. A `ValidationError` if it is malformed.
 */
export function checkedUpdate(update: Uint8Array): Uint8Array {
  const bytes = endsItsBuffer(update) ? update : update.slice()
  if (skimsClean(bytes)) return bytes
  try {
    Y.decodeUpdate(bytes)
  } catch {
    throw new ValidationError('Malformed document update')
  }
  return bytes
}

/** Checks a peer's update and applies it to `doc`; a `ValidationError` changes nothing. */
export function applyChecked(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  const bytes = checkedUpdate(update)
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
