// worker_threads parse worker for the engine's pool tests (the web app's is a Web Worker).
import { parentPort } from 'node:worker_threads'
import { servePoolWorker } from '../bus/pool.ts'
import { nodePortTransport } from '../bus/transport.ts'
import { systemClock } from '../ports.ts'
import { parsePlaylist } from './index.ts'
import { parseContract } from './parse-contract.ts'

servePoolWorker(
  parseContract,
  nodePortTransport(parentPort),
  { 'parse/playlist': ({ bytes, fileName }) => parsePlaylist(bytes, fileName) },
  { clock: systemClock(globalThis) },
)
