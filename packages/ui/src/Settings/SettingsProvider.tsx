/**
 * The settings store in React: a provider and `useSetting(path)`, which re-renders when
 * that value changes here or in any other tab, window or process (the store syncs them).
 */
import type { AppSettings } from '@whatnext/core/client'
import type { PathValue, SettingsPath, SettingsStore } from '@whatnext/storage/settings'
import { createContext, useCallback, useContext, useSyncExternalStore, type ReactNode } from 'react'

/** The app's settings store. */
export type AppSettingsStore = SettingsStore<AppSettings>

const SettingsContext = createContext<AppSettingsStore | null>(null)

/** Props of {@link SettingsProvider}. */
export interface SettingsProviderProps {
  settings: AppSettingsStore
  children: ReactNode
}

/** Makes `settings` available to {@link useSetting} below it. */
export function SettingsProvider({ settings, children }: SettingsProviderProps) {
  return <SettingsContext.Provider value={settings}>{children}</SettingsContext.Provider>
}

/** The settings store; throws outside a {@link SettingsProvider}. */
export function useSettings(): AppSettingsStore {
  const settings = useContext(SettingsContext)
  if (!settings) throw new Error('useSettings needs a <SettingsProvider>')
  return settings
}

/**
 * The value at `path` and a setter. The setter resolves once the change is durable and
 * rejects with a `ValidationError` (nothing changed) for a value the schema refuses.
 */
export function useSetting<P extends SettingsPath<AppSettings>>(
  path: P,
): [PathValue<AppSettings, P>, (value: PathValue<AppSettings, P>) => Promise<void>] {
  const settings = useSettings()
  const subscribe = useCallback(
    (onChange: () => void) => settings.onDidChange(path, onChange),
    [settings, path],
  )
  // Values are frozen and keep their identity until they change: safe as a snapshot.
  const value = useSyncExternalStore(subscribe, () => settings.get(path))
  const set = useCallback(
    (next: PathValue<AppSettings, P>) => settings.set(path, next),
    [settings, path],
  )
  return [value, set]
}

/** The whole settings object, re-rendering on any change (for the history panel). */
export function useSettingsSnapshot(): AppSettings {
  const settings = useSettings()
  const subscribe = useCallback(
    (onChange: () => void) => settings.onDidAnyChange(onChange),
    [settings],
  )
  return useSyncExternalStore(subscribe, () => settings.store)
}
