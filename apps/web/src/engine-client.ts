import {
  createEndpoint,
  engineContract,
  messagePortTransport,
  systemClock,
  type Endpoint,
  type EngineContract,
} from '@whatnext/core/client'
import { consoleLogger } from './logger'

/** Starts this tab's engine worker and returns the typed client for it. */
export function startEngine(): Endpoint<EngineContract> {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'whatnext-engine',
  })
  return createEndpoint(
    engineContract,
    {
      transport: messagePortTransport(worker as never),
      clock: systemClock(globalThis),
      logger: consoleLogger('page'),
    },
    { name: 'page' },
  )
}
