/**
 * @whatnext/storage — adapters for core's storage ports: IndexedDB for the web engine
 * and memory for tests (a file backend joins for desktop). One compliance suite
 * (`compliance.ts`) runs against every adapter.
 *
 * @example
 * ```ts
 * import { IdbDocumentStore } from '@whatnext/storage/idb'
 * const documents = await IdbDocumentStore.open({ name: 'whatnext' })
 * const engine = await createEngine({ documents, clock })
 * ```
 */
export * from './idb.ts'
export * from './memory.ts'
