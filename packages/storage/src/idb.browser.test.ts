import { documentStoreSuite, keyValueStoreSuite } from './test-support/compliance.ts'
import { IdbDocumentStore } from './idb.ts'

const run = Date.now()
let n = 0
documentStoreSuite('IndexedDB (Chromium)', {
  async open() {
    const name = `test-${run}-${n++}`
    return {
      store: await IdbDocumentStore.open({ name }),
      second: () => IdbDocumentStore.open({ name }),
    }
  },
})
keyValueStoreSuite('IndexedDB (Chromium)', async () =>
  (await IdbDocumentStore.open({ name: `kv-${run}-${n++}` })).keyValues(),
)
