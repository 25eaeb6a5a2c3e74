import { APP_SETTINGS_VERSION, appSettingsDefaults, appSettingsSchema } from '@whatnext/core/client'
import type { AppSettingsStore } from '@whatnext/ui'
import { IdbSettingsBackend, createSettingsStore, idbSecretKey } from '@whatnext/storage/settings'
import { consoleLogger } from './logger'

/**
 * Opens this tab's settings store: IndexedDB, synced with other tabs (BroadcastChannel,
 * Web Locks), secrets under a non-extractable WebCrypto key.
 */
export async function openSettings(): Promise<AppSettingsStore> {
  const logger = consoleLogger('settings')
  const settings = await createSettingsStore({
    schema: appSettingsSchema,
    defaults: appSettingsDefaults,
    version: APP_SETTINGS_VERSION,
    backend: await IdbSettingsBackend.open(),
    secrets: idbSecretKey(),
    logger,
  })
  for (const issue of settings.report.issues) logger.warn('settings', { issue })
  return settings
}
