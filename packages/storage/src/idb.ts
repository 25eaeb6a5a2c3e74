/**
 * IndexedDB adapters (via `idb`): the web engine's durable storage. Several tabs open
 * the same database at once; appends get fresh auto-increment keys so they never
 * overwrite each other, and `compact` rewrites only entries the caller has seen.
 */
import { StorageError } from '@whatnext/core/errors'
import type { DocumentStore, KeyValueStore, StoredUpdates } from '@whatnext/core/ports'
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb'

// ───────────────────────────────────────────────────────────────────────────────────────
// PERSISTED NAMES. The database version, store names, index names and the record fields
// (`docId`, `update`) below live in users' browsers. Changing any of them needs a new
// VERSION with a migration step in `upgrade`; never edit an existing step.
// ───────────────────────────────────────────────────────────────────────────────────────
const VERSION = 1
const UPDATES = 'updates'
const BY_DOC = 'byDoc'
const KV = 'kv'
/** Database name used when {@link IdbInit.name} is not given. */
export const DEFAULT_DATABASE_NAME = 'whatnext'

/** One row of the `updates` store; its auto-increment key is the update's position. */
interface UpdateRecord {
  docId: string
  update: Uint8Array
}

interface Schema extends DBSchema {
  [UPDATES]: { key: number; value: UpdateRecord; indexes: { [BY_DOC]: string } }
  [KV]: { key: string; value: unknown }
}

type UpgradeTransaction = IDBPTransaction<Schema, StoreNames<Schema>[], 'versionchange'>

/**
 * Brings the schema from `oldVersion` to {@link VERSION}, one step per version, so a
 * database of any older version (or a new one, `oldVersion` 0) ends up current.
 */
function upgrade(db: IDBPDatabase<Schema>, oldVersion: number, _tx: UpgradeTransaction): void {
  if (oldVersion < 1) {
    // Auto-increment keys are positions: never reused, so concurrent appends from
    // several connections can never overwrite each other.
    const updates = db.createObjectStore(UPDATES, { autoIncrement: true })
    // Index entries with equal docId are ordered by primary key, i.e. append order.
    updates.createIndex(BY_DOC, 'docId')
    db.createObjectStore(KV)
  }
  // Next migration: `if (oldVersion < 2) { … }` using `_tx` to move data, then bump VERSION.
}

/** Why an {@link IdbDocumentStore} closed without its owner asking. */
export type IdbCloseReason =
  /** Another tab opened a newer schema version (or deleted the database); reload to follow. */
  | 'versionchange'
  /** The browser closed the connection (site data cleared, disk failure). */
  | 'terminated'

/** Options for {@link IdbDocumentStore.open}. */
export interface IdbInit {
  /** Database name, one per profile. Default {@link DEFAULT_DATABASE_NAME}. */
  name?: string
  /** IndexedDB factory to use; defaults to the global `indexedDB` (tests inject one). */
  indexedDB?: IDBFactory
  /**
   * Called when opening waits because an older tab keeps the database open and does not
   * step aside; the open completes once that tab closes. Tell the user to close it.
   */
  onBlocked?: () => void
  /** Called when the connection closes on its own; later calls fail with `StorageError`. */
  onClose?: (reason: IdbCloseReason) => void
}

// Writes resolve only when the transaction is committed *and flushed* ('strict'). With
// 'relaxed' (Chromium's default since 121, as in Firefox and Safari:
// https://developer.chrome.com/blog/indexeddb-durability-mode-now-defaults-to-relaxed)
// `complete` may fire while the data still sits in OS buffers, so an edit shown as saved
// could vanish in a crash or power cut, and a local-first app may hold its only copy.
// The flush costs latency, not throughput: the engine keeps one append in flight and
// merges the edits queued meanwhile into the next, so slower flushes mean larger appends.
const STRICT: IDBTransactionOptions = { durability: 'strict' }

const HINTS: Record<string, string> = {
  QuotaExceededError: "the browser's storage quota for this site is full",
  InvalidStateError: 'the database connection is closed',
  VersionError: 'the database was written by a newer version of WhatNext; reload the app',
  DataCloneError: 'the value cannot be stored',
  AbortError: 'the transaction was aborted',
  UnknownError: "the browser's storage failed (disk error or low space)",
  NotFoundError: 'the database is missing its stores',
}

/**
 * Wraps a failure of IndexedDB (a `DOMException` or anything else) in a
 * {@link StorageError}; `details.cause` holds the original error's name.
 */
export function toStorageError(operation: string, error: unknown): StorageError {
  if (error instanceof StorageError) return error
  const name =
    error && typeof error === 'object' && 'name' in error ? String(error.name) : 'UnknownError'
  const hint = HINTS[name] ?? 'the browser storage reported an error'
  const wrapped = new StorageError(`Could not ${operation}: ${hint}`, { cause: name, operation })
  wrapped.cause = error
  return wrapped
}

async function guard<T>(operation: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (error) {
    throw toStorageError(operation, error)
  }
}

/** Structured clone copies the whole buffer behind a view; store just the view's bytes. */
function exactBytes(update: Uint8Array): Uint8Array {
  return update.byteOffset === 0 && update.byteLength === update.buffer.byteLength
    ? update
    : update.slice()
}

/**
 * Runs `body` in `tx` and resolves once `tx` has committed. If `body` fails the
 * transaction is aborted, so a half-done write (say, deletes without the put) never lands.
 */
async function inTransaction<T>(
  tx: { done: Promise<void>; abort(): void },
  body: () => Promise<T>,
): Promise<T> {
  let result: T
  try {
    result = await body()
  } catch (error) {
    tx.done.catch(() => {}) // its AbortError is expected; report `error` instead
    try {
      tx.abort()
    } catch {
      // Already finished or aborting.
    }
    throw error
  }
  await tx.done
  return result
}

/** Like `idb`'s `openDB`, but on an injected factory (openDB always uses the global). */
function openDatabase(
  factory: IDBFactory,
  name: string,
  onBlocked: (() => void) | undefined,
): Promise<IDBPDatabase<Schema>> {
  const request = factory.open(name, VERSION)
  const opened = wrap(request) as Promise<IDBPDatabase<Schema>>
  let upgradeError: unknown
  request.addEventListener('upgradeneeded', (event) => {
    const tx = wrap(request.transaction!) as unknown as UpgradeTransaction
    try {
      upgrade(wrap(request.result) as unknown as IDBPDatabase<Schema>, event.oldVersion, tx)
    } catch (error) {
      upgradeError = error
      tx.done.catch(() => {}) // the open request reports the failure
      tx.abort()
    }
  })
  if (onBlocked) request.addEventListener('blocked', () => onBlocked())
  return opened.catch((error: unknown) => {
    throw upgradeError ?? error
  })
}

/** {@link DocumentStore} over IndexedDB: one database per profile, shared by all its tabs. */
export class IdbDocumentStore implements DocumentStore {
  private closedBy: IdbCloseReason | 'close' | null = null

  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  /**
   * Opens (creating or upgrading) the profile's database.
   *
   * @throws {StorageError} when IndexedDB is unavailable or refuses to open (e.g. a newer
   *   version of the app already upgraded it: `details.cause === 'VersionError'`).
   */
  static async open(init: IdbInit = {}): Promise<IdbDocumentStore> {
    const factory = init.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB
    if (!factory)
      throw new StorageError('Could not open the library database: IndexedDB is unavailable', {
        cause: 'Unavailable',
        operation: 'open the library database',
      })
    const name = init.name ?? DEFAULT_DATABASE_NAME
    const db = await guard('open the library database', () =>
      openDatabase(factory, name, init.onBlocked),
    )
    const store = new IdbDocumentStore(db)
    // A newer tab wants to upgrade (or delete) the database: step aside at once rather
    // than block it. Transactions already running still finish.
    db.addEventListener('versionchange', () => {
      db.close()
      store.shutDown('versionchange', init.onClose)
    })
    // Fired only for abnormal closes, never for db.close().
    db.addEventListener('close', () => store.shutDown('terminated', init.onClose))
    return store
  }

  /** The key-value store in the same database (object store `kv`); shares this connection. */
  keyValues(): IdbKeyValueStore {
    return new IdbKeyValueStore(this.db, () => this.check())
  }

  /** Appends one update under a new position; resolves after a durable commit. */
  append(docId: string, update: Uint8Array): Promise<number> {
    return guard('save a change', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readwrite', STRICT)
      return inTransaction(tx, () => tx.store.add({ docId, update: exactBytes(update) }))
    })
  }

  /** Every update of `docId` in append order, and the position of the last one. */
  load(docId: string): Promise<StoredUpdates> {
    return guard('read a playlist', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readonly')
      const index = tx.store.index(BY_DOC)
      // Both come back in primary-key (= append) order and see the same snapshot.
      const [keys, records] = await inTransaction(tx, () =>
        Promise.all([index.getAllKeys(docId), index.getAll(docId)]),
      )
      return { updates: records.map((r) => r.update), cursor: keys.at(-1) ?? null }
    })
  }

  /**
   * Replaces `docId`'s updates at or before `cursor` with `merged`, stored under the
   * cursor's own key so it sorts before every later append, in one transaction.
   * When none of those updates is left (another tab compacted further, or the document
   * was deleted) it does nothing: what `merged` holds is already covered, or was deleted.
   *
   * @throws {StorageError} if `cursor` is the position of another document's update.
   */
  compact(docId: string, merged: Uint8Array, cursor: number): Promise<void> {
    return guard('compact a playlist', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readwrite', STRICT)
      await inTransaction(tx, async () => {
        const atCursor = await tx.store.get(cursor)
        if (atCursor && atCursor.docId !== docId)
          throw new StorageError('Could not compact a playlist: the cursor is not from it', {
            cause: 'ForeignCursor',
            operation: 'compact a playlist',
          })
        const seen = await tx.store.index(BY_DOC).getAllKeys(docId)
        const covered = seen.filter((k) => k <= cursor)
        if (covered.length === 0) return
        await Promise.all(covered.map((k) => tx.store.delete(k)))
        // Reusing the cursor's key keeps the snapshot ahead of every later append.
        await tx.store.put({ docId, update: exactBytes(merged) }, cursor)
      })
    })
  }

  /** Ids of all documents with at least one update, sorted. */
  list(): Promise<string[]> {
    return guard('list playlists', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readonly')
      return inTransaction(tx, async () => {
        const ids: string[] = []
        let cursor = await tx.store.index(BY_DOC).openKeyCursor(null, 'nextunique')
        while (cursor) {
          ids.push(cursor.key)
          cursor = await cursor.continue()
        }
        return ids
      })
    })
  }

  /** Removes every update of `docId`; unknown documents are a no-op. */
  delete(docId: string): Promise<void> {
    return guard('delete a playlist', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readwrite', STRICT)
      await inTransaction(tx, async () => {
        const keys = await tx.store.index(BY_DOC).getAllKeys(docId)
        await Promise.all(keys.map((k) => tx.store.delete(k)))
      })
    })
  }

  /** Closes the connection (pending transactions still finish); later calls fail. */
  async close(): Promise<void> {
    if (this.closedBy) return
    this.closedBy = 'close'
    this.db.close()
  }

  private shutDown(reason: IdbCloseReason, onClose: IdbInit['onClose']) {
    if (this.closedBy) return
    this.closedBy = reason
    onClose?.(reason)
  }

  private check() {
    if (!this.closedBy) return
    const why =
      this.closedBy === 'versionchange'
        ? 'a newer version of WhatNext opened it in another tab; reload this tab'
        : this.closedBy === 'terminated'
          ? 'the browser closed it (site data cleared or a disk error)'
          : 'it was closed'
    throw new StorageError(`The library database is closed: ${why}`, {
      cause: this.closedBy === 'close' ? 'Closed' : this.closedBy,
    })
  }
}

/**
 * {@link KeyValueStore} in the `kv` object store of an {@link IdbDocumentStore}'s
 * database; get one from {@link IdbDocumentStore.keyValues}. Values are structured-cloned.
 */
export class IdbKeyValueStore implements KeyValueStore {
  /** @internal Use {@link IdbDocumentStore.keyValues}. */
  constructor(
    private readonly db: IDBPDatabase<Schema>,
    private readonly check: () => void,
  ) {}

  /** The value stored under `key`, or `undefined`. */
  get<T = unknown>(key: string): Promise<T | undefined> {
    return guard('read a setting', async () => {
      this.check()
      return (await this.db.get(KV, key)) as T | undefined
    })
  }

  /** Stores a copy of `value` under `key`, replacing any previous one. */
  set(key: string, value: unknown): Promise<void> {
    return guard('save a setting', async () => {
      this.check()
      const tx = this.db.transaction(KV, 'readwrite', STRICT)
      await inTransaction(tx, () => tx.store.put(value, key))
    })
  }

  /** Removes `key`; unknown keys are a no-op. */
  delete(key: string): Promise<void> {
    return guard('delete a setting', async () => {
      this.check()
      const tx = this.db.transaction(KV, 'readwrite', STRICT)
      await inTransaction(tx, () => tx.store.delete(key))
    })
  }
}
