/**
 * Composition root of the web engine: IndexedDB storage, other tabs over a
 * BroadcastChannel, the bus over this worker's port. Nothing else lives here.
 */
import {
  createEndpoint,
  createEngine,
  createLogRing,
  createPerformanceMonitor,
  engineContract,
  loadFormats,
  messagePortTransport,
  serveEngine,
  systemClock,
} from '@whatnext/core'
import { IdbDocumentStore } from '@whatnext/storage/idb'
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

IdbDocumentStore.open({ name: 'whatnext' })
  .then((documents) =>
    createEngine({
      documents,
      clock,
      logger,
      broadcast: broadcastChannelUpdates('whatnext/documents'),
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
    // The parsers load once the library is on screen, before the first import needs them.
    setTimeout(() => void loadFormats(), 1000)
  })
  .catch((error: unknown) => {
    logger.error('engine failed to start', { error: String(error) })
    failed(error)
  })
