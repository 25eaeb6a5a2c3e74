/**
 * `@whatnext/storage/settings/file`: the settings store's Node/desktop pieces, kept out of
 * the browser entry: {@link FileSettingsBackend} (a data directory shared safely by
 * several processes) and {@link fileSecretKey} (Electron safeStorage or a 0600 key file).
 *
 * @example
 * ```ts
 * import { createSettingsStore } from '@whatnext/storage/settings'
 * import { FileSettingsBackend, fileSecretKey } from '@whatnext/storage/settings/file'
 *
 * const settings = await createSettingsStore({
 *   schema,
 *   defaults,
 *   backend: await FileSettingsBackend.open({ dir: app.getPath('userData') }),
 *   secrets: fileSecretKey({ dir: app.getPath('userData'), safeStorage }),
 * })
 * ```
 *
 * @packageDocumentation
 */
export * from './file-backend.ts'
export * from './lock.ts'
export * from './secret-key.ts'
