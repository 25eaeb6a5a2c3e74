/**
 * `@whatnext/storage` — the adapters behind core's storage ports (`DocumentStore`,
 * `KeyValueStore` in `@whatnext/core/ports`): IndexedDB for the web engine
 * (`@whatnext/storage/idb`) and memory for tests (`@whatnext/storage/memory`); a file
 * backend for desktop joins later. One compliance suite (`test-support/compliance.ts`)
 * runs against every adapter.
 *
 * @example
 * ```ts
 * import { IdbDocumentStore } from '@whatnext/storage/idb'
 *
 * const documents = await IdbDocumentStore.open({
 *   name: 'whatnext', // one database per profile
 *   onClose: () => showBanner('WhatNext was updated in another tab: reload'),
 * })
 * const settings = documents.keyValues()
 * const engine = await createEngine({ documents, clock })
 * ```
 *
 * @packageDocumentation
 */
export * from './idb.ts'
export * from './memory.ts'
