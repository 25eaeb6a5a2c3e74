import { MemoryDocumentStore, MemoryKeyValueStore } from './memory.ts'
import { documentStoreSuite, keyValueStoreSuite } from './test-support/compliance.ts'

documentStoreSuite('memory', {
  async open() {
    const store = new MemoryDocumentStore()
    // One in-memory store is shared by reference, as two tabs share one database.
    return { store, second: async () => store }
  },
})
keyValueStoreSuite('memory', async () => new MemoryKeyValueStore())
