/** Light/dark theme: follows the system unless the user picks one (a setting). */
import type { ThemeChoice } from '@whatnext/core/client'
import { useEffect } from 'react'
import { useSetting } from '../Settings/SettingsProvider'

export type { ThemeChoice }

/**
 * localStorage mirror of the choice, read by the page's inline script before the first
 * paint (the settings store opens later), so a dark-theme user never sees a white
 * flash. PERSISTED NAME: renaming it brings the flash back for every user.
 */
export const THEME_STORAGE_KEY = 'whatnext.theme'

function systemTheme(): 'light' | 'dark' {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light'
}

/**
 * The theme choice (the `theme` setting) and a setter. The theme in force (`light` or
 * `dark`) is set as `<html data-theme>`; with `system` it follows
 * `prefers-color-scheme` as it changes. Every open tab follows a change.
 */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => Promise<void>] {
  const [choice, setChoice] = useSetting('theme')
  useEffect(() => {
    try {
      if (choice === 'system') localStorage.removeItem(THEME_STORAGE_KEY)
      else localStorage.setItem(THEME_STORAGE_KEY, choice)
    } catch {
      // Storage unavailable (private mode): only the first paint may flash.
    }
    const apply = () => {
      document.documentElement.dataset.theme = choice === 'system' ? systemTheme() : choice
    }
    apply()
    if (choice !== 'system' || typeof matchMedia !== 'function') return
    const query = matchMedia('(prefers-color-scheme: dark)')
    query.addEventListener('change', apply)
    return () => query.removeEventListener('change', apply)
  }, [choice])
  return [choice, setChoice]
}
