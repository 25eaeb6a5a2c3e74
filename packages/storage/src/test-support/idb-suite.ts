/**
 * IndexedDB-only behaviour (schema, versions, error wrapping), run on fake-indexeddb in
 * Node and on real IndexedDB in Chromium.
 */
import { StorageError } from '@whatnext/core/errors'
import { describe, expect, it } from 'vitest'
import { IdbDocumentStore, type IdbCloseReason } from '../idb.ts'

/** Opens a database with the raw API (what another app version would do). */
function rawOpen(
  factory: IDBFactory,
  name: string,
  version?: number,
  upgrade?: (db: IDBDatabase) => void,
): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, version)
    request.onupgradeneeded = () => upgrade?.(request.result)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
    request.onblocked = () => reject(new Error('blocked'))
  })
}

/** Registers the IndexedDB adapter's own tests; `factory` is the IndexedDB under test. */
export function idbSuite(name: string, factory: () => IDBFactory): void {
  let n = 0
  const fresh = () => `idb-suite-${Date.now()}-${n++}`

  describe(`IdbDocumentStore: ${name}`, () => {
    it('keeps its persisted schema: stores updates (auto-increment, index byDoc) and kv', async () => {
      const dbName = fresh()
      const store = await IdbDocumentStore.open({ name: dbName, indexedDB: factory() })
      await store.close()
      const db = await rawOpen(factory(), dbName)
      expect(db.version).toBe(1)
      expect(Array.from(db.objectStoreNames).sort()).toEqual(['kv', 'updates'])
      const tx = db.transaction(['updates', 'kv'])
      const updates = tx.objectStore('updates')
      expect(updates.autoIncrement).toBe(true)
      expect(updates.keyPath).toBeNull()
      expect(Array.from(updates.indexNames)).toEqual(['byDoc'])
      expect(updates.index('byDoc').keyPath).toBe('docId')
      expect(tx.objectStore('kv').autoIncrement).toBe(false)
      db.close()
    })

    it('shares one database between handles, KV included', async () => {
      const dbName = fresh()
      const a = await IdbDocumentStore.open({ name: dbName, indexedDB: factory() })
      const b = await IdbDocumentStore.open({ name: dbName, indexedDB: factory() })
      await a.keyValues().set('identity', { peerId: 'p1' })
      expect(await b.keyValues().get('identity')).toEqual({ peerId: 'p1' })
      await a.close()
      await a.close() // idempotent
      await expect(a.keyValues().get('identity')).rejects.toBeInstanceOf(StorageError)
      expect(await b.keyValues().get('identity')).toEqual({ peerId: 'p1' })
      await b.close()
    })

    it('steps aside when another tab opens a newer version, then fails calls clearly', async () => {
      const dbName = fresh()
      const reasons: IdbCloseReason[] = []
      const store = await IdbDocumentStore.open({
        name: dbName,
        indexedDB: factory(),
        onClose: (reason) => reasons.push(reason),
      })
      await store.append('d', new Uint8Array([1]))
      // Rejects on `blocked`, so this passing proves the store closed at once.
      const newer = await rawOpen(factory(), dbName, 2)
      expect(reasons).toEqual(['versionchange'])
      const error = await store.load('d').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).details).toMatchObject({ cause: 'versionchange' })
      expect((error as StorageError).message).toMatch(/newer version/)
      newer.close()
    })

    it('refuses a database written by a newer version with StorageError(VersionError)', async () => {
      const dbName = fresh()
      ;(await rawOpen(factory(), dbName, 5)).close()
      const error = await IdbDocumentStore.open({ name: dbName, indexedDB: factory() }).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).details).toMatchObject({ cause: 'VersionError' })
    })

    it('rolls a compaction back entirely when it fails half way', async () => {
      const store = await IdbDocumentStore.open({ name: fresh(), indexedDB: factory() })
      await store.append('d', new Uint8Array([1]))
      const cursor = await store.append('d', new Uint8Array([2]))
      // A "snapshot" that cannot be stored: the put fails after the deletes were issued.
      const poison = { byteOffset: 1, slice: () => () => 0 } as unknown as Uint8Array
      const error = await store.compact('d', poison, cursor).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).details).toMatchObject({ cause: 'DataCloneError' })
      expect((await store.load('d')).updates.map((u) => [...u])).toEqual([[1], [2]])
      await store.close()
    })

    it('wraps IndexedDB failures in StorageError naming the cause', async () => {
      const store = await IdbDocumentStore.open({ name: fresh(), indexedDB: factory() })
      const kv = store.keyValues()
      const error = await kv.set('k', { fn: () => 1 }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).details).toMatchObject({ cause: 'DataCloneError' })
      // The failed write left the store usable.
      await kv.set('k', 1)
      expect(await kv.get('k')).toBe(1)
      await store.close()
    })
  })
}
