/** Light/dark theme: follows the system unless the user picks one (kept in localStorage). */
import { useCallback, useEffect, useState } from 'react'

/** The user's choice. */
export type ThemeChoice = 'system' | 'light' | 'dark'

const KEY = 'whatnext.theme'

function read(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system'
  }
}

/** The theme choice, applied to `<html data-theme>` and shared by every tab. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [theme, setThemeState] = useState<ThemeChoice>(read)
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme
    else document.documentElement.dataset.theme = theme
  }, [theme])
  useEffect(() => {
    const onStorage = (e: StorageEvent) => e.key === KEY && setThemeState(read())
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [])
  const setTheme = useCallback((choice: ThemeChoice) => {
    try {
      if (choice === 'system') localStorage.removeItem(KEY)
      else localStorage.setItem(KEY, choice)
    } catch {
      // storage unavailable (private mode): the choice lasts for this tab
    }
    setThemeState(choice)
  }, [])
  return [theme, setTheme]
}
