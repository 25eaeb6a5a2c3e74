/**
 * The pure half of the plaintext library: a playlist document rendered as Markdown (the
 * core writer plus the document id in the front matter), such a file read back and
 * validated, and a three-way merge of an edit made to the file outside the app into the
 * CRDT document: `base` (what the app last wrote, with track ids) → `theirs` (the file
 * now) is applied onto the document as it is now, so edits made in the app meanwhile
 * survive and the change merges with peers like any other.
 */
import {
  ImportError,
  PlaylistDescriptionSchema,
  PlaylistNameSchema,
  exportPlaylist,
  insertTracks,
  moveTracks,
  parsePlaylist,
  patchTrack,
  playlistMaps,
  readTracks,
  removeTracks,
  type TrackFields,
} from '@whatnext/core'
import * as Y from 'yjs'

const FIELDS = ['title', 'artists', 'album', 'durationMs', 'source', 'notes', 'tags'] as const

/** A playlist as the app last wrote it to its Markdown file. */
export interface PlaylistSnapshot {
  name: string
  description: string
  tracks: (TrackFields & { id: string })[]
}

/** A Markdown file read back. */
export type PlaintextRead =
  | { ok: true; id: string | null; name: string; description: string; tracks: TrackFields[] }
  | { ok: false; id: string | null; reason: string }

/** The document's current content. */
export function snapshotOf(doc: Y.Doc): PlaylistSnapshot {
  const { meta } = playlistMaps(doc)
  return {
    name: String(meta.get('name') ?? 'Untitled'),
    description: String(meta.get('description') ?? ''),
    tracks: readTracks(doc).map((t) => ({
      id: t.id,
      title: t.title,
      artists: t.artists,
      album: t.album,
      durationMs: t.durationMs,
      source: t.source,
      notes: t.notes,
      tags: t.tags,
    })),
  }
}

/**
 * The Markdown of a playlist: core's writer (`exportPlaylist(…, 'markdown')`) with
 * `id: "<docId>"` as the first front-matter key, which ties the file to its document
 * even when the user renames it. PERSISTED NAME: `id`.
 */
export function renderMarkdown(
  docId: string,
  snapshot: PlaylistSnapshot,
): { content: string; fileName: string } {
  const { content, fileName } = exportPlaylist(snapshot, 'markdown')
  return { content: content.replace(/^---\n/, `---\nid: ${JSON.stringify(docId)}\n`), fileName }
}

/** The `id` in a file's front matter, if it has one. */
export function frontMatterId(text: string): string | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\s*(?:\r?\n|$)/.exec(text)
  if (!match) return null
  const id = /^id:[ \t]*(["']?)([A-Za-z0-9_-]{1,64})\1[ \t]*$/m.exec(match[1]!)
  return id ? id[2]! : null
}

// Core's importer refuses a playlist without tracks (right for an import, but an emptied
// playlist file is a valid edit): such a file is read with this stand-in track, then
// dropped. TODO(core): an `allowEmpty` option on parsePlaylist would remove this.
const EMPTY_STAND_IN = 'whatnext-empty-playlist-stand-in-7f3a'

/** Reads and validates a library Markdown file; never throws. */
export function readPlaintext(text: string, fileName: string): PlaintextRead {
  const id = frontMatterId(text)
  const empty = /^tracks:[ \t]*\[\][ \t]*$/m
  const front = /^---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)/.exec(text)?.[0] ?? ''
  const source = empty.test(front)
    ? text.replace(front, front.replace(empty, `tracks:\n  - title: ${EMPTY_STAND_IN}`))
    : text
  let parsed
  try {
    parsed = parsePlaylist(new TextEncoder().encode(source), fileName)
  } catch (error) {
    const reason = error instanceof ImportError ? error.message : `Cannot read ${fileName}`
    return { ok: false, id, reason }
  }
  if (parsed.format !== 'markdown')
    return { ok: false, id, reason: `${fileName} is not Markdown (it reads as ${parsed.format})` }
  // A skipped entry would become a deleted track: the whole edit is refused instead.
  if (parsed.warnings.length > 0)
    return {
      ok: false,
      id,
      reason: `${fileName}: ${parsed.warnings
        .slice(0, 3)
        .map((w) => (w.line ? `line ${w.line}: ${w.message}` : w.message))
        .join('; ')}`,
    }
  const name = (parsed.name ?? '').trim()
  const description = parsed.description ?? ''
  const nameCheck = name ? PlaylistNameSchema.safeParse(name) : null
  if (nameCheck && !nameCheck.success)
    return { ok: false, id, reason: `${fileName}: ${nameCheck.error.issues[0]?.message}` }
  const descriptionCheck = PlaylistDescriptionSchema.safeParse(description)
  if (!descriptionCheck.success)
    return { ok: false, id, reason: `${fileName}: ${descriptionCheck.error.issues[0]?.message}` }
  const tracks = parsed.tracks.filter((t) => t.title !== EMPTY_STAND_IN)
  return { ok: true, id, name, description, tracks }
}

type Key = (t: TrackFields) => string | null
const fieldsKey = (t: TrackFields): string => JSON.stringify(FIELDS.map((f) => t[f]))
const identityKey: Key = (t) =>
  t.source
    ? `s:${t.source}`
    : `t:${t.title.toLowerCase()}\u0000${t.artists.join('\u0000').toLowerCase()}`
const titleKey: Key = (t) => (t.title ? t.title.toLowerCase() : null)
const artistsKey: Key = (t) =>
  t.artists.length
    ? `${t.artists.join('\u0000').toLowerCase()}\u0000${t.album.toLowerCase()}`
    : null

/**
 * Pairs each track of `theirs` with a track of `base`: by all fields equal, then by
 * source (or title and artists), then by title alone, then by artists and album, then —
 * for lines rewritten in place — the unpaired tracks
 * between the same two paired neighbours, in order. Unpaired ones are new.
 */
function pair(base: PlaylistSnapshot['tracks'], theirs: TrackFields[]): (string | null)[] {
  const out: (string | null)[] = theirs.map(() => null)
  const used = new Set<string>()
  // Each pass pairs only what the earlier, stricter ones left.
  for (const key of [fieldsKey, identityKey, titleKey, artistsKey]) {
    const queues = new Map<string, string[]>()
    for (const t of base) {
      if (used.has(t.id)) continue
      const k = key(t)
      if (k === null) continue
      const q = queues.get(k)
      if (q) q.push(t.id)
      else queues.set(k, [t.id])
    }
    theirs.forEach((t, i) => {
      const k = out[i] === null ? key(t) : null
      if (k === null) return
      const id = queues.get(k)?.shift()
      if (id !== undefined) {
        out[i] = id
        used.add(id)
      }
    })
  }
  // Unpaired base tracks grouped by the paired track before them…
  const gaps = new Map<string | null, string[]>()
  let anchor: string | null = null
  for (const t of base) {
    if (used.has(t.id)) {
      anchor = t.id
      continue
    }
    gaps.set(anchor, [...(gaps.get(anchor) ?? []), t.id])
  }
  // …take the unpaired lines of the file that follow the same paired track.
  anchor = null
  theirs.forEach((_, i) => {
    const id = out[i]
    if (id !== null && id !== undefined) {
      anchor = id
      return
    }
    const candidate = gaps.get(anchor)?.shift()
    if (candidate !== undefined) out[i] = candidate
  })
  return out
}

/** Indices (into `values`) of a longest strictly increasing subsequence. */
function longestIncreasing(values: number[]): Set<number> {
  const tails: number[] = []
  const prev: number[] = values.map(() => -1)
  values.forEach((v, i) => {
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (values[tails[mid]!]! < v) lo = mid + 1
      else hi = mid
    }
    if (lo > 0) prev[i] = tails[lo - 1]!
    tails[lo] = i
  })
  const out = new Set<number>()
  for (let i = tails.at(-1) ?? -1; i >= 0; i = prev[i]!) out.add(i)
  return out
}

/** Who made a merged edit and when; ids for new tracks. */
export interface MergeInit {
  now: number
  newId: () => string
  actorId?: string
  /** Transaction origin (default `'plaintext'`). */
  origin?: unknown
}

/**
 * Applies the edit `base → theirs` to `doc` in one transaction and returns the Yjs
 * update it made (null when the edit changes nothing).
 */
export function mergeEdit(
  doc: Y.Doc,
  base: PlaylistSnapshot,
  theirs: { name: string; description: string; tracks: TrackFields[] },
  init: MergeInit,
): Uint8Array | null {
  const updates: Uint8Array[] = []
  const onUpdate = (update: Uint8Array) => updates.push(update)
  doc.on('update', onUpdate)
  try {
    doc.transact(() => applyEdit(doc, base, theirs, init), init.origin ?? 'plaintext')
  } finally {
    doc.off('update', onUpdate)
  }
  return updates.length === 0 ? null : Y.mergeUpdates(updates)
}

function applyEdit(
  doc: Y.Doc,
  base: PlaylistSnapshot,
  theirs: { name: string; description: string; tracks: TrackFields[] },
  init: MergeInit,
): void {
  const { meta, tracks } = playlistMaps(doc)
  let changed = false
  if (theirs.name && theirs.name !== base.name && meta.get('name') !== theirs.name) {
    meta.set('name', theirs.name)
    changed = true
  }
  if (theirs.description !== base.description && meta.get('description') !== theirs.description) {
    meta.set('description', theirs.description)
    changed = true
  }

  const paired = pair(base.tracks, theirs.tracks)
  // Tracks the app added since `base` that the file also holds, field for field, are
  // the same tracks (e.g. the app wrote the file and crashed before recording it).
  const inBase = new Set(base.tracks.map((t) => t.id))
  const appAdded = new Map<string, string[]>()
  for (const t of readTracks(doc)) {
    if (inBase.has(t.id)) continue
    const k = fieldsKey(t)
    appAdded.set(k, [...(appAdded.get(k) ?? []), t.id])
  }
  const ids: (string | null)[] = paired.map(
    (id, i) => id ?? appAdded.get(fieldsKey(theirs.tracks[i]!))?.shift() ?? null,
  )

  const kept = new Set(ids.filter((id): id is string => id !== null))
  const removed = base.tracks.filter((t) => !kept.has(t.id)).map((t) => t.id)
  if (removeTracks(doc, removed) > 0) changed = true

  const baseById = new Map(base.tracks.map((t) => [t.id, t]))
  ids.forEach((id, i) => {
    const before = id === null ? undefined : baseById.get(id)
    if (!id || !before || !tracks.has(id)) return
    const after = theirs.tracks[i]!
    const patch: Partial<TrackFields> = {}
    for (const f of FIELDS)
      if (JSON.stringify(before[f]) !== JSON.stringify(after[f]))
        Object.assign(patch, { [f]: after[f] })
    if (Object.keys(patch).length > 0 && patchTrack(doc, id, patch)) changed = true
  })

  // Order: the base tracks whose relative order the file kept stay put; every other
  // entry (moved or new) goes right after its predecessor in the file.
  const baseIndex = new Map(base.tracks.map((t, i) => [t.id, i]))
  const anchoredEntries = ids
    .map((id, i) => ({ i, at: id === null ? undefined : baseIndex.get(id) }))
    .filter((e): e is { i: number; at: number } => e.at !== undefined && tracks.has(ids[e.i]!))
  const lis = longestIncreasing(anchoredEntries.map((e) => e.at))
  const anchored = new Set([...lis].map((k) => anchoredEntries[k]!.i))
  let previous: string | null = null
  ids.forEach((id, i) => {
    if (anchored.has(i) && id) {
      previous = id
      return
    }
    const after = previous
    const indexAfter = (list: { id: string }[]) =>
      after === null ? 0 : list.findIndex((t) => t.id === after) + 1
    if (id && tracks.has(id)) {
      const rest = readTracks(doc).filter((t) => t.id !== id)
      const current = readTracks(doc).findIndex((t) => t.id === id)
      const target = indexAfter(rest)
      const alreadyThere = current === target
      if (!alreadyThere) {
        moveTracks(doc, [id], target)
        changed = true
      }
      previous = id
      return
    }
    const newId = init.newId()
    insertTracks(
      doc,
      [{ id: newId, fields: theirs.tracks[i]!, addedAt: init.now, addedBy: init.actorId ?? '' }],
      indexAfter(readTracks(doc)),
    )
    changed = true
    previous = newId
  })
  if (changed) meta.set('updatedAt', init.now)
}
