/**
 * Composition root of the web engine: IndexedDB storage, the settings store, other tabs
 * over a BroadcastChannel, the bus over this worker's port. Nothing else lives here.
 */
import {
  appSettingsStoreOptions,
  createEndpoint,
  createEngine,
  createLogRing,
  createPerformanceMonitor,
  createWorkerPool,
  engineContract,
  loadFormats,
  messagePortTransport,
  parseContract,
  serveEngine,
  systemClock,
} from '@whatnext/core'
import { IdbDocumentStore } from '@whatnext/storage/idb'
import {
  IdbSettingsBackend,
  createSettingsStore,
  idbSecretKey,
  serveSettingsStore,
  serveSettingsViewOverBus,
} from '@whatnext/storage/settings'
import { broadcastChannelUpdates } from './broadcast-updates'
import { browserHeap } from './browser-sources'
import { consoleLogger } from './logger'

const clock = systemClock(globalThis)
// Engine logs go to the console and to the page's diagnostics view (over the bus).
const ring = createLogRing({ clock }, { capacity: 500 })
const logger = ring.logger('engine', consoleLogger('engine'))
let served!: (value: unknown) => void
let failed!: (error: unknown) => void
// Requests that arrive while storage opens wait for this instead of failing.
const ready = new Promise((resolve, reject) => ((served = resolve), (failed = reject)))

const endpoint = createEndpoint(
  engineContract,
  {
    transport: messagePortTransport(globalThis as never),
    clock,
    logger,
    now: () => performance.now(),
  },
  { name: 'engine', ready, exposeInternals: process.env.NODE_ENV !== 'production' },
)

// Playlist files are read in a pool of one worker, started on the first import: a huge
// or hostile file never stalls this engine, and a hung or crashed parser is replaced.
let parsers: ReturnType<typeof createParsers> | undefined
function createParsers() {
  return createWorkerPool(
    parseContract,
    {
      spawn: () => {
        const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), {
          type: 'module',
          name: 'whatnext-parse',
        })
        return {
          transport: messagePortTransport(worker as never),
          terminate: () => worker.terminate(),
          onExit: (listener) => {
            const onError = () => listener(undefined)
            worker.addEventListener('error', onError)
            return () => worker.removeEventListener('error', onError)
          },
        }
      },
      clock,
      logger,
      now: () => performance.now(),
    },
    { name: 'parsers', size: 1, taskTimeoutMs: 60_000 },
  )
}

// The settings live here too (the page holds a view): IndexedDB, synced with other tabs
// (BroadcastChannel, Web Locks), secrets under a non-extractable WebCrypto key.
async function openSettings() {
  const backend = await IdbSettingsBackend.open()
  const settingsLogger = ring.logger('settings', consoleLogger('settings'))
  const store = await createSettingsStore({
    ...appSettingsStoreOptions,
    backend,
    secrets: idbSecretKey(),
    logger: settingsLogger,
  })
  for (const issue of store.report.issues) settingsLogger.warn('settings', { issue })
  serveSettingsViewOverBus(serveSettingsStore(store, backend), endpoint)
}

Promise.all([IdbDocumentStore.open({ name: 'whatnext' }), openSettings()])
  .then(([documents]) =>
    createEngine({
      documents,
      clock,
      logger,
      broadcast: broadcastChannelUpdates('whatnext/documents'),
      parse: (bytes, fileName) =>
        (parsers ??= createParsers()).request(
          'parse/playlist',
          { bytes: bytes as Uint8Array<ArrayBuffer>, fileName },
          { transfer: [bytes.buffer] },
        ),
    }),
  )
  .then((engine) => {
    const monitor = createPerformanceMonitor({
      clock,
      logger,
      heap: browserHeap,
      endpoints: () => [endpoint.metrics()],
    })
    monitor.start()
    served(serveEngine(engine, endpoint, { ring, monitor }))
    // The exporters load once the library is on screen, before the first export needs them.
    setTimeout(() => void loadFormats(), 1000)
  })
  .catch((error: unknown) => {
    logger.error('engine failed to start', { error: String(error) })
    failed(error)
  })
