// Real IndexedDB in Chromium (vitest browser mode): the same suites as in Node.
import { IdbDocumentStore } from './idb.ts'
import { documentStoreSuite, keyValueStoreSuite } from './test-support/compliance.ts'
import { idbSuite } from './test-support/idb-suite.ts'

const run = Date.now()
let n = 0

documentStoreSuite('IndexedDB (Chromium)', {
  async open() {
    const name = `test-${run}-${n++}`
    return {
      store: await IdbDocumentStore.open({ name, indexedDB }),
      second: () => IdbDocumentStore.open({ name, indexedDB }),
    }
  },
})
keyValueStoreSuite('IndexedDB (Chromium)', async () =>
  (await IdbDocumentStore.open({ name: `kv-${run}-${n++}` })).keyValues(),
)
idbSuite('Chromium', () => indexedDB)
