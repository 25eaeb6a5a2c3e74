import {
  APP_SETTINGS_VERSION,
  appSettingsDefaults,
  appSettingsMigrations,
  appSettingsSchema,
  type DesktopWindowContract,
  type Endpoint,
} from '@whatnext/core/client'
import type { AppSettingsStore } from '@whatnext/ui'
import {
  IdbSettingsBackend,
  createSettingsStore,
  idbSecretKey,
  importSecretKey,
  remoteSettingsBackend,
  settingsRemoteOverBus,
  type SettingsBackend,
  type SecretKeyProvider,
} from '@whatnext/storage/settings'
import { consoleLogger } from './logger'

/** Where a desktop window's settings live: the utility process, over the window's port. */
export interface DesktopSettingsSource {
  endpoint: Endpoint<DesktopWindowContract>
  /** The secrets key from main (base64), sealed at rest by the OS keychain. */
  key(): Promise<string>
}

/**
 * Opens this tab's settings store. In browsers: IndexedDB, synced with other tabs
 * (BroadcastChannel, Web Locks), secrets under a non-extractable WebCrypto key. In a
 * desktop window: the utility process's file backend, shared with every window, secrets
 * under the key main keeps sealed by the OS keychain.
 */
export async function openSettings(desktop?: DesktopSettingsSource): Promise<AppSettingsStore> {
  const logger = consoleLogger('settings')
  let backend: SettingsBackend
  let secrets: SecretKeyProvider
  if (desktop) {
    backend = remoteSettingsBackend(settingsRemoteOverBus(desktop.endpoint))
    let key: Promise<CryptoKey> | undefined
    secrets = {
      key: () =>
        (key ??= desktop.key().then((b64) =>
          importSecretKey(
            crypto.subtle,
            Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
          ),
        )),
    }
  } else {
    backend = await IdbSettingsBackend.open()
    secrets = idbSecretKey()
  }
  const settings = await createSettingsStore({
    schema: appSettingsSchema,
    defaults: appSettingsDefaults,
    version: APP_SETTINGS_VERSION,
    migrations: appSettingsMigrations,
    backend,
    secrets,
    logger,
  })
  for (const issue of settings.report.issues) logger.warn('settings', { issue })
  backends.set(settings, backend)
  return settings
}

const backends = new WeakMap<AppSettingsStore, SettingsBackend>()

/**
 * Resolves once `settings` holds an identity key that another tab has already stored
 * (their change reaches this tab within ~100 ms), or at once when none is stored.
 */
async function awaitStoredKey(settings: AppSettingsStore): Promise<void> {
  if (settings.get('identity.privateKey')) return
  const state = (await backends.get(settings)?.load())?.state
  const identity = state?.data.identity as { privateKey?: unknown } | undefined
  if (identity?.privateKey === undefined) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, 5000)
    const stop = settings.onDidChange('identity.privateKey', (key) => key && done())
    // It may have arrived between the first look and subscribing.
    if (settings.get('identity.privateKey')) done()
    function done() {
      clearTimeout(timer)
      stop()
      resolve()
    }
  })
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
        // Alone across tabs; and a key another tab stored first is waited for, not replaced.
        <T>(work: () => Promise<T>): Promise<T> => {
          const guarded = () => awaitStoredKey(settings).then(work)
          return typeof navigator.locks?.request === 'function'
            ? (navigator.locks.request('whatnext/identity', guarded) as Promise<T>)
            : guarded()
        },
      ),
    )
    .then(({ peerId }) => ({ peerId }))
}
