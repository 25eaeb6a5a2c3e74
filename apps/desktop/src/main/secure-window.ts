/**
 * Every window of the app is made here, with the secure `webPreferences` written out
 * literally inside the `new BrowserWindow(…)` call (so static checkers such as
 * Electronegativity see them). Each line is an item of Electron's security checklist
 * (SECURITY.md); `secure-window.test.ts` passes a fake constructor and asserts them.
 */

/** Bounds and look of a window. */
export interface SecureWindowInit {
  x: number
  y: number
  width: number
  height: number
  preload: string
}

/** Creates a window with `BrowserWindow` (Electron's, or a fake in tests). */
export function createSecureWindow<W>(
  BrowserWindow: new (options: Record<string, unknown>) => W,
  init: SecureWindowInit,
): W {
  return new BrowserWindow({
    x: init.x,
    y: init.y,
    width: init.width,
    height: init.height,
    minWidth: 480,
    minHeight: 360,
    show: false,
    title: 'WhatNext',
    backgroundColor: '#111111',
    webPreferences: {
      // Reviewed (SECURITY.md #20): the preload exposes typed calls and the port hand-off only.
      preload: init.preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // Middle-click would open links in a new window, around setWindowOpenHandler.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
    },
  })
}
