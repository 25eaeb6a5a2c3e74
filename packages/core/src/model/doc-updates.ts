/**
 * Peers' document bytes, checked before they touch a document: whoever applies an update
 * or answers a state vector that came over the network goes through these.
 */
import * as Y from 'yjs'
import { ValidationError } from '../errors.ts'

/**
 * Refuses an update whose structure does not decode. `Y.decodeUpdate` walks all of it,
 * so garbage is caught before any part reaches a document (`Y.applyUpdate` integrates
 * the structs it has read before it reads the deletions).
 */
export function checkUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update)
  } catch {
    throw new ValidationError('Malformed document update')
  }
}

/** Checks a peer's update and applies it to `doc`; a `ValidationError` changes nothing. */
export function applyChecked(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  checkUpdate(update)
  try {
    Y.applyUpdate(doc, update, origin)
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
