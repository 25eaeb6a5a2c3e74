/**
 * What UI code needs from core, and nothing that pulls the engine, Yjs or the file
 * parsers into the page: the bus, the engine contract and its types, errors, schemas,
 * durations and the format catalog.
 *
 * @example
 * ```ts
 * import { createEndpoint, engineContract, type Endpoint, type EngineContract } from '@whatnext/core/client'
 * ```
 */
export * from './errors.ts'
export * from './own-property.ts'
export * from './bus/index.ts'
export * from './model/schemas.ts'
export * from './model/zod-messages.ts'
export * from './model/duration.ts'
export * from './model/settings.ts'
export * from './engine/contract.ts'
export { systemClock, silentLogger, type Clock, type Logger } from './ports.ts'
export { fold } from './engine/search.ts'
export {
  EXPORT_FORMATS,
  IMPORT_EXTENSIONS,
  type ExportFormat,
  type ImportFormat,
} from './formats/catalog.ts'
export * from './link/index.ts'
export * from './collab/contract.ts'
export * from './collab/snapshot.ts'
