/**
 * The playlist as a CRDT document (Yjs). Peers, tabs and undo all work on this shape,
 * so concurrent edits merge without loss:
 *
 * - `meta` (Y.Map): name, description, createdAt, updatedAt — last writer wins per field.
 * - `tracks` (Y.Map<trackId, Y.Map>): one nested map per track; each field is its own
 *   register, so two people editing different fields of one track both keep theirs.
 * - Order is a fractional-index key per track (`order`); the list is sorted by
 *   `(order, id)`. A move rewrites only the moved track's key, so concurrent moves can
 *   never duplicate or drop a track — the last move of a given track wins.
 *
 * PERSISTED NAMES: the map names and field keys below are stored in documents; renaming
 * one needs a document migration.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing'
import * as Y from 'yjs'
import type { Track, TrackFields, TrackPatch } from './schemas.ts'

export const META = 'meta'
export const TRACKS = 'tracks'

const FIELDS = ['title', 'artists', 'album', 'durationMs', 'source', 'notes', 'tags'] as const

/** The nested maps of a playlist document. */
export interface PlaylistMaps {
  meta: Y.Map<unknown>
  tracks: Y.Map<Y.Map<unknown>>
}

/** Returns the root maps of `doc`. */
export function playlistMaps(doc: Y.Doc): PlaylistMaps {
  return { meta: doc.getMap(META), tracks: doc.getMap(TRACKS) as Y.Map<Y.Map<unknown>> }
}

/** Reads one track map into plain data. */
export function readTrack(id: string, map: Y.Map<unknown>): Track {
  const str = (k: string) => {
    const v = map.get(k)
    return typeof v === 'string' ? v : ''
  }
  const list = (k: string) => {
    const v = map.get(k)
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  }
  const duration = map.get('durationMs')
  const addedAt = map.get('addedAt')
  return {
    id,
    title: str('title'),
    artists: list('artists'),
    album: str('album'),
    durationMs: typeof duration === 'number' ? duration : null,
    source: str('source'),
    notes: str('notes'),
    tags: list('tags'),
    order: str('order'),
    addedAt: typeof addedAt === 'number' ? addedAt : 0,
    addedBy: str('addedBy'),
  }
}

/** Compares two tracks by list position. */
export function compareTracks(
  a: { order: string; id: string },
  b: { order: string; id: string },
): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** All tracks in list order. */
export function readTracks(doc: Y.Doc): Track[] {
  const tracks: Track[] = []
  playlistMaps(doc).tracks.forEach((map, id) => {
    tracks.push(readTrack(id, map))
  })
  return tracks.sort(compareTracks)
}

/**
 * Each track's id and order key, in list order: all that placing tracks needs. Reading
 * one field per track, not the whole track, keeps an add or a move on a long playlist
 * cheap (readTracks copies every field of every track).
 */
function readOrder(tracks: Y.Map<Y.Map<unknown>>): { id: string; order: string }[] {
  const out: { id: string; order: string }[] = []
  tracks.forEach((map, id) => out.push(orderOf(id, map)))
  return out.sort(compareTracks)
}

/** A track's id and order key, as readTrack reads the key. */
function orderOf(id: string, map: Y.Map<unknown>): { id: string; order: string } {
  const order = map.get('order')
  return { id, order: typeof order === 'string' ? order : '' }
}

/** The order key of the last track, or null for none: where an append goes after. */
function lastOrder(tracks: Y.Map<Y.Map<unknown>>): string | null {
  let last: { id: string; order: string } | null = null
  for (const [id, map] of tracks.entries()) {
    const track = orderOf(id, map)
    if (last === null || compareTracks(track, last) > 0) last = track
  }
  return last?.order ?? null
}

/**
 * Order keys for `count` new items placed at `index` of `ordered` (the list in its
 * current order). Equal neighbouring keys (two peers who inserted at the same spot
 * concurrently) are handled by placing relative to the nearest distinct key.
 */
export function keysAt(
  ordered: readonly { order: string }[],
  index: number,
  count: number,
): string[] {
  const clamped = Math.max(0, Math.min(index, ordered.length))
  const before = clamped > 0 ? (ordered[clamped - 1]?.order ?? null) : null
  let after: string | null = null
  for (let i = clamped; i < ordered.length; i++) {
    const key = ordered[i]?.order ?? null
    if (key !== null && (before === null || key > before)) {
      after = key
      break
    }
  }
  return generateNKeysBetween(before, after, count)
}

/** Adds tracks at `index` (default: the end). Returns their order keys. */
export function insertTracks(
  doc: Y.Doc,
  items: readonly { id: string; fields: TrackFields; addedAt: number; addedBy: string }[],
  index?: number,
): void {
  const { tracks } = playlistMaps(doc)
  // An append (the common case: adding, importing, a peer's new track) needs only the
  // last key, not the list in order.
  const keys =
    index === undefined || index >= tracks.size
      ? generateNKeysBetween(lastOrder(tracks), null, items.length)
      : keysAt(readOrder(tracks), index, items.length)
  items.forEach((item, i) => {
    const map = new Y.Map<unknown>()
    for (const field of FIELDS) map.set(field, item.fields[field])
    map.set('order', keys[i])
    map.set('addedAt', item.addedAt)
    map.set('addedBy', item.addedBy)
    tracks.set(item.id, map)
  })
}

/** Applies a field patch to one track; only changed fields are written. */
export function patchTrack(doc: Y.Doc, id: string, patch: TrackPatch): boolean {
  const map = playlistMaps(doc).tracks.get(id)
  if (!map) return false
  for (const field of FIELDS) {
    if (!(field in patch)) continue
    const value = patch[field]
    if (value === undefined) continue
    const current = map.get(field)
    if (JSON.stringify(current) !== JSON.stringify(value)) map.set(field, value)
  }
  return true
}

/**
 * Moves `ids` (kept in their current relative order) so the first lands at `toIndex`
 * of the list as it is *without* the moved tracks. Only the moved tracks' keys change.
 */
export function moveTracks(doc: Y.Doc, ids: readonly string[], toIndex: number): number {
  const { tracks } = playlistMaps(doc)
  const moving = new Set(ids.filter((id) => tracks.has(id)))
  if (moving.size === 0) return 0
  const ordered = readOrder(tracks)
  const moved = ordered.filter((t) => moving.has(t.id))
  const rest = ordered.filter((t) => !moving.has(t.id))
  const keys = keysAt(rest, toIndex, moved.length)
  moved.forEach((t, i) => tracks.get(t.id)?.set('order', keys[i]))
  return moved.length
}

/** Removes tracks; unknown ids are ignored. Returns how many were removed. */
export function removeTracks(doc: Y.Doc, ids: readonly string[]): number {
  const { tracks } = playlistMaps(doc)
  let removed = 0
  for (const id of ids) {
    if (tracks.has(id)) {
      tracks.delete(id)
      removed++
    }
  }
  return removed
}

/** A key that sorts after every key in `ordered` (used by appends). */
export function keyAfterLast(ordered: readonly { order: string }[]): string {
  const last = ordered.at(-1)?.order ?? null
  return generateKeyBetween(last, null)
}
