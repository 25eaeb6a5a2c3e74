/** A parse worker of the engine's pool: reads playlist files, nothing else. */
import {
  messagePortTransport,
  parseContract,
  parsePlaylist,
  servePoolWorker,
  systemClock,
} from '@whatnext/core'

servePoolWorker(
  parseContract,
  messagePortTransport(globalThis as never),
  { 'parse/playlist': ({ bytes, fileName }) => parsePlaylist(bytes, fileName) },
  { clock: systemClock(globalThis) },
)
