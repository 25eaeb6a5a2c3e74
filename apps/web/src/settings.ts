import type {
  AppSettings,
  DesktopWindowContract,
  Endpoint,
  EngineContract,
} from '@whatnext/core/client'
import { openSettingsView, settingsViewPortOverBus } from '@whatnext/storage/settings/view'
import type { AppSettingsStore } from '@whatnext/ui'

/** Where a desktop window's settings live: the utility process, over the window's port. */
export interface DesktopSettingsSource {
  endpoint: Endpoint<DesktopWindowContract>
  /** The secrets key from main (base64), sealed at rest by the OS keychain. */
  key(): Promise<string>
}

/**
 * Opens this tab's settings. In browsers: a view of the store the engine worker keeps
 * (IndexedDB, synced with other tabs, secrets under a non-extractable WebCrypto key), so
 * none of the store's code or work is on the page. In a desktop window: a store on the
 * utility process's file backend, shared with every window (see settings-desktop.ts).
 */
export async function openSettings(
  source: { engine: Endpoint<EngineContract> } | { desktop: DesktopSettingsSource },
): Promise<AppSettingsStore> {
  if ('desktop' in source) {
    const { openDesktopSettings } = await import('./settings-desktop')
    const { settings, stored } = await openDesktopSettings(source.desktop)
    storedKey.set(settings, () => stored(['identity', 'privateKey']))
    return settings
  }
  const view = await openSettingsView<AppSettings>(settingsViewPortOverBus(source.engine))
  storedKey.set(view, () => view.stored('identity.privateKey'))
  return view
}

/** Whether the saved settings hold an identity key (perhaps not yet in this copy). */
const storedKey = new WeakMap<AppSettingsStore, () => Promise<boolean>>()

/**
 * Resolves once `settings` holds an identity key that another tab has already stored
 * (their change reaches this tab within ~100 ms), or at once when none is stored.
 */
async function awaitStoredKey(settings: AppSettingsStore): Promise<void> {
  if (settings.get('identity.privateKey')) return
  if (!(await storedKey.get(settings)?.())) return
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
