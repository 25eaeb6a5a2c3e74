/**
 * {@link DocumentStore} on the file system (Node, the desktop's utility process): each
 * document's CRDT update log is one file of checksummed records (`update-log.ts`) in a
 * hidden folder of the library (`<library>/.whatnext/log/<hex id>.log`).
 *
 * - **Durable appends**: a record is written and `fdatasync`ed before `append` resolves;
 *   a new log file's directory entry is fsynced too.
 * - **Crash safety**: a record cut short by SIGKILL or power loss is detected by its
 *   length and CRC and cut off at the next open; everything before it is intact.
 *   Compaction rewrites the log atomically (temp file, fsync, rename, fsync directory).
 * - **Positions** count up across the whole library (like IndexedDB's auto-increment),
 *   so a cursor names exactly one update of one document.
 * - **One process per library** (`process-lock.ts`); handles opened on the same folder in
 *   one process share one state, as tabs share one IndexedDB database.
 *
 * File names hex-encode the document id: ids are case-sensitive and macOS and Windows
 * file systems are not.
 */
import { mkdir, open, readdir, readFile, realpath, rename, rm, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { StorageError } from '@whatnext/core/errors'
import type { DocumentStore, Logger, StoredUpdates } from '@whatnext/core/ports'
import { TEMP_PREFIX, errorCode, syncDir, writeFileAtomic } from './durable.ts'
import { acquireProcessLock } from './process-lock.ts'
import { decodeRecords, encodeRecord } from './update-log.ts'

// ───────────────────────────────────────────────────────────────────────────────────────
// PERSISTED NAMES: the hidden folder's layout is on users' disks.
// ───────────────────────────────────────────────────────────────────────────────────────
/** The library's hidden folder. */
export const STATE_DIR = '.whatnext'
const LOG_DIR = 'log'
const LOG_EXT = '.log'
const LOCK = 'lock'
const FORMAT_FILE = 'FORMAT'
const FORMAT = 'whatnext-library/1\n'

/** Options of {@link FsDocumentStore.open}. */
export interface FsDocumentStoreInit {
  /** The library folder (created if missing). The update logs live in its `.whatnext/`. */
  dir: string
  /** Where cut-off damaged records are reported. */
  logger?: Logger
}

/** Observes what a store durably did (the plaintext mirror listens). */
export type StoreChange =
  | { type: 'append'; docId: string; position: number }
  | { type: 'compact'; docId: string }
  | { type: 'delete'; docId: string }

/** Hex of the UTF-8 bytes of `docId`. */
export function encodeDocId(docId: string): string {
  return Buffer.from(docId, 'utf8').toString('hex')
}

function decodeDocId(name: string): string | null {
  const hex = name.slice(0, -LOG_EXT.length)
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return null
  return Buffer.from(hex, 'hex').toString('utf8')
}

/** The state every handle on one folder shares (one per folder per process). */
class LibraryCore {
  readonly logDir: string
  /** Positions of each document's records, in file order. */
  readonly positions = new Map<string, number[]>()
  readonly listeners = new Set<(change: StoreChange) => void>()
  /** One operation at a time per document. */
  private readonly chains = new Map<string, Promise<unknown>>()
  private lastPosition = 0
  handles = 0

  constructor(
    readonly dir: string,
    readonly stateDir: string,
    private readonly release: () => Promise<void>,
    private readonly logger: Logger | undefined,
  ) {
    this.logDir = join(stateDir, LOG_DIR)
  }

  static async open(dir: string, logger: Logger | undefined): Promise<LibraryCore> {
    const stateDir = join(dir, STATE_DIR)
    await mkdir(join(stateDir, LOG_DIR), { recursive: true })
    await writeFileAtomic(join(stateDir, FORMAT_FILE), FORMAT).catch(() => {})
    const release = await acquireProcessLock(join(stateDir, LOCK))
    const core = new LibraryCore(dir, stateDir, release, logger)
    try {
      await core.scan()
    } catch (error) {
      await release()
      throw error
    }
    return core
  }

  /** Reads every log: positions, the highest one, and cuts off torn tails. */
  private async scan(): Promise<void> {
    for (const name of await readdir(this.logDir)) {
      if (name.startsWith(TEMP_PREFIX)) {
        // Debris of a compaction interrupted before its rename: the old log is intact.
        await unlink(join(this.logDir, name)).catch(() => {})
        continue
      }
      if (!name.endsWith(LOG_EXT)) continue
      const docId = decodeDocId(name)
      if (docId === null) continue
      const records = await this.readLog(docId)
      if (records.length === 0) continue
      const positions = records.map((r) => r.position)
      this.positions.set(docId, positions)
      this.lastPosition = Math.max(this.lastPosition, ...positions)
    }
  }

  path(docId: string): string {
    return join(this.logDir, `${encodeDocId(docId)}${LOG_EXT}`)
  }

  /** The intact records of a log; a damaged tail is cut off (we hold the library lock). */
  async readLog(docId: string) {
    const path = this.path(docId)
    let bytes: Buffer
    try {
      bytes = await readFile(path)
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return []
      throw error
    }
    const { records, used, damage } = decodeRecords(bytes)
    if (damage) {
      const handle = await open(path, 'r+')
      try {
        await handle.truncate(used)
        await handle.datasync()
      } finally {
        await handle.close()
      }
      this.logger?.warn('Cut a damaged end off a document log (a write interrupted by a crash)', {
        docId,
        reason: damage,
        droppedBytes: bytes.length - used,
      })
    }
    return records
  }

  nextPosition(): number {
    return ++this.lastPosition
  }

  serial<T>(docId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(docId) ?? Promise.resolve()
    const next = previous.then(fn, fn)
    const settled = next.then(
      () => undefined,
      () => undefined,
    )
    this.chains.set(docId, settled)
    void settled.then(() => {
      if (this.chains.get(docId) === settled) this.chains.delete(docId)
    })
    return next
  }

  emit(change: StoreChange): void {
    for (const l of this.listeners) l(change)
  }

  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()])
  }

  async close(): Promise<void> {
    await this.idle()
    this.listeners.clear()
    await this.release()
  }
}

const cores = new Map<string, Promise<LibraryCore>>()

function storageError(operation: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error
  return new StorageError(`Could not ${operation}: ${(error as Error)?.message ?? String(error)}`, {
    cause: errorCode(error) ?? 'Unknown',
    operation,
  })
}

/** See the module comment. */
export class FsDocumentStore implements DocumentStore {
  private closed = false

  private constructor(
    private readonly core: LibraryCore,
    private readonly key: string,
  ) {}

  /**
   * Opens (creating if needed) the library at `init.dir`.
   *
   * @throws {StorageError} `cause: 'Locked'` when another live process has it open.
   */
  static async open(init: FsDocumentStoreInit): Promise<FsDocumentStore> {
    try {
      await mkdir(init.dir, { recursive: true })
      const key = await realpath(init.dir)
      let pending = cores.get(key)
      if (!pending) {
        pending = LibraryCore.open(key, init.logger)
        cores.set(key, pending)
        pending.catch(() => cores.delete(key))
      }
      const core = await pending
      core.handles++
      return new FsDocumentStore(core, key)
    } catch (error) {
      throw storageError(`open the library in ${init.dir}`, error)
    }
  }

  /** The library folder (resolved). */
  get dir(): string {
    return this.core.dir
  }

  /** The hidden folder beside the Markdown files. */
  get stateDir(): string {
    return this.core.stateDir
  }

  /** Observes durable appends, compactions and deletes; returns the unsubscribe function. */
  onChange(listener: (change: StoreChange) => void): () => void {
    this.core.listeners.add(listener)
    return () => this.core.listeners.delete(listener)
  }

  append(docId: string, update: Uint8Array): Promise<number> {
    return this.run('save a change', docId, async () => {
      const core = this.core
      const path = core.path(docId)
      const known = core.positions.get(docId)
      const position = core.nextPosition()
      const handle = await open(path, 'a')
      try {
        const record = encodeRecord(position, update)
        let written = 0
        while (written < record.length)
          written += (await handle.write(record, written, record.length - written)).bytesWritten
        await handle.datasync()
      } finally {
        await handle.close()
      }
      // A new file's name must be durable too, or the whole log could vanish.
      if (!known) await syncDir(core.logDir)
      if (known) known.push(position)
      else core.positions.set(docId, [position])
      core.emit({ type: 'append', docId, position })
      return position
    })
  }

  load(docId: string): Promise<StoredUpdates> {
    return this.run('load a document', docId, async () => {
      const records = await this.core.readLog(docId)
      return {
        updates: records.map((r) => r.update),
        cursor: records.at(-1)?.position ?? null,
      }
    })
  }

  compact(docId: string, merged: Uint8Array, cursor: number): Promise<void> {
    return this.run('compact a document', docId, async () => {
      const core = this.core
      for (const [id, positions] of core.positions)
        if (id !== docId && positions.includes(cursor))
          throw new StorageError('Could not compact a document: the cursor is not from it', {
            cause: 'ForeignCursor',
            operation: 'compact a document',
          })
      const records = await core.readLog(docId)
      // Nothing at or before the cursor: compacted further already, or deleted.
      if (!records.some((r) => r.position <= cursor)) return
      const later = records.filter((r) => r.position > cursor)
      const bytes = Buffer.concat([
        encodeRecord(cursor, merged),
        ...later.map((r) => encodeRecord(r.position, r.update)),
      ])
      await writeFileAtomic(core.path(docId), bytes)
      core.positions.set(docId, [cursor, ...later.map((r) => r.position)])
      core.emit({ type: 'compact', docId })
    })
  }

  async list(): Promise<string[]> {
    this.check('list documents')
    return [...this.core.positions.keys()].sort()
  }

  delete(docId: string): Promise<void> {
    return this.run('delete a document', docId, async () => {
      const core = this.core
      if (!core.positions.has(docId)) return
      // Renamed away first: a crash mid-delete leaves no half-deleted log.
      const path = core.path(docId)
      const doomed = join(core.logDir, `${TEMP_PREFIX}deleted-${encodeDocId(docId)}`)
      await rename(path, doomed).catch((error: unknown) => {
        if (errorCode(error) !== 'ENOENT') throw error
      })
      await syncDir(core.logDir)
      await rm(doomed, { force: true })
      core.positions.delete(docId)
      core.emit({ type: 'delete', docId })
    })
  }

  /** Resolves once every operation started so far has finished. */
  idle(): Promise<void> {
    return this.core.idle()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const core = this.core
    core.handles--
    if (core.handles === 0) {
      cores.delete(this.key)
      await core.close()
    }
  }

  private check(operation: string): void {
    if (this.closed)
      throw new StorageError(`Could not ${operation}: the library is closed`, {
        cause: 'Closed',
        operation,
      })
  }

  private async run<T>(operation: string, docId: string, fn: () => Promise<T>): Promise<T> {
    this.check(operation)
    try {
      return await this.core.serial(docId, fn)
    } catch (error) {
      throw storageError(operation, error)
    }
  }
}
