/* global module */
/**
 * electron-builder: AppImage and deb (Linux), dmg (macOS), nsis (Windows), each
 * registering the `whtnxt` protocol, and a generic update feed whose `<channel>/`
 * folders electron-updater reads (update-policy.ts). The web export is packed as `web/`
 * inside the ASAR beside `dist/` (main, preload, utility). Fuses are flipped after
 * packing (build/fuses.cjs). `electronDist` may point to an unpacked Electron (CI, or a
 * placeholder in tests: `WHATNEXT_ELECTRON_DIST`).
 */
const feed = process.env.WHATNEXT_UPDATE_FEED ?? 'https://updates.whatnext.app'

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'app.whatnext.desktop',
  productName: 'WhatNext',
  copyright: 'Copyright © WhatNext contributors',
  directories: { output: 'release', buildResources: 'build' },
  ...(process.env.WHATNEXT_ELECTRON_DIST
    ? { electronDist: process.env.WHATNEXT_ELECTRON_DIST }
    : {}),
  electronVersion: '45.4.1',
  asar: true,
  files: ['dist/**/*.cjs', 'package.json', '!**/*.map'],
  extraMetadata: { main: 'dist/main.cjs' },
  afterPack: './build/fuses.cjs',
  protocols: [{ name: 'WhatNext link', schemes: ['whtnxt'] }],
  publish: [{ provider: 'generic', url: `${feed}/\${channel}/`, channel: 'latest' }],
  generateUpdatesFilesForAllChannels: true,
  executableName: 'whatnext',
  linux: {
    target: ['AppImage', 'deb'],
    executableName: 'whatnext',
    category: 'Audio',
    mimeTypes: ['x-scheme-handler/whtnxt'],
    desktop: { entry: { MimeType: 'x-scheme-handler/whtnxt;' } },
  },
  deb: { depends: ['libnotify4', 'libsecret-1-0'] },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.music',
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
  },
  dmg: { sign: false },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
}

// The static export of apps/web, inside the ASAR as `web/` (loaded only from there: fuses).
module.exports.files.push({
  from: process.env.WHATNEXT_WEB_OUT ?? '../web/out',
  to: 'web',
  filter: ['**/*'],
})
