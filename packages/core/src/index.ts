/**
 * @whatnext/core — the domain, the engine and the message bus, for every host.
 *
 * Compiles without DOM or Node types: hosts pass storage, clock, logger and transport in.
 *
 * @example
 * ```ts
 * import { createEngine, createEndpoint, engineContract, serveEngine, messagePortTransport } from '@whatnext/core'
 * const engine = await createEngine({ documents, clock })
 * serveEngine(engine, createEndpoint(engineContract, { transport: messagePortTransport(self), clock }))
 * ```
 */
export * from './errors.ts'
export * from './own-property.ts'
export * from './ports.ts'
export * from './bus/index.ts'
export * from './model/schemas.ts'
export * from './model/zod-messages.ts'
export * from './model/playlist-doc.ts'
export * from './model/doc-updates.ts'
export * from './engine/contract.ts'
export * from './engine/engine.ts'
export * from './engine/serve.ts'
export { fold } from './engine/search.ts'
export * from './model/duration.ts'
export * from './model/settings.ts'
export {
  EXPORT_FORMATS,
  IMPORT_EXTENSIONS,
  exportPlaylist,
  parsePlaylist,
  type ExportFormat,
  type ImportFormat,
} from './formats/index.ts'
export * from './link/index.ts'
export * from './collab/contract.ts'
export * from './collab/snapshot.ts'
export * from './formats/parse-contract.ts'
