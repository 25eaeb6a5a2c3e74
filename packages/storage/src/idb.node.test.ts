import 'fake-indexeddb/auto'
import { documentStoreSuite, keyValueStoreSuite } from './test-support/compliance.ts'
import { IdbDocumentStore } from './idb.ts'

let n = 0
documentStoreSuite('IndexedDB (fake-indexeddb, Node)', {
  async open() {
    const name = `test-${n++}`
    return {
      store: await IdbDocumentStore.open({ name }),
      second: () => IdbDocumentStore.open({ name }),
    }
  },
})
keyValueStoreSuite('IndexedDB (fake-indexeddb, Node)', async () =>
  (await IdbDocumentStore.open({ name: `kv-${n++}` })).keyValues(),
)
