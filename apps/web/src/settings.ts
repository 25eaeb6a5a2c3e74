import {
  APP_SETTINGS_VERSION,
  appSettingsDefaults,
  appSettingsMigrations,
  appSettingsSchema,
} from '@whatnext/core/client'
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
    migrations: appSettingsMigrations,
    backend: await IdbSettingsBackend.open(),
    secrets: idbSecretKey(),
    logger,
  })
  for (const issue of settings.report.issues) logger.warn('settings', { issue })
  return settings
}

/**
 * This device's identity (Ed25519; its peer id is the user id), made on first start and
 * kept encrypted in the settings. Loaded when the page is idle: the key code stays out
 * of the first page's critical path.
 */
export function loadIdentity(settings: AppSettingsStore): Promise<{ peerId: string }> {
  return new Promise<void>((resolve) => {
    if (typeof requestIdleCallback === 'function')
      requestIdleCallback(() => resolve(), { timeout: 2000 })
    else setTimeout(resolve, 500)
  })
    .then(() => import('@whatnext/p2p/identity'))
    .then(({ ensureIdentity }) =>
      ensureIdentity(
        {
          read: () => settings.get('identity.privateKey'),
          write: (encoded) => settings.set('identity.privateKey', encoded),
        },
        <T>(work: () => Promise<T>): Promise<T> =>
          typeof navigator.locks?.request === 'function'
            ? (navigator.locks.request('whatnext/identity', work) as Promise<T>)
            : work(),
      ),
    )
    .then(({ peerId }) => ({ peerId }))
}
