/**
 * Composition root of the desktop main process: wires Electron to the pure modules
 * beside it and does nothing else. Main owns windows, the `app://` protocol, links,
 * menus, dialogs, notifications and updates; it hands each window a MessagePort to the
 * engine's utility process and stays out of the data path. Every decision lives in a
 * tested module (guards, ipc, deep-links, app-protocol, window-manager, update-policy,
 * utility-supervisor); this file only adapts Electron's objects to their interfaces.
 */
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  BrowserWindow,
  Menu,
  MessageChannelMain,
  Notification,
  app,
  dialog,
  ipcMain,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  utilityProcess,
  type UtilityProcess,
} from 'electron'
import { autoUpdater } from 'electron-updater'
import { EVENTS, invokeChannels, type InvokeChannel } from '../shared/ipc-contract.ts'
import { APP_ORIGIN, APP_SCHEME, addCspHeader, resolveAppRequest } from './app-protocol.ts'
import { LINK_SCHEME, createDeepLinkRouter } from './deep-links.ts'
import { desktopStateWriter, readDesktopState } from './desktop-state.ts'
import { allowNavigation, allowPermission, decideWindowOpen, isSafeExternalUrl } from './guards.ts'
import { createSecureWindow } from './secure-window.ts'
import { createIpcRouter } from './ipc.ts'
import { buildMenu } from './menu.ts'
import { createUpdateService, markHealthy, onLaunch, type UpdaterLike } from './update-policy.ts'
import { UtilitySupervisor, type ChildLike } from './utility-supervisor.ts'
import { WindowManager, type WindowLike } from './window-manager.ts'

const FEED_BASE = process.env.WHATNEXT_UPDATE_FEED ?? 'https://updates.whatnext.app'
/** The static export: packaged as `web/` inside the ASAR, `../web/out` in development. */
const webRoot = app.isPackaged
  ? join(__dirname, '..', 'web')
  : join(__dirname, '..', '..', 'web', 'out')

// Must happen before `ready`: app:// is a secure, standard origin (IndexedDB, fetch, CSP).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

const links = createDeepLinkRouter({
  onInvalid: (raw) => console.warn('ignored link', raw.slice(0, 100)),
})
if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it receives our argv through `second-instance`.
  app.quit()
} else {
  links.onColdStart(process.argv)
  app.on('second-instance', (_event, argv) => links.onSecondInstance(argv))
  app.on('open-url', (event, url) => {
    event.preventDefault()
    links.onOpenUrl(url)
  })
  // Installers register the protocol too (electron-builder `protocols`); this keeps it
  // registered for portable builds and development (`electron .` needs the script path).
  const dev = process.defaultApp && process.argv[1] ? [process.argv[1]] : []
  // Reviewed (SECURITY.md #18): links are parsed strictly and routed (deep-links.test.ts).
  app.setAsDefaultProtocolClient(LINK_SCHEME, process.execPath, dev) // eng-disable PROTOCOL_HANDLER_JS_CHECK
  void app.whenReady().then(start)
}

async function start() {
  const statePath = join(app.getPath('userData'), 'desktop-state.json')
  const state = readDesktopState(statePath)
  const writeState = desktopStateWriter(statePath)
  let libraryDir = state.libraryDir ?? join(app.getPath('documents'), 'WhatNext')

  // Updates first: a version that keeps failing to start is rolled back.
  const updater = autoUpdater as unknown as UpdaterLike
  const updates = createUpdateService(
    {
      updater,
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
      onState: (s) => {
        for (const win of BrowserWindow.getAllWindows()) win.webContents.send(EVENTS.update, s)
      },
    },
    { feedBase: FEED_BASE, channel: state.channel },
  )
  const launch = onLaunch(state.launch, app.getVersion())
  state.launch = launch.record
  await writeState(state)
  if (launch.action === 'rollback' && app.isPackaged) {
    await updates.rollbackTo(launch.to)
    return
  }

  // Every session: app:// only, deny-by-default permissions.
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((wc, permission, callback) =>
    callback(allowPermission(permission, wc.getURL())),
  )
  ses.setPermissionCheckHandler((_wc, permission, origin) => allowPermission(permission, origin))
  ses.webRequest.onHeadersReceived((details, callback) => addCspHeader(details, callback))
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = resolveAppRequest(
      request.url,
      webRoot,
      (p) => existsSync(p) && statSync(p).isFile(),
    )
    if (answer.status !== 200) return new Response(answer.reason, { status: answer.status })
    return new Response(await readFile(answer.path), { headers: answer.headers })
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!allowNavigation(url)) event.preventDefault()
    })
    contents.on('will-redirect', (event, url) => {
      if (!allowNavigation(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideWindowOpen(url)
      if (decision.openExternally) void openVetted(decision.openExternally)
      return { action: 'deny' }
    })
  })

  // The engine's utility process, restarted within a second if it dies.
  const supervisor = new UtilitySupervisor(
    {
      spawn: () =>
        wrapUtility(
          utilityProcess.fork(join(__dirname, 'utility.cjs'), [], {
            serviceName: 'WhatNext engine',
          }),
        ),
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
      now: () => Date.now(),
      log: (message, data) => console.warn(message, data),
    },
    { initMessage: { type: 'init', libraryDir, dataDir: app.getPath('userData') } },
  )
  const connectWindow = (win: BrowserWindow) => {
    const child = supervisor.current()
    if (!child || win.isDestroyed()) return
    const { port1, port2 } = new MessageChannelMain()
    child.postMessage({ type: 'connect', windowId: win.id }, [port1])
    win.webContents.postMessage(EVENTS.port, null, [port2])
  }
  supervisor.onStarted((_child, restart) => {
    if (!restart) return
    for (const win of BrowserWindow.getAllWindows()) {
      win.webContents.send(EVENTS.reconnecting)
      connectWindow(win)
    }
  })
  supervisor.start()

  const windows = new WindowManager({
    create: (s) => wrapWindow(createWindow(s.bounds, s.maximized, s.playlistId)),
    load: () => state.windows,
    save: (list) => {
      state.windows = list
      void writeState(state)
    },
    workAreas: () => screen.getAllDisplays().map((d) => d.workArea),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  })
  const ours = new Set<number>()
  function createWindow(bounds: Electron.Rectangle, maximized: boolean, playlistId: string | null) {
    const win = createSecureWindow(BrowserWindow, {
      ...bounds,
      preload: join(__dirname, 'preload.cjs'),
    })
    const id = win.webContents.id
    ours.add(id)
    win.on('closed', () => ours.delete(id))
    if (maximized) win.maximize()
    win.once('ready-to-show', () => win.show())
    const path = playlistId ? `/?playlist=${encodeURIComponent(playlistId)}` : '/'
    void win.loadURL(`${APP_ORIGIN}${path}`)
    win.webContents.once('did-finish-load', () => {
      state.launch = markHealthy(state.launch ?? launch.record, app.getVersion())
      void writeState(state)
    })
    return win
  }

  const router = createIpcRouter(
    {
      'engine/connect': (_p, sender) => {
        const win = BrowserWindow.getAllWindows().find(
          (w) => w.webContents.id === sender.webContentsId,
        )
        if (win) connectWindow(win)
      },
      'dialog/openPlaylists': async () => {
        const result = await dialog.showOpenDialog({
          properties: ['openFile', 'multiSelections'],
          filters: [
            {
              name: 'Playlists',
              extensions: ['m3u', 'm3u8', 'pls', 'xspf', 'jspf', 'asx', 'csv', 'md'],
            },
          ],
        })
        return Promise.all(
          result.filePaths.map(async (p) => ({
            fileName: p.split(/[\\/]/).pop()!,
            bytes: new Uint8Array(await readFile(p)),
          })),
        )
      },
      'dialog/savePlaylist': async ({ fileName, content }) => {
        const result = await dialog.showSaveDialog({ defaultPath: fileName })
        if (result.canceled || !result.filePath) return false
        const { writeFileAtomic } = await import('@whatnext/storage/files/durable')
        await writeFileAtomic(result.filePath, content)
        return true
      },
      'shell/openExternal': ({ url }) => openVetted(url),
      'window/openPlaylist': ({ playlistId }) => void windows.openPlaylist(playlistId),
      'window/setPlaylist': ({ playlistId }, sender) => {
        const win = BrowserWindow.getAllWindows().find(
          (w) => w.webContents.id === sender.webContentsId,
        )
        if (win) windows.setPlaylist(win.id, playlistId)
      },
      'notify/show': ({ title, body }) => {
        if (Notification.isSupported()) new Notification({ title, body, silent: false }).show()
      },
      'library/folder': () => libraryDir,
      // The key of the window's settings secrets: made once, sealed by the OS keychain
      // (safeStorage) in the data directory; only our own windows may ask (router).
      'secrets/settingsKey': async () => {
        const { fileSecretKeyBytes } = await import('@whatnext/storage/settings/file')
        const bytes = await fileSecretKeyBytes({ dir: app.getPath('userData'), safeStorage })
        return Buffer.from(bytes).toString('base64')
      },
      'library/chooseFolder': async (_payload, sender) => {
        const parent = BrowserWindow.getAllWindows().find(
          (w) => w.webContents.id === sender.webContentsId,
        )
        const options = {
          title: 'Choose the library folder',
          defaultPath: libraryDir,
          properties: ['openDirectory' as const, 'createDirectory' as const],
        }
        const result = parent
          ? await dialog.showOpenDialog(parent, options)
          : await dialog.showOpenDialog(options)
        const chosen = result.canceled ? undefined : result.filePaths[0]
        if (!chosen || chosen === libraryDir) return null
        libraryDir = chosen
        state.libraryDir = chosen
        await writeState(state)
        // The engine flushes and restarts on the new folder; windows reconnect.
        supervisor.relaunch({ type: 'init', libraryDir, dataDir: app.getPath('userData') })
        return chosen
      },
      'update/setChannel': ({ channel }) => {
        state.channel = channel
        void writeState(state)
        updates.setChannel(channel)
      },
    },
    { isTrusted: (id) => ours.has(id), onRefused: (why) => console.warn('IPC refused:', why) },
  )
  for (const channel of Object.keys(invokeChannels) as InvokeChannel[])
    ipcMain.handle(channel, (event, payload: unknown) =>
      router.invoke(
        channel,
        {
          webContentsId: event.sender.id,
          frameUrl: event.senderFrame?.url ?? null,
          isMainFrame: event.senderFrame === event.sender.mainFrame,
        },
        payload,
      ),
    )

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenu(process.platform, app.name, {
        newWindow: () => void windows.openPlaylist(''),
        importPlaylists: () =>
          BrowserWindow.getFocusedWindow()?.webContents.send(EVENTS.deepLink, { kind: 'import' }),
        checkForUpdates: () => updates.start(),
        openHelp: () => void shell.openExternal('https://whatnext.app/help'),
      }) as Electron.MenuItemConstructorOptions[],
    ),
  )

  windows.restore()
  links.ready({
    focus: () => {
      const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
      if (!win) windows.restore()
      else {
        if (win.isMinimized()) win.restore()
        win.focus()
      }
    },
    open: (link) => {
      const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
      win?.webContents.send(EVENTS.deepLink, link)
    },
  })
  if (app.isPackaged) updates.start()

  app.on('before-quit', () => {
    windows.beforeQuit()
    updates.stop()
    supervisor.current()?.postMessage({ type: 'shutdown' })
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) windows.restore()
  })
}

/** The one way to the user's browser: vetted https URLs only (guards.ts). */
async function openVetted(url: string): Promise<boolean> {
  if (!isSafeExternalUrl(url)) return false
  // Reviewed (SECURITY.md #15): only URLs isSafeExternalUrl vets get here (guards.test.ts).
  await shell.openExternal(url) // eng-disable OPEN_EXTERNAL_JS_CHECK
  return true
}

function wrapWindow(win: BrowserWindow): WindowLike {
  return {
    id: win.id,
    getBounds: () => win.getBounds(),
    isMaximized: () => win.isMaximized(),
    focus: () => win.focus(),
    onMoveOrResize(listener) {
      const events = ['move', 'resize', 'maximize', 'unmaximize'] as const
      for (const e of events) win.on(e as 'move', listener)
      return () => {
        if (!win.isDestroyed()) for (const e of events) win.off(e as 'move', listener)
      }
    },
    onClosed(listener) {
      win.on('closed', listener)
      return () => win.off('closed', listener)
    },
  }
}

function wrapUtility(child: UtilityProcess): ChildLike {
  return {
    get pid() {
      return child.pid
    },
    postMessage: (message, transfer) =>
      child.postMessage(message, transfer as Electron.MessagePortMain[]),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => void child.kill(),
  }
}
