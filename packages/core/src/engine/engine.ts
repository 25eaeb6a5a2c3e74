/**
 * The engine: the user's library of playlists, each a CRDT document, with undo,
 * search and import/export. It never touches a global — storage, clock, logger and
 * the cross-engine broadcast arrive as components — so the same engine runs in a Web
 * Worker (IndexedDB) and in a desktop utility process (files).
 */
import * as Y from 'yjs'
import {
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  PermissionError,
  ValidationError,
} from '../errors.ts'
import { toBase64Url, newCapabilitySecret, type ShareRole } from '../link/share-link.ts'
import type { ExportFormat, ParsedPlaylist } from '../formats/index.ts'
import {
  insertTracks,
  moveTracks,
  patchTrack,
  playlistMaps,
  readTracks,
  removeTracks,
} from '../model/playlist-doc.ts'
import {
  LIMITS,
  normalizeTrackInput,
  type PlaylistSummary,
  type PlaylistPage,
  type PlaylistView,
  type SharedSummary,
  type TrackInput,
  type TrackPatch,
} from '../model/schemas.ts'
import type { Clock, DocumentStore, Logger, UpdateBroadcast } from '../ports.ts'
import { silentLogger } from '../ports.ts'
import { DocHandle } from './doc-handle.ts'
import { checkedUpdate, diffOf } from '../model/doc-updates.ts'
import { englishValidationMessages } from '../model/zod-messages.ts'
import type { HistoryState, SearchHit, ShareRecord } from './contract.ts'
import { SearchIndex } from './search.ts'

/** Id of the document that lists the library's playlists. PERSISTED NAME. */
export const LIBRARY_DOC_ID = 'library'

/**
 * Id of the document holding how playlists are shared, capability secrets included. It
 * lives in `privateDocuments` (never in a library folder a user may publish). PERSISTED NAME.
 */
export const SHARES_DOC_ID = 'shares'

/** Document ids that are not playlists; a share link naming one is refused. */
const RESERVED_IDS = new Set([LIBRARY_DOC_ID, SHARES_DOC_ID])

/** What the engine needs from its host. */
export interface EngineComponents {
  documents: DocumentStore
  clock: Clock
  logger?: Logger
  /**
   * Where the share records (with their secrets) are kept; default `documents`. The
   * desktop passes a store in its data directory, so secrets never land in the
   * plaintext library folder.
   */
  privateDocuments?: DocumentStore
  /** Other engines sharing `documents` (other tabs/windows); optional. */
  broadcast?: UpdateBroadcast
  /**
   * Reads playlist files elsewhere (a worker pool, see `parseContract`), so a big or
   * hostile file never stalls the engine. Default: in this thread, with progress.
   */
  parse?: (bytes: Uint8Array, fileName: string) => Promise<ParsedPlaylist>
}

/** Options. */
export interface EngineInit {
  /** Who makes the edits (peer id once identity exists). */
  actorId?: string
  /** Makes ids; default 128 random bits, base64url. */
  newId?: () => string
  /** Tracks inserted per step during imports (between steps other requests run). */
  importChunk?: number
}

/** Events the engine publishes. */
export type EngineEvent =
  | { type: 'library/changed' }
  | { type: 'playlist/changed'; id: string }
  | { type: 'history/changed'; state: HistoryState }
  /** Share records changed, or a playlist was added, deleted or restored (`listShares`). */
  | { type: 'share/changed' }
  /** A shared playlist's document changed here (not through `applyPeerUpdate`). */
  | { type: 'doc/updated'; id: string; update: Uint8Array }

/** Progress of an import. */
export interface ImportProgress {
  phase: 'parsing' | 'saving' | 'done'
  fraction: number
}

/** Result of an import. */
export interface ImportResult {
  playlistId: string
  name: string
  added: number
  format: string
  warnings: { line?: number; message: string }[]
}

interface LibraryEntry {
  createdAt: number
  deletedAt: number | null
}

/** Undo entries name the document whose UndoManager holds the step. */
interface HistoryStep {
  docId: string
}

/** The engine's API; the bus binds one channel to each method. */
export interface Engine {
  listPlaylists(): PlaylistSummary[]
  createPlaylist(input: { name: string; description?: string }): Promise<{ id: string }>
  updatePlaylist(input: {
    id: string
    name?: string | undefined
    description?: string | undefined
  }): Promise<void>
  deletePlaylist(id: string): Promise<void>
  getPlaylist(id: string): PlaylistView
  /** Tracks `offset…offset+limit` of a playlist, with its version (see PlaylistPage). */
  getPlaylistPage(id: string, offset?: number, limit?: number): PlaylistPage
  addTracks(playlistId: string, tracks: TrackInput[], index?: number): Promise<string[]>
  updateTrack(playlistId: string, trackId: string, patch: TrackPatch): Promise<void>
  removeTracks(playlistId: string, trackIds: string[]): Promise<number>
  moveTracks(playlistId: string, trackIds: string[], toIndex: number): Promise<number>
  undo(): Promise<HistoryState & { done: boolean; playlistId: string | null }>
  redo(): Promise<HistoryState & { done: boolean; playlistId: string | null }>
  historyState(): HistoryState
  search(query: string, limit: number): { hits: SearchHit[]; total: number }
  importFile(
    fileName: string,
    bytes: Uint8Array,
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportResult>
  exportPlaylist(
    id: string,
    format: ExportFormat,
  ): Promise<{ fileName: string; mimeType: string; content: string }>
  /** How a playlist is shared (null: not shared). */
  getShare(playlistId: string): ShareRecord | null
  /** Every live shared playlist. */
  listShares(): { playlistId: string; record: ShareRecord }[]
  /** Makes a link for `role` on one of this user's playlists (keeps an existing one). */
  createShare(playlistId: string, role: ShareRole): Promise<ShareRecord>
  /** Revokes the `role` link; `replace` makes a new one at once. */
  revokeShare(playlistId: string, role: ShareRole, replace: boolean): Promise<ShareRecord | null>
  /** Adds (or re-adds) a playlist another peer shares to the library. */
  joinShare(link: {
    playlistId: string
    hostPeerId: string
    relays: string[]
    role: ShareRole
    secret: string
  }): Promise<{ playlistId: string; rejoined: boolean }>
  /** A shared playlist's state vector. */
  stateVectorOf(id: string): Uint8Array
  /** What a peer lacks of a shared playlist, given its state vector. */
  syncDoc(id: string, stateVector: Uint8Array): { update: Uint8Array }
  /** Checks, applies and saves changes that came from peers (not undoable). */
  applyPeerUpdate(id: string, update: Uint8Array): Promise<void>
  subscribe(listener: (event: EngineEvent) => void): () => void
  close(): Promise<void>
}

const LOCAL = Symbol('local')
/** Origin of peers' changes, applied through the sync node: saved, not undoable, not echoed. */
const PEER = Symbol('peer')

/**
 * The parsers and writers (htmlparser2, yaml, papaparse…) load on the first import or
 * export, so a starting engine answers the library's first requests sooner.
 */
export const loadFormats = () => import('../formats/index.ts')
const UNTRACKED = Symbol('untracked')

/** Opens the library from storage and returns a ready engine. */
export async function createEngine(
  components: EngineComponents,
  init: EngineInit = {},
): Promise<Engine> {
  // What the engine refuses, the user reads: zod's messages in words.
  englishValidationMessages()
  const { documents, clock, broadcast } = components
  const logger = components.logger ?? silentLogger
  const actorId = init.actorId ?? ''
  const newId = init.newId ?? randomId
  const importChunk = init.importChunk ?? 2000
  const handleComponents = { documents, broadcast, logger }

  const listeners = new Set<(event: EngineEvent) => void>()
  const emit = (event: EngineEvent) => {
    for (const l of listeners) l(event)
  }

  // Coalesce change notifications to one per document per tick.
  const dirty = new Set<string>()
  let libraryDirty = false
  /** Share records, or which playlists are live, changed: what the sync node serves. */
  let sharesDirty = false
  let notifyScheduled = false
  const notify = (docId: string) => {
    if (docId === LIBRARY_DOC_ID || docId === SHARES_DOC_ID) libraryDirty = sharesDirty = true
    else dirty.add(docId)
    if (notifyScheduled) return
    notifyScheduled = true
    queueMicrotask(() => {
      notifyScheduled = false
      const ids = [...dirty]
      dirty.clear()
      // Track counts, names and durations show in the library list.
      if (libraryDirty || ids.length > 0) emit({ type: 'library/changed' })
      libraryDirty = false
      if (sharesDirty) emit({ type: 'share/changed' })
      sharesDirty = false
      for (const id of ids) emit({ type: 'playlist/changed', id })
    })
  }

  const library = await DocHandle.open(LIBRARY_DOC_ID, handleComponents)
  const entries = library.doc.getMap<LibraryEntry>('playlists')
  const sharesHandle = await DocHandle.open(SHARES_DOC_ID, {
    ...handleComponents,
    documents: components.privateDocuments ?? documents,
  })
  /** Share records by playlist id (never sent to peers; see SHARES_DOC_ID). */
  const shares = sharesHandle.doc.getMap<ShareRecord>('shares')
  sharesHandle.onUpdate(() => notify(SHARES_DOC_ID))
  const handles = new Map<string, DocHandle>()
  const undoManagers = new Map<string, Y.UndoManager>()
  const views = new Map<string, PlaylistView>()
  /** Per playlist, bumped by every applied update (local, undo or another tab's). */
  const versions = new Map<string, number>()
  const search = new SearchIndex()
  const undoStack: HistoryStep[] = []
  const redoStack: HistoryStep[] = []
  let closed = false

  const trackUndo = (docId: string, scope: Y.AbstractType<unknown>[]) => {
    const manager = new Y.UndoManager(scope, {
      trackedOrigins: new Set([LOCAL]),
      captureTimeout: 0,
    })
    undoManagers.set(docId, manager)
  }
  trackUndo(LIBRARY_DOC_ID, [entries as Y.AbstractType<unknown>])
  library.onUpdate(() => notify(LIBRARY_DOC_ID))

  const attach = (handle: DocHandle) => {
    handles.set(handle.id, handle)
    const { meta, tracks } = playlistMaps(handle.doc)
    trackUndo(handle.id, [meta as Y.AbstractType<unknown>, tracks as Y.AbstractType<unknown>])
    handle.onUpdate((update, origin) => {
      if (origin !== PEER && shares.has(handle.id))
        emit({ type: 'doc/updated', id: handle.id, update })
      contentChanged(handle.id)
    })
  }

  /** A playlist's content changed: cached views and search entries are stale. */
  const contentChanged = (id: string) => {
    versions.set(id, (versions.get(id) ?? 0) + 1)
    views.delete(id)
    search.invalidate(id)
    notify(id)
  }

  /**
   * Drops a document that may hold part of a peer's faulty update (Yjs failed while
   * integrating it, which no check of its bytes can foresee) and reads its last saved
   * state again: the faulty update was never saved (see DocHandle.applyKnown), so it
   * leaves no trace. Changes made here before it are saved first.
   */
  const reload = async (handle: DocHandle) => {
    await handle.flush().catch(() => undefined)
    const fresh = await DocHandle.open(handle.id, handleComponents)
    if (handles.get(handle.id) !== handle) {
      fresh.destroy()
      return
    }
    undoManagers.get(handle.id)?.destroy()
    handle.destroy()
    attach(fresh)
    // This playlist's undo steps went with the dropped document.
    for (const stack of [undoStack, redoStack]) {
      const kept = stack.filter((s) => s.docId !== handle.id)
      stack.splice(0, stack.length, ...kept)
    }
    contentChanged(handle.id)
    emit({ type: 'history/changed', state: historyState() })
  }

  const live = (id: string): boolean => {
    const entry = entries.get(id)
    return entry !== undefined && entry.deletedAt === null
  }

  // Load every playlist the library lists (deleted ones too: undo can bring them back).
  await Promise.all(
    [...entries.keys()].map(async (id) => {
      attach(await DocHandle.open(id, handleComponents))
    }),
  )

  const ensureHandle = async (id: string): Promise<DocHandle> => {
    const existing = handles.get(id)
    if (existing) return existing
    const handle = await DocHandle.open(id, handleComponents)
    if (handles.has(id)) {
      handle.destroy()
      return handles.get(id)!
    }
    attach(handle)
    return handle
  }

  // Another tab's durable update: apply it; open documents we have not seen yet.
  const unsubscribeBroadcast = broadcast?.subscribe((docId, update) => {
    if (docId === SHARES_DOC_ID) return sharesHandle.applyRemote(update)
    if (docId === LIBRARY_DOC_ID) {
      library.applyRemote(update)
      for (const id of entries.keys())
        if (!handles.has(id)) void ensureHandle(id).then(() => notify(id))
      return
    }
    const handle = handles.get(docId)
    if (handle) handle.applyRemote(update)
    else void ensureHandle(docId).then((h) => h.applyRemote(update))
  })

  const playlistHandle = (id: string): DocHandle => {
    const handle = handles.get(id)
    if (!handle || !live(id)) throw new NotFoundError(`Playlist not found`, { playlistId: id })
    return handle
  }

  /** A playlist this user may change: not one shared with them read-only. */
  const writableHandle = (id: string): DocHandle => {
    const handle = playlistHandle(id)
    const share = shares.get(id)
    if (share?.kind === 'joined' && share.role === 'read')
      throw new PermissionError('This playlist is shared with you read-only', { playlistId: id })
    return handle
  }

  const sharedHandle = (id: string): DocHandle => {
    const handle = handles.get(id)
    if (!handle || !shares.has(id))
      throw new PermissionError('This playlist is not shared', { playlistId: id })
    return handle
  }

  const sharedSummary = (id: string): SharedSummary | undefined => {
    const share = shares.get(id)
    if (!share) return undefined
    if (share.kind === 'joined') {
      const handle = handles.get(id)
      const received = handle ? playlistMaps(handle.doc).meta.has('createdAt') : false
      return { kind: 'joined', role: share.role, hostPeerId: share.hostPeerId, received }
    }
    const roles = (['edit', 'read'] as const).filter((r) => share.grants[r] !== undefined)
    return roles.length > 0 ? { kind: 'hosted', roles } : undefined
  }

  const setShare = async (id: string, record: ShareRecord | null) => {
    sharesHandle.doc.transact(() => {
      if (record) shares.set(id, record)
      else shares.delete(id)
    }, UNTRACKED)
    await sharesHandle.flush()
  }

  const historyState = (): HistoryState => ({
    canUndo: undoStack.length > 0,
    canRedo: redoStack.length > 0,
  })

  /** Runs one user edit as one undo step and waits until it is durable. */
  const edit = async <T>(handle: DocHandle, fn: () => T): Promise<T> => {
    if (closed) throw new ConflictError('The engine is closed')
    const manager = undoManagers.get(handle.id)!
    manager.stopCapturing()
    const before = manager.undoStack.length
    let result!: T
    handle.doc.transact(() => {
      result = fn()
    }, LOCAL)
    if (manager.undoStack.length > before) {
      undoStack.push({ docId: handle.id })
      redoStack.length = 0
      emit({ type: 'history/changed', state: historyState() })
    }
    await handle.flush()
    return result
  }

  const summary = (id: string, handle: DocHandle): PlaylistSummary => {
    const { meta, tracks } = playlistMaps(handle.doc)
    let totalDurationMs = 0
    tracks.forEach((t) => {
      const d = t.get('durationMs')
      if (typeof d === 'number') totalDurationMs += d
    })
    const entry = entries.get(id)
    const shared = sharedSummary(id)
    return {
      ...(shared ? { shared } : {}),
      id,
      name: String(meta.get('name') ?? 'Untitled'),
      description: String(meta.get('description') ?? ''),
      trackCount: tracks.size,
      totalDurationMs,
      createdAt: entry?.createdAt ?? 0,
      updatedAt: Number(meta.get('updatedAt') ?? entry?.createdAt ?? 0),
    }
  }

  const view = (id: string): PlaylistView => {
    const handle = playlistHandle(id)
    let cached = views.get(id)
    if (!cached) {
      cached = { ...summary(id, handle), tracks: readTracks(handle.doc) }
      views.set(id, cached)
    }
    return cached
  }

  const touch = (handle: DocHandle) => playlistMaps(handle.doc).meta.set('updatedAt', clock.now())

  const createPlaylistDoc = async (name: string, description: string) => {
    const id = newId()
    const handle = await ensureHandle(id)
    handle.doc.transact(() => {
      const { meta } = playlistMaps(handle.doc)
      meta.set('name', name)
      meta.set('description', description)
      meta.set('createdAt', clock.now())
      meta.set('updatedAt', clock.now())
    }, UNTRACKED)
    await handle.flush()
    return handle
  }

  const step = async (from: HistoryStep[], to: HistoryStep[], direction: 'undo' | 'redo') => {
    const next = from.pop()
    if (!next) return { ...historyState(), done: false, playlistId: null }
    const manager = undoManagers.get(next.docId)
    const handle = next.docId === LIBRARY_DOC_ID ? library : handles.get(next.docId)
    if (!manager || !handle) return { ...historyState(), done: false, playlistId: null }
    const done = (direction === 'undo' ? manager.undo() : manager.redo()) !== null
    if (done) to.push(next)
    await handle.flush()
    emit({ type: 'history/changed', state: historyState() })
    return {
      ...historyState(),
      done,
      playlistId: next.docId === LIBRARY_DOC_ID ? null : next.docId,
    }
  }

  const engine: Engine = {
    listPlaylists() {
      const out: PlaylistSummary[] = []
      for (const [id, handle] of handles) if (live(id)) out.push(summary(id, handle))
      return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    },

    async createPlaylist({ name, description = '' }) {
      const handle = await createPlaylistDoc(name, description)
      await edit(library, () => entries.set(handle.id, { createdAt: clock.now(), deletedAt: null }))
      return { id: handle.id }
    },

    async updatePlaylist({ id, name, description }) {
      const handle = writableHandle(id)
      await edit(handle, () => {
        const { meta } = playlistMaps(handle.doc)
        if (name !== undefined && meta.get('name') !== name) meta.set('name', name)
        if (description !== undefined && meta.get('description') !== description)
          meta.set('description', description)
        touch(handle)
      })
    },

    async deletePlaylist(id) {
      playlistHandle(id)
      const entry = entries.get(id)!
      await edit(library, () => entries.set(id, { ...entry, deletedAt: clock.now() }))
    },

    getPlaylist: view,

    getPlaylistPage(id, offset = 0, limit) {
      const v = view(id)
      const end = limit === undefined ? v.tracks.length : offset + limit
      return {
        ...v,
        tracks: offset === 0 && end >= v.tracks.length ? v.tracks : v.tracks.slice(offset, end),
        offset,
        version: versions.get(id) ?? 0,
      }
    },

    async addTracks(playlistId, tracks, index) {
      const handle = writableHandle(playlistId)
      const now = clock.now()
      const items = tracks.map((t) => ({
        id: newId(),
        fields: normalizeTrackInput(t),
        addedAt: now,
        addedBy: actorId,
      }))
      await edit(handle, () => {
        insertTracks(handle.doc, items, index)
        touch(handle)
      })
      return items.map((i) => i.id)
    },

    async updateTrack(playlistId, trackId, patch) {
      const handle = writableHandle(playlistId)
      if (!playlistMaps(handle.doc).tracks.has(trackId))
        throw new NotFoundError('Track not found', { trackId })
      await edit(handle, () => {
        patchTrack(handle.doc, trackId, normalizePatch(patch))
        touch(handle)
      })
    },

    async removeTracks(playlistId, trackIds) {
      const handle = writableHandle(playlistId)
      return edit(handle, () => {
        const removed = removeTracks(handle.doc, trackIds)
        if (removed > 0) touch(handle)
        return removed
      })
    },

    async moveTracks(playlistId, trackIds, toIndex) {
      const handle = writableHandle(playlistId)
      return edit(handle, () => moveTracks(handle.doc, trackIds, toIndex))
    },

    undo: () => step(undoStack, redoStack, 'undo'),
    redo: () => step(redoStack, undoStack, 'redo'),
    historyState,

    search(query, limit) {
      const sources = [...handles].filter(([id]) => live(id))
      return search.query(query, limit, sources, (id) => view(id))
    },

    async importFile(fileName, bytes, report) {
      // Parsers report per line; a 10,000-line file must not become 10,000 messages for
      // the UI to process. Progress is passed on in steps of at least 1 %.
      let last: ImportProgress | null = null
      const onProgress = (progress: ImportProgress) => {
        if (
          last &&
          last.phase === progress.phase &&
          progress.fraction < 1 &&
          progress.fraction - last.fraction < 0.01
        )
          return
        last = progress
        report?.(progress)
      }
      if (bytes.byteLength > LIMITS.importBytes) {
        throw new PayloadTooLargeError(
          `${fileName} is ${(bytes.byteLength / 1048576).toFixed(1)} MB; the import limit is ${LIMITS.importBytes / 1048576} MB`,
          { fileName, limitBytes: LIMITS.importBytes },
        )
      }
      onProgress({ phase: 'parsing', fraction: 0 })
      const parsed = components.parse
        ? await components.parse(bytes, fileName)
        : (await loadFormats()).parsePlaylist(bytes, fileName, {
            onProgress: (fraction) => onProgress({ phase: 'parsing', fraction: fraction * 0.5 }),
          })
      onProgress({ phase: 'parsing', fraction: 0.5 })
      const name = (parsed.name?.trim() || baseName(fileName)).slice(0, LIMITS.playlistNameChars)
      const handle = await createPlaylistDoc(
        name,
        (parsed.description ?? '').slice(0, LIMITS.descriptionChars),
      )
      const now = clock.now()
      // Tracks go in untracked chunks (other requests run between them); the import is
      // one undo step: the library entry that makes the playlist appear.
      for (let start = 0; start < parsed.tracks.length; start += importChunk) {
        const chunk = parsed.tracks.slice(start, start + importChunk)
        handle.doc.transact(() => {
          insertTracks(
            handle.doc,
            chunk.map((fields) => ({ id: newId(), fields, addedAt: now, addedBy: actorId })),
          )
        }, UNTRACKED)
        onProgress({
          phase: 'saving',
          fraction: 0.5 + (0.5 * (start + chunk.length)) / parsed.tracks.length,
        })
        await yieldTo(clock)
      }
      await handle.flush()
      await edit(library, () => entries.set(handle.id, { createdAt: clock.now(), deletedAt: null }))
      onProgress({ phase: 'done', fraction: 1 })
      return {
        playlistId: handle.id,
        name,
        added: parsed.tracks.length,
        format: parsed.format,
        warnings: parsed.warnings.slice(0, 100),
      }
    },

    async exportPlaylist(id, format) {
      const v = view(id)
      const { exportPlaylist } = await loadFormats()
      return exportPlaylist({ name: v.name, description: v.description, tracks: v.tracks }, format)
    },

    getShare: (playlistId) => shares.get(playlistId) ?? null,

    listShares() {
      const out: { playlistId: string; record: ShareRecord }[] = []
      for (const [playlistId, record] of shares)
        if (live(playlistId)) out.push({ playlistId, record })
      return out
    },

    async createShare(playlistId, role) {
      playlistHandle(playlistId)
      const existing = shares.get(playlistId)
      if (existing?.kind === 'joined')
        throw new PermissionError('Only the owner can share this playlist', { playlistId })
      const grants = existing?.grants ?? {}
      if (grants[role]) return existing!
      const record: ShareRecord = {
        kind: 'hosted',
        grants: { ...grants, [role]: toBase64Url(newCapabilitySecret()) },
      }
      await setShare(playlistId, record)
      return record
    },

    async revokeShare(playlistId, role, replace) {
      playlistHandle(playlistId)
      const existing = shares.get(playlistId)
      if (existing?.kind !== 'hosted')
        throw new PermissionError('Only the owner can revoke a link', { playlistId })
      const grants = { ...existing.grants }
      if (replace) grants[role] = toBase64Url(newCapabilitySecret())
      else delete grants[role]
      const record: ShareRecord = { kind: 'hosted', grants }
      // A playlist with no links left stays 'hosted' so that its joiners are dropped.
      await setShare(playlistId, record)
      return record
    },

    async joinShare(link) {
      if (RESERVED_IDS.has(link.playlistId))
        throw new ValidationError('This link does not name a playlist', [
          { path: 'playlistId', message: 'a reserved id' },
        ])
      const existing = shares.get(link.playlistId)
      const entry = entries.get(link.playlistId)
      if (entry && existing?.kind !== 'joined')
        throw new ConflictError('This is your own playlist', { playlistId: link.playlistId })
      await ensureHandle(link.playlistId)
      await setShare(link.playlistId, {
        kind: 'joined',
        hostPeerId: link.hostPeerId,
        relays: link.relays,
        role: link.role,
        secret: link.secret,
        joinedAt: clock.now(),
      })
      const rejoined = entry !== undefined
      if (!entry || entry.deletedAt !== null) {
        library.doc.transact(
          () =>
            entries.set(link.playlistId, {
              createdAt: entry?.createdAt ?? clock.now(),
              deletedAt: null,
            }),
          UNTRACKED,
        )
        await library.flush()
      }
      return { playlistId: link.playlistId, rejoined }
    },

    stateVectorOf(id) {
      return Y.encodeStateVector(sharedHandle(id).doc)
    },

    syncDoc(id, stateVector) {
      return { update: diffOf(sharedHandle(id).doc, stateVector) }
    },

    async applyPeerUpdate(id, update) {
      const handle = sharedHandle(id)
      const bytes = checkedUpdate(update)
      try {
        handle.applyKnown(bytes, PEER)
      } catch {
        await reload(handle)
        throw new ValidationError('Document update could not be applied')
      }
      await handle.flush()
    },

    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async close() {
      if (closed) return
      closed = true
      unsubscribeBroadcast?.()
      await Promise.all([
        library.flush(),
        sharesHandle.flush(),
        ...[...handles.values()].map((h) => h.flush()),
      ])
      for (const m of undoManagers.values()) m.destroy()
      for (const h of handles.values()) h.destroy()
      library.destroy()
      sharesHandle.destroy()
      listeners.clear()
    },
  }
  return engine
}

function normalizePatch(patch: TrackPatch): TrackPatch {
  const out: TrackPatch = { ...patch }
  if (out.title !== undefined) out.title = out.title.trim()
  if (out.album !== undefined) out.album = out.album.trim()
  if (out.source !== undefined) out.source = out.source.trim()
  if (out.artists) out.artists = out.artists.map((a) => a.trim()).filter(Boolean)
  if (out.tags) out.tags = [...new Set(out.tags.map((t) => t.trim()).filter(Boolean))]
  return out
}

function baseName(fileName: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? fileName
  const dot = last.lastIndexOf('.')
  return (dot > 0 ? last.slice(0, dot) : last).trim() || 'Imported playlist'
}

function yieldTo(clock: Clock): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, 0))
}

/** 128 random bits as base64url (22 characters). */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 6) {
      bits -= 6
      out += alphabet[(value >> bits) & 63]
    }
  }
  if (bits > 0) out += alphabet[(value << (6 - bits)) & 63]
  return out
}
