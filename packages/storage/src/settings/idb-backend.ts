/**
 * {@link SettingsBackend} over IndexedDB, for the web engine. Tabs of one profile share
 * the database; a commit reads, checks and writes in one `strict` transaction (IndexedDB
 * serializes read-write transactions on a store, so two tabs never overwrite each other),
 * inside a Web Lock so commits from all tabs also reach the channel in order; then a
 * BroadcastChannel message makes the other tabs reload at once.
 */
import { StorageError } from '@whatnext/core/errors'
import { wrap, type IDBPDatabase } from 'idb'
import { toStorageError } from '../idb.ts'
import { generateSecretKey, type SecretKeyProvider, type Subtle } from './secrets.ts'
import {
  applyCommit,
  type BackendEvent,
  type BackendLoad,
  type SettingsBackend,
  type SettingsCommit,
  type SettingsState,
} from './state.ts'

// ───────────────────────────────────────────────────────────────────────────────────────
// PERSISTED NAMES. Database version, store names and the key `BACKUP` live in users'
// browsers: changing them needs a new VERSION with an upgrade step.
// ───────────────────────────────────────────────────────────────────────────────────────
const VERSION = 1
const STATE = 'state'
const BACKUPS = 'backups'
const KEYS = 'keys'
/** Backup label the backend keeps current: the state before the latest commit. */
const BACKUP = 'previous'
/** Database used when {@link IdbSettingsInit.name} is not given. */
export const DEFAULT_SETTINGS_DATABASE = 'whatnext-settings'

/** The part of `BroadcastChannel` used here (Node has one too; tests may fake it). */
export interface ChannelLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void
  close(): void
}

/** The part of the Web Locks API (`navigator.locks`) used here. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>
}

/** Options of {@link IdbSettingsBackend.open}. */
export interface IdbSettingsInit {
  /** Database name, one per profile. Default {@link DEFAULT_SETTINGS_DATABASE}. */
  name?: string
  /** Which store in the database (several stores may share one). Default `'settings'`. */
  store?: string
  /** Default: the global `indexedDB`. */
  indexedDB?: IDBFactory
  /** Default: a global `BroadcastChannel`; `null` for none (no cross-tab notices). */
  channel?: ((name: string) => ChannelLike) | null
  /** Default: `navigator.locks` where present; `null` for none. */
  locks?: LockManagerLike | null
}

const STRICT: IDBTransactionOptions = { durability: 'strict' }

function factoryOf(init: { indexedDB?: IDBFactory }): IDBFactory {
  const factory = init.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB
  if (!factory)
    throw new StorageError('Could not open the settings: IndexedDB is unavailable', {
      cause: 'Unavailable',
    })
  return factory
}

async function openDatabase(factory: IDBFactory, name: string): Promise<IDBPDatabase> {
  const request = factory.open(name, VERSION)
  request.addEventListener('upgradeneeded', (event) => {
    const db = request.result
    if (event.oldVersion < 1) {
      db.createObjectStore(STATE)
      db.createObjectStore(BACKUPS)
      db.createObjectStore(KEYS)
    }
  })
  try {
    const db = (await wrap(request)) as IDBPDatabase
    // Step aside for a newer version in another tab instead of blocking it.
    db.addEventListener('versionchange', () => db.close())
    return db
  } catch (error) {
    throw toStorageError('open the settings', error)
  }
}

/** A {@link SettingsBackend} in IndexedDB; see the module comment. */
export class IdbSettingsBackend implements SettingsBackend {
  private readonly db: IDBPDatabase
  private readonly id: string
  private readonly channel: ChannelLike | null
  private readonly locks: LockManagerLike | null
  private readonly lockName: string
  private readonly listeners = new Set<(event: BackendEvent) => void>()
  private seen = 0
  private closed = false

  private constructor(db: IDBPDatabase, name: string, id: string, init: IdbSettingsInit) {
    this.db = db
    this.id = id
    this.lockName = `whatnext-settings:${name}:${id}`
    const makeChannel =
      init.channel === undefined
        ? typeof BroadcastChannel === 'function'
          ? (n: string) => new BroadcastChannel(n) as ChannelLike
          : null
        : init.channel
    this.channel = makeChannel ? makeChannel(this.lockName) : null
    this.channel?.addEventListener('message', () => void this.pull())
    this.locks =
      init.locks === undefined
        ? ((globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks ?? null)
        : init.locks
  }

  /**
   * Opens (creating if needed) the settings database.
   *
   * @throws {StorageError} when IndexedDB is unavailable or refuses to open.
   */
  static async open(init: IdbSettingsInit = {}): Promise<IdbSettingsBackend> {
    const name = init.name ?? DEFAULT_SETTINGS_DATABASE
    const db = await openDatabase(factoryOf(init), name)
    return new IdbSettingsBackend(db, name, init.store ?? 'settings', init)
  }

  async load(): Promise<BackendLoad> {
    // Not marked as seen: whoever reads here (the store, or the app checking what is
    // stored) is not every listener, and a notice of this state may still be on its way.
    const state = await this.read()
    return {
      state,
      issues: [],
      backup: () =>
        this.guard('read the settings backup', async () => {
          return ((await this.db.get(BACKUPS, `${this.id}:${BACKUP}`)) as SettingsState) ?? null
        }),
    }
  }

  commit(
    prepare: (latest: SettingsState | null) => SettingsCommit | null,
  ): Promise<SettingsState | null> {
    return this.exclusive('save the settings', async () => {
      const tx = this.db.transaction([STATE, BACKUPS], 'readwrite', STRICT)
      let next: SettingsState | null
      try {
        const latest = ((await tx.objectStore(STATE).get(this.id)) as SettingsState) ?? null
        // Synchronous: awaiting anything else here would let the transaction commit.
        const commit = prepare(latest)
        next = commit ? applyCommit(latest, commit) : latest
        if (commit) {
          void tx.objectStore(BACKUPS).put(latest, `${this.id}:${BACKUP}`)
          void tx.objectStore(STATE).put(next, this.id)
        }
      } catch (error) {
        tx.done.catch(() => {})
        tx.abort()
        throw error
      }
      await tx.done
      this.announce(next)
      return next
    })
  }

  subscribe(listener: (event: BackendEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  backup(label: string): Promise<void> {
    return this.guard('back up the settings', async () => {
      const tx = this.db.transaction([STATE, BACKUPS], 'readwrite', STRICT)
      const state = (await tx.objectStore(STATE).get(this.id)) as SettingsState | undefined
      await tx.objectStore(BACKUPS).put(state ?? null, `${this.id}:${label}`)
      await tx.done
    })
  }

  restore(label: string): Promise<SettingsState | null> {
    return this.exclusive('restore the settings', async () => {
      const tx = this.db.transaction([STATE, BACKUPS], 'readwrite', STRICT)
      const copy = (await tx.objectStore(BACKUPS).get(`${this.id}:${label}`)) as
        SettingsState | null | undefined
      if (copy === undefined) {
        tx.abort()
        tx.done.catch(() => {})
        throw new StorageError(`No settings backup named "${label}"`)
      }
      const latest = (await tx.objectStore(STATE).get(this.id)) as SettingsState | undefined
      const next = copy ? { ...copy, seq: (latest?.seq ?? 0) + 1 } : null
      if (next) await tx.objectStore(STATE).put(next, this.id)
      else await tx.objectStore(STATE).delete(this.id)
      await tx.done
      this.announce(next)
      return next
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.listeners.clear()
    this.channel?.close()
    this.db.close()
  }

  private announce(state: SettingsState | null): void {
    if (!state || state.seq <= this.seen) return
    this.seen = state.seq
    this.channel?.postMessage({ seq: state.seq })
  }

  /** Another tab committed: read the latest and pass it on if it is new to us. */
  private async pull(): Promise<void> {
    if (this.closed) return
    try {
      const state = await this.read()
      if (!state || state.seq <= this.seen) return
      this.seen = state.seq
      for (const listener of this.listeners) listener({ type: 'changed', state })
    } catch {
      // Closed meanwhile, or the database went away: the next commit reports it.
    }
  }

  private read(): Promise<SettingsState | null> {
    return this.guard(
      'read the settings',
      async () => ((await this.db.get(STATE, this.id)) as SettingsState | undefined) ?? null,
    )
  }

  private exclusive<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return this.guard(operation, () => (this.locks ? this.locks.request(this.lockName, fn) : fn()))
  }

  private async guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    if (this.closed)
      throw new StorageError('The settings backend is closed', { cause: 'Closed', operation })
    try {
      return await fn()
    } catch (error) {
      // The store's own refusals pass through untouched.
      if (error instanceof Error && 'code' in error) throw error
      throw toStorageError(operation, error)
    }
  }
}

/** Options of {@link idbSecretKey}. */
export interface IdbSecretKeyInit {
  /** Database name. Default {@link DEFAULT_SETTINGS_DATABASE}. */
  name?: string
  indexedDB?: IDBFactory
  /** Default `globalThis.crypto.subtle`. */
  subtle?: Subtle
}

/**
 * The web's secrets key: a non-extractable AES-GCM 256 key made once per profile and kept
 * in IndexedDB (structured clone keeps it non-extractable: script can use it, never read
 * it). Two tabs creating it at once agree on whichever was stored first.
 */
export function idbSecretKey(init: IdbSecretKeyInit = {}): SecretKeyProvider {
  let key: Promise<CryptoKey> | undefined
  const load = async (): Promise<CryptoKey> => {
    const db = await openDatabase(factoryOf(init), init.name ?? DEFAULT_SETTINGS_DATABASE)
    try {
      const existing = (await db.get(KEYS, 'secrets')) as CryptoKey | undefined
      if (existing) return existing
      const fresh = await generateSecretKey(init.subtle ?? globalThis.crypto.subtle)
      const tx = db.transaction(KEYS, 'readwrite', STRICT)
      const stored = (await tx.store.get('secrets')) as CryptoKey | undefined
      if (!stored) await tx.store.add(fresh, 'secrets')
      await tx.done
      return stored ?? fresh
    } catch (error) {
      throw toStorageError('read the secrets key', error)
    } finally {
      db.close()
    }
  }
  return {
    key: () => {
      key ??= load()
      key.catch(() => (key = undefined))
      return key
    },
  }
}
