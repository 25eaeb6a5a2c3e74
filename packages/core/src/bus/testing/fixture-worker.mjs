// worker_threads entry serving the bus fixture contract on parentPort (Node ≥ 22.18
// loads the TypeScript sources directly: type stripping).
import { parentPort } from 'node:worker_threads'
import { createEndpoint } from '../endpoint.ts'
import { nodePortTransport } from '../transport.ts'
import { systemClock } from '../../ports.ts'
import { fixtureContract, serveFixture } from './fixture.ts'

const clock = systemClock(globalThis)
const endpoint = createEndpoint(
  fixtureContract,
  { transport: nodePortTransport(parentPort), clock },
  { name: 'worker' },
)
serveFixture(endpoint)
