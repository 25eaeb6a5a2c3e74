/**
 * `@whatnext/storage/settings`: the app's preferences, UI state, identity and secrets.
 * A typed store over a zod schema with defaults, migrations, history and rollback, and
 * encrypted secret fields, on a backend every context shares: memory (tests),
 * IndexedDB (web, with BroadcastChannel + Web Locks across tabs) here, files (desktop)
 * in `@whatnext/storage/settings/file`.
 *
 * @example
 * ```ts
 * import * as z from 'zod/mini'
 * import { createSettingsStore, IdbSettingsBackend, idbSecretKey, secret } from '@whatnext/storage/settings'
 *
 * const settings = await createSettingsStore({
 *   schema: z.object({ theme: z.enum(['light', 'dark', 'system']), token: z.optional(secret(z.string())) }),
 *   defaults: { theme: 'system' },
 *   backend: await IdbSettingsBackend.open(),
 *   secrets: idbSecretKey(),
 * })
 * const stop = settings.onDidChange('theme', (theme) => document.body.dataset.theme = theme)
 * await settings.set('theme', 'dark')
 * ```
 *
 * @packageDocumentation
 */
export * from './errors.ts'
export * from './idb-backend.ts'
export * from './memory-backend.ts'
export {
  applyChanges,
  getAt,
  deepEqual,
  diff,
  splitPath,
  type DeepPartial,
  type JsonObject,
  type PathValue,
  type SettingsChange,
  type SettingsPath,
} from './paths.ts'
export { secret, secretPaths, type SettingsSchema } from './schema.ts'
export * from './secrets.ts'
export * from './state.ts'
export * from './store.ts'
export * from './remote-backend.ts'
export * from './view.ts'
