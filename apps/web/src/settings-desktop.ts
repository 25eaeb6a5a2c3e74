import { appSettingsStoreOptions } from '@whatnext/core/client'
import type { AppSettingsStore } from '@whatnext/ui'
import {
  createSettingsStore,
  importSecretKey,
  isSaved,
  remoteSettingsBackend,
  settingsRemoteOverBus,
} from '@whatnext/storage/settings'
import { consoleLogger } from './logger'
import type { DesktopSettingsSource } from './settings'

/**
 * A desktop window's settings store: on the utility process's file backend, shared with
 * every window, secrets under the key main keeps sealed by the OS keychain. Loaded only
 * in the desktop app (browsers hold a view of the engine's store instead).
 */
export async function openDesktopSettings(
  desktop: DesktopSettingsSource,
): Promise<{ settings: AppSettingsStore; stored(path: string[]): Promise<boolean> }> {
  const logger = consoleLogger('settings')
  const backend = remoteSettingsBackend(settingsRemoteOverBus(desktop.endpoint))
  let key: Promise<CryptoKey> | undefined
  const settings = await createSettingsStore({
    ...appSettingsStoreOptions,
    backend,
    secrets: {
      key: () =>
        (key ??= desktop.key().then((b64) =>
          importSecretKey(
            crypto.subtle,
            Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
          ),
        )),
    },
    logger,
  })
  for (const issue of settings.report.issues) logger.warn('settings', { issue })
  return {
    settings,
    stored: (path) => isSaved(backend, path),
  }
}
