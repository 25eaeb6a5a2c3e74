/**
 * Batch bench page: `window.batchBench.burst(batched)` asks the worker for a burst of
 * {@link BURST} events and measures the messages that crossed and each event's latency.
 */
import {
  createEndpoint,
  messagePortTransport,
  meteredTransport,
  systemClock,
  type MessagePortLike,
} from '@whatnext/core/client'
import { BURST, absoluteNow, batchContract, type BurstResult } from './shared.ts'

const worker = new Worker(new URL('./worker.js', location.href), { type: 'module' })
const transport = meteredTransport(messagePortTransport(worker as unknown as MessagePortLike))
const endpoint = createEndpoint(
  batchContract,
  { transport, clock: systemClock(globalThis), now: () => performance.now() },
  { name: 'batch-page' },
)

async function burst(batched: boolean): Promise<BurstResult> {
  const latencies: number[] = []
  let done!: () => void
  const all = new Promise<void>((resolve) => (done = resolve))
  const off = endpoint.on(batched ? 'sync/updated' : 'sync/unbatched', ({ t }) => {
    latencies.push(absoluteNow() - t)
    if (latencies.length === BURST) done()
  })
  const before = transport.received
  await endpoint.request('bench/burst', { count: BURST, batched })
  await all
  off()
  return { batched, messages: transport.received - before - 1, latencies }
}

declare global {
  interface Window {
    batchBench: { burst: typeof burst; ready: Promise<number>; isolated: boolean }
  }
}
window.batchBench = {
  burst,
  ready: endpoint.ping(10_000),
  isolated: globalThis.crossOriginIsolated,
}
