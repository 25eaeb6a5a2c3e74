/**
 * The application menu as data (Electron's `MenuItemConstructorOptions` shape), with the
 * usual shortcuts through roles. Pure, so its content is tested without Electron.
 */

/** A menu item (the subset of Electron's options used). */
export interface MenuItem {
  label?: string
  role?: string
  type?: 'separator'
  accelerator?: string
  submenu?: MenuItem[]
  click?: () => void
}

/** What the menu's own items do. */
export interface MenuActions {
  newWindow(): void
  importPlaylists(): void
  checkForUpdates(): void
  openHelp(): void
}

/** The menu for `platform` (macOS gets the app menu and window roles). */
export function buildMenu(platform: string, appName: string, actions: MenuActions): MenuItem[] {
  const mac = platform === 'darwin'
  const sep: MenuItem = { type: 'separator' }
  return [
    ...(mac
      ? [
          {
            label: appName,
            submenu: [
              { role: 'about' },
              { label: 'Check for Updates…', click: actions.checkForUpdates },
              sep,
              { role: 'services' },
              sep,
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              sep,
              { role: 'quit' },
            ],
          },
        ]
      : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Window', accelerator: 'CmdOrCtrl+N', click: actions.newWindow },
        { label: 'Import Playlists…', accelerator: 'CmdOrCtrl+O', click: actions.importPlaylists },
        sep,
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        sep,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        sep,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        sep,
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Window',
      submenu: mac
        ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'WhatNext Help', click: actions.openHelp },
        ...(mac ? [] : [{ label: 'Check for Updates…', click: actions.checkForUpdates }]),
      ],
    },
  ]
}
