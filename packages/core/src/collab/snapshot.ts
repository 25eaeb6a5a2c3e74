/**
 * What a window shows before a sync node has said anything. Apart from the contract in
 * `contract.ts`, which only a desktop window loads: a browser tab's bundle needs this
 * value, not the contract's schemas.
 */
import type { CollabSnapshotData } from './contract.ts'

/** Nothing shared, no node running. */
export const EMPTY_COLLAB_SNAPSHOT: CollabSnapshotData = {
  node: 'off',
  nodeError: null,
  relays: [],
  playlists: {},
  friends: {},
}
