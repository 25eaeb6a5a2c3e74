/**
 * IndexedDB adapters (via `idb`): the web engine's durable storage. Several tabs open
 * the same database at once; appends get fresh auto-increment keys so they never
 * overwrite each other, and `compact` rewrites only entries the caller has seen.
 */
import { StorageError } from '@whatnext/core/errors'
import type { DocumentStore, KeyValueStore, StoredUpdates } from '@whatnext/core/ports'
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'

// PERSISTED NAMES: store, index and field names below live in users' browsers.
// Changing any of them needs a new version with a migration in `upgrade`.
const VERSION = 1
const UPDATES = 'updates'
const BY_DOC = 'byDoc'
const KV = 'kv'

interface Schema extends DBSchema {
  [UPDATES]: {
    key: number
    value: { docId: string; update: Uint8Array }
    indexes: { [BY_DOC]: string }
  }
  [KV]: { key: string; value: unknown }
}

/** Options for {@link IdbDocumentStore.open}. */
export interface IdbInit {
  /** Database name, one per profile. Default `whatnext`. */
  name?: string
}

// Writes resolve only once the transaction is durable on disk ("strict"): an edit the UI
// shows as saved must survive a crash or power cut right after.
const DURABLE = { durability: 'strict' } as const

async function guard<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (error) {
    if (error instanceof StorageError) throw error
    const name = error instanceof Error ? error.name : 'Error'
    const hint = name === 'QuotaExceededError' ? ' (the browser storage quota is full)' : ''
    throw new StorageError(`Could not ${what}${hint}`, { cause: name })
  }
}

/** Opens the database, creating or upgrading its stores. */
async function openDatabase(name: string, onClosed: () => void): Promise<IDBPDatabase<Schema>> {
  return guard('open the library database', () =>
    openDB<Schema>(name, VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          const updates = db.createObjectStore(UPDATES, { autoIncrement: true })
          updates.createIndex(BY_DOC, 'docId')
          db.createObjectStore(KV)
        }
      },
      // A newer tab wants to upgrade: step aside instead of blocking it.
      blocking(_current, _next, event) {
        ;(event.target as IDBDatabase).close()
        onClosed()
      },
      terminated: onClosed,
    }),
  )
}

/** {@link DocumentStore} over IndexedDB. */
export class IdbDocumentStore implements DocumentStore {
  private closed = false

  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  /** Opens (or creates) the profile's database. */
  static async open(init: IdbInit = {}): Promise<IdbDocumentStore> {
    const holder: { store?: IdbDocumentStore } = {}
    const db = await openDatabase(init.name ?? 'whatnext', () => {
      if (holder.store) holder.store.closed = true
    })
    holder.store = new IdbDocumentStore(db)
    return holder.store
  }

  /** The key-value store in the same database. */
  keyValues(): KeyValueStore {
    return new IdbKeyValueStore(this.db, () => this.check())
  }

  append(docId: string, update: Uint8Array): Promise<number> {
    return guard('save a change', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readwrite', DURABLE)
      const key = await tx.store.add({ docId, update })
      await tx.done
      return key
    })
  }

  load(docId: string): Promise<StoredUpdates> {
    return guard('read a playlist', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readonly')
      const index = tx.store.index(BY_DOC)
      // Both lists come back in primary-key (= append) order for one index key.
      const [keys, values] = await Promise.all([index.getAllKeys(docId), index.getAll(docId)])
      await tx.done
      return { updates: values.map((v) => v.update), cursor: keys.at(-1) ?? null }
    })
  }

  compact(docId: string, merged: Uint8Array, cursor: number): Promise<void> {
    return guard('compact a playlist', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readwrite', DURABLE)
      const keys = await tx.store.index(BY_DOC).getAllKeys(docId)
      await Promise.all(keys.filter((k) => k <= cursor).map((k) => tx.store.delete(k)))
      // Reusing the cursor's key keeps the snapshot ahead of every later append.
      await tx.store.put({ docId, update: merged }, cursor)
      await tx.done
    })
  }

  list(): Promise<string[]> {
    return guard('list playlists', async () => {
      this.check()
      const ids: string[] = []
      let cursor = await this.db
        .transaction(UPDATES)
        .store.index(BY_DOC)
        .openKeyCursor(null, 'nextunique')
      while (cursor) {
        ids.push(cursor.key)
        cursor = await cursor.continue()
      }
      return ids
    })
  }

  delete(docId: string): Promise<void> {
    return guard('delete a playlist', async () => {
      this.check()
      const tx = this.db.transaction(UPDATES, 'readwrite', DURABLE)
      const keys = await tx.store.index(BY_DOC).getAllKeys(docId)
      await Promise.all(keys.map((k) => tx.store.delete(k)))
      await tx.done
    })
  }

  async close(): Promise<void> {
    this.closed = true
    this.db.close()
  }

  private check() {
    if (this.closed)
      throw new StorageError('The library database is closed (another tab may be upgrading it)')
  }
}

/** {@link KeyValueStore} over the same IndexedDB database. */
export class IdbKeyValueStore implements KeyValueStore {
  constructor(
    private readonly db: IDBPDatabase<Schema>,
    private readonly check: () => void,
  ) {}

  get<T = unknown>(key: string): Promise<T | undefined> {
    return guard('read a setting', async () => {
      this.check()
      return (await this.db.get(KV, key)) as T | undefined
    })
  }

  set(key: string, value: unknown): Promise<void> {
    return guard('save a setting', async () => {
      this.check()
      const tx = this.db.transaction(KV, 'readwrite', DURABLE)
      await tx.store.put(value, key)
      await tx.done
    })
  }

  delete(key: string): Promise<void> {
    return guard('delete a setting', async () => {
      this.check()
      const tx = this.db.transaction(KV, 'readwrite', DURABLE)
      await tx.store.delete(key)
      await tx.done
    })
  }
}
