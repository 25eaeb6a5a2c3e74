/**
 * The renderer's boundaries, as pure decisions main wires to Electron's handlers:
 * permissions (deny by default), navigation (only within the app origin), new windows
 * (never from page content; vetted links go to the browser), `shell.openExternal`
 * (https only, no credentials, bounded length). The windows' `webPreferences` are in
 * `secure-window.ts`.
 */
import { APP_ORIGIN } from './app-protocol.ts'

/**
 * Permissions a page of the app may have. Everything else — camera, microphone,
 * geolocation, midi, HID, serial, USB, display capture, openExternal… — is refused.
 */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write', 'notifications', 'fullscreen'])

/** Whether `requestingUrl` is a page of the app itself. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}` === APP_ORIGIN
  } catch {
    return false
  }
}

/** `session.setPermissionRequestHandler` / `setPermissionCheckHandler` decision. */
export function allowPermission(permission: string, requestingUrl: string): boolean {
  return isAppUrl(requestingUrl) && ALLOWED_PERMISSIONS.has(permission)
}

/** `will-navigate` / `will-redirect`: true to let the navigation happen. */
export function allowNavigation(url: string): boolean {
  return isAppUrl(url)
}

/**
 * Whether `url` may be opened in the user's browser: https only (no `file:`, `smb:`,
 * `javascript:`, custom schemes that launch programs), no user info, a real host.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > 4096) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return (
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.hostname.includes('.') &&
    !/[\s<>"]/.test(url)
  )
}

/** What to do with a `window.open` or `target=_blank` from page content. */
export type WindowOpenDecision = { action: 'deny'; openExternally: string | null }

/** `setWindowOpenHandler`: never a new Electron window; safe links go to the browser. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  return { action: 'deny', openExternally: isSafeExternalUrl(url) ? url : null }
}
