import { describe, expect, it } from 'vitest'
import { allowNavigation, allowPermission, decideWindowOpen, isSafeExternalUrl } from './guards.ts'
import { createSecureWindow } from './secure-window.ts'

describe('guards', () => {
  it('grants only a few permissions, and only to app pages', () => {
    expect(allowPermission('notifications', 'app://whatnext/')).toBe(true)
    expect(allowPermission('clipboard-sanitized-write', 'app://whatnext/x')).toBe(true)
    for (const p of [
      'media',
      'geolocation',
      'midi',
      'midiSysex',
      'hid',
      'serial',
      'usb',
      'display-capture',
      'openExternal',
      'pointerLock',
      'unknown-new-permission',
    ])
      expect(allowPermission(p, 'app://whatnext/'), p).toBe(false)
    expect(allowPermission('notifications', 'https://evil.example/')).toBe(false)
    expect(allowPermission('notifications', 'file:///index.html')).toBe(false)
    expect(allowPermission('notifications', '')).toBe(false)
  })

  it('keeps navigation within the app origin', () => {
    expect(allowNavigation('app://whatnext/join#t')).toBe(true)
    expect(allowNavigation('app://whatnext.evil/')).toBe(false)
    expect(allowNavigation('https://whatnext.app/')).toBe(false)
    expect(allowNavigation('file:///etc/passwd')).toBe(false)
    expect(allowNavigation('javascript:alert(1)')).toBe(false)
  })

  it('opens only vetted https URLs externally', () => {
    expect(isSafeExternalUrl('https://musicbrainz.org/recording/1')).toBe(true)
    for (const url of [
      'http://example.com/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://attacker/share',
      'javascript:alert(1)',
      'ms-msdt:/id PCWDiagnostic',
      'https://user:pass@example.com/',
      'https://localhost/',
      `https://example.com/${'a'.repeat(5000)}`,
      'https://example.com/a b',
      'not a url',
    ])
      expect(isSafeExternalUrl(url), url).toBe(false)
  })

  it('never opens a new Electron window; safe links go to the browser', () => {
    expect(decideWindowOpen('https://example.com/')).toEqual({
      action: 'deny',
      openExternally: 'https://example.com/',
    })
    expect(decideWindowOpen('app://whatnext/')).toEqual({ action: 'deny', openExternally: null })
    expect(decideWindowOpen('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: null })
  })
})

describe('webPreferences (Electron security checklist)', () => {
  let options: Record<string, unknown> = {}
  class FakeBrowserWindow {
    constructor(o: Record<string, unknown>) {
      options = o
    }
  }
  createSecureWindow(FakeBrowserWindow, {
    x: 0,
    y: 0,
    width: 800,
    height: 600,
    preload: '/app/preload.cjs',
  })
  const prefs = options.webPreferences as Record<string, unknown>
  it('isolates and sandboxes the renderer with Node off everywhere', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    })
  })
  it('keeps web security on, insecure content and experimental features off, no webview', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    })
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
    expect(prefs.preload).toBe('/app/preload.cjs')
  })
})
