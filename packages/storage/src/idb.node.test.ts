// idb's wrappers check `instanceof IDBDatabase` etc. against globals, so Node needs
// fake-indexeddb's classes installed globally; the factory itself is still injected.
import 'fake-indexeddb/auto'
import { StorageError } from '@whatnext/core/errors'
import { IDBFactory, forceCloseDatabase } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { IdbDocumentStore, toStorageError, type IdbCloseReason } from './idb.ts'
import { documentStoreSuite, keyValueStoreSuite } from './test-support/compliance.ts'
import { idbSuite } from './test-support/idb-suite.ts'

const factory = new IDBFactory()
let n = 0

documentStoreSuite('IndexedDB (fake-indexeddb, Node)', {
  async open() {
    const name = `test-${n++}`
    return {
      store: await IdbDocumentStore.open({ name, indexedDB: factory }),
      second: () => IdbDocumentStore.open({ name, indexedDB: factory }),
    }
  },
})
keyValueStoreSuite('IndexedDB (fake-indexeddb, Node)', async () =>
  (await IdbDocumentStore.open({ name: `kv-${n++}`, indexedDB: factory })).keyValues(),
)
idbSuite('fake-indexeddb, Node', () => factory)

describe('IdbDocumentStore in Node', () => {
  it('reports a connection the browser terminated and fails later calls', async () => {
    const connections: IDBDatabase[] = []
    // Records each connection so the test can force-close it, as clearing site data does.
    const spy = {
      open(name: string, version?: number) {
        const request = factory.open(name, version)
        request.addEventListener('success', () => connections.push(request.result))
        return request
      },
    } as IDBFactory
    const reasons: IdbCloseReason[] = []
    const store = await IdbDocumentStore.open({
      name: `terminated-${n++}`,
      indexedDB: spy,
      onClose: (reason) => reasons.push(reason),
    })
    // fake-indexeddb's typings ask for the class; the function takes a connection.
    forceCloseDatabase(connections[0] as unknown as typeof IDBDatabase)
    expect(reasons).toEqual(['terminated'])
    const error = await store.append('d', new Uint8Array([1])).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StorageError)
    expect((error as StorageError).details).toMatchObject({ cause: 'terminated' })
  })

  it('fails with StorageError where there is no IndexedDB at all', async () => {
    // The one case that is about the global itself, so it is stubbed here.
    vi.stubGlobal('indexedDB', undefined)
    try {
      const error = await IdbDocumentStore.open().catch((e: unknown) => e)
      expect(error).toBeInstanceOf(StorageError)
      expect((error as StorageError).details).toMatchObject({ cause: 'Unavailable' })
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('explains a full quota and keeps the cause name', () => {
    const error = toStorageError('save a change', new DOMException('full', 'QuotaExceededError'))
    expect(error).toBeInstanceOf(StorageError)
    expect(error.code).toBe('STORAGE_FAILED')
    expect(error.message).toBe(
      "Could not save a change: the browser's storage quota for this site is full",
    )
    expect(error.details).toEqual({ cause: 'QuotaExceededError', operation: 'save a change' })
    expect((error.cause as DOMException).name).toBe('QuotaExceededError')
  })

  it('passes a StorageError through unchanged', () => {
    const original = new StorageError('x')
    expect(toStorageError('anything', original)).toBe(original)
  })
})
