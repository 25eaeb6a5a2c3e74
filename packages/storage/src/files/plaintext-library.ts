/**
 * The desktop library: a folder the user chooses, holding one Markdown file (YAML front
 * matter) per playlist that they can read, back up, keep in git or edit, with the CRDT
 * update logs in its hidden `.whatnext/` folder ({@link FsDocumentStore}).
 *
 * ```
 * <library>/Road trip.md           ← the user's copy, rewritten after each change
 * <library>/.whatnext/log/…        ← the truth: the documents' update logs
 * <library>/.whatnext/base/…       ← what each .md held when the app last wrote it
 * <library>/.whatnext/rejected/…   ← invalid outside edits, kept before being overwritten
 * ```
 *
 * - The app's changes reach the Markdown a moment later (`renderDelayMs`, coalesced);
 *   the log is what makes them durable, so a crash loses no acknowledged edit, and the
 *   next start rewrites any Markdown left behind.
 * - Edits made to a file outside the app (now, or while it was closed) are read,
 *   validated and merged three-way (`markdown-merge.ts`): the change is appended to the
 *   log and handed to the engine through {@link PlaintextLibrary.broadcast}, the
 *   `UpdateBroadcast` the engine already applies other engines' updates from.
 * - Invalid files (bad YAML, skipped entries, a name too long…) are reported through
 *   `onIssue` and ignored; the document keeps its last good state.
 * - Every file is written atomically (temp, fsync, rename, fsync directory); the base
 *   record is written before the Markdown and remembers the previous hash too, so a
 *   crash between the two is never mistaken for an outside edit.
 */
import { createHash } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { copyFile, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import {
  LIBRARY_DOC_ID,
  randomId,
  type DocumentStore,
  type Logger,
  type UpdateBroadcast,
} from '@whatnext/core'
import * as Y from 'yjs'
import { TEMP_PREFIX, errorCode, writeFileAtomic } from './durable.ts'
import { FsDocumentStore, encodeDocId, type StoreChange } from './fs-document-store.ts'
import {
  mergeEdit,
  readPlaintext,
  renderMarkdown,
  snapshotOf,
  type PlaylistSnapshot,
} from './markdown-merge.ts'

/** Something wrong with a file in the library, for the user to see. */
export interface LibraryIssue {
  /** `invalid`: could not be read or validated; `unknown`: not one of the library's playlists; `overwritten`: an invalid edit was replaced (a copy is in `.whatnext/rejected/`). */
  kind: 'invalid' | 'unknown' | 'overwritten'
  /** The file's name within the library folder. */
  file: string
  message: string
  docId?: string
}

/** Options of {@link PlaintextLibrary.open}. */
export interface PlaintextLibraryInit {
  /** The library folder. */
  dir: string
  logger?: Logger
  /** Coalesce Markdown rewrites over this long. Default 250 ms. */
  renderDelayMs?: number
  /** Watch the folder for outside edits. Default true. */
  watch?: boolean
  /** Wait this long after a file changes before reading it (editors save in bursts). Default 100 ms. */
  settleMs?: number
  /** `addedBy` of tracks added by outside edits. */
  actorId?: string
  /** Time of merged edits; default `Date.now`. */
  now?: () => number
  /** Ids of tracks added by outside edits. */
  newId?: () => string
  /** Problems with files, from the first scan at open on (see also `onIssue`). */
  onIssue?: (issue: LibraryIssue) => void
}

/** Persisted per document in `.whatnext/base/<hex id>.json`. PERSISTED NAMES. */
interface BaseRecord {
  file: string
  hash: string
  prevFile: string | null
  prevHash: string | null
  snapshot: PlaylistSnapshot
}

const BASE_DIR = 'base'
const REJECTED_DIR = 'rejected'
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const isLibraryFile = (name: string) =>
  name.toLowerCase().endsWith('.md') && !name.startsWith('.') && !name.startsWith(TEMP_PREFIX)

interface LibraryEntry {
  deletedAt: number | null
}

/** See the module comment. */
export class PlaintextLibrary {
  /** The documents, for `createEngine({ documents })`. */
  readonly documents: FsDocumentStore
  /** Outside edits as durable updates, for `createEngine({ broadcast })`. */
  readonly broadcast: UpdateBroadcast

  private readonly dir: string
  private readonly baseDir: string
  private readonly bases = new Map<string, BaseRecord>()
  private readonly subscribers = new Set<(docId: string, update: Uint8Array) => void>()
  private readonly issueListeners = new Set<(issue: LibraryIssue) => void>()
  /** Issues already reported, by file and content hash (not repeated on every save). */
  private readonly reported = new Map<string, string>()
  private readonly dirty = new Set<string>()
  /** The library document changed: every playlist it lists needs a look. */
  private libraryDirty = false
  private readonly settleTimers = new Map<string, ReturnType<typeof setTimeout>>()
  private renderTimer: ReturnType<typeof setTimeout> | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private watcher: FSWatcher | null = null
  private stopChanges: () => void
  private closed = false

  private constructor(
    documents: FsDocumentStore,
    private readonly init: PlaintextLibraryInit,
  ) {
    this.documents = documents
    this.dir = documents.dir
    this.baseDir = join(documents.stateDir, BASE_DIR)
    this.stopChanges = documents.onChange((change) => this.onStoreChange(change))
    this.broadcast = {
      // One engine per library: nothing to tell, the store already has the update.
      post: () => {},
      subscribe: (listener) => {
        this.subscribers.add(listener)
        return () => this.subscribers.delete(listener)
      },
      close: () => this.subscribers.clear(),
    }
  }

  /**
   * Opens the library at `init.dir`: merges edits made while the app was closed,
   * rewrites Markdown the app had not written yet, then starts watching.
   */
  static async open(init: PlaintextLibraryInit): Promise<PlaintextLibrary> {
    const documents = await FsDocumentStore.open({
      dir: init.dir,
      ...(init.logger ? { logger: init.logger } : {}),
    })
    const library = new PlaintextLibrary(documents, init)
    try {
      await mkdir(library.baseDir, { recursive: true })
      await library.removeDebris()
      await library.loadBases()
      await library.rescan()
      library.libraryDirty = true
      await library.flush()
      if (init.watch ?? true) library.startWatching()
    } catch (error) {
      await library.close()
      throw error
    }
    return library
  }

  /** Listens for problems with files; returns the unsubscribe function. */
  onIssue(listener: (issue: LibraryIssue) => void): () => void {
    this.issueListeners.add(listener)
    return () => this.issueListeners.delete(listener)
  }

  /** Writes every pending Markdown change now. */
  flush(): Promise<void> {
    if (this.renderTimer) clearTimeout(this.renderTimer)
    this.renderTimer = null
    return this.serial(() => this.renderDirty())
  }

  /** Reads every Markdown file of the folder and merges outside edits (start-up, or on demand). */
  async rescan(): Promise<void> {
    const names = (await readdir(this.dir)).filter(isLibraryFile).sort()
    for (const name of names) await this.serial(() => this.readFile(name))
  }

  /** Stops watching, writes pending Markdown, closes the store. */
  async close(): Promise<void> {
    if (this.closed) return
    this.watcher?.close()
    for (const t of this.settleTimers.values()) clearTimeout(t)
    await this.flush().catch((error: unknown) =>
      this.init.logger?.warn('Could not write the library Markdown on close', {
        error: String(error),
      }),
    )
    this.closed = true
    this.stopChanges()
    this.subscribers.clear()
    this.issueListeners.clear()
    await this.documents.close()
  }

  // ── app → files ────────────────────────────────────────────────────────────────────

  private onStoreChange(change: StoreChange): void {
    if (change.type === 'compact') return
    // Created or deleted playlists: every one the library lists is checked (cheap:
    // nothing is written when the Markdown is current).
    if (change.docId === LIBRARY_DOC_ID) this.libraryDirty = true
    else this.dirty.add(change.docId)
    this.scheduleRender()
  }

  private scheduleRender(): void {
    if (this.closed || this.renderTimer) return
    this.renderTimer = setTimeout(() => {
      this.renderTimer = null
      void this.serial(() => this.renderDirty()).catch((error: unknown) =>
        this.init.logger?.error('Could not write the library Markdown', { error: String(error) }),
      )
    }, this.init.renderDelayMs ?? 250)
  }

  private async renderDirty(): Promise<void> {
    if (this.dirty.size === 0 && !this.libraryDirty) return
    const libraryChanged = this.libraryDirty
    this.libraryDirty = false
    const live = new Set(await this.livePlaylists())
    if (libraryChanged) for (const id of [...live, ...this.bases.keys()]) this.dirty.add(id)
    const ids = [...this.dirty]
    this.dirty.clear()
    for (const id of ids) await this.render(id, live.has(id))
  }

  private async livePlaylists(): Promise<string[]> {
    const doc = await this.loadDoc(LIBRARY_DOC_ID)
    const entries = doc.getMap<LibraryEntry>('playlists')
    const out: string[] = []
    entries.forEach((entry, id) => {
      if (entry && entry.deletedAt === null) out.push(id)
    })
    doc.destroy()
    return out
  }

  private async loadDoc(docId: string): Promise<Y.Doc> {
    const doc = new Y.Doc({ gc: true })
    const { updates } = await this.documents.load(docId)
    Y.transact(doc, () => {
      for (const u of updates) Y.applyUpdate(doc, u)
    })
    return doc
  }

  private async render(docId: string, live: boolean): Promise<void> {
    let base = this.bases.get(docId)
    const onDisk = base ? await this.readText(base.file) : null
    if (base && onDisk !== null && !this.ours(base, base.file, onDisk)) {
      // Edited outside the app since we last wrote it: take the edit first.
      await this.readFile(base.file, false)
      base = this.bases.get(docId)
    }
    if (!live) {
      if (base) {
        const text = await this.readText(base.file)
        if (text !== null && this.ours(base, base.file, text))
          await unlink(join(this.dir, base.file))
        this.bases.delete(docId)
        await unlink(this.basePath(docId)).catch(() => {})
      }
      return
    }
    const doc = await this.loadDoc(docId)
    const snapshot = snapshotOf(doc)
    doc.destroy()
    const { content, fileName } = renderMarkdown(docId, snapshot)
    const file = await this.fileNameFor(docId, fileName, base)
    const hash = sha256(content)
    if (base && base.file === file && base.hash === hash) return
    const current = await this.readText(file)
    if (current !== null && (!base || !this.ours(base, file, current))) {
      // An edit we refused (invalid) is about to be replaced: keep a copy.
      const rejected = join(this.documents.stateDir, REJECTED_DIR)
      await mkdir(rejected, { recursive: true })
      const copy = `${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}-${file}`
      await copyFile(join(this.dir, file), join(rejected, copy))
      this.issue({
        kind: 'overwritten',
        file,
        docId,
        message: `${file} held changes the app could not use; they were replaced, and a copy is in .whatnext/${REJECTED_DIR}/${copy}`,
      })
    }
    const record: BaseRecord = {
      file,
      hash,
      prevFile: base?.file ?? null,
      prevHash: base?.hash ?? null,
      snapshot,
    }
    // The base first: a crash before the Markdown is written leaves the old file, whose
    // hash is `prevHash`: recognised as ours and rewritten at the next start.
    // Renamed: the old file goes too, if it holds nothing but what the app knows.
    const oldText = base && base.file !== file ? await this.readText(base.file) : null
    const removeOld = base && oldText !== null && this.ours(base, base.file, oldText)
    await writeFileAtomic(this.basePath(docId), JSON.stringify(record))
    this.bases.set(docId, record)
    await writeFileAtomic(join(this.dir, file), content)
    if (removeOld && base) await unlink(join(this.dir, base.file))
  }

  /** A free file name for `docId` (`Name.md`, `Name (2).md`…), stable while its name is. */
  private async fileNameFor(docId: string, wanted: string, base?: BaseRecord): Promise<string> {
    const stem = wanted.slice(0, -3)
    if (base && base.file.startsWith(stem) && this.suffixOf(base.file, stem) !== null)
      return base.file
    const taken = new Set<string>()
    for (const [id, b] of this.bases) if (id !== docId) taken.add(b.file.toLowerCase())
    for (let n = 1; ; n++) {
      const name = n === 1 ? wanted : `${stem} (${n}).md`
      if (taken.has(name.toLowerCase())) continue
      const text = await this.readText(name)
      // Someone else's file of that name (not one of ours): never overwritten.
      if (text !== null && !(base && this.ours(base, name, text))) continue
      return name
    }
  }

  private suffixOf(file: string, stem: string): number | null {
    if (file === `${stem}.md`) return 1
    const match = /^ \((\d+)\)\.md$/.exec(file.slice(stem.length))
    return match ? Number(match[1]) : null
  }

  // ── files → app ────────────────────────────────────────────────────────────────────

  private startWatching(): void {
    try {
      this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
        if (!name || !isLibraryFile(String(name))) return
        const file = String(name)
        const pending = this.settleTimers.get(file)
        if (pending) clearTimeout(pending)
        this.settleTimers.set(
          file,
          setTimeout(() => {
            this.settleTimers.delete(file)
            if (!this.closed) void this.serial(() => this.readFile(file))
          }, this.init.settleMs ?? 100),
        )
      })
      this.watcher.on('error', () => {})
    } catch (error) {
      this.init.logger?.warn('Not watching the library folder for outside edits', {
        error: String(error),
      })
    }
  }

  /** Reads one Markdown file; merges it if it is an outside edit of a playlist. */
  private async readFile(file: string, renderAfter = true): Promise<void> {
    const text = await this.readText(file)
    if (text === null) return
    const hash = sha256(text)
    if (this.reported.get(file) === hash) return
    const read = readPlaintext(text, file)
    const docId = read.id
    const base = docId === null ? undefined : this.bases.get(docId)
    if (docId === null || !base) {
      this.issue(
        {
          kind: 'unknown',
          file,
          message: `${file} is not one of this library's playlists; to add it, import it`,
        },
        hash,
      )
      return
    }
    if (this.ours(base, file, text)) return
    if (base.file !== file) {
      // Renamed by the user (the old name is gone): follow it. Else it is a copy.
      if ((await this.readText(base.file)) !== null) {
        this.issue(
          {
            kind: 'unknown',
            file,
            docId,
            message: `${file} is a copy of ${base.file}; edit that file instead`,
          },
          hash,
        )
        return
      }
      base.file = file
    }
    if (!read.ok) {
      this.issue({ kind: 'invalid', file, docId, message: read.reason }, hash)
      this.init.logger?.warn('Ignored an invalid edit to a library file', {
        file,
        reason: read.reason,
      })
      return
    }
    this.reported.delete(file)
    const doc = await this.loadDoc(docId)
    const update = mergeEdit(doc, base.snapshot, read, {
      now: this.now(),
      newId: this.init.newId ?? randomId,
      actorId: this.init.actorId ?? '',
    })
    doc.destroy()
    if (update) {
      await this.documents.append(docId, update)
      for (const l of this.subscribers) l(docId, update)
      this.init.logger?.info('Merged an outside edit of a library file', { file, docId })
    }
    // The user's text counts as ours from now on (it is merged); the Markdown is then
    // rewritten from the merged document, which also records the new base with track ids.
    const record: BaseRecord = { ...base, file, prevFile: file, prevHash: hash }
    await writeFileAtomic(this.basePath(docId), JSON.stringify(record))
    this.bases.set(docId, record)
    if (!renderAfter) return
    this.dirty.delete(docId)
    await this.render(docId, true)
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────

  /** Whether `text` in `file` is something the app itself wrote. */
  private ours(base: BaseRecord, file: string, text: string): boolean {
    const hash = sha256(text)
    return (
      (file === base.file && hash === base.hash) ||
      (file === base.prevFile && hash === base.prevHash)
    )
  }

  private async loadBases(): Promise<void> {
    for (const name of await readdir(this.baseDir)) {
      if (!name.endsWith('.json')) continue
      const hex = name.slice(0, -5)
      if (!/^(?:[0-9a-f]{2})+$/.test(hex)) continue
      try {
        const record = JSON.parse(await readFile(join(this.baseDir, name), 'utf8')) as BaseRecord
        if (typeof record.file === 'string' && typeof record.hash === 'string')
          this.bases.set(Buffer.from(hex, 'hex').toString('utf8'), record)
      } catch {
        // Written atomically, so only outside damage gets here: rewritten at next render.
      }
    }
  }

  /** Temp files of writes a crash interrupted (their targets are intact). */
  private async removeDebris(): Promise<void> {
    for (const dir of [this.dir, this.baseDir])
      for (const name of await readdir(dir))
        if (name.startsWith(TEMP_PREFIX)) await unlink(join(dir, name)).catch(() => {})
  }

  private basePath(docId: string): string {
    return join(this.baseDir, `${encodeDocId(docId)}.json`)
  }

  private async readText(file: string): Promise<string | null> {
    try {
      const path = join(this.dir, file)
      if (!(await stat(path)).isFile()) return null
      return await readFile(path, 'utf8')
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null
      throw error
    }
  }

  private issue(issue: LibraryIssue, hash?: string): void {
    if (hash) this.reported.set(issue.file, hash)
    this.init.onIssue?.(issue)
    for (const l of this.issueListeners) l(issue)
  }

  private now(): number {
    return (this.init.now ?? Date.now)()
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn)
    this.queue = next.catch(() => undefined)
    return next
  }
}

/** The engine's storage from a library: `createEngine({ ...engineStorage(library), clock })`. */
export function engineStorage(library: PlaintextLibrary): {
  documents: DocumentStore
  broadcast: UpdateBroadcast
} {
  return { documents: library.documents, broadcast: library.broadcast }
}
