/** Light/dark theme: follows the system unless the user picks one. */
import { useCallback, useEffect, useState } from 'react'

/** The user's choice. */
export type ThemeChoice = 'system' | 'light' | 'dark'

/** localStorage key of the choice. PERSISTED NAME: renaming it forgets every user's choice. */
export const THEME_STORAGE_KEY = 'whatnext.theme'

function readChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_STORAGE_KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system'
  }
}

function systemTheme(): 'light' | 'dark' {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light'
}

/**
 * The theme choice and a setter. The theme in force (`light` or `dark`) is set as
 * `<html data-theme>`; with `system` it follows `prefers-color-scheme` as it changes.
 * The choice persists in localStorage and other tabs follow it.
 */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoiceState] = useState<ThemeChoice>(readChoice)
  useEffect(() => {
    const apply = () => {
      document.documentElement.dataset.theme = choice === 'system' ? systemTheme() : choice
    }
    apply()
    if (choice !== 'system' || typeof matchMedia !== 'function') return
    const query = matchMedia('(prefers-color-scheme: dark)')
    query.addEventListener('change', apply)
    return () => query.removeEventListener('change', apply)
  }, [choice])
  useEffect(() => {
    const onStorage = (e: StorageEvent) =>
      e.key === THEME_STORAGE_KEY && setChoiceState(readChoice())
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [])
  const setChoice = useCallback((next: ThemeChoice) => {
    try {
      if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY)
      else localStorage.setItem(THEME_STORAGE_KEY, next)
    } catch {
      // Storage unavailable (private mode): the choice lasts for this tab.
    }
    setChoiceState(next)
  }, [])
  return [choice, setChoice]
}
