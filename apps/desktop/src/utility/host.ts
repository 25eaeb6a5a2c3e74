/**
 * What the utility process does, given its parent port and a way to open the engine:
 * on `init` it opens the library and the engine; on each `connect` (a window's port) it
 * serves the engine on that port, until the port closes. Kept apart from the entry file
 * so it runs the same under Electron and under plain Node.
 */
import {
  createEndpoint,
  desktopWindowContract,
  electronPortTransport,
  UnavailableError,
  serveEngine,
  type Endpoint,
  type EngineContract,
  type Clock,
  type ElectronPortLike,
  type Engine,
  type Logger,
} from '@whatnext/core'
import type { LibraryIssue } from '@whatnext/storage/files'
import {
  settingsHub,
  type SettingsBackend,
  type SettingsCommit,
  type SettingsConnection,
} from '@whatnext/storage/settings'
import { createCollabHost, type CollabHost } from './collab-host.ts'
import type { ParentPortLike } from './parent-port.ts'

/** Messages main sends. */
export type ToUtility =
  | { type: 'init'; libraryDir: string; dataDir: string; actorId?: string }
  | { type: 'connect'; windowId: number }
  | { type: 'shutdown' }

/** Messages the utility sends to main. */
export type FromUtility =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'library/issue'; issue: LibraryIssue }

/** An opened engine and how to close it. */
export interface OpenedEngine {
  engine: Engine
  /** The settings store's file backend, shared by every window (closed by the host). */
  settings?: SettingsBackend
  close(): Promise<void>
}

/** What the host needs. */
export interface UtilityHostComponents {
  parentPort: ParentPortLike
  clock: Clock
  logger: Logger
  openEngine(
    init: Extract<ToUtility, { type: 'init' }>,
    onIssue: (issue: LibraryIssue) => void,
  ): Promise<OpenedEngine>
  exit(code: number): void
}

/** Runs the host; returns a promise of the opened engine (for tests). */
export function runUtilityHost(components: UtilityHostComponents): Promise<OpenedEngine> {
  const { parentPort, clock, logger } = components
  let opened!: (value: OpenedEngine) => void
  let failed!: (error: unknown) => void
  const engine = new Promise<OpenedEngine>(
    (resolve, reject) => ((opened = resolve), (failed = reject)),
  )
  engine.catch(() => {})
  const post = (message: FromUtility) => parentPort.postMessage(message)
  const served = new Set<() => void>()
  // One sync node for every window, started when a window configures it.
  const collab: Promise<CollabHost> = engine.then((e) =>
    createCollabHost({ engine: e.engine, clock, logger }),
  )
  collab.catch(() => {})
  // One settings backend for every window: a commit by one is announced to the others.
  const settings = engine.then((e) => (e.settings ? settingsHub(e.settings) : null))
  settings.catch(() => {})

  parentPort.on('message', ({ data, ports }) => {
    const message = data as ToUtility
    if (message?.type === 'init') {
      components
        .openEngine(message, (issue) => post({ type: 'library/issue', issue }))
        .then((e) => {
          opened(e)
          post({ type: 'ready' })
        })
        .catch((error: unknown) => {
          logger.error('engine failed to start', { error: String(error) })
          post({ type: 'failed', message: String(error) })
          failed(error)
        })
    } else if (message?.type === 'connect' && ports[0]) {
      serveWindow(ports[0], message.windowId)
    } else if (message?.type === 'shutdown') {
      void engine
        .then((e) =>
          Promise.all([...served].map((stop) => stop()))
            .then(() => collab.then((c) => c.close()))
            .then(() => settings.then((h) => h?.close()))
            .then(() => e.close()),
        )
        .finally(() => components.exit(0))
    }
  })

  function serveWindow(port: ElectronPortLike, windowId: number) {
    const endpoint = createEndpoint(
      desktopWindowContract,
      { transport: electronPortTransport(port), clock, logger },
      { name: `engine→window-${windowId}`, ready: engine },
    )
    let stopServing: (() => void) | null = null
    let stopCollab: (() => void) | null = null
    void engine.then(({ engine: e }) => {
      stopServing = serveEngine(e, endpoint as unknown as Endpoint<EngineContract>)
    })
    // Registered now (calls wait for the host), so no call can arrive before its handler.
    const ok = { ok: true } as const
    endpoint.handle(
      'collab/configure',
      async (config) => (await (await collab).configure(config), ok),
    )
    endpoint.handle('collab/snapshot', async () => (await collab).snapshot())
    endpoint.handle('collab/focus', async (f) => ((await collab).focus(f), ok))
    endpoint.handle('collab/reconnect', async (r) => ((await collab).reconnect(r.playlistId), ok))
    void collab.then((c) => {
      stopCollab = c.onChange((snapshot) => endpoint.emit('collab/changed', snapshot))
    })
    const connection: Promise<SettingsConnection> = settings.then((hub) => {
      if (!hub) throw new UnavailableError('This process keeps no settings')
      const c = hub.connect()
      c.subscribe((event) => endpoint.emit('settings/changed', event))
      return c
    })
    connection.catch(() => {})
    endpoint.handle('settings/load', async () => (await connection).load())
    endpoint.handle('settings/lastBackup', async () => ({
      state: await (await connection).lastBackup(),
    }))
    endpoint.handle('settings/commit', async ({ expectedSeq, commit }) =>
      // The shape is checked by the contract; values are the window's own settings JSON.
      (await connection).commitIf(expectedSeq, commit as SettingsCommit),
    )
    endpoint.handle('settings/backup', async ({ label }) => {
      await (await connection).backup(label)
      return ok
    })
    endpoint.handle('settings/restore', async ({ label }) => ({
      state: await (await connection).restore(label),
    }))
    const stop = () => {
      served.delete(stop)
      stopServing?.()
      stopCollab?.()
      void connection.then(
        (c) => c.close(),
        () => undefined,
      )
      endpoint.close()
    }
    served.add(stop)
    // Electron's MessagePortMain emits 'close' when the window's end goes away.
    ;(port as unknown as { on(event: 'close', listener: () => void): unknown }).on('close', stop)
  }

  return engine
}
